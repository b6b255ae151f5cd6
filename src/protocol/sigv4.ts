// AWS Signature Version 4: parse Authorization headers and presigned queries, build canonical requests, verify.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { Clock } from '../core/clock.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** The parts of an HTTP request that signing covers; headers have lower-case names. */
export interface SignableRequest {
  method: string;
  /** Path exactly as received, still percent-encoded. */
  rawPath: string;
  /** Query string exactly as received, without the leading '?'. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ParsedAuth {
  /** As the s3:signatureversion condition key spells it: 'AWS4-HMAC-SHA256', or 'AWS' for Signature Version 2 (sigv2.ts). */
  algorithm: typeof ALGORITHM | 'AWS';
  kind: 'header' | 'presigned';
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** YYYYMMDDTHHMMSSZ */
  amzDate: string;
  /** When the request was signed; a SigV2 presigned URL carries no signing time, so there it is the expiry. */
  requestTimeMs: number;
  expiresSeconds?: number;
  securityToken?: string;
}

export function credentialScope(auth: Pick<ParsedAuth, 'scopeDate' | 'region' | 'service'>): string {
  return `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
}

/** Cheap look at a request's credential scope service (for routing), without validating anything. */
export function peekSigningService(req: SignableRequest): string | undefined {
  const header = headerValue(req.headers, 'authorization');
  const credential = header
    ? /Credential=([^,\s]+)/.exec(header)?.[1]
    : /(?:^|&)X-Amz-Credential=([^&]+)/.exec(req.rawQuery)?.[1];
  if (!credential) return undefined;
  let decoded = credential;
  try { decoded = decodeURIComponent(credential); } catch { return undefined; }
  return decoded.split('/')[3];
}

/** Parses SigV4 from the Authorization header or the presigned query; undefined for anonymous requests. */
export function parseAuth(req: SignableRequest): ParsedAuth | undefined {
  assertSingleAuthMechanism(req);
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined) return parseAuthorizationHeader(header, req);
  if (/(?:^|&)X-Amz-(Algorithm|Credential|Signature)=/.test(req.rawQuery)) return parsePresigned(req);
  if (/(?:^|&)(AWSAccessKeyId|Signature)=/.test(req.rawQuery)) {
    throw new S3Error('InvalidRequest', 'Signature Version 2 is not supported. Please use AWS4-HMAC-SHA256.');
  }
  return undefined;
}

/** S3 refuses a request that carries both an Authorization header and query-string authentication. */
export function assertSingleAuthMechanism(req: SignableRequest): void {
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined && /(?:^|&)(?:X-Amz-Algorithm|X-Amz-Signature|X-Amz-Credential|Signature|AWSAccessKeyId)=/.test(req.rawQuery)) {
    throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', { ArgumentName: 'Authorization', ArgumentValue: header.slice(0, 64) });
  }
}

function parseAuthorizationHeader(header: string, req: SignableRequest): ParsedAuth {
  if (header.startsWith('AWS ')) {
    throw new S3Error('InvalidRequest', 'Signature Version 2 is not supported. Please use AWS4-HMAC-SHA256.');
  }
  if (!header.startsWith(ALGORITHM + ' ')) {
    throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: header.slice(0, 64) });
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const amzDate = headerValue(req.headers, 'x-amz-date') ?? dateHeaderAsAmzDate(headerValue(req.headers, 'date'));
  if (!amzDate) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const token = headerValue(req.headers, 'x-amz-security-token');
  return {
    algorithm: ALGORITHM,
    kind: 'header',
    ...parseCredential(credential, 'AuthorizationHeaderMalformed'),
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature: parseSignatureHex(signature),
    amzDate,
    requestTimeMs: parseAmzDate(amzDate),
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

function parsePresigned(req: SignableRequest): ParsedAuth {
  const query = new Map<string, string>();
  for (const [name, value] of splitQuery(req.rawQuery)) query.set(name, value);
  const fail = (message: string): never => { throw new S3Error('AuthorizationQueryParametersError', message); };
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) fail('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = query.get('X-Amz-Credential') ?? fail('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  const amzDate = query.get('X-Amz-Date') ?? fail('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const signedHeaders = query.get('X-Amz-SignedHeaders') ?? fail('Query-string authentication version 4 requires the X-Amz-SignedHeaders parameter.');
  const signature = query.get('X-Amz-Signature') ?? fail('Query-string authentication version 4 requires the X-Amz-Signature parameter.');
  const expiresText = query.get('X-Amz-Expires') ?? fail('Query-string authentication version 4 requires the X-Amz-Expires parameter.');
  if (!/^\d{1,9}$/.test(expiresText)) fail('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds > limits.presignedExpiresSecondsMax) fail('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  const token = query.get('X-Amz-Security-Token');
  return {
    algorithm: ALGORITHM,
    kind: 'presigned',
    ...parseCredential(credential, 'AuthorizationQueryParametersError'),
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature: parseSignatureHex(signature),
    amzDate,
    requestTimeMs: parseAmzDate(amzDate),
    expiresSeconds,
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

/**
 * The region may be empty: clients configured with `region_name=''` (Ceph's s3-tests IAM and STS clients,
 * and RGW's own tooling) sign with `AKID/DATE//iam/aws4_request`, which RGW accepts; so do we, since the
 * signature still covers the scope exactly as sent.
 */
function parseCredential(credential: string, code: 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError') {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!) || !parts[0] || !parts[3]) {
    throw new S3Error(code, `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  return { accessKeyId: parts[0], scopeDate: parts[1]!, region: parts[2], service: parts[3] };
}

function parseSignedHeaders(value: string): string[] {
  const names = value.split(';').map((n) => n.trim().toLowerCase()).filter(Boolean);
  if (!names.includes('host')) {
    throw new S3Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: 'host' });
  }
  return names;
}

function parseSignatureHex(value: string): string {
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new S3Error('SignatureDoesNotMatch');
  return value.toLowerCase();
}

export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function dateHeaderAsAmzDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : amzDateOf(ms);
}

export function headerValue(headers: SignableRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Splits a raw query into decoded [name, value] pairs ('+' stays '+', as SigV4 canonicalization requires). */
export function splitQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  const out: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([safeDecode(name), safeDecode(value)]);
  }
  return out;
}

function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * SigV4's canonical query: decoded then RFC 3986-encoded names and values, sorted by name then value,
 * `name=` for empty values. With `plusAsSpace` a raw '+' is read as a space, as form encoding and
 * our query parser (URLSearchParams) read it; otherwise it is a literal '+'.
 */
export function canonicalQuery(rawQuery: string, exclude?: string, plusAsSpace = false): string {
  const pairs = splitQuery(plusAsSpace ? rawQuery.replace(/\+/g, '%20') : rawQuery)
    .filter(([name]) => name !== exclude)
    .map(([n, v]) => [uriEncode(n), uriEncode(v)] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export function canonicalRequest(req: SignableRequest, signedHeaders: string[], payloadHash: string, excludeQuery?: string, plusAsSpace = false): string {
  const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(req.headers[name])}\n`).join('');
  return [
    req.method,
    req.rawPath || '/',
    canonicalQuery(req.rawQuery, excludeQuery, plusAsSpace),
    headerLines,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function stringToSign(amzDate: string, scope: string, canonical: string | Buffer): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Derives signing keys and remembers recent ones (one HMAC chain per key, day, region and service). */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly capacity: number = limits.signingKeyCacheEntriesMax) {}

  get(secret: string, scopeDate: string, region: string, service: string): Buffer {
    const id = `${secret}\0${scopeDate}\0${region}\0${service}`;
    const hit = this.entries.get(id);
    if (hit) return hit;
    const key = hmac(hmac(hmac(hmac('AWS4' + secret, scopeDate), region), service), 'aws4_request');
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, key);
    return key;
  }
}

