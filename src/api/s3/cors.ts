// CORS: PutBucketCors, GetBucketCors, DeleteBucketCors, the unauthenticated OPTIONS preflight on buckets and
// objects, and the Access-Control-* headers S3 adds to an actual request that carries an Origin.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { childrenOf, el, parseXml, textOf, wrap, xmlDocument, type XmlNode } from '../../protocol/xml.js';
import type { CorsConfiguration, CorsRule } from '../../storage/types.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { readSmallBody } from './payload.js';

const corsMethods = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

/** What S3 varies a CORS answer on, sent with every answer a rule decided. */
const varyHeader = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

export function getBucketCors(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const cors = access.bucket.cors;
  if (!cors) throw new S3Error('NoSuchCORSConfiguration', undefined, { BucketName: access.bucket.name });
  return xmlResponse(xmlDocument('CORSConfiguration', cors.rules.map(ruleXml).join('')));
}

function ruleXml(rule: CorsRule): string {
  const list = (name: string, values: string[]) => values.map((v) => el(name, v)).join('');
  return wrap('CORSRule',
    (rule.id !== undefined ? el('ID', rule.id) : '') + list('AllowedHeader', rule.allowedHeaders) + list('AllowedMethod', rule.allowedMethods) +
    list('AllowedOrigin', rule.allowedOrigins) + list('ExposeHeader', rule.exposeHeaders) +
    (rule.maxAgeSeconds !== undefined ? el('MaxAgeSeconds', rule.maxAgeSeconds) : ''));
}

export async function putBucketCors(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  // PutBucketCors requires an integrity header (the SDKs send Content-MD5 or a flexible checksum), as DeleteObjects does.
  if (header(ctx, 'content-md5') === undefined && !Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm')) {
    throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
  const text = (await readSmallBody(ctx, limits.corsConfigurationBytesMax)).toString('utf8');
  if (text.trim() === '') throw new S3Error('MissingRequestBodyError');
  const cors = parseCorsConfiguration(parseXml(text, 'CORSConfiguration'));
  await ctx.services.meta.updateBucket(access.bucket.name, { cors });
  return emptyResponse(200);
}

export async function deleteBucketCors(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { deleteCors: true });
  return emptyResponse(204);
}

/** A CORSConfiguration document, validated as S3 validates it (limits: core/limits.ts). */
export function parseCorsConfiguration(document: XmlNode): CorsConfiguration {
  const rules = childrenOf(document, 'CORSRule');
  if (rules.length === 0 || rules.length > limits.corsRulesMax) throw new S3Error('MalformedXML');
  return { rules: rules.map(parseRule) };
}

function texts(node: XmlNode, name: string): string[] {
  return childrenOf(node, name).map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '').trim());
}

