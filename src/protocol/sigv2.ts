// AWS Signature Version 2 for S3: `Authorization: AWS AKID:signature` and presigned `AWSAccessKeyId`/`Expires`/`Signature`.
// Why we still verify it: botocore (aws CLI v1, boto3) presigns S3 URLs with SigV2 unless the user sets
// signature_version = s3v4, in every region that still accepts it (us-east-1 included), so `aws s3 presign`
// and `generate_presigned_url` produce these; s3cmd (signature_v2) and rclone (v2_auth) can sign everything so.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/Appendix-Sigv2.html (RESTAuthentication); S3 only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { Clock } from '../core/clock.js';
import {
  amzDateOf, assertSingleAuthMechanism, headerValue, hexBytes, parseAmzDate, splitQuery,
  type ParsedAuth, type SignableRequest,
} from './sigv4.js';

export const SIGV2_ALGORITHM = 'AWS';

/**
 * Query parameters that belong to the canonicalized resource: AWS's sub-resources and response
 * overrides, plus the later ones botocore's HmacV1Auth also signs (QSAOfInterest).
 */
const signedSubresources = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'lifecycle', 'location',
  'logging', 'metrics', 'notification', 'object-lock', 'partNumber', 'policy', 'replication', 'requestPayment',
  'restore', 'select', 'select-type', 'storageClass', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId',
  'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

const malformedQuery = 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters';

/** True when the request is signed with SigV2 (header `AWS …` or the SigV2 query parameters). */
export function isSigV2(req: SignableRequest): boolean {
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined) return header.startsWith(SIGV2_ALGORITHM + ' ');
  return /(?:^|&)(?:AWSAccessKeyId|Signature)=/.test(req.rawQuery) && !/(?:^|&)X-Amz-(?:Algorithm|Credential|Signature)=/.test(req.rawQuery);
}

/** Parses a SigV2 request (call only when isSigV2). region, scope date and signed headers stay empty. */
export function parseSigV2(req: SignableRequest): ParsedAuth {
  assertSingleAuthMechanism(req);
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined) {
    const m = /^AWS ([^:\s]+):([A-Za-z0-9+/=]+)$/.exec(header.trim());
    if (!m) throw new S3Error('InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature', { ArgumentName: 'Authorization', ArgumentValue: header.slice(0, 64) });
    const requestTimeMs = requestTime(req);
    return v2Auth('header', m[1]!, m[2]!, requestTimeMs, headerValue(req.headers, 'x-amz-security-token'));
  }
  const query = new Map<string, string>();
  for (const [name, value] of splitQuery(req.rawQuery)) if (!query.has(name)) query.set(name, value);
  const accessKeyId = query.get('AWSAccessKeyId');
  const signature = query.get('Signature');
  const expires = query.get('Expires');
  if (!accessKeyId || !signature || expires === undefined) throw new S3Error('AccessDenied', malformedQuery);
  if (!/^\d{1,12}$/.test(expires)) throw new S3Error('AccessDenied', malformedQuery);
  const token = amzQueryParams(req.rawQuery).get('x-amz-security-token') ?? headerValue(req.headers, 'x-amz-security-token');
  return v2Auth('presigned', accessKeyId, signature, Number(expires) * 1000, token);
}

function v2Auth(kind: ParsedAuth['kind'], accessKeyId: string, signature: string, timeMs: number, token: string | undefined): ParsedAuth {
  const amzDate = amzDateOf(timeMs);
  return {
    algorithm: SIGV2_ALGORITHM,
    kind,
    accessKeyId,
    scopeDate: amzDate.slice(0, 8),
    region: '',
    service: 's3',
    signedHeaders: [],
    signature,
    amzDate,
    requestTimeMs: timeMs,
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

/** x-amz-date (RFC 1123, or ISO 8601 basic) wins over Date, as in the string to sign. */
function requestTime(req: SignableRequest): number {
  const value = headerValue(req.headers, 'x-amz-date') ?? headerValue(req.headers, 'date');
  const ms = value === undefined ? NaN : /^\d{8}T\d{6}Z$/.test(value) ? parseAmzDate(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return ms;
}

/** x-amz-* parameters of a presigned query (botocore moves x-amz-* headers there), names lower-cased. */
function amzQueryParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of splitQuery(rawQuery)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !out.has(lower)) out.set(lower, value);
  }
  return out;
}

