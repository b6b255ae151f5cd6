// Bucket lifecycle: CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
import { S3Error } from '../../core/errors.js';
import { isoTime } from '../../core/clock.js';
import { StoreConflict } from '../../storage/meta-store.js';
import type { ObjectOwnership } from '../../storage/types.js';
import { el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { readXmlBody } from './xml-body.js';
import { ownerXml } from './owner.js';
import type { BucketAccess } from './bucket-access.js';

const reservedSuffixes = ['-s3alias', '--ol-s3', '--x-s3', '.mrap', '--table-s3'];
const reservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/** S3's general purpose bucket naming rules. */
export function validateBucketName(name: string): void {
  const valid =
    name.length >= 3 && name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') && !name.includes('.-') && !name.includes('-.') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !reservedSuffixes.some((s) => name.endsWith(s)) &&
    !reservedPrefixes.some((p) => name.startsWith(p));
  if (!valid) throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
}

const ownershipValues = new Set<ObjectOwnership>(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);

export async function createBucket(ctx: RequestContext, name: string): Promise<ApiResponse> {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw new S3Error('AccessDenied');
  validateBucketName(name);
  let region = ctx.services.config.region;
  const body = await readXmlBody(ctx, 'CreateBucketConfiguration', { optional: true });
  const constraint = body ? textOf(body, 'LocationConstraint') : undefined;
  if (constraint !== undefined && constraint !== '') {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(constraint) && constraint !== 'EU') throw new S3Error('InvalidLocationConstraint', undefined, { LocationConstraint: constraint });
    if (constraint === 'us-east-1') throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: constraint });
    region = constraint === 'EU' ? 'eu-west-1' : constraint;
  }
  const ownershipHeader = header(ctx, 'x-amz-object-ownership');
  const ownership = (ownershipHeader ?? 'BucketOwnerEnforced') as ObjectOwnership;
  if (!ownershipValues.has(ownership)) throw new S3Error('InvalidArgument', 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownershipHeader });
  const acl = header(ctx, 'x-amz-acl');
  if (ownership === 'BucketOwnerEnforced' && ((acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') || hasGrantHeaders(ctx))) {
    throw new S3Error('InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting');
  }
  try {
    await ctx.services.meta.createBucket({ name, accountId, region, createdMs: ctx.services.clock.nowMs(), versioning: 'Unversioned', ownership });
  } catch (error) {
    if (error instanceof StoreConflict && error.reason === 'BucketExists') {
      const existing = await ctx.services.meta.getBucket(name);
      throw new S3Error(existing?.accountId === accountId ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists', undefined, { BucketName: name });
    }
    throw error;
  }
  return emptyResponse(200, { location: `/${name}` });
}

export function hasGrantHeaders(ctx: RequestContext): boolean {
  return Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-grant-'));
}

export async function deleteBucket(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  try {
    await ctx.services.meta.deleteBucket(access.bucket.name);
  } catch (error) {
    if (error instanceof StoreConflict && error.reason === 'BucketNotEmpty') throw new S3Error('BucketNotEmpty', undefined, { BucketName: access.bucket.name });
    if (error instanceof StoreConflict && error.reason === 'NoSuchBucket') throw new S3Error('NoSuchBucket', undefined, { BucketName: access.bucket.name });
    throw error;
  }
  return emptyResponse(204);
}

export function headBucket(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  return emptyResponse(200, { 'x-amz-bucket-region': access.bucket.region, 'x-amz-access-point-alias': 'false' });
}

export async function listBuckets(ctx: RequestContext): Promise<ApiResponse> {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw new S3Error('AccessDenied');
  const prefix = ctx.query.get('prefix') ?? '';
  const region = ctx.query.get('bucket-region');
  const buckets = (await ctx.services.meta.listBuckets(accountId)).filter((b) => b.name.startsWith(prefix) && (!region || b.region === region));
  const entries = buckets.map((b) => wrap('Bucket', el('Name', b.name) + el('CreationDate', isoTime(b.createdMs)) + el('BucketRegion', b.region))).join('');
  const owner = await ownerXml(ctx, accountId);
  return xmlResponse(xmlDocument('ListAllMyBucketsResult', owner + wrap('Buckets', entries) + (prefix ? el('Prefix', prefix) : '')));
}

export function getBucketLocation(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const region = access.bucket.region === 'us-east-1' ? '' : access.bucket.region;
  return xmlResponse(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`);
}