function parseRule(node: XmlNode): CorsRule {
  const allowedMethods = texts(node, 'AllowedMethod');
  const allowedOrigins = texts(node, 'AllowedOrigin');
  if (allowedMethods.length === 0 || allowedOrigins.length === 0) throw new S3Error('MalformedXML');
  for (const method of allowedMethods) {
    if (!corsMethods.has(method)) throw new S3Error('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
  }
  for (const origin of allowedOrigins) {
    if (wildcards(origin) > 1) throw new S3Error('InvalidRequest', `AllowedOrigin "${origin}" can not have more than one wildcard.`);
  }
  const allowedHeaders = texts(node, 'AllowedHeader');
  for (const name of allowedHeaders) {
    if (wildcards(name) > 1) throw new S3Error('InvalidRequest', `AllowedHeader "${name}" can not have more than one wildcard.`);
  }
  const id = textOf(node, 'ID');
  if (id !== undefined && id.length > limits.corsRuleIdLengthMax) throw new S3Error('InvalidArgument', `The ID of a CORS rule can be at most ${limits.corsRuleIdLengthMax} characters long.`, { ArgumentName: 'ID', ArgumentValue: id });
  const maxAgeText = textOf(node, 'MaxAgeSeconds')?.trim();
  if (maxAgeText !== undefined && !/^\d{1,10}$/.test(maxAgeText)) throw new S3Error('MalformedXML');
  return {
    ...(id !== undefined ? { id } : {}),
    allowedOrigins, allowedMethods, allowedHeaders,
    exposeHeaders: texts(node, 'ExposeHeader'),
    ...(maxAgeText !== undefined ? { maxAgeSeconds: Number(maxAgeText) } : {}),
  };
}

function wildcards(text: string): number {
  return text.split('*').length - 1;
}

/** An AllowedOrigin or AllowedHeader with at most one `*`, which matches any run of characters. */
function wildcardMatches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

/** The first rule that allows the origin, the method and every requested header (S3 uses the first match). */
function matchRule(cors: CorsConfiguration, origin: string, method: string, requestHeaders: string[]): { rule: CorsRule; origin: string } | undefined {
  for (const rule of cors.rules) {
    const allowedOrigin = rule.allowedOrigins.find((pattern) => wildcardMatches(pattern, origin));
    if (allowedOrigin === undefined || !rule.allowedMethods.includes(method)) continue;
    // Header names compare without case.
    const allowed = rule.allowedHeaders.map((h) => h.toLowerCase());
    if (!requestHeaders.every((name) => allowed.some((pattern) => wildcardMatches(pattern, name)))) continue;
    return { rule, origin: allowedOrigin === '*' ? '*' : origin };
  }
  return undefined;
}

function ruleHeaders(match: { rule: CorsRule; origin: string }): Record<string, string> {
  const { rule, origin } = match;
  const out: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: varyHeader,
  };
  // A specific origin may send credentials; "*" may not (Fetch standard), so S3 says so only then.
  if (origin !== '*') out['access-control-allow-credentials'] = 'true';
  if (rule.exposeHeaders.length > 0) out['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.maxAgeSeconds);
  return out;
}

function requestedHeaders(ctx: RequestContext): string[] {
  return (header(ctx, 'access-control-request-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}

function corsError(code: 'AccessForbidden', message: string | undefined, method: string, key: string | undefined): S3Error {
  return new S3Error(code, message, { Method: method, ResourceType: key === undefined ? 'BUCKET' : 'OBJECT' });
}

/**
 * OPTIONS (a browser's preflight), answered without authentication: 400 without an Origin or a valid
 * Access-Control-Request-Method, 403 AccessForbidden when the bucket has no CORS configuration or no rule
 * allows the origin, method and headers, else 200 with the rule's Access-Control-* headers.
 */
export function preflight(ctx: RequestContext, access: BucketAccess | undefined, key: string | undefined): ApiResponse {
  const origin = header(ctx, 'origin');
  if (origin === undefined) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  const method = header(ctx, 'access-control-request-method');
  if (method === undefined || !corsMethods.has(method)) throw new S3Error('BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
  const bucket = access?.bucket;
  if (!bucket) throw corsError('AccessForbidden', 'CORSResponse: Bucket not found', method, key);
  if (!bucket.cors) throw corsError('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', method, key);
  const headers = requestedHeaders(ctx);
  const match = matchRule(bucket.cors, origin, method, headers);
  if (!match) throw corsError('AccessForbidden', undefined, method, key);
  const out: Record<string, string> = ruleHeaders(match);
  if (headers.length > 0) out['access-control-allow-headers'] = headers.join(', ');
  return emptyResponse(200, out);
}

/**
 * The Access-Control-* headers for an actual (non-preflight) request with an Origin, whatever its outcome:
 * the first rule allowing the origin and the method (Access-Control-Request-Method when the request names
 * one, as Ceph's s3-tests expect of S3, else the request's own method). Empty when nothing matches.
 */
export function actualRequestCorsHeaders(ctx: RequestContext, cors: CorsConfiguration | undefined): Record<string, string> {
  const origin = header(ctx, 'origin');
  if (origin === undefined || cors === undefined) return {};
  const method = header(ctx, 'access-control-request-method') ?? ctx.method.toUpperCase();
  const match = matchRule(cors, origin, method, []);
  return match ? ruleHeaders(match) : {};
}