/**
 * The SigV2 string to sign. `hostBucket` is the bucket named by a virtual-host Host header: the
 * canonicalized resource always starts with /bucket. The path is used as received (still encoded).
 * With x-amz-date the spec's rule is an empty Date line and x-amz-date among the x-amz headers
 * (s3cmd signs so); AWS's own DELETE example instead puts its value on the Date line and drops it
 * from the headers (`xAmzDateOnDateLine`).
 */
export function stringToSignV2(req: SignableRequest, kind: ParsedAuth['kind'], hostBucket: string | undefined, xAmzDateOnDateLine = false, bucketSlash = false): string {
  const query = splitQuery(req.rawQuery);
  const fromQuery = (name: string): string | undefined => (kind === 'presigned' ? query.find(([n]) => n.toLowerCase() === name)?.[1] : undefined);
  const contentMd5 = headerValue(req.headers, 'content-md5') ?? fromQuery('content-md5') ?? '';
  const contentType = headerValue(req.headers, 'content-type') ?? fromQuery('content-type') ?? '';
  const xAmzDate = headerValue(req.headers, 'x-amz-date');
  const date = kind === 'presigned'
    ? (query.find(([n]) => n === 'Expires')?.[1] ?? '')
    : xAmzDate !== undefined ? (xAmzDateOnDateLine ? xAmzDate.trim() : '') : (headerValue(req.headers, 'date') ?? '');

  const amz = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-') || value === undefined) continue;
    if (name === 'x-amz-date' && xAmzDateOnDateLine) continue;
    amz.set(name, (Array.isArray(value) ? value : [value]).map((v) => v.trim()).join(','));
  }
  if (kind === 'presigned') for (const [name, value] of amzQueryParams(req.rawQuery)) if (!amz.has(name)) amz.set(name, value.trim());
  const amzLines = [...amz.keys()].sort().map((name) => `${name}:${amz.get(name)!}\n`).join('');

  const subresources = query
    .filter(([name]) => signedSubresources.has(name))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  // A path-style bucket request ("/bucket") is the resource "/bucket/" to botocore's HmacV1Auth.
  const path = (req.rawPath || '/') + (bucketSlash ? '/' : '');
  const resource = (hostBucket ? `/${hostBucket}${path}` : path) + (subresources.length ? `?${subresources.join('&')}` : '');
  return `${req.method}\n${contentMd5}\n${contentType}\n${date}\n${amzLines}${resource}`;
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function signatureV2(secret: string, toSign: string): string {
  return createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');
}

/** Checks time limits and the signature; throws the S3Error AWS answers. */
export function verifySigV2(req: SignableRequest, auth: ParsedAuth, secret: string, hostBucket: string | undefined, clock: Clock): void {
  const now = clock.nowMs();
  if (auth.kind === 'header') {
    if (Math.abs(now - auth.requestTimeMs) > limits.clockSkewMsMax) {
      throw new S3Error('RequestTimeTooSkewed', undefined, {
        RequestTime: headerValue(req.headers, 'x-amz-date') ?? headerValue(req.headers, 'date'),
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: limits.clockSkewMsMax,
      });
    }
  } else if (now > auth.requestTimeMs) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      Expires: new Date(auth.requestTimeMs).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
  const provided = Buffer.from(auth.signature, 'base64');
  const matches = (toSign: string): boolean => {
    const expected = Buffer.from(signatureV2(secret, toSign), 'base64');
    return provided.length === expected.length && timingSafeEqual(provided, expected);
  };
  const toSign = stringToSignV2(req, auth.kind, hostBucket);
  const alternative = auth.kind === 'header' && headerValue(req.headers, 'x-amz-date') !== undefined;
  // The bucket of a path-style request without its trailing slash: botocore signs "/bucket/" (as the spec's
  // bucket resource) while it sends "/bucket"; other clients sign the path as sent.
  const bucketOnly = hostBucket === undefined && /^\/[^/]+$/.test(req.rawPath);
  const candidates = [false, ...(alternative ? [true] : [])].flatMap((onDateLine) => [
    () => stringToSignV2(req, auth.kind, hostBucket, onDateLine),
    ...(bucketOnly ? [() => stringToSignV2(req, auth.kind, hostBucket, onDateLine, true)] : []),
  ]);
  if (!candidates.some((candidate) => matches(candidate()))) {
    throw new S3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: auth.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: auth.signature,
      StringToSignBytes: hexBytes(toSign),
    });
  }
}
