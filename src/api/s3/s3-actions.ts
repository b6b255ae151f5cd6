// The one table: which IAM action(s) each S3 operation needs, and on which resource (bucket or object).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
import type { S3Operation } from '../../protocol/s3-operation.js';
import type { RequestContext } from '../context.js';
import { header } from '../context.js';

export interface RequiredAction {
  action: string;
  /** 'object' actions are checked against …/KEY resources, 'bucket' ones against the bucket (or access point). */
  on: 'bucket' | 'object' | 'account';
}

type Rule = string | ((ctx: RequestContext) => string[]);

const versioned = (plain: string, withVersion: string): Rule => (ctx) => [ctx.query.has('versionId') ? withVersion : plain];
const withTagging = (ctx: RequestContext): string[] => (header(ctx, 'x-amz-tagging') ? ['s3:PutObject', 's3:PutObjectTagging'] : ['s3:PutObject']);

/** Bucket operations (resource: bucket ARN or access point ARN). Empty: the handler authorizes per key. */
const bucketRules: Record<Exclude<S3Operation['kind'], 'ListBuckets' | 'OptionsPreflight'> & string, Rule | null> = {
  CreateBucket: 's3:CreateBucket', DeleteBucket: 's3:DeleteBucket', HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket', ListObjectsV2: 's3:ListBucket', ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads', GetBucketLocation: 's3:GetBucketLocation',
  GetBucketVersioning: 's3:GetBucketVersioning', PutBucketVersioning: 's3:PutBucketVersioning',
  GetBucketPolicy: 's3:GetBucketPolicy', PutBucketPolicy: 's3:PutBucketPolicy', DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketTagging: 's3:GetBucketTagging', PutBucketTagging: 's3:PutBucketTagging', DeleteBucketTagging: 's3:PutBucketTagging',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls', PutBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  DeleteBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  GetBucketEncryption: 's3:GetEncryptionConfiguration', PutBucketEncryption: 's3:PutEncryptionConfiguration',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketAcl: 's3:GetBucketAcl', PutBucketAcl: 's3:PutBucketAcl',
  DeleteObjects: null, PostObject: null,
  GetBucketCors: 's3:GetBucketCORS', PutBucketCors: 's3:PutBucketCORS', DeleteBucketCors: 's3:PutBucketCORS',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetBucketWebsite: 's3:GetBucketWebsite', GetBucketLogging: 's3:GetBucketLogging',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification', GetBucketRequestPayment: 's3:GetBucketRequestPayment',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration', GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock', GetBucketReplication: 's3:GetReplicationConfiguration',
  // DeletePublicAccessBlock needs the Put permission (there is no separate Delete action).
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock', DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  // Object operations (resource: …/KEY).
  GetObject: versioned('s3:GetObject', 's3:GetObjectVersion'),
  HeadObject: versioned('s3:GetObject', 's3:GetObjectVersion'),
  PutObject: withTagging,
  CopyObject: 's3:PutObject',
  DeleteObject: versioned('s3:DeleteObject', 's3:DeleteObjectVersion'),
  GetObjectTagging: versioned('s3:GetObjectTagging', 's3:GetObjectVersionTagging'),
  PutObjectTagging: versioned('s3:PutObjectTagging', 's3:PutObjectVersionTagging'),
  DeleteObjectTagging: versioned('s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'),
  GetObjectAcl: versioned('s3:GetObjectAcl', 's3:GetObjectVersionAcl'),
  PutObjectAcl: versioned('s3:PutObjectAcl', 's3:PutObjectVersionAcl'),
  GetObjectAttributes: (ctx) => (ctx.query.has('versionId') ? ['s3:GetObjectVersionAttributes', 's3:GetObjectVersion'] : ['s3:GetObjectAttributes', 's3:GetObject']),
  CreateMultipartUpload: withTagging,
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
};

export function requiredActions(ctx: RequestContext, op: S3Operation): RequiredAction[] {
  if (op.kind === 'ListBuckets') return [{ action: 's3:ListAllMyBuckets', on: 'account' }];
  // The preflight is unauthenticated: the bucket's CORS configuration decides (cors.ts).
  if (op.kind === 'OptionsPreflight') return [];
  const rule = bucketRules[op.kind];
  if (rule === null) return [];
  const actions = typeof rule === 'string' ? [rule] : rule(ctx);
  const on = 'key' in op ? 'object' : 'bucket';
  return actions.map((action) => ({ action, on }));
}
