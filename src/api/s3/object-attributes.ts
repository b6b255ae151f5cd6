// GetObjectAttributes: ETag, checksum, parts, storage class and size without reading the object.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
import { S3Error } from '../../core/errors.js';
import { httpDate } from '../../core/clock.js';
import { el, wrap, xmlDocument } from '../../protocol/xml.js';
import { header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { parseMaxKeys } from './list-objects.js';
import { loadReadableVersion } from './object-get.js';

const attributeNames = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

export async function getObjectAttributes(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const requested = (header(ctx, 'x-amz-object-attributes') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  if (requested.length === 0 || requested.some((a) => !attributeNames.has(a))) {
    throw new S3Error('InvalidArgument', 'Invalid attribute name specified.', { ArgumentName: 'x-amz-object-attributes' });
  }
  const version = await loadReadableVersion(ctx, access, key);
  const want = new Set(requested);
  let body = '';
  if (want.has('ETag')) body += el('ETag', version.etag);
  if (want.has('Checksum') && version.checksum) {
    body += wrap('Checksum', el(`Checksum${version.checksum.algorithm}`, version.checksum.value) + el('ChecksumType', version.checksum.type));
  }
  if (want.has('ObjectParts') && version.partSizes) {
    const maxParts = parseMaxKeys(ctx.query.get('max-parts') ?? header(ctx, 'x-amz-max-parts') ?? null, 'max-parts');
    const marker = Number(header(ctx, 'x-amz-part-number-marker') ?? '0') || 0;
    const numbers = version.partSizes.map((_, i) => i + 1).filter((n) => n > marker);
    const shown = numbers.slice(0, maxParts);
    const truncated = numbers.length > shown.length;
    const parts = shown.map((n) => wrap('Part', el('PartNumber', n) + el('Size', version.partSizes![n - 1]) +
      (version.checksum && version.partChecksums?.[n - 1] ? el(`Checksum${version.checksum.algorithm}`, version.partChecksums[n - 1]) : ''))).join('');
    body += wrap('ObjectParts', el('PartsCount', version.partSizes.length) + el('PartNumberMarker', marker) +
      (truncated ? el('NextPartNumberMarker', shown[shown.length - 1]) : '') + el('MaxParts', maxParts) + el('IsTruncated', truncated) + parts);
  }
  if (want.has('StorageClass')) body += el('StorageClass', version.storageClass);
  if (want.has('ObjectSize')) body += el('ObjectSize', version.sizeBytes);
  const headers: Record<string, string> = { 'last-modified': httpDate(version.lastModifiedMs) };
  if (access.bucket.versioning !== 'Unversioned') headers['x-amz-version-id'] = version.versionId;
  return xmlResponse(xmlDocument('GetObjectAttributesResponse', body), 200, headers);
}
