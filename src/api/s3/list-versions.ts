// ListObjectVersions: versions and delete markers by key, newest first, with key and version-id markers.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
import { S3Error } from '../../core/errors.js';
import { isoTime } from '../../core/clock.js';
import { el, wrap, xmlDocument } from '../../protocol/xml.js';
import { xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { listEncoder, parseMaxKeys } from './list-objects.js';
import { quoteEtag } from './object-headers.js';
import { effectiveObjectOwner } from '../../iam/acl-permissions.js';
import { ownerXml } from './owner.js';

export async function listObjectVersions(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') || undefined;
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'));
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker') ?? '';
  if (versionIdMarker && !keyMarker) throw new S3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
  const { encode, element } = listEncoder(ctx);
  const page = await ctx.services.meta.listObjectVersions(access.bucket.name, {
    prefix, delimiter, keyMarker: keyMarker || undefined, versionIdMarker: versionIdMarker || undefined, maxKeys,
  });
  const owners = new Map<string, string>();
  let entries = '';
  for (const version of page.versions) {
    const ownerAccountId = effectiveObjectOwner(access.bucket, version.ownerAccountId);
    const owner = owners.get(ownerAccountId) ?? (await ownerXml(ctx, ownerAccountId));
    owners.set(ownerAccountId, owner);
    const common = el('Key', encode(version.key)) + el('VersionId', version.versionId) + el('IsLatest', version.isLatest) + el('LastModified', isoTime(version.lastModifiedMs));
    if (version.isDeleteMarker) {
      entries += wrap('DeleteMarker', common + owner);
    } else {
      const checksum = version.checksum ? el('ChecksumAlgorithm', version.checksum.algorithm) + el('ChecksumType', version.checksum.type) : '';
      entries += wrap('Version', common + el('ETag', quoteEtag(version.etag)) + checksum + el('Size', version.sizeBytes) + el('StorageClass', version.storageClass) + owner);
    }
  }
  const prefixes = page.commonPrefixes.map((p) => wrap('CommonPrefixes', el('Prefix', encode(p)))).join('');
  const body =
    el('Name', access.addressedAs) + el('Prefix', encode(prefix)) + el('KeyMarker', encode(keyMarker)) + el('VersionIdMarker', versionIdMarker) +
    (page.isTruncated ? el('NextKeyMarker', page.nextKeyMarker !== undefined ? encode(page.nextKeyMarker) : undefined) + el('NextVersionIdMarker', page.nextVersionIdMarker) : '') +
    el('MaxKeys', maxKeys) + (delimiter ? el('Delimiter', encode(delimiter)) : '') + element + el('IsTruncated', page.isTruncated) + entries + prefixes;
  return xmlResponse(xmlDocument('ListVersionsResult', body));
}
