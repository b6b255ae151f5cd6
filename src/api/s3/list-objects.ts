// ListObjects (v1) and ListObjectsV2: prefix, delimiter, CommonPrefixes, markers, tokens, encoding-type=url.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { isoTime } from '../../core/clock.js';
import { effectiveObjectOwner } from '../../iam/acl-permissions.js';
import type { BucketRecord, ObjectVersion } from '../../storage/types.js';
import { el, wrap, xmlDocument } from '../../protocol/xml.js';
import { xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { quoteEtag } from './object-headers.js';
import { ownerXml } from './owner.js';
import { decodeContinuationToken, encodeContinuationToken } from './continuation-token.js';

/** S3 reads max-keys as a signed 32-bit integer; anything else is InvalidArgument. */
const int32Max = 2 ** 31 - 1;

/** max-keys / max-uploads / max-parts: default and cap 1000; negative, non-numeric or past int32 is InvalidArgument. */
export function parseMaxKeys(value: string | null, name = 'max-keys', cap: number = limits.listKeysMax): number {
  if (value === null) return cap;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < 0 || Number(value) > int32Max) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: value });
  }
  return Math.min(Number(value), cap);
}

/**
 * S3's encoding-type=url form: every UTF-8 byte percent-encoded except A-Z a-z 0-9 - _ . * and '/'.
 * A space is %20: the Ceph s3-tests case test_bucket_list_encoding_basic (not marked fails_on_aws)
 * expects `quux%20ab/`; botocore decodes these fields with unquote_plus, which reads %20 and '+' alike,
 * and decodeURIComponent (what JavaScript users reach for) reads %20 but not '+'.
 */
export function s3UrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(c)) out += c;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** encoding-type=url: S3 encodes names in the response and says so with <EncodingType>; anything else is refused. */
export function listEncoder(ctx: RequestContext): { encode: (value: string) => string; element: string } {
  const type = ctx.query.get('encoding-type');
  if (type === null) return { encode: (v) => v, element: '' };
  if (type !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: type });
  return { encode: s3UrlEncode, element: el('EncodingType', 'url') };
}

function listQuery(ctx: RequestContext) {
  const delimiter = ctx.query.get('delimiter') || undefined;
  return { prefix: ctx.query.get('prefix') ?? '', delimiter };
}

async function contentsXml(ctx: RequestContext, bucket: BucketRecord, objects: ObjectVersion[], encode: (v: string) => string, withOwner: boolean): Promise<string> {
  const owners = new Map<string, string>();
  let out = '';
  for (const object of objects) {
    let owner = '';
    if (withOwner) {
      const ownerAccountId = effectiveObjectOwner(bucket, object.ownerAccountId);
      owner = owners.get(ownerAccountId) ?? (await ownerXml(ctx, ownerAccountId));
      owners.set(ownerAccountId, owner);
    }
    const checksum = object.checksum ? el('ChecksumAlgorithm', object.checksum.algorithm) + el('ChecksumType', object.checksum.type) : '';
    out += wrap('Contents',
      el('Key', encode(object.key)) + el('LastModified', isoTime(object.lastModifiedMs)) + el('ETag', quoteEtag(object.etag)) +
      checksum + el('Size', object.sizeBytes) + owner + el('StorageClass', object.storageClass));
  }
  return out;
}

function commonPrefixesXml(prefixes: string[], encode: (v: string) => string): string {
  return prefixes.map((p) => wrap('CommonPrefixes', el('Prefix', encode(p)))).join('');
}

export async function listObjectsV2(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const { prefix, delimiter } = listQuery(ctx);
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'));
  const { encode, element } = listEncoder(ctx);
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after');
  let after = startAfter ?? undefined;
  if (token !== null) after = decodeContinuationToken('objects', token);
  const page = await ctx.services.meta.listObjects(access.bucket.name, { prefix, delimiter, after, maxKeys });
  const fetchOwner = ctx.query.get('fetch-owner') === 'true';
  const body =
    el('Name', access.addressedAs) + el('Prefix', encode(prefix)) + (delimiter ? el('Delimiter', encode(delimiter)) : '') +
    el('MaxKeys', maxKeys) + element + el('KeyCount', page.objects.length + page.commonPrefixes.length) +
    el('IsTruncated', page.isTruncated) +
    (token !== null ? el('ContinuationToken', token) : '') +
    (page.isTruncated && page.lastReturned !== undefined ? el('NextContinuationToken', encodeContinuationToken('objects', page.lastReturned)) : '') +
    (startAfter !== null ? el('StartAfter', encode(startAfter)) : '') +
    (await contentsXml(ctx, access.bucket, page.objects, encode, fetchOwner)) + commonPrefixesXml(page.commonPrefixes, encode);
  return xmlResponse(xmlDocument('ListBucketResult', body));
}

export async function listObjects(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const { prefix, delimiter } = listQuery(ctx);
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'));
  const { encode, element } = listEncoder(ctx);
  const marker = ctx.query.get('marker') ?? '';
  const page = await ctx.services.meta.listObjects(access.bucket.name, { prefix, delimiter, after: marker || undefined, maxKeys });
  const nextMarker = page.isTruncated && delimiter && page.lastReturned !== undefined ? el('NextMarker', encode(page.lastReturned)) : '';
  const body =
    el('Name', access.addressedAs) + el('Prefix', encode(prefix)) + el('Marker', encode(marker)) + nextMarker +
    el('MaxKeys', maxKeys) + (delimiter ? el('Delimiter', encode(delimiter)) : '') + element + el('IsTruncated', page.isTruncated) +
    (await contentsXml(ctx, access.bucket, page.objects, encode, true)) + commonPrefixesXml(page.commonPrefixes, encode);
  return xmlResponse(xmlDocument('ListBucketResult', body));
}
