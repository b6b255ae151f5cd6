// Object metadata headers in both directions: request → stored headers/metadata/tags, version → response headers.
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { httpDate } from '../../core/clock.js';
import type { ObjectHeaders, ObjectVersion, Tag } from '../../storage/types.js';
import { header, type RequestContext } from '../context.js';
import type { BucketRecord } from '../../storage/types.js';

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const storageClasses = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE']);

export function readObjectHeaders(ctx: RequestContext): ObjectHeaders {
  const headers: ObjectHeaders = { contentType: header(ctx, 'content-type') ?? DEFAULT_CONTENT_TYPE };
  const encoding = (header(ctx, 'content-encoding') ?? '')
    .split(',').map((e) => e.trim()).filter((e) => e && e.toLowerCase() !== 'aws-chunked').join(', ');
  if (encoding) headers.contentEncoding = encoding;
  const optional: [keyof ObjectHeaders, string][] = [
    ['contentDisposition', 'content-disposition'], ['contentLanguage', 'content-language'],
    ['cacheControl', 'cache-control'], ['expires', 'expires'], ['websiteRedirectLocation', 'x-amz-website-redirect-location'],
  ];
  for (const [field, name] of optional) {
    const value = header(ctx, name);
    if (value !== undefined) headers[field] = value;
  }
  return headers;
}

export function readUserMetadata(ctx: RequestContext): Record<string, string> {
  const metadata: Record<string, string> = {};
  let sizeBytes = 0;
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    const text = utf8HeaderText(Array.isArray(value) ? value.join(',') : value);
    metadata[key] = text;
    sizeBytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (sizeBytes > limits.userMetadataBytesMax) throw new S3Error('MetadataTooLarge', undefined, { MaxSizeAllowed: limits.userMetadataBytesMax });
  return metadata;
}

/**
 * A header value as text: Node reads header bytes as Latin-1 characters, so a UTF-8 value (what botocore
 * sends for non-ASCII metadata) arrives as its bytes; decode those when they are valid UTF-8. A value that
 * is not (a Latin-1 byte such as Node's own clients send for é) stays as read.
 */
export function utf8HeaderText(value: string): string {
  if (!/[^\x00-\x7f]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}

export function readStorageClass(ctx: RequestContext): string {
  const value = header(ctx, 'x-amz-storage-class') ?? 'STANDARD';
  if (!storageClasses.has(value)) throw new S3Error('InvalidStorageClass', undefined, { StorageClassRequested: value });
  return value;
}

/** Server-side encryption requested on a write: SSE-S3 (AES256) is what we do; other kinds are refused. */
export function checkEncryptionHeaders(ctx: RequestContext): void {
  const sse = header(ctx, 'x-amz-server-side-encryption');
  const customer = header(ctx, 'x-amz-server-side-encryption-customer-algorithm');
  const kmsKey = header(ctx, 'x-amz-server-side-encryption-aws-kms-key-id');
  // Conflicting requests are refused before anything we do not implement, as AWS validates them first.
  if (sse !== undefined && customer !== undefined) {
    throw new S3Error('InvalidArgument', 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: sse });
  }
  if (kmsKey !== undefined && sse !== 'aws:kms' && sse !== 'aws:kms:dsse') {
    throw new S3Error('InvalidArgument', 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', { ArgumentName: 'x-amz-server-side-encryption-aws-kms-key-id', ArgumentValue: kmsKey });
  }
  if (sse !== undefined && sse !== 'AES256') {
    if (sse === 'aws:kms' || sse === 'aws:kms:dsse') throw new S3Error('NotImplemented', 'SSE-KMS is not supported; s3push encrypts every object with SSE-S3 (AES256).');
    throw new S3Error('InvalidArgument', 'The encryption method specified is not supported', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: sse });
  }
  if (customer !== undefined) throw new S3Error('NotImplemented', 'SSE-C is not supported; s3push encrypts every object with SSE-S3 (AES256).');
}

