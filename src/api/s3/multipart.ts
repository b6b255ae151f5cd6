// CreateMultipartUpload, CompleteMultipartUpload, AbortMultipartUpload: S3's limits, md5-of-md5s ETags,
// COMPOSITE and FULL_OBJECT checksums. Complete joins part extents in metadata; no bytes are rewritten.
// A repeated Complete of an upload that already completed gets the first answer again (as on AWS, see
// https://github.com/minio/minio/issues/13318 and https://github.com/adobe/S3Mock/issues/2586).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
import { createHash } from 'node:crypto';
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { newUploadId } from '../../core/ids.js';
import { checksumHeaderName, combineCrc, compositeChecksum, parseAlgorithm } from '../../protocol/checksums.js';
import { childrenOf, el, parseXml, textOf, xmlDocument, type XmlNode } from '../../protocol/xml.js';
import type { ChecksumAlgorithm, ChecksumType, CompletedUpload, MultipartUpload, StoredChecksum, UploadPart } from '../../storage/types.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { objectWriteOwnership } from './acl.js';
import type { BucketAccess } from './bucket-access.js';
import { writerInfo } from './blob-write.js';
import { readWriteConditions, writeConditionName } from './conditions.js';
import {
  checkEncryptionHeaders, parseTaggingHeader, readObjectHeaders, readStorageClass, readUserMetadata, unquoteEtag,
} from './object-headers.js';
import { readSmallBody } from './payload.js';
import { storeCall } from './store-errors.js';

export async function loadUpload(ctx: RequestContext, access: BucketAccess, key: string): Promise<MultipartUpload> {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = uploadId ? await ctx.services.meta.getUpload(access.bucket.name, key, uploadId) : undefined;
  if (!upload) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

function readUploadChecksum(ctx: RequestContext): { algorithm?: ChecksumAlgorithm; type?: ChecksumType } {
  const algorithmText = header(ctx, 'x-amz-checksum-algorithm');
  const typeText = header(ctx, 'x-amz-checksum-type')?.toUpperCase();
  if (algorithmText === undefined) {
    if (typeText !== undefined) throw new S3Error('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return {};
  }
  const algorithm = parseAlgorithm(algorithmText);
  if (!algorithm) throw new S3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  if (typeText !== undefined && typeText !== 'COMPOSITE' && typeText !== 'FULL_OBJECT') throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  const type: ChecksumType = (typeText as ChecksumType | undefined) ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) throw new S3Error('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') throw new S3Error('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  return { algorithm, type };
}

export async function createMultipartUpload(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const { bucket } = access;
  const ownership = await objectWriteOwnership(ctx, bucket);
  checkEncryptionHeaders(ctx);
  const { algorithm, type } = readUploadChecksum(ctx);
  const upload: MultipartUpload = {
    uploadId: newUploadId(),
    bucket: bucket.name,
    key,
    initiatedMs: ctx.services.clock.nowMs(),
    headers: readObjectHeaders(ctx),
    userMetadata: readUserMetadata(ctx),
    tags: parseTaggingHeader(header(ctx, 'x-amz-tagging')),
    storageClass: readStorageClass(ctx),
    checksumAlgorithm: algorithm,
    checksumType: type,
    ownerAccountId: ownership.ownerAccountId,
    ...(ownership.acl ? { acl: ownership.acl } : {}),
    initiator: writerInfo(ctx),
  };
  await storeCall(ctx.services.meta.createUpload(upload), { bucket: bucket.name, key });
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (algorithm) {
    headers['x-amz-checksum-algorithm'] = algorithm;
    headers['x-amz-checksum-type'] = type!;
  }
  return xmlResponse(xmlDocument('InitiateMultipartUploadResult', el('Bucket', access.addressedAs) + el('Key', key) + el('UploadId', upload.uploadId)), 200, headers);
}

interface RequestedPart {
  partNumber: number;
  etag: string;
  checksum?: string;
}

/** The part list; an x-amz-checksum-* header on Complete is the object's checksum, not the XML's. */
async function readCompleteBody(ctx: RequestContext): Promise<XmlNode> {
  const text = (await readSmallBody(ctx, limits.xmlBodyBytesMax, { checksumHeadersDescribeObject: true })).toString('utf8');
  // AWS answers an empty Complete body with MalformedXML, not MissingRequestBodyError.
  if (text.trim() === '') throw new S3Error('MalformedXML');
  return parseXml(text, 'CompleteMultipartUpload');
}

function parseCompleteBody(body: XmlNode, algorithm: ChecksumAlgorithm | undefined): RequestedPart[] {
  const parts = childrenOf(body, 'Part');
  if (parts.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  if (parts.length > limits.partNumberMax) throw new S3Error('MalformedXML');
  const out: RequestedPart[] = [];
  for (const part of parts) {
    const numberText = textOf(part, 'PartNumber')?.trim() ?? '';
    const etag = textOf(part, 'ETag');
    if (!/^\d{1,5}$/.test(numberText) || etag === undefined) throw new S3Error('MalformedXML');
    const partNumber = Number(numberText);
    if (partNumber < 1 || partNumber > limits.partNumberMax) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: numberText });
    const checksum = algorithm ? textOf(part, `Checksum${algorithm}`) : undefined;
    out.push({ partNumber, etag: unquoteEtag(etag), ...(checksum !== undefined ? { checksum } : {}) });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.partNumber <= out[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder', undefined, { UploadId: undefined });
  }
  return out;
}

function validateParts(requested: RequestedPart[], stored: UploadPart[]): void {
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  requested.forEach((want, index) => {
    const part = byNumber.get(want.partNumber);
    if (!part || part.etag !== want.etag) throw new S3Error('InvalidPart', undefined, { PartNumber: want.partNumber, ETag: want.etag });
    if (want.checksum !== undefined && part.checksum !== undefined && want.checksum !== part.checksum) {
      throw new S3Error('InvalidPart', `The checksum of part ${want.partNumber} did not match the checksum the part was uploaded with.`, { PartNumber: want.partNumber });
    }
    if (index < requested.length - 1 && part.sizeBytes < limits.partSizeBytesMin) {
      throw new S3Error('EntityTooSmall', undefined, { ProposedSize: part.sizeBytes, MinSizeAllowed: limits.partSizeBytesMin, PartNumber: want.partNumber, ETag: want.etag });
    }
  });
}

function multipartEtag(parts: UploadPart[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag, 'hex'));
  return `${md5.digest('hex')}-${parts.length}`;
}

/** The object's checksum from its parts' checksums, or undefined when a part has none. */
function objectChecksum(upload: MultipartUpload, parts: UploadPart[]): StoredChecksum | undefined {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm || parts.some((p) => p.checksum === undefined)) return undefined;
  const digests = parts.map((p) => Buffer.from(p.checksum!, 'base64'));
  if (upload.checksumType === 'FULL_OBJECT' && algorithm !== 'SHA1' && algorithm !== 'SHA256') {
    const digest = combineCrc(algorithm, parts.map((p, i) => ({ digest: digests[i]!, lengthBytes: p.sizeBytes })));
    return { algorithm, value: digest.toString('base64'), type: 'FULL_OBJECT' };
  }
  return { algorithm, value: compositeChecksum(algorithm, digests), type: 'COMPOSITE' };
}

