// PostObject: browser-based uploads with an HTML form (multipart/form-data). The fields before the file
// carry the key, the object's headers and, for signed forms, a policy and its signature; the file (the
// last field) streams into a blob as a PutObject body does, and the version commits as ObjectCreated:Post.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html
import { createHash } from 'node:crypto';
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { algorithmFromHeaderName, createHasher, isValidChecksumValue, parseAlgorithm } from '../../protocol/checksums.js';
import { formBoundary, readFormUntilFile, type ParsedForm } from '../../protocol/multipart-form.js';
import type { PolicyField } from '../../protocol/post-policy.js';
import { childOf, childrenOf, el, parseXml, textOf, xmlDocument } from '../../protocol/xml.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { ChecksumAlgorithm, ObjectVersion, StoredChecksum, Tag } from '../../storage/types.js';
import { header, type ApiResponse, type RequestContext } from '../context.js';
import { authorizeS3, objectFacts } from './authorize-s3.js';
import { objectWriteOwnership } from './acl.js';
import type { BucketAccess } from './bucket-access.js';
import { commitSingleBlobObject, writerInfo } from './blob-write.js';
import {
  checkEncryptionHeaders, readObjectHeaders, readStorageClass, readUserMetadata, validateTags,
} from './object-headers.js';
import { writeResponseHeaders } from './object-put.js';
import { authenticateForm, type FormFields } from './post-form-auth.js';

const fileField = 'file';

/** Fields that become the object's headers (and the condition keys authorization sees), as for PutObject. */
const headerFields = new Set([
  'cache-control', 'content-type', 'content-disposition', 'content-encoding', 'content-language', 'expires',
  'x-amz-storage-class', 'x-amz-website-redirect-location', 'x-amz-server-side-encryption',
]);
const headerFieldPrefixes = ['x-amz-meta-', 'x-amz-grant-', 'x-amz-server-side-encryption-', 'x-amz-checksum-'];

/** Fields whose values are never `${filename}`-expanded: the signed policy and the signatures over it. */
const literalFields = new Set(['policy', 'signature', 'x-amz-signature']);