/** GET and HEAD must not carry x-amz-server-side-encryption (AWS: 400 for SSE-S3 and SSE-KMS objects). */
export function checkNoEncryptionHeaderOnRead(ctx: RequestContext): void {
  const sse = header(ctx, 'x-amz-server-side-encryption');
  if (sse !== undefined) {
    throw new S3Error('InvalidArgument', 'The x-amz-server-side-encryption header is not supported for this operation.', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: sse });
  }
}

/** x-amz-tagging: URL-encoded `k1=v1&k2=v2`. */
export function parseTaggingHeader(value: string | undefined): Tag[] {
  if (value === undefined || value === '') return [];
  const tags: Tag[] = [];
  for (const [key, tagValue] of new URLSearchParams(value)) tags.push({ key, value: tagValue });
  validateTags(tags, limits.tagsPerObjectMax);
  return tags;
}

/** Characters AWS allows in tag keys and values: letters (with their marks), digits, white space and + - = . _ : / @. */
export const tagCharacters = /^[\p{L}\p{M}\p{N}\p{Z}\s_.:/=+\-@]*$/u;

/** Object tags as S3 validates them (x-amz-tagging and PutObjectTagging). */
export function validateTags(tags: Tag[], countMax: number): void {
  if (tags.length > countMax) throw new S3Error('BadRequest', `Object tags cannot be greater than ${countMax}`);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: tag.key });
    seen.add(tag.key);
    if (tag.key.length === 0 || [...tag.key].length > limits.tagKeyLengthMax || !tagCharacters.test(tag.key)) throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: tag.key });
    if ([...tag.value].length > limits.tagValueLengthMax || !tagCharacters.test(tag.value)) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid', { TagKey: tag.key, TagValue: tag.value });
    if (tag.key.toLowerCase().startsWith('aws:')) throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:', { TagKey: tag.key });
  }
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

/** Strips quotes (and a weak W/ prefix) from an ETag given in a header. */
export function unquoteEtag(value: string): string {
  const v = value.trim().replace(/^W\//, '');
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
}

/** The headers GET and HEAD return for a version (without range- or checksum-specific ones). */
export function objectResponseHeaders(version: ObjectVersion, bucket: BucketRecord): Record<string, string | number> {
  const h = version.headers;
  const out: Record<string, string | number> = {
    'content-type': h.contentType ?? DEFAULT_CONTENT_TYPE,
    etag: quoteEtag(version.etag),
    'last-modified': httpDate(version.lastModifiedMs),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
  if (h.contentEncoding) out['content-encoding'] = h.contentEncoding;
  if (h.contentDisposition) out['content-disposition'] = h.contentDisposition;
  if (h.contentLanguage) out['content-language'] = h.contentLanguage;
  if (h.cacheControl) out['cache-control'] = h.cacheControl;
  if (h.expires) out['expires'] = h.expires;
  if (h.websiteRedirectLocation) out['x-amz-website-redirect-location'] = h.websiteRedirectLocation;
  if (version.storageClass !== 'STANDARD') out['x-amz-storage-class'] = version.storageClass;
  if (bucket.versioning !== 'Unversioned' || version.versionId !== 'null') out['x-amz-version-id'] = version.versionId;
  if (version.tags.length > 0) out['x-amz-tagging-count'] = version.tags.length;
  for (const [name, value] of Object.entries(version.userMetadata)) out['x-amz-meta-' + name] = encodeHeaderValue(value);
  return out;
}

/** Node refuses non-Latin-1 header values; S3 sends such metadata RFC 2047-encoded. */
function encodeHeaderValue(value: string): string {
  return /^[\x20-\x7e\t]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=`;
}

/** response-* query overrides on GET (signed requests only). */
export function responseOverrides(ctx: RequestContext): Record<string, string> {
  const names: [string, string][] = [
    ['response-content-type', 'content-type'], ['response-content-language', 'content-language'],
    ['response-expires', 'expires'], ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'], ['response-content-encoding', 'content-encoding'],
  ];
  const out: Record<string, string> = {};
  for (const [param, headerName] of names) {
    const value = ctx.query.get(param);
    if (value === null) continue;
    if (ctx.principal.kind === 'Anonymous') throw new S3Error('InvalidRequest', 'Request specific response headers cannot be used for anonymous GET requests.');
    out[headerName] = value;
  }
  return out;
}