export async function completeMultipartUpload(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = uploadId ? await ctx.services.meta.getUpload(access.bucket.name, key, uploadId) : undefined;
  if (!upload) return repeatedComplete(ctx, access, key, uploadId);
  const requested = parseCompleteBody(await readCompleteBody(ctx), upload.checksumAlgorithm);
  const parts = await ctx.services.meta.getParts(upload.uploadId, requested.map((p) => p.partNumber));
  validateParts(requested, parts);
  const sizeBytes = parts.reduce((sum, p) => sum + p.sizeBytes, 0);
  const expectedSize = header(ctx, 'x-amz-mp-object-size');
  if (expectedSize !== undefined && Number(expectedSize) !== sizeBytes) {
    throw new S3Error('InvalidRequest', `The provided 'x-amz-mp-object-size' header value ${expectedSize} does not match what was computed: ${sizeBytes}`);
  }
  const conditions = await readWriteConditions(ctx, access.bucket.name, key);
  const checksum = objectChecksum(upload, parts);
  if (checksum && upload.checksumAlgorithm) {
    const sent = header(ctx, checksumHeaderName(upload.checksumAlgorithm));
    if (sent !== undefined && sent !== checksum.value && sent !== checksum.value.replace(/-\d+$/, '')) {
      throw new S3Error('BadDigest', `The ${upload.checksumAlgorithm} you specified did not match the calculated checksum.`);
    }
  }
  const completing = storeCall(ctx.services.meta.completeUpload({
    uploadId: upload.uploadId,
    partNumbers: requested.map((p) => p.partNumber),
    partsDigest: partsDigest(requested),
    conditions,
    version: {
      bucket: access.bucket.name,
      key,
      sizeBytes,
      etag: multipartEtag(parts),
      lastModifiedMs: ctx.services.clock.nowMs(),
      headers: upload.headers,
      userMetadata: upload.userMetadata,
      tags: upload.tags,
      checksum,
      extents: parts.flatMap((p) => p.extents),
      partSizes: parts.map((p) => p.sizeBytes),
      partChecksums: checksum ? parts.map((p) => p.checksum ?? '') : undefined,
      storageClass: upload.storageClass,
      // Owner and ACL were decided when the upload was created (Object Ownership, x-amz-acl then).
      ownerAccountId: upload.ownerAccountId,
      acl: upload.acl,
      writer: writerInfo(ctx),
      method: 'CompleteMultipartUpload',
    },
  }), { bucket: access.bucket.name, key, uploadId: upload.uploadId, condition: writeConditionName(conditions) });
  const version = await completing.catch((error: unknown) => {
    if (error instanceof S3Error && error.code === 'NoSuchUpload') return undefined;
    throw error;
  });
  // Another request completed this upload since it was read: answer as its repeat.
  if (!version) return answerRepeat(ctx, access, key, upload.uploadId, requested);
  const versionId = access.bucket.versioning === 'Enabled' ? version.versionId : undefined;
  return completeResult(access, key, { etag: version.etag, checksum: version.checksum, versionId });
}