export async function postObject(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const boundary = formBoundary(header(ctx, 'content-type'));
  if (boundary === undefined) throw new S3Error('PreconditionFailed', undefined, { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
  const form = await readFormUntilFile(incompleteOnAbort(ctx.rawBody()), boundary, {
    fieldsBytesMax: limits.postFormFieldsBytesMax,
    trailerBytesMax: limits.postFormTrailerBytesMax,
    fileFieldName: fileField,
  });
  if (!form.file) throw new S3Error('IncorrectNumberOfFilesInPostRequest', undefined, { ArgumentName: fileField, ArgumentValue: 0 });
  const fields = collectFields(form);
  const key = fields.get('key')?.value ?? '';
  if (key === '') {
    throw new S3Error('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", { ArgumentName: 'key', ArgumentValue: '' });
  }
  if (Buffer.byteLength(key) > limits.keyLengthBytesMax) throw new S3Error('KeyTooLongError', undefined, { MaxSizeAllowed: limits.keyLengthBytesMax });
  const { sizeBytesMin, sizeBytesMax } = await authenticateForm(ctx, fields, access.bucket.name);

  // The form's fields stand in for PutObject's headers from here on: validation, metadata, condition keys.
  const tags = parseTaggingField(fields.get('tagging')?.value);
  const formCtx: RequestContext = { ...ctx, headers: formHeaders(fields, tags) };
  const { bucket } = access;
  const ownership = await objectWriteOwnership(formCtx, bucket);
  checkEncryptionHeaders(formCtx);
  const objectHeaders = readObjectHeaders(formCtx);
  const userMetadata = readUserMetadata(formCtx);
  const storageClass = readStorageClass(formCtx);
  // As for PutObject (handle-s3.ts): s3:PutObject, plus s3:PutObjectTagging with tags.
  // The form creates the object: the bucket's policy and ACL decide, tags included.
  const { context } = await objectFacts(formCtx.services.meta, access, key, undefined, false);
  for (const action of tags.length > 0 ? ['s3:PutObject', 's3:PutObjectTagging'] : ['s3:PutObject']) {
    await authorizeS3(formCtx, access, { action, key, createsObject: true, ...(context ? { context } : {}) });
  }

  const blob = await writeFileToBlob(ctx.services.blobs, form.file.content, {
    sizeBytesMin,
    sizeBytesMax: Math.min(sizeBytesMax, limits.putObjectSizeBytesMax),
    checksum: expectedChecksum(fields),
  });
  const version = await commitSingleBlobObject(ctx, {
    bucket, key, method: 'PostObject', blob,
    details: {
      headers: objectHeaders, userMetadata, tags, storageClass, ownerAccountId: ownership.ownerAccountId, acl: ownership.acl,
      writer: writerInfo(formCtx),
    },
  });
  return postResponse(ctx, access, version, fields);
}

/**
 * Fields by lower-case name (S3 compares names without case). A repeated field's values are joined with
 * commas, as the policy sees them; `${filename}` is replaced by the file's name (its last path segment).
 */
function collectFields(form: ParsedForm): Map<string, PolicyField> {
  const filename = (form.file?.filename ?? '').split(/[/\\]/).pop() ?? '';
  const fields = new Map<string, PolicyField>();
  for (const { name, value } of form.fields) {
    const lower = name.toLowerCase();
    const expanded = literalFields.has(lower) ? value : value.replaceAll('${filename}', filename);
    const earlier = fields.get(lower);
    fields.set(lower, { name, value: earlier ? `${earlier.value},${expanded}` : expanded });
  }
  return fields;
}

/** The fields as the request headers PutObject would have had (acl → x-amz-acl, tagging → x-amz-tagging). */
function formHeaders(fields: FormFields, tags: Tag[]): RequestContext['headers'] {
  const headers: RequestContext['headers'] = {};
  for (const [lower, { value }] of fields) {
    if (headerFields.has(lower) || headerFieldPrefixes.some((prefix) => lower.startsWith(prefix))) headers[lower] = value;
  }
  const acl = fields.get('acl')?.value;
  if (acl !== undefined) headers['x-amz-acl'] = acl;
  if (tags.length > 0) headers['x-amz-tagging'] = new URLSearchParams(tags.map((t): [string, string] => [t.key, t.value])).toString();
  return headers;
}

/** The `tagging` field: a Tagging XML document (not the URL-encoded form of the x-amz-tagging header). */
function parseTaggingField(text: string | undefined): Tag[] {
  if (text === undefined || text.trim() === '') return [];
  const tagSet = childOf(parseXml(text, 'Tagging'), 'TagSet');
  if (!tagSet) throw new S3Error('MalformedXML');
  const tags = childrenOf(tagSet, 'Tag').map((tag) => {
    const key = textOf(tag, 'Key');
    const value = textOf(tag, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
  validateTags(tags, limits.tagsPerObjectMax);
  return tags;
}

interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  /** The value the form gave (x-amz-checksum-ALGORITHM), or undefined to compute one (x-amz-checksum-algorithm). */
  base64?: string;
}

/** At most one x-amz-checksum-* value field, checked as PutObject checks the header. */
function expectedChecksum(fields: FormFields): ExpectedChecksum | undefined {
  const found: ExpectedChecksum[] = [];
  for (const [lower, { value }] of fields) {
    if (!lower.startsWith('x-amz-checksum-') || lower === 'x-amz-checksum-algorithm' || lower === 'x-amz-checksum-type') continue;
    const algorithm = algorithmFromHeaderName(lower);
    if (!algorithm) throw new S3Error('InvalidRequest', `The field ${lower} is not a supported checksum.`);
    if (!isValidChecksumValue(algorithm, value)) throw new S3Error('InvalidRequest', `Value for ${lower} header is invalid.`);
    found.push({ algorithm, base64: value });
  }
  if (found.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  if (found.length === 1) return found[0];
  const named = fields.get('x-amz-checksum-algorithm')?.value;
  if (named === undefined) return undefined;
  const algorithm = parseAlgorithm(named);
  if (!algorithm) throw new S3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  return { algorithm };
}

interface WrittenFile {
  blobId: string;
  sizeBytes: number;
  md5: Buffer;
  checksum?: StoredChecksum;
}

/**
 * Streams the file into a new blob with PutObject's checks: the MD5 (the ETag), a checksum verified
 * against the form's value (BadDigest), and the size range (EntityTooLarge as soon as it is exceeded,
 * EntityTooSmall at the end). The blob is discarded on any failure.
 */
async function writeFileToBlob(blobs: BlobStore, content: AsyncIterable<Buffer>, options: { sizeBytesMin: number; sizeBytesMax: number; checksum: ExpectedChecksum | undefined }): Promise<WrittenFile> {
  const writer = await blobs.create();
  try {
    const md5 = createHash('md5');
    const hasher = options.checksum ? createHasher(options.checksum.algorithm) : undefined;
    let sizeBytes = 0;
    for await (const chunk of content) {
      sizeBytes += chunk.length;
      if (sizeBytes > options.sizeBytesMax) throw new S3Error('EntityTooLarge', undefined, { MaxSizeAllowed: options.sizeBytesMax });
      md5.update(chunk);
      hasher?.update(chunk);
      await writer.write(chunk);
    }
    if (sizeBytes < options.sizeBytesMin) throw new S3Error('EntityTooSmall', undefined, { ProposedSize: sizeBytes, MinSizeAllowed: options.sizeBytesMin });
    let checksum: StoredChecksum | undefined;
    if (options.checksum && hasher) {
      const value = hasher.digest().toString('base64');
      if (options.checksum.base64 !== undefined && options.checksum.base64 !== value) {
        throw new S3Error('BadDigest', `The ${options.checksum.algorithm} you specified did not match the calculated checksum.`);
      }
      checksum = { algorithm: options.checksum.algorithm, value, type: 'FULL_OBJECT' };
    }
    const finished = await writer.finish();
    return { blobId: finished.blobId, sizeBytes: finished.sizeBytes, md5: md5.digest(), ...(checksum ? { checksum } : {}) };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * success_action_redirect (or the older redirect): 303 to it with bucket, key and etag added to its query
 * (ignored when it is not an absolute http(s) URL). Otherwise success_action_status: 201 with a PostResponse
 * document, 200 empty, anything else 204 empty.
 */
function postResponse(ctx: RequestContext, access: BucketAccess, version: ObjectVersion, fields: FormFields): ApiResponse {
  const headers: ApiResponse['headers'] = { ...writeResponseHeaders(version, access.bucket), location: objectUrl(ctx, access, version.key) };
  const redirect = fields.get('success_action_redirect')?.value ?? fields.get('redirect')?.value;
  if (redirect !== undefined && isHttpUrl(redirect)) {
    const query = new URLSearchParams({ bucket: access.addressedAs, key: version.key, etag: `"${version.etag}"` }).toString().replaceAll('+', '%20');
    return { status: 303, headers: { ...headers, location: withQuery(redirect, query) } };
  }
  const status = fields.get('success_action_status')?.value;
  if (status === '201') {
    const body = el('Location', headers['location'] as string) + el('Bucket', access.addressedAs) + el('Key', version.key) + el('ETag', `"${version.etag}"`);
    return { status: 201, headers: { ...headers, 'content-type': 'application/xml' }, body: xmlDocument('PostResponse', body, '') };
  }
  return { status: status === '200' ? 200 : 204, headers };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Adds `query` to a URL as written (not re-serialised), before any fragment. */
function withQuery(url: string, query: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${separator}${query}${hash < 0 ? '' : url.slice(hash)}`;
}

/** The new object's URL, addressed as the form was (virtual-host or path style). */
function objectUrl(ctx: RequestContext, access: BucketAccess, key: string): string {
  const scheme = ctx.secure ? 'https' : 'http';
  const host = header(ctx, 'host') ?? 'localhost';
  const path = key.split('/').map(encodeURIComponent).join('/');
  return ctx.target.hostLabel !== undefined ? `${scheme}://${host}/${path}` : `${scheme}://${host}/${encodeURIComponent(access.addressedAs)}/${path}`;
}

/** A client that disconnects mid-form makes Node throw 'aborted': that is an incomplete body. */
async function* incompleteOnAbort(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) yield chunk;
  } catch (error) {
    if (error instanceof S3Error) throw error;
    throw new S3Error('IncompleteBody');
  }
}
