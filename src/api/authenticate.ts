// Authentication stage: SigV4 (header or presigned), or SigV2 for S3 → verified signature and principal on the context.
import { S3Error } from '../core/errors.js';
import {
  parseAuth, splitQuery, verifySignature, UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER,
  type SignableRequest,
} from '../protocol/sigv4.js';
import { isSigV2, parseSigV2, verifySigV2 } from '../protocol/sigv2.js';
import { anonymousPrincipal } from '../iam/principal.js';
import { header, type RequestContext } from './context.js';

const payloadLiterals = new Set([UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER]);

export function signableRequest(ctx: RequestContext): SignableRequest {
  return { method: ctx.method, rawPath: ctx.rawPath, rawQuery: ctx.rawQuery, headers: ctx.req.headersDistinct };
}

/**
 * The payload hash S3 clients declare in x-amz-content-sha256 (required with SigV4 header auth).
 * Presigned URLs use UNSIGNED-PAYLOAD unless they carry the value: the JS SDK's presigner hoists
 * `X-Amz-Content-Sha256=UNSIGNED-PAYLOAD` into the query.
 */
export function declaredPayloadHash(ctx: RequestContext, presigned: boolean): string | undefined {
  const fromQuery = presigned ? splitQuery(ctx.rawQuery).find(([name]) => name.toLowerCase() === 'x-amz-content-sha256')?.[1] : undefined;
  const value = header(ctx, 'x-amz-content-sha256') ?? fromQuery;
  if (value === undefined) return presigned ? UNSIGNED_PAYLOAD : undefined;
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  if (payloadLiterals.has(value)) return value;
  if (value.startsWith('STREAMING-AWS4-ECDSA')) throw new S3Error('NotImplemented', 'SigV4a (ECDSA) signing is not supported.');
  throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
}

/**
 * Verifies the request's signature and sets ctx.principal. For S3 the payload hash is the
 * declared one (the body is checked against it while streaming); Query and JSON APIs pass
 * the hash of the body they already read.
 */
export async function authenticate(ctx: RequestContext, bodySha256Hex?: string): Promise<void> {
  const signable = signableRequest(ctx);
  if (isSigV2(signable)) return authenticateSigV2(ctx, signable, bodySha256Hex);
  const auth = parseAuth(signable);
  if (!auth) {
    ctx.principal = anonymousPrincipal;
    return;
  }
  const key = await ctx.services.credentials.lookup(auth.accessKeyId);
  let payloadHash = bodySha256Hex;
  if (payloadHash === undefined) {
    payloadHash = declaredPayloadHash(ctx, auth.kind === 'presigned');
    if (payloadHash === undefined) {
      throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    }
  }
  const signature = verifySignature(signable, auth, key.secretAccessKey, payloadHash, ctx.services.signingKeys, ctx.services.clock);
  ctx.auth = auth;
  ctx.signature = signature;
  ctx.principal = ctx.services.credentials.principalFor(key, auth.securityToken);
  if (auth.kind === 'presigned') applyHoistedHeaders(ctx);
}

/** Parameters of a presigned query that are signing inputs, not request headers. */
const notHoisted = /^x-amz-(?:algorithm|credential|date|expires|signedheaders|signature|security-token|content-sha256|decoded-content-length|trailer|checksum-.*|sdk-checksum-algorithm)$/;

/**
 * Presigners move x-amz-* headers into the query (JS v3 hoists every one: x-amz-meta-*, x-amz-acl,
 * x-amz-tagging, x-amz-storage-class …; botocore's SigV2 presigner too) and S3 applies them as if they
 * were headers (https://github.com/aws/aws-sdk-js-v3/issues/4694). They are covered by the verified
 * signature, so they become headers here unless the request sent that header itself. Checksum
 * parameters are left out: S3 ignores them on presigned URLs, and the JS SDK's one is the CRC32 of
 * the empty body it presigned, not of what the URL's user uploads.
 */
function applyHoistedHeaders(ctx: RequestContext): void {
  for (const [name, value] of splitQuery(ctx.rawQuery)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-amz-') || notHoisted.test(lower) || ctx.headers[lower] !== undefined) continue;
    ctx.headers[lower] = value;
  }
}

/** SigV2 exists for S3 only (Query and JSON APIs read their body first and pass its hash). */
async function authenticateSigV2(ctx: RequestContext, signable: SignableRequest, bodySha256Hex: string | undefined): Promise<void> {
  if (ctx.target.service !== 's3' || bodySha256Hex !== undefined) {
    throw new S3Error('InvalidRequest', 'Signature Version 2 is only supported for S3. Please use AWS4-HMAC-SHA256.');
  }
  const auth = parseSigV2(signable);
  const key = await ctx.services.credentials.lookup(auth.accessKeyId);
  verifySigV2(signable, auth, key.secretAccessKey, ctx.target.hostLabel, ctx.services.clock);
  ctx.auth = auth;
  ctx.principal = ctx.services.credentials.principalFor(key, auth.securityToken);
  if (auth.kind === 'presigned') applyHoistedHeaders(ctx);
}
