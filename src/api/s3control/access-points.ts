// S3 Control access point operations: Create/Get/List/Delete, Put/Get/DeleteAccessPointPolicy, GetAccessPointPolicyStatus.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateAccessPoint.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { isoTime } from '../../core/clock.js';
import { accessPointArn } from '../../core/arn.js';
import { newAccessPointAlias, validateAccessPointName } from '../../iam/access-point-names.js';
import { childOf, el, textOf, wrap, xmlDocument, S3_CONTROL_NAMESPACE } from '../../protocol/xml.js';
import { IamConflict, type AccessPointRecord } from '../../storage/iam-store.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { readXmlBody } from '../s3/xml-body.js';
import { isPublicPolicy } from '../../iam/policy/public-policy.js';
import { parseResourcePolicy, policyIsPublic } from '../s3/bucket-policy.js';

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value !== 'true' && value !== 'false') throw new S3Error('MalformedXML');
  return value === 'true';
}

function conflict(error: unknown): never {
  if (error instanceof IamConflict) {
    if (error.reason === 'EntityAlreadyExists' && error.message.includes('already own')) throw new S3Error('AccessPointAlreadyOwnedByYou');
    if (error.reason === 'NoSuchEntity') throw new S3Error('NoSuchAccessPoint');
    throw new S3Error(error.reason === 'LimitExceeded' ? 'TooManyBuckets' : 'InvalidRequest', error.message);
  }
  throw error;
}

export async function createAccessPoint(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  validateAccessPointName(name);
  const body = await readXmlBody(ctx, 'CreateAccessPointRequest');
  const bucketName = textOf(body, 'Bucket');
  if (!bucketName) throw new S3Error('MalformedXML', 'CreateAccessPointRequest needs a Bucket.');
  const bucket = await ctx.services.meta.getBucket(bucketName);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: bucketName });
  const bucketAccountId = textOf(body, 'BucketAccountId') ?? accountId;
  if (bucket.accountId !== bucketAccountId) {
    throw new S3Error('InvalidRequest', `The bucket ${bucketName} is not owned by account ${bucketAccountId}; give its owner's account as BucketAccountId.`);
  }
  const vpcId = textOf(childOf(body, 'VpcConfiguration'), 'VpcId');
  const block = childOf(body, 'PublicAccessBlockConfiguration');
  const record: AccessPointRecord = {
    accountId,
    name,
    region: bucket.region,
    bucket: bucket.name,
    bucketAccountId: bucket.accountId,
    alias: newAccessPointAlias(name),
    arn: accessPointArn(bucket.region, accountId, name),
    networkOrigin: vpcId ? 'VPC' : 'Internet',
    ...(vpcId ? { vpcId } : {}),
    blockPublicAcls: bool(textOf(block, 'BlockPublicAcls'), true),
    ignorePublicAcls: bool(textOf(block, 'IgnorePublicAcls'), true),
    blockPublicPolicy: bool(textOf(block, 'BlockPublicPolicy'), true),
    restrictPublicBuckets: bool(textOf(block, 'RestrictPublicBuckets'), true),
    createdMs: ctx.services.clock.nowMs(),
  };
  await ctx.services.iam.createAccessPoint(record).catch(conflict);
  ctx.services.identityPolicies.invalidate();
  return xmlResponse(xmlDocument('CreateAccessPointResult', el('AccessPointArn', record.arn) + el('Alias', record.alias), S3_CONTROL_NAMESPACE));
}

export async function loadAccessPoint(ctx: RequestContext, accountId: string, name: string): Promise<AccessPointRecord> {
  const accessPoint = await ctx.services.iam.getAccessPoint(accountId, name);
  if (!accessPoint) throw new S3Error('NoSuchAccessPoint');
  return accessPoint;
}

function publicAccessBlockXml(ap: AccessPointRecord): string {
  return wrap('PublicAccessBlockConfiguration',
    el('BlockPublicAcls', ap.blockPublicAcls) + el('IgnorePublicAcls', ap.ignorePublicAcls) +
    el('BlockPublicPolicy', ap.blockPublicPolicy) + el('RestrictPublicBuckets', ap.restrictPublicBuckets));
}

