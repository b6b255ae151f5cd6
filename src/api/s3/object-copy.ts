// CopyObject: a new version that references the source's extents (no bytes copied, so 1 KB and 5 GiB cost
// the same), with metadata and tagging directives, conditions and S3's response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { isoTime } from '../../core/clock.js';
import { createHasher, parseAlgorithm } from '../../protocol/checksums.js';
import { el, xmlDocument } from '../../protocol/xml.js';
import { readExtents } from '../../storage/extents.js';
import type { ObjectVersion, StoredChecksum } from '../../storage/types.js';
import { header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { objectWriteOwnership } from './acl.js';
import type { BucketAccess } from './bucket-access.js';
import { authorizeS3 } from './authorize-s3.js';
import { writerInfo } from './blob-write.js';
import { readWriteConditions, writeConditionName } from './conditions.js';
import { copySourceObject, copySourceVersionHeader, loadCopySource } from './copy-source.js';
import {
  checkEncryptionHeaders, parseTaggingHeader, readObjectHeaders, readStorageClass, readUserMetadata,
} from './object-headers.js';
import { writeResponseHeaders } from './object-put.js';
import { storeCall } from './store-errors.js';

function directive(ctx: RequestContext, name: string): 'COPY' | 'REPLACE' {
  const value = header(ctx, name) ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') throw new S3Error('InvalidArgument', `Unknown ${name === 'x-amz-metadata-directive' ? 'metadata' : 'tagging'} directive.`, { ArgumentName: name, ArgumentValue: value });
  return value;
}

export async function copyObject(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const { bucket } = access;
  const ownership = await objectWriteOwnership(ctx, bucket);
  checkEncryptionHeaders(ctx);
  const metadataDirective = directive(ctx, 'x-amz-metadata-directive');
  const taggingDirective = directive(ctx, 'x-amz-tagging-directive');
  const source = await loadCopySource(ctx);
  const from = source.version;
  const storageClassHeader = header(ctx, 'x-amz-storage-class');
  const sameObject = source.access.bucket.name === bucket.name && from.key === key && (source.ref.versionId === undefined || from.isLatest);
  if (sameObject && metadataDirective === 'COPY' && storageClassHeader === undefined && header(ctx, 'x-amz-website-redirect-location') === undefined && header(ctx, 'x-amz-server-side-encryption') === undefined) {
    throw new S3Error('InvalidRequest', 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata, storage class, website redirect location or encryption attributes.');
  }
  if (from.sizeBytes > limits.copyObjectSourceSizeBytesMax) {
    throw new S3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${limits.copyObjectSourceSizeBytesMax}`);
  }
  const tags = taggingDirective === 'COPY' ? from.tags : parseTaggingHeader(header(ctx, 'x-amz-tagging'));
  if (taggingDirective === 'COPY' && from.tags.length > 0) {
    const object = copySourceObject(source);
    await authorizeS3(ctx, source.access, { action: source.ref.versionId !== undefined ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging', key: from.key, ...(object ? { object } : {}) });
  }
  if (tags.length > 0) await authorizeS3(ctx, access, { action: 's3:PutObjectTagging', key, createsObject: true });
  const headers = metadataDirective === 'COPY' ? { ...from.headers } : readObjectHeaders(ctx);
  delete headers.websiteRedirectLocation;
  const redirect = header(ctx, 'x-amz-website-redirect-location');
  if (redirect !== undefined) headers.websiteRedirectLocation = redirect;
  const conditions = await readWriteConditions(ctx, bucket.name, key);
  const checksum = await copiedChecksum(ctx, from);
  const version = await storeCall(ctx.services.meta.putObjectVersion({
    version: {
      bucket: bucket.name,
      key,
      sizeBytes: from.sizeBytes,
      etag: from.etag,
      lastModifiedMs: ctx.services.clock.nowMs(),
      headers,
      userMetadata: metadataDirective === 'COPY' ? from.userMetadata : readUserMetadata(ctx),
      tags,
      checksum,
      extents: from.extents,
      partSizes: from.partSizes,
      partChecksums: checksum === from.checksum ? from.partChecksums : undefined,
      storageClass: storageClassHeader !== undefined ? readStorageClass(ctx) : 'STANDARD',
      // The copy is the writer's object, with the ACL this request gives (a source's ACL is never copied).
      ownerAccountId: ownership.ownerAccountId,
      acl: ownership.acl,
      writer: writerInfo(ctx),
      method: 'CopyObject',
      copySource: { bucket: source.access.bucket.name, key: from.key, versionId: from.versionId },
    },
    newBlobs: [],
    conditions,
    event: 'ObjectCreated:Copy',
  }), { bucket: bucket.name, key: from.key, condition: writeConditionName(conditions) });
  const responseHeaders: Record<string, string> = { ...writeResponseHeaders(version, bucket), ...copySourceVersionHeader(source) };
  delete responseHeaders['etag'];
  const checksumXml = version.checksum ? el(`Checksum${version.checksum.algorithm}`, version.checksum.value) + el('ChecksumType', version.checksum.type) : '';
  const body = el('LastModified', isoTime(version.lastModifiedMs)) + el('ETag', `"${version.etag}"`) + checksumXml;
  return xmlResponse(xmlDocument('CopyObjectResult', body), 200, responseHeaders);
}

/** The source's checksum carries over; asking for another algorithm means reading the bytes once. */
async function copiedChecksum(ctx: RequestContext, from: ObjectVersion): Promise<StoredChecksum | undefined> {
  const requested = header(ctx, 'x-amz-checksum-algorithm');
  if (requested === undefined) return from.checksum;
  const algorithm = parseAlgorithm(requested);
  if (!algorithm) throw new S3Error('InvalidRequest', 'Checksum algorithm provided is unsupported.');
  if (from.checksum?.algorithm === algorithm && from.checksum.type === 'FULL_OBJECT') return from.checksum;
  const hasher = createHasher(algorithm);
  for await (const chunk of readExtents(ctx.services.blobs, from.extents)) hasher.update(chunk);
  return { algorithm, value: hasher.digest().toString('base64'), type: 'FULL_OBJECT' };
}
