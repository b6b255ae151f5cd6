// PutObject: stream the verified body into an encrypted blob, then commit the version (and its event).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { limits } from '../../core/limits.js';
import { checksumHeaderName } from '../../protocol/checksums.js';
import type { BucketRecord, ObjectVersion, StoredChecksum } from '../../storage/types.js';
import { emptyResponse, header, type ApiResponse, type RequestContext } from '../context.js';
import { objectWriteOwnership } from './acl.js';
import type { BucketAccess } from './bucket-access.js';
import { commitSingleBlobObject, writePayloadToBlob, writerInfo } from './blob-write.js';
import { readWriteConditions } from './conditions.js';
import {
  checkEncryptionHeaders, parseTaggingHeader, quoteEtag, readObjectHeaders, readStorageClass, readUserMetadata,
} from './object-headers.js';
import { Payload } from './payload.js';

export async function putObject(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const { bucket } = access;
  const ownership = await objectWriteOwnership(ctx, bucket);
  checkEncryptionHeaders(ctx);
  const headers = readObjectHeaders(ctx);
  const userMetadata = readUserMetadata(ctx);
  const tags = parseTaggingHeader(header(ctx, 'x-amz-tagging'));
  const storageClass = readStorageClass(ctx);
  const conditions = await readWriteConditions(ctx, bucket.name, key);
  const payload = new Payload(ctx, { md5: true, sizeBytesMax: limits.putObjectSizeBytesMax, requireLength: true });
  const blob = await writePayloadToBlob(ctx.services.blobs, payload);
  const checksum: StoredChecksum | undefined = blob.payload.checksum
    ? { algorithm: blob.payload.checksum.algorithm, value: blob.payload.checksum.base64, type: 'FULL_OBJECT' }
    : undefined;
  const version = await commitSingleBlobObject(ctx, {
    bucket, key, method: 'PutObject', conditions,
    blob: { blobId: blob.blobId, sizeBytes: blob.sizeBytes, md5: blob.payload.md5!, checksum },
    details: { headers, userMetadata, tags, storageClass, ownerAccountId: ownership.ownerAccountId, acl: ownership.acl, writer: writerInfo(ctx) },
  });
  return emptyResponse(200, writeResponseHeaders(version, bucket));
}

/** ETag, version id, SSE and checksum headers that PutObject, CopyObject and Complete answer with. */
export function writeResponseHeaders(version: ObjectVersion, bucket: BucketRecord): Record<string, string> {
  const out: Record<string, string> = {
    etag: quoteEtag(version.etag),
    'x-amz-server-side-encryption': 'AES256',
  };
  // Enabled buckets name the new version; Suspended ones write the null version and say nothing.
  if (bucket.versioning === 'Enabled') out['x-amz-version-id'] = version.versionId;
  if (version.checksum) {
    out[checksumHeaderName(version.checksum.algorithm)] = version.checksum.value;
    out['x-amz-checksum-type'] = version.checksum.type;
  }
  return out;
}
