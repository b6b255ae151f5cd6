// Bucket lifecycle: CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
import { S3Error } from '../../core/errors.js';
import { isoTime } from '../../core/clock.js';
import { s3BucketArn } from '../../core/arn.js';
import { limits } from '../../core/limits.js';
import { StoreConflict } from '../../storage/meta-store.js';
import type { AccessControlList, BucketRecord, ObjectOwnership } from '../../storage/types.js';
import { el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { readXmlBody } from './xml-body.js';
import { accountRecord, createBucketAcl } from './acl.js';
import { hasGrantHeaders } from './acl-grants.js';
import { ownerXml } from './owner.js';
import type { BucketAccess } from './bucket-access.js';
import { decodeContinuationToken, encodeContinuationToken } from './continuation-token.js';

const reservedSuffixes = ['-s3alias', '--ol-s3', '--x-s3', '.mrap', '--table-s3'];
const reservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/** S3's general purpose bucket naming rules. */
export function validateBucketName(name: string): void {
  const valid =
    name.length >= limits.bucketNameLengthMin && name.length <= limits.bucketNameLengthMax &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') && !name.includes('.-') && !name.includes('-.') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !reservedSuffixes.some((s) => name.endsWith(s)) &&
    !reservedPrefixes.some((p) => name.startsWith(p));
  if (!valid) throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
}

/** AWS region names (us-east-2, ap-southeast-1, us-gov-west-1, eu-central-2, …). */
const regionName = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * The region a new bucket goes to. s3push answers as the regional endpoint of its configured
 * region: us-east-1 takes any region but refuses to be named itself, other regions take only
 * their own name (EU for eu-west-1) and refuse an absent constraint.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_RequestSyntax
 */
function bucketRegion(serverRegion: string, constraint: string | undefined): string {
  const given = constraint === undefined || constraint === '' ? undefined : constraint;
  if (serverRegion === 'us-east-1') {
    if (given === undefined) return serverRegion;
    if (given === 'EU') return 'eu-west-1';
    if (given !== 'us-east-1' && regionName.test(given)) return given;
    throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: given });
  }
  if (given === serverRegion || (given === 'EU' && serverRegion === 'eu-west-1')) return serverRegion;
  throw new S3Error('IllegalLocationConstraintException', `The ${given ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);
}

const ownershipValues = new Set<ObjectOwnership>(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);

/**
 * CreateBucket. Without x-amz-object-ownership a bucket gets the server's default ownership
 * (`--object-ownership-default`, BucketOwnerEnforced as on AWS since April 2023); a BucketOwnerEnforced bucket
 * refuses ACLs other than private and bucket-owner-full-control, others store the ACL given (canned or grants).
 */
export async function createBucket(ctx: RequestContext, name: string): Promise<ApiResponse> {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw new S3Error('AccessDenied');
  validateBucketName(name);
  const body = await readXmlBody(ctx, 'CreateBucketConfiguration', { optional: true });
  const region = bucketRegion(ctx.services.config.region, body ? textOf(body, 'LocationConstraint') : undefined);
  const ownershipHeader = header(ctx, 'x-amz-object-ownership');
  const ownership = (ownershipHeader ?? ctx.services.config.objectOwnershipDefault) as ObjectOwnership;
  if (!ownershipValues.has(ownership)) throw new S3Error('InvalidArgument', `Invalid x-amz-object-ownership header: ${ownershipHeader}`, { ArgumentName: 'x-amz-object-ownership' });
  const acl = header(ctx, 'x-amz-acl');
  let bucketAcl: AccessControlList | undefined;
  if (ownership === 'BucketOwnerEnforced') {
    if ((acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') || hasGrantHeaders(ctx)) {
      throw new S3Error('InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting');
    }
  } else {
    bucketAcl = await createBucketAcl(ctx, await accountRecord(ctx, accountId));
  }
  const created = { location: `/${name}`, 'x-amz-bucket-arn': s3BucketArn(name) };
  try {
    await ctx.services.meta.createBucket({
      name, accountId, region, createdMs: ctx.services.clock.nowMs(), versioning: 'Unversioned', ownership, ...(bucketAcl ? { acl: bucketAcl } : {}),
    });
  } catch (error) {
    if (!(error instanceof StoreConflict) || error.reason !== 'BucketExists') throw error;
    const existing = await ctx.services.meta.getBucket(name);
    if (existing?.accountId !== accountId) throw new S3Error('BucketAlreadyExists', undefined, { BucketName: name });
    // For legacy compatibility, re-creating your own bucket in us-east-1 succeeds (and changes nothing).
    if (existing.region === 'us-east-1' && region === 'us-east-1') return emptyResponse(200, created);
    throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
  }
  return emptyResponse(200, created);
}

export async function deleteBucket(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const name = access.bucket.name;
  try {
    await ctx.services.meta.deleteBucket(name);
  } catch (error) {
    if (error instanceof StoreConflict && error.reason === 'BucketNotEmpty') {
      const message = access.bucket.versioning === 'Unversioned' ? undefined : 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';
      throw new S3Error('BucketNotEmpty', message, { BucketName: name });
    }
    if (error instanceof StoreConflict && error.reason === 'NoSuchBucket') throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
    throw error;
  }
  return emptyResponse(204);
}

export function headBucket(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  return emptyResponse(200, {
    'content-type': 'application/xml',
    'x-amz-bucket-region': access.bucket.region,
    'x-amz-access-point-alias': access.accessPoint ? 'true' : 'false',
    'x-amz-bucket-arn': s3BucketArn(access.bucket.name),
  });
}

/** ListBuckets: the caller's own buckets by name, filtered by prefix and region, paged by max-buckets. */
export async function listBuckets(ctx: RequestContext): Promise<ApiResponse> {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw new S3Error('AccessDenied');
  const prefix = ctx.query.get('prefix') ?? '';
  const region = ctx.query.get('bucket-region') || undefined;
  if (region !== undefined && !regionName.test(region)) {
    throw new S3Error('InvalidArgument', `Argument value ${region} is not a valid AWS Region`, { ArgumentName: 'bucket-region' });
  }
  const maxBuckets = parseMaxBuckets(ctx.query.get('max-buckets'));
  const token = ctx.query.get('continuation-token') || undefined;
  const after = token === undefined ? undefined : decodeContinuationToken('buckets', token);
  const matching = (await ctx.services.meta.listBuckets(accountId))
    .filter((b) => b.name.startsWith(prefix) && (region === undefined || b.region === region) && (after === undefined || b.name > after));
  const page = matching.slice(0, maxBuckets ?? matching.length);
  const next = maxBuckets !== undefined && matching.length > page.length ? page[page.length - 1] : undefined;
  const entries = page.map(bucketXml).join('');
  const owner = await ownerXml(ctx, accountId);
  return xmlResponse(xmlDocument('ListAllMyBucketsResult',
    owner + wrap('Buckets', entries) + (next ? el('ContinuationToken', encodeContinuationToken('buckets', next.name)) : '') + (prefix ? el('Prefix', prefix) : '')));
}

function bucketXml(b: BucketRecord): string {
  return wrap('Bucket', el('Name', b.name) + el('CreationDate', isoTime(b.createdMs)) + el('BucketRegion', b.region) + el('BucketArn', s3BucketArn(b.name)));
}

/** Without max-buckets S3 lists every bucket in one page; with it, 1 to 10000 per page. */
function parseMaxBuckets(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > limits.bucketsPerAccountMax) {
    throw new S3Error('InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000', { ArgumentName: 'max-buckets', ArgumentValue: value });
  }
  return Number(value);
}

export function getBucketLocation(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const region = access.bucket.region === 'us-east-1' ? '' : access.bucket.region;
  return xmlResponse(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`);
}
