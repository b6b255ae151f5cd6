// ListMultipartUploads and ListParts: what is in flight and which parts arrived.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
import { S3Error } from '../../core/errors.js';
import { accountRootArn } from '../../core/arn.js';
import { limits } from '../../core/limits.js';
import { isoTime } from '../../core/clock.js';
import { el, wrap, xmlDocument } from '../../protocol/xml.js';
import type { WriterInfo } from '../../storage/types.js';
import { xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { listEncoder, parseMaxKeys } from './list-objects.js';
import { quoteEtag } from './object-headers.js';
import { ownerXml } from './owner.js';
import { loadUpload } from './multipart.js';

export async function listMultipartUploads(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') || undefined;
  const maxUploads = parseMaxKeys(ctx.query.get('max-uploads'), 'max-uploads', limits.uploadsListedMax);
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? '';
  const { encode, element } = listEncoder(ctx);
  const page = await ctx.services.meta.listUploads(access.bucket.name, {
    prefix, delimiter, keyMarker: keyMarker || undefined, uploadIdMarker: (keyMarker && uploadIdMarker) || undefined, maxUploads,
  });
  let entries = '';
  for (const upload of page.uploads) {
    const owner = await ownerXml(ctx, upload.ownerAccountId);
    const initiator = await initiatorXml(ctx, upload.initiator);
    entries += wrap('Upload',
      el('Key', encode(upload.key)) + el('UploadId', upload.uploadId) + initiator + owner + el('StorageClass', upload.storageClass) +
      el('Initiated', isoTime(upload.initiatedMs)) + (upload.checksumAlgorithm ? el('ChecksumAlgorithm', upload.checksumAlgorithm) + el('ChecksumType', upload.checksumType) : ''));
  }
  const prefixes = page.commonPrefixes.map((p) => wrap('CommonPrefixes', el('Prefix', encode(p)))).join('');
  const body =
    el('Bucket', access.addressedAs) + el('KeyMarker', encode(keyMarker)) + el('UploadIdMarker', uploadIdMarker) +
    el('NextKeyMarker', page.nextKeyMarker !== undefined ? encode(page.nextKeyMarker) : '') + el('NextUploadIdMarker', page.nextUploadIdMarker ?? '') +
    (delimiter ? el('Delimiter', encode(delimiter)) : '') + el('Prefix', encode(prefix)) + el('MaxUploads', maxUploads) + element +
    el('IsTruncated', page.isTruncated) + entries + prefixes;
  return xmlResponse(xmlDocument('ListMultipartUploadsResult', body));
}

/**
 * Who started an upload: an account root is named by its canonical user id (like Owner), an IAM
 * user or role session by its ARN with the last path segment as display name.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Initiator.html
 */
async function initiatorXml(ctx: RequestContext, initiator: WriterInfo): Promise<string> {
  if (initiator.arn === accountRootArn(initiator.accountId)) return ownerXml(ctx, initiator.accountId, 'Initiator');
  return wrap('Initiator', el('ID', initiator.arn) + el('DisplayName', initiator.arn.slice(initiator.arn.lastIndexOf('/') + 1)));
}

export async function listParts(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const upload = await loadUpload(ctx, access, key);
  const maxParts = parseMaxKeys(ctx.query.get('max-parts'), 'max-parts', limits.partsListedMax);
  const markerText = ctx.query.get('part-number-marker') ?? '0';
  if (!/^\d+$/.test(markerText)) throw new S3Error('InvalidArgument', 'Part number marker must be an integer', { ArgumentName: 'part-number-marker', ArgumentValue: markerText });
  const page = await ctx.services.meta.listParts(upload.uploadId, Number(markerText), maxParts);
  const checksumElement = upload.checksumAlgorithm ? `Checksum${upload.checksumAlgorithm}` : undefined;
  const parts = page.parts.map((part) => wrap('Part',
    el('PartNumber', part.partNumber) + el('LastModified', isoTime(part.lastModifiedMs)) + el('ETag', quoteEtag(part.etag)) +
    el('Size', part.sizeBytes) + (checksumElement && part.checksum ? el(checksumElement, part.checksum) : ''))).join('');
  const owner = await ownerXml(ctx, upload.ownerAccountId);
  const body =
    el('Bucket', access.addressedAs) + el('Key', upload.key) + el('UploadId', upload.uploadId) +
    (await initiatorXml(ctx, upload.initiator)) + owner +
    el('StorageClass', upload.storageClass) + el('PartNumberMarker', Number(markerText)) +
    (page.nextPartNumberMarker !== undefined ? el('NextPartNumberMarker', page.nextPartNumberMarker) : '') +
    el('MaxParts', maxParts) + el('IsTruncated', page.isTruncated) +
    (upload.checksumAlgorithm ? el('ChecksumAlgorithm', upload.checksumAlgorithm) + el('ChecksumType', upload.checksumType) : '') + parts;
  return xmlResponse(xmlDocument('ListPartsResult', body));
}
