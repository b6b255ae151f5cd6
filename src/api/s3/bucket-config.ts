// Bucket configuration: versioning, ownership controls, default encryption, and the real answers to
// configuration probes that tools like Terraform send. (ACLs: acl.ts; CORS: cors.ts.)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
import { S3Error } from '../../core/errors.js';
import { childOf, childrenOf, el, textOf, wrap, xmlDocument } from '../../protocol/xml.js';
import type { ObjectOwnership } from '../../storage/types.js';
import { emptyResponse, xmlResponse, type ApiResponse, type RequestContext } from '../context.js';
import { isOwnerOnlyAcl } from './acl.js';
import type { BucketAccess } from './bucket-access.js';
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
  // ACLs must grant nothing beyond the owner before they can be disabled (AWS: migrate them to a policy first).
  if (ownership === 'BucketOwnerEnforced' && access.bucket.ownership !== 'BucketOwnerEnforced' && !isOwnerOnlyAcl(access.bucket.acl, access.bucket.accountId)) {
    throw new S3Error('InvalidBucketAclWithObjectOwnership');
  }
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

/** Configurations s3push does not offer, answered as AWS answers a bucket without them. */
export function bucketProbe(kind: string, bucketName?: string): ApiResponse {
  const fields = bucketName !== undefined ? { BucketName: bucketName } : {};
  switch (kind) {
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
