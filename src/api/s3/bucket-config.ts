// Bucket configuration: versioning, ownership controls, default encryption, ACLs (owner-only, as with
// BucketOwnerEnforced), and the real answers to configuration probes that tools like Terraform send.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
import { S3Error } from '../../core/errors.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument, type XmlNode } from '../../protocol/xml.js';
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
  if (status === undefined && mfaDelete === undefined) throw new S3Error('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
  if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  if (mfaDelete === 'Enabled') throw new S3Error('InvalidRequest', 'MFA Delete is not supported by s3push.');
  await ctx.services.meta.updateBucket(access.bucket.name, { versioning: status });
  return emptyResponse(200);
}

export function getBucketOwnershipControls(_ctx: RequestContext, access: BucketAccess): ApiResponse {
  if (!access.bucket.ownership) throw new S3Error('OwnershipControlsNotFoundError', undefined, { BucketName: access.bucket.name });
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
  await ctx.services.meta.updateBucket(access.bucket.name, { deleteOwnership: true });
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
  // S3 takes exactly one rule; none or several are MalformedXML.
  if (rules.length !== 1) throw new S3Error('MalformedXML');
  const byDefault = childOf(rules[0], 'ApplyServerSideEncryptionByDefault');
  const algorithm = textOf(byDefault, 'SSEAlgorithm');
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') throw new S3Error('NotImplemented', 'SSE-KMS is not supported; s3push encrypts every object with SSE-S3 (AES256).');
  if (algorithm !== 'AES256') throw new S3Error('MalformedXML');
  if (textOf(byDefault, 'KMSMasterKeyID') !== undefined) {
    throw new S3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: 'ApplyServerSideEncryptionByDefault' });
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

/**
 * ACLs are disabled (BucketOwnerEnforced): only an owner-only ACL is accepted, given as a canned
 * ACL (private, bucket-owner-full-control) or as an AccessControlPolicy granting FULL_CONTROL to
 * the owner alone. Anything else is AccessControlListNotSupported.
 */
export async function putAcl(ctx: RequestContext, access: BucketAccess, key?: string): Promise<ApiResponse> {
  const ownerAccountId = key !== undefined ? (await loadReadableVersion(ctx, access, key)).ownerAccountId : access.bucket.accountId;
  const canned = header(ctx, 'x-amz-acl');
  const body = await readAclBody(ctx);
  if (canned !== undefined && hasGrantHeaders(ctx)) throw new S3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (body !== undefined && (canned !== undefined || hasGrantHeaders(ctx))) throw new S3Error('UnexpectedContent');
  const ownerOnly = (canned === undefined || canned === 'private' || canned === 'bucket-owner-full-control') &&
    !hasGrantHeaders(ctx) && (body === undefined || (await grantsOwnerOnly(ctx, body, ownerAccountId)));
  if (access.bucket.ownership === 'BucketOwnerEnforced' && !ownerOnly) throw new S3Error('AccessControlListNotSupported');
  // BlockPublicAcls refuses public ACLs (AllUsers / AuthenticatedUsers grants) on buckets that still take ACLs.
  if (access.bucket.publicAccessBlock?.blockPublicAcls && (publicCannedAcls.has(canned ?? '') || hasPublicGrant(ctx, body))) {
    throw new S3Error('AccessDenied', 'Public ACLs are blocked by the BlockPublicAcls block public access setting of this bucket.');
  }
  if (access.bucket.ownership !== 'BucketOwnerEnforced') throw new S3Error('NotImplemented', 'Object ACLs are not supported by s3push; use bucket policies.');
  return emptyResponse(200);
}

const publicCannedAcls = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const publicGroups = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** A grant header or AccessControlPolicy grant naming the AllUsers or AuthenticatedUsers group. */
function hasPublicGrant(ctx: RequestContext, body: XmlNode | undefined): boolean {
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('x-amz-grant-') && publicGroups.test(String(value))) return true;
  }
  return childrenOf(childOf(body, 'AccessControlList'), 'Grant').some((grant) => publicGroups.test(textOf(childOf(grant, 'Grantee'), 'URI') ?? ''));
}

async function readAclBody(ctx: RequestContext): Promise<XmlNode | undefined> {
  try {
    return await readXmlBody(ctx, 'AccessControlPolicy', { optional: true });
  } catch (error) {
    if (error instanceof S3Error && error.code === 'MalformedXML') throw new S3Error('MalformedACLError');
    throw error;
  }
}

/** True when every grant gives FULL_CONTROL to the owner's canonical user id (and there is at least one). */
async function grantsOwnerOnly(ctx: RequestContext, policy: XmlNode, ownerAccountId: string): Promise<boolean> {
  const account = await ctx.services.meta.getAccount(ownerAccountId);
  const ownerId = account?.canonicalUserId ?? ownerAccountId;
  const grants = childrenOf(childOf(policy, 'AccessControlList'), 'Grant');
  return grants.length > 0 && grants.every((grant) =>
    textOf(grant, 'Permission') === 'FULL_CONTROL' && textOf(childOf(grant, 'Grantee'), 'ID') === ownerId);
}

/** Configurations s3push does not offer, answered as AWS answers a bucket without them. */
export function bucketProbe(kind: string, bucketName?: string): ApiResponse {
  const fields = bucketName !== undefined ? { BucketName: bucketName } : {};
  switch (kind) {
    case 'GetBucketCors': throw new S3Error('NoSuchCORSConfiguration', undefined, fields);
    case 'GetBucketLifecycleConfiguration': throw new S3Error('NoSuchLifecycleConfiguration', undefined, fields);
    case 'GetBucketWebsite': throw new S3Error('NoSuchWebsiteConfiguration', undefined, fields);
    case 'GetObjectLockConfiguration': throw new S3Error('ObjectLockConfigurationNotFoundError', undefined, fields);
    case 'GetBucketReplication': throw new S3Error('ReplicationConfigurationNotFoundError', undefined, fields);
    case 'GetBucketLogging': return xmlResponse(xmlDocument('BucketLoggingStatus', ''));
    case 'GetBucketNotificationConfiguration': return xmlResponse(xmlDocument('NotificationConfiguration', ''));
    case 'GetBucketRequestPayment': return xmlResponse(xmlDocument('RequestPaymentConfiguration', el('Payer', 'BucketOwner')));
    case 'GetBucketAccelerateConfiguration': return xmlResponse(xmlDocument('AccelerateConfiguration', ''));
    default: throw new S3Error('NotImplemented');
  }
}
