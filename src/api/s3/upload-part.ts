// UploadPart (streamed into a blob) and UploadPartCopy (a reference to a range of the source's extents).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
import { createHash } from 'node:crypto';
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { isoTime } from '../../core/clock.js';
import { checksumHeaderName } from '../../protocol/checksums.js';
import { el, xmlDocument } from '../../protocol/xml.js';
import { sliceExtents } from '../../storage/extents.js';
import type { ByteRange } from '../../storage/blob-store.js';
import type { UploadPart } from '../../storage/types.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { commitOrDiscard, writePayloadToBlob } from './blob-write.js';
import { copySourceVersionHeader, loadCopySource } from './copy-source.js';
import { loadUpload } from './multipart.js';
import { quoteEtag } from './object-headers.js';
import { Payload } from './payload.js';
import { parsePartNumber } from './range.js';
import { storeCall } from './store-errors.js';

export async function uploadPart(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const upload = await loadUpload(ctx, access, key);
  const partNumber = parsePartNumber(ctx.query.get('partNumber'))!;
  const payload = new Payload(ctx, { md5: true, checksumAlgorithm: upload.checksumAlgorithm, sizeBytesMax: limits.partSizeBytesMax, requireLength: true });
  if (upload.checksumAlgorithm && payload.checksumAlgorithm !== upload.checksumAlgorithm) {
    throw new S3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${payload.checksumAlgorithm?.toLowerCase()}`);
  }
  const blob = await writePayloadToBlob(ctx.services.blobs, payload);
  const part: UploadPart = {
    uploadId: upload.uploadId,
    partNumber,
    sizeBytes: blob.sizeBytes,
    etag: blob.payload.md5!.toString('hex'),
    lastModifiedMs: ctx.services.clock.nowMs(),
    checksum: blob.payload.checksum?.base64,
    extents: [{ blobId: blob.blobId, offsetBytes: 0, lengthBytes: blob.sizeBytes }],
  };
  await commitOrDiscard(ctx.services.blobs, blob.blobId, () =>
    storeCall(ctx.services.meta.putPart(part, [{ blobId: blob.blobId, sizeBytes: blob.sizeBytes }]), { uploadId: upload.uploadId }));
  const headers: Record<string, string> = { etag: quoteEtag(part.etag), 'x-amz-server-side-encryption': 'AES256' };
  if (blob.payload.checksum) headers[checksumHeaderName(blob.payload.checksum.algorithm)] = blob.payload.checksum.base64;
  return emptyResponse(200, headers);
}

function parseCopyRange(value: string | undefined, sizeBytes: number): ByteRange {
  if (value === undefined) return { start: 0, end: sizeBytes };
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m) throw new S3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value });
  const start = Number(m[1]);
  const last = Number(m[2]);
  if (last < start || last >= sizeBytes) {
    throw new S3Error('InvalidArgument', `Range specified is not valid for source object of size: ${sizeBytes}`, { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value });
  }
  return { start, end: last + 1 };
}

export async function uploadPartCopy(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const upload = await loadUpload(ctx, access, key);
  const partNumber = parsePartNumber(ctx.query.get('partNumber'))!;
  const source = await loadCopySource(ctx);
  const from = source.version;
  const range = parseCopyRange(header(ctx, 'x-amz-copy-source-range'), from.sizeBytes);
  const sizeBytes = range.end - range.start;
  if (sizeBytes > limits.partSizeBytesMax) throw new S3Error('InvalidRequest', `The specified copy range is larger than the maximum allowable part size: ${limits.partSizeBytesMax}`);
  const whole = range.start === 0 && range.end === from.sizeBytes;
  // A whole single-part source keeps its MD5; a slice gets a stable identifier of the copied bytes,
  // because computing its MD5 would mean reading them (see docs/compatibility.md).
  const etag = whole && !from.etag.includes('-')
    ? from.etag
    : createHash('md5').update(`${from.bucket}\0${from.key}\0${from.versionId}\0${from.etag}\0${range.start}-${range.end}`).digest('hex');
  const checksum = whole && upload.checksumAlgorithm && from.checksum?.algorithm === upload.checksumAlgorithm && from.checksum.type === 'FULL_OBJECT'
    ? from.checksum.value
    : undefined;
  const part: UploadPart = {
    uploadId: upload.uploadId,
    partNumber,
    sizeBytes,
    etag,
    lastModifiedMs: ctx.services.clock.nowMs(),
    checksum,
    extents: sliceExtents(from.extents, range),
    copied: true,
  };
  await storeCall(ctx.services.meta.putPart(part, []), { uploadId: upload.uploadId, key: from.key });
  const checksumXml = checksum && upload.checksumAlgorithm ? el(`Checksum${upload.checksumAlgorithm}`, checksum) : '';
  const body = el('ETag', quoteEtag(etag)) + el('LastModified', isoTime(part.lastModifiedMs)) + checksumXml;
  return xmlResponse(xmlDocument('CopyPartResult', body), 200, { ...copySourceVersionHeader(source), 'x-amz-server-side-encryption': 'AES256' });
}
