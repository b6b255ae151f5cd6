// GetObject and HeadObject: versions, delete markers, conditional reads, one byte range or one part, checksums.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { httpDate } from '../../core/clock.js';
import { readExtents } from '../../storage/extents.js';
import type { ByteRange } from '../../storage/blob-store.js';
import type { BucketRecord, ObjectVersion } from '../../storage/types.js';
import { checksumHeaderName } from '../../protocol/checksums.js';
import { emptyResponse, header, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { evaluateReadConditions } from './conditions.js';
import { checkNoEncryptionHeaderOnRead, objectResponseHeaders, quoteEtag, responseOverrides } from './object-headers.js';
import { parsePartNumber, parseRange, partRange } from './range.js';

/** The version a read names (?versionId) or the latest; delete markers answer as S3 does. */
export async function loadReadableVersion(ctx: RequestContext, access: BucketAccess, key: string): Promise<ObjectVersion> {
  const versionId = requestedVersionId(ctx, access.bucket);
  const version = await ctx.services.meta.getObjectVersion(access.bucket.name, key, versionId);
  if (!version) {
    if (versionId !== undefined) throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
    throw new S3Error('NoSuchKey', undefined, { Key: key });
  }
  if (version.isDeleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId, 'last-modified': httpDate(version.lastModifiedMs) };
    if (versionId !== undefined) throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: ctx.method, ResourceType: 'DeleteMarker' }, headers);
    throw new S3Error('NoSuchKey', undefined, { Key: key }, headers);
  }
  return version;
}

/**
 * ?versionId, checked as AWS checks it: a version id s3push never issues (ours are 32 letters and digits,
 * or 'null') — and in a bucket that was never versioned anything but 'null' — is 400 InvalidArgument.
 */
export function requestedVersionId(ctx: RequestContext, bucket: BucketRecord): string | undefined {
  const versionId = ctx.query.get('versionId');
  if (versionId === null) return undefined;
  if (versionId === '') throw new S3Error('InvalidArgument', 'Version id cannot be the empty string', { ArgumentName: 'versionId', ArgumentValue: '' });
  const wellFormed = versionId === 'null' || (/^[A-Za-z0-9]{32}$/.test(versionId) && bucket.versioning !== 'Unversioned');
  if (!wellFormed) throw new S3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: versionId });
  return versionId;
}

export async function getObject(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  checkNoEncryptionHeaderOnRead(ctx);
  const version = await loadReadableVersion(ctx, access, key);
  const headers: ApiResponse['headers'] = objectResponseHeaders(version, access.bucket);
  if (evaluateReadConditions(ctx, version) === 'not-modified') {
    return emptyResponse(304, { etag: quoteEtag(version.etag), 'last-modified': headers['last-modified'], 'x-amz-version-id': headers['x-amz-version-id'] });
  }
  const partNumber = parsePartNumber(ctx.query.get('partNumber'));
  const rangeHeader = header(ctx, 'range');
  if (partNumber !== undefined && rangeHeader !== undefined) throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  let range: ByteRange | undefined;
  if (partNumber !== undefined) {
    range = partRange(version, partNumber);
    if (version.partSizes) headers['x-amz-mp-parts-count'] = version.partSizes.length;
  } else {
    range = parseRange(rangeHeader, version.sizeBytes);
  }
  addChecksumHeaders(ctx, version, partNumber, range, headers);
  Object.assign(headers, responseOverrides(ctx));
  const isHead = ctx.method === 'HEAD';
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end - 1}/${version.sizeBytes}`;
    headers['content-length'] = range.end - range.start;
    return { status: 206, headers, ...(isHead ? {} : { body: await objectBody(ctx, version, range) }) };
  }
  headers['content-length'] = version.sizeBytes;
  if (isHead || version.sizeBytes === 0) return { status: 200, headers };
  return { status: 200, headers, body: await objectBody(ctx, version, { start: 0, end: version.sizeBytes }) };
}

/**
 * Bodies up to `limits.smallBodyBytesMax` are read whole and sent in one write (no stream machinery per
 * small GET); larger ones stream extent by extent with back-pressure.
 */
async function objectBody(ctx: RequestContext, version: ObjectVersion, range: ByteRange): Promise<Buffer | AsyncIterable<Buffer>> {
  const chunks = readExtents(ctx.services.blobs, version.extents, range);
  if (range.end - range.start > limits.smallBodyBytesMax) return chunks;
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Full-object checksums only on full reads; a part's own checksum on partNumber reads of multipart objects. */
function addChecksumHeaders(ctx: RequestContext, version: ObjectVersion, partNumber: number | undefined, range: ByteRange | undefined, headers: ApiResponse['headers']): void {
  if (header(ctx, 'x-amz-checksum-mode')?.toUpperCase() !== 'ENABLED' || !version.checksum) return;
  const name = checksumHeaderName(version.checksum.algorithm);
  if (partNumber !== undefined && version.partChecksums) {
    const partValue = version.partChecksums[partNumber - 1];
    if (partValue) {
      headers[name] = partValue;
      headers['x-amz-checksum-type'] = version.checksum.type;
    }
    return;
  }
  if (range !== undefined && !(partNumber === 1 && !version.partSizes)) return;
  headers[name] = version.checksum.value;
  headers['x-amz-checksum-type'] = version.checksum.type;
}
