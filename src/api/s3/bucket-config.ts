// Bucket configuration: versioning, ownership controls, default encryption, ACLs (owner-only, as with
// BucketOwnerEnforced), and the real answers to configuration probes that tools like Terraform send.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
import { S3Error } from '../../core/errors.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import type { ObjectOwnership } from '../../storage/types.js';
import { emptyResponse, header, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import type { BucketAccess } from './bucket-access.js';
import { hasGrantHeaders } from './bucket.js';
import { loadReadableVersion } from './object-get.js';
import { ownerXml } from './owner.js';
import { readXmlBody } from './xml-body.js';

export function getBucketVersioning(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  const status = access.bucket.versioning === 'Unversioned' ? '' : el('Status', access.bucket.versioning);
  return xmlResponse(xmlDocument('VersioningConfiguration', status));
}

export async function putBucketVersioning(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const body = await readXmlBody(ctx, 'VersioningConfiguration');
  const status = textOf(body, 'Status');
  const mfaDelete = textOf(body, 'MfaDelete');
  if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  if (mfaDelete === 'Enabled') throw new S3Error('InvalidRequest', 'MFA Delete is not supported by s3push.');
  await ctx.services.meta.updateBucket(access.bucket.name, { versioning: status });
  return emptyResponse(200);
}

export function getBucketOwnershipControls(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  return xmlResponse(xmlDocument('OwnershipControls', wrap('Rule', el('ObjectOwnership', access.bucket.ownership))));
}

const ownershipValues = new Set<ObjectOwnership>(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);

export async function putBucketOwnershipControls(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  const body = await readXmlBody(ctx, 'OwnershipControls');
  const rules = childrenOf(body, 'Rule');
  const ownership = textOf(rules[0], 'ObjectOwnership') as ObjectOwnership | undefined;
  if (rules.length !== 1 || !ownership || !ownershipValues.has(ownership)) throw new S3Error('MalformedXML');
  await ctx.services.meta.updateBucket(access.bucket.name, { ownership });
  return emptyResponse(200);
}

export async function deleteBucketOwnershipControls(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  await ctx.services.meta.updateBucket(access.bucket.name, { ownership: 'ObjectWriter' });
  return emptyResponse(204);
}

const sseS3Configuration = xmlDocument('ServerSideEncryptionConfiguration',
  wrap('Rule', wrap('ApplyServerSideEncryptionByDefault', el('SSEAlgorithm', 'AES256')) + el('BucketKeyEnabled', false)));

/** Every bucket encrypts with SSE-S3; that is the configuration we report. */
export function getBucketEncryption(): ApiResponse {
  return xmlResponse(sseS3Configuration);
}

export async function putBucketEncryption(ctx: RequestContext): Promise<ApiResponse> {
  const body = await readXmlBody(ctx, 'ServerSideEncryptionConfiguration');
  const rules = childrenOf(body, 'Rule');
  if (rules.length === 0) throw new S3Error('MalformedXML');
  for (const rule of rules) {
    const algorithm = textOf(childOf(rule, 'ApplyServerSideEncryptionByDefault'), 'SSEAlgorithm');
    if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') throw new S3Error('NotImplemented', 'SSE-KMS is not supported; s3push encrypts every object with SSE-S3 (AES256).');
    if (algorithm !== 'AES256') throw new S3Error('MalformedXML');
  }
  return emptyResponse(200);
}

export function deleteBucketEncryption(): ApiResponse {
  return emptyResponse(204);
}

async function ownerOnlyAcl(ctx: RequestContext, accountId: string): Promise<ApiResponse> {
  const owner = await ownerXml(ctx, accountId);
  const account = await ctx.services.meta.getAccount(accountId);
  const grantee = `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${el('ID', account?.canonicalUserId ?? accountId)}${el('DisplayName', account?.name ?? accountId)}</Grantee>`;
  return xmlResponse(xmlDocument('AccessControlPolicy', owner + wrap('AccessControlList', wrap('Grant', grantee + el('Permission', 'FULL_CONTROL')))));
}

export function getBucketAcl(ctx: RequestContext, access: BucketAccess): Promise<ApiResponse> {
  return ownerOnlyAcl(ctx, access.bucket.accountId);
}

export async function getObjectAcl(ctx: RequestContext, access: BucketAccess, key: string): Promise<ApiResponse> {
  const version = await loadReadableVersion(ctx, access, key);
  return ownerOnlyAcl(ctx, version.ownerAccountId);
}

/** ACLs are disabled (BucketOwnerEnforced): only the owner-only ACL is accepted. */
export async function putAcl(ctx: RequestContext, access: BucketAccess, key?: string): Promise<ApiResponse> {
  if (key !== undefined) await loadReadableVersion(ctx, access, key);
  const canned = header(ctx, 'x-amz-acl');
  const ownerOnly = canned === undefined || canned === 'private' || canned === 'bucket-owner-full-control';
  if (access.bucket.ownership === 'BucketOwnerEnforced' && (!ownerOnly || hasGrantHeaders(ctx))) throw new S3Error('AccessControlListNotSupported');
  if (access.bucket.ownership !== 'BucketOwnerEnforced') throw new S3Error('NotImplemented', 'Object ACLs are not supported by s3push; use bucket policies.');
  return emptyResponse(200);
}

/** Configurations s3push does not offer, answered as AWS answers a bucket without them. */
export function bucketProbe(kind: string): ApiResponse {
  switch (kind) {
    case 'GetBucketCors': throw new S3Error('NoSuchCORSConfiguration');
    case 'GetBucketLifecycleConfiguration': throw new S3Error('NoSuchLifecycleConfiguration');
    case 'GetBucketWebsite': throw new S3Error('NoSuchWebsiteConfiguration');
    case 'GetObjectLockConfiguration': throw new S3Error('ObjectLockConfigurationNotFoundError');
    case 'GetBucketReplication': throw new S3Error('ReplicationConfigurationNotFoundError');
    case 'GetBucketLogging': return xmlResponse(xmlDocument('BucketLoggingStatus', ''));
    case 'GetBucketNotificationConfiguration': return xmlResponse(xmlDocument('NotificationConfiguration', ''));
    case 'GetBucketRequestPayment': return xmlResponse(xmlDocument('RequestPaymentConfiguration', el('Payer', 'BucketOwner')));
    case 'GetBucketAccelerateConfiguration': return xmlResponse(xmlDocument('AccelerateConfiguration', ''));
    case 'GetPublicAccessBlock': throw new S3Error('NoSuchPublicAccessBlockConfiguration');
    default: throw new S3Error('NotImplemented');
  }
}