export async function getAccessPoint(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  const ap = await loadAccessPoint(ctx, accountId, name);
  const body =
    el('Name', ap.name) + el('Bucket', ap.bucket) + el('NetworkOrigin', ap.networkOrigin) +
    (ap.vpcId ? wrap('VpcConfiguration', el('VpcId', ap.vpcId)) : '') + publicAccessBlockXml(ap) +
    el('CreationDate', isoTime(ap.createdMs)) + el('Alias', ap.alias) + el('AccessPointArn', ap.arn) +
    wrap('Endpoints', wrap('entry', el('key', 'ipv4') + el('value', `s3-accesspoint.${ap.region}.amazonaws.com`))) +
    el('BucketAccountId', ap.bucketAccountId);
  return xmlResponse(xmlDocument('GetAccessPointResult', body, S3_CONTROL_NAMESPACE));
}

export async function listAccessPoints(ctx: RequestContext, accountId: string): Promise<ApiResponse> {
  const bucket = ctx.query.get('bucket') ?? undefined;
  const maxResultsText = ctx.query.get('maxResults');
  const maxResults = maxResultsText === null ? 1000 : Number(maxResultsText);
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) throw new S3Error('InvalidArgument', 'maxResults must be between 0 and 1000.');
  const all = await ctx.services.iam.listAccessPoints(accountId, bucket);
  const after = ctx.query.get('nextToken');
  const start = after ? all.findIndex((ap) => ap.name > Buffer.from(after, 'base64url').toString('utf8')) : 0;
  const page = start < 0 ? [] : all.slice(start, start + maxResults);
  const truncated = start >= 0 && start + maxResults < all.length;
  const entries = page.map((ap) => wrap('AccessPoint',
    el('Name', ap.name) + el('NetworkOrigin', ap.networkOrigin) + (ap.vpcId ? wrap('VpcConfiguration', el('VpcId', ap.vpcId)) : '') +
    el('Bucket', ap.bucket) + el('AccessPointArn', ap.arn) + el('Alias', ap.alias) + el('BucketAccountId', ap.bucketAccountId))).join('');
  const next = truncated ? el('NextToken', Buffer.from(page[page.length - 1]!.name).toString('base64url')) : '';
  return xmlResponse(xmlDocument('ListAccessPointsResult', wrap('AccessPointList', entries) + next, S3_CONTROL_NAMESPACE));
}

export async function deleteAccessPoint(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  await ctx.services.iam.deleteAccessPoint(accountId, name).catch(conflict);
  ctx.services.identityPolicies.invalidate();
  return emptyResponse(204);
}

export async function putAccessPointPolicy(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  const ap = await loadAccessPoint(ctx, accountId, name);
  const body = await readXmlBody(ctx, 'PutAccessPointPolicyRequest');
  const policy = textOf(body, 'Policy');
  if (!policy) throw new S3Error('MalformedXML', 'PutAccessPointPolicyRequest needs a Policy.');
  if (Buffer.byteLength(policy) > limits.accessPointPolicyBytesMax) throw new S3Error('MalformedPolicy', `Policies cannot exceed ${limits.accessPointPolicyBytesMax} bytes.`);
  // BlockPublicPolicy of the access point (on by default): "Amazon S3 rejects calls to PutAccessPointPolicy
  // if the specified access point policy allows public access" (access-control-block-public-access.html).
  if (ap.blockPublicPolicy && isPublicPolicy(parseResourcePolicy(policy), 'accessPoint')) {
    throw new S3Error('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: s3:PutAccessPointPolicy on resource: "${ap.arn}" because public policies are blocked by the BlockPublicPolicy block public access setting.`);
  }
  await ctx.services.iam.putAccessPointPolicy(accountId, name, policy).catch(conflict);
  return emptyResponse(200);
}

export async function getAccessPointPolicy(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  const ap = await loadAccessPoint(ctx, accountId, name);
  if (ap.policy === undefined) throw new S3Error('NoSuchAccessPointPolicy');
  return xmlResponse(xmlDocument('GetAccessPointPolicyResult', el('Policy', ap.policy), S3_CONTROL_NAMESPACE));
}

export async function deleteAccessPointPolicy(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  await ctx.services.iam.putAccessPointPolicy(accountId, name, undefined).catch(conflict);
  return emptyResponse(204);
}

export async function getAccessPointPolicyStatus(ctx: RequestContext, accountId: string, name: string): Promise<ApiResponse> {
  const ap = await loadAccessPoint(ctx, accountId, name);
  const isPublic = ap.policy !== undefined && policyIsPublic(ap.policy, 'accessPoint');
  return xmlResponse(xmlDocument('GetAccessPointPolicyStatusResult', wrap('PolicyStatus', el('IsPublic', isPublic)), S3_CONTROL_NAMESPACE));
}