/**
 * Complete for an upload that no longer exists: when it completed less than limits.completedUploadRetentionMs
 * ago and the request lists the same parts, AWS answers as it did the first time; otherwise NoSuchUpload.
 */
async function repeatedComplete(ctx: RequestContext, access: BucketAccess, key: string, uploadId: string): Promise<ApiResponse> {
  const completed = uploadId ? await ctx.services.meta.getCompletedUpload(access.bucket.name, key, uploadId) : undefined;
  if (!completed) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  const requested = parseCompleteBody(await readCompleteBody(ctx), completed.checksum?.algorithm);
  return answerRepeat(ctx, access, key, uploadId, requested, completed);
}

async function answerRepeat(ctx: RequestContext, access: BucketAccess, key: string, uploadId: string, requested: RequestedPart[], known?: CompletedUpload): Promise<ApiResponse> {
  const completed = known ?? await ctx.services.meta.getCompletedUpload(access.bucket.name, key, uploadId);
  const fresh = completed !== undefined && ctx.services.clock.nowMs() - completed.completedMs <= limits.completedUploadRetentionMs;
  if (!fresh || completed.partsDigest !== partsDigest(requested)) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return completeResult(access, key, {
    etag: completed.etag,
    checksum: completed.checksum,
    versionId: completed.versionIdReported ? completed.versionId : undefined,
  });
}

/** Identifies a Complete request's part list (numbers and ETags), so that a repeat can be recognised. */
function partsDigest(requested: readonly RequestedPart[]): string {
  const hash = createHash('sha256');
  for (const part of requested) hash.update(`${part.partNumber}:${part.etag}\n`);
  return hash.digest('hex');
}

/** The CompleteMultipartUploadResult: the same for the first Complete and its repeats. */
function completeResult(access: BucketAccess, key: string, result: { etag: string; checksum?: StoredChecksum | undefined; versionId?: string | undefined }): ApiResponse {
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (result.versionId !== undefined) headers['x-amz-version-id'] = result.versionId;
  if (result.checksum) {
    headers[checksumHeaderName(result.checksum.algorithm)] = result.checksum.value;
    headers['x-amz-checksum-type'] = result.checksum.type;
  }
  const checksumXml = result.checksum ? el(`Checksum${result.checksum.algorithm}`, result.checksum.value) + el('ChecksumType', result.checksum.type) : '';
  const location = `/${encodeURIComponent(access.addressedAs)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const body = el('Location', location) + el('Bucket', access.addressedAs) + el('Key', key) + el('ETag', `"${result.etag}"`) + checksumXml;
  return xmlResponse(xmlDocument('CompleteMultipartUploadResult', body), 200, headers);
}

export async function abortMultipartUpload(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const upload = await loadUpload(ctx, access, key);
  await storeCall(ctx.services.meta.abortUpload(access.bucket.name, key, upload.uploadId), { uploadId: upload.uploadId });
  return emptyResponse(204);
}