export function signatureHex(signingKey: Buffer, toSign: string): string {
  return createHmac('sha256', signingKey).update(toSign).digest('hex');
}

/**
 * Compares two hex signatures in time independent of where they differ (timingSafeEqual).
 * Only the length can short-circuit, and every SigV4 signature has the same length.
 */
export function constantTimeEqualHex(a: string, b: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/i.test(a) || !/^(?:[0-9a-f]{2})+$/i.test(b)) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface VerifiedSignature {
  signingKey: Buffer;
  scope: string;
  /** The request's own signature: the seed of a chunk-signature chain. */
  seedSignature: string;
}

/**
 * Verifies a parsed signature against the secret. `payloadHash` is what the client declared
 * (x-amz-content-sha256, UNSIGNED-PAYLOAD for presigned URLs, or the body's hash for Query APIs).
 */
export function verifySignature(
  req: SignableRequest,
  auth: ParsedAuth,
  secret: string,
  payloadHash: string,
  keys: SigningKeyCache,
  clock: Clock,
): VerifiedSignature {
  const now = clock.nowMs();
  if (auth.amzDate.slice(0, 8) !== auth.scopeDate) {
    throw new S3Error('SignatureDoesNotMatch', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP', { AWSAccessKeyId: auth.accessKeyId });
  }
  if (auth.kind === 'header') {
    if (Math.abs(now - auth.requestTimeMs) > limits.clockSkewMsMax) {
      throw new S3Error('RequestTimeTooSkewed', undefined, {
        RequestTime: auth.amzDate,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: limits.clockSkewMsMax,
      });
    }
  } else {
    if (auth.requestTimeMs - now > limits.clockSkewMsMax) throw new S3Error('AccessDenied', 'Request is not valid yet');
    if (now > auth.requestTimeMs + (auth.expiresSeconds ?? 0) * 1000) {
      throw new S3Error('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': auth.expiresSeconds,
        Expires: new Date(auth.requestTimeMs + (auth.expiresSeconds ?? 0) * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    }
  }
  for (const name of auth.signedHeaders) {
    if (req.headers[name] === undefined) {
      throw new S3Error('SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided. Signed header ${name} is missing.`, { AWSAccessKeyId: auth.accessKeyId });
    }
  }
  const scope = credentialScope(auth);
  const signingKey = keys.get(secret, auth.scopeDate, auth.region, auth.service);
  const excluded = auth.kind === 'presigned' ? 'X-Amz-Signature' : undefined;
  const canonical = canonicalRequest(req, auth.signedHeaders, payloadHash, excluded);
  const toSign = stringToSign(auth.amzDate, scope, canonical);
  if (constantTimeEqualHex(signatureHex(signingKey, toSign), auth.signature)) return { signingKey, scope, seedSignature: auth.signature };
  // A raw '+' in the query: signers that treat it as a form-encoded space (curl >= 8.1 --aws-sigv4,
  // aws4fetch's signQuery URLs) signed %20, and our query parser (URLSearchParams) also reads a space.
  if (req.rawQuery.includes('+')) {
    const spaced = stringToSign(auth.amzDate, scope, canonicalRequest(req, auth.signedHeaders, payloadHash, excluded, true));
    if (constantTimeEqualHex(signatureHex(signingKey, spaced), auth.signature)) return { signingKey, scope, seedSignature: auth.signature };
  }
  // A header value with bytes beyond ASCII (x-amz-meta-* in UTF-8, as botocore sends it): Node reads header
  // bytes as Latin-1 characters, so the canonical request above hashed each byte re-encoded; AWS hashes the
  // bytes as they came, which the Latin-1 encoding of that string gives back. (Signers that hash a Latin-1
  // value's UTF-8 form, like the JS SDK, matched above.)
  if (/[^\x00-\x7f]/.test(canonical) && !/[^\x00-\xff]/.test(canonical)) {
    const asSent = stringToSign(auth.amzDate, scope, Buffer.from(canonical, 'latin1'));
    if (constantTimeEqualHex(signatureHex(signingKey, asSent), auth.signature)) return { signingKey, scope, seedSignature: auth.signature };
  }
  throw new S3Error('SignatureDoesNotMatch', undefined, {
    AWSAccessKeyId: auth.accessKeyId,
    StringToSign: toSign,
    SignatureProvided: auth.signature,
    StringToSignBytes: hexBytes(toSign),
    CanonicalRequest: canonical,
    CanonicalRequestBytes: hexBytes(canonical),
  });
}

/** "47 45 54 …": the bytes of a string-to-sign as S3 shows them in SignatureDoesNotMatch. */
export function hexBytes(text: string): string {
  return Buffer.from(text).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

/** Verifies the chained signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunks and trailers. */
export class ChunkSignatureChain {
  private previous: string;
  constructor(private readonly verified: VerifiedSignature, private readonly amzDate: string) {
    this.previous = verified.seedSignature;
  }

  verifyChunk(chunkSha256Hex: string, signature: string): void {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', this.amzDate, this.verified.scope, this.previous, EMPTY_SHA256, chunkSha256Hex].join('\n');
    this.check(toSign, signature);
  }

  verifyTrailer(canonicalTrailer: string, signature: string): void {
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', this.amzDate, this.verified.scope, this.previous, sha256Hex(canonicalTrailer)].join('\n');
    this.check(toSign, signature);
  }

  private check(toSign: string, signature: string): void {
    const expected = signatureHex(this.verified.signingKey, toSign);
    if (!/^[0-9a-f]{64}$/i.test(signature) || !constantTimeEqualHex(expected, signature)) {
      throw new S3Error('SignatureDoesNotMatch', 'The chunk signature we calculated does not match the signature you provided.');
    }
    this.previous = expected;
  }
}

/** YYYYMMDDTHHMMSSZ for a time in milliseconds. */
export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Client-side signing (the CLI and tests use it): signs every header given, returns the headers to add. */
export function signRequest(
  req: SignableRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region: string,
  service: string,
  payloadHash: string,
  nowMs: number,
  keys: SigningKeyCache = new SigningKeyCache(4),
): Record<string, string> {
  const amzDate = amzDateOf(nowMs);
  const added: Record<string, string> = { 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const headers: SignableRequest['headers'] = {};
  for (const [name, value] of Object.entries({ ...req.headers, ...added })) if (value !== undefined) headers[name.toLowerCase()] = value;
  const signedHeaders = Object.keys(headers).sort();
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const canonical = canonicalRequest({ ...req, headers }, signedHeaders, payloadHash);
  const key = keys.get(credentials.secretAccessKey, amzDate.slice(0, 8), region, service);
  const signature = signatureHex(key, stringToSign(amzDate, scope, canonical));
  added['authorization'] = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return added;
}

/**
 * Client-side presigning (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html):
 * returns the whole raw query (the request's own parameters first) including X-Amz-Signature.
 * `req.headers` are the headers the URL's user must send; `host` is required and always signed.
 */
export function presignQuery(
  req: SignableRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region: string,
  service: string,
  expiresSeconds: number,
  nowMs: number,
  keys: SigningKeyCache = new SigningKeyCache(4),
): string {
  const amzDate = amzDateOf(nowMs);
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const headers: SignableRequest['headers'] = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = value;
  const signedHeaders = Object.keys(headers).sort();
  const auth: [string, string][] = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresSeconds)],
    ...(credentials.sessionToken ? [['X-Amz-Security-Token', credentials.sessionToken] as [string, string]] : []),
    ['X-Amz-SignedHeaders', signedHeaders.join(';')],
  ];
  const query = [req.rawQuery, ...auth.map(([n, v]) => `${n}=${uriEncode(v)}`)].filter(Boolean).join('&');
  const canonical = canonicalRequest({ ...req, rawQuery: query, headers }, signedHeaders, UNSIGNED_PAYLOAD);
  const key = keys.get(credentials.secretAccessKey, amzDate.slice(0, 8), region, service);
  return `${query}&X-Amz-Signature=${signatureHex(key, stringToSign(amzDate, scope, canonical))}`;
}
