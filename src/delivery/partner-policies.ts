// The policies onboarding writes and hands out: the access point policy (platform side), the bucket's
// delegation to access points, and the IAM policy a partner attaches to its role — valid on AWS too:
// access point ARN and …/object/PREFIX/* resources, never the alias (aliases are not policy resources).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: string | string[] } | '*';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** What a delivering role may do on objects under its prefix: write (single and multipart), read back, tag. */
export const deliveryObjectActions = [
  's3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes',
  's3:PutObjectTagging', 's3:GetObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts',
];

/** What a role needs on its own source bucket to copy from it (CopyObject / UploadPartCopy sources). */
export const sourceReadActions = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:ListBucket'];

const prefixPatterns = (prefix: string) => [`${prefix}/*`, `${prefix}/`];

/** Access point policy: exactly these roles, only under the prefix. */
export function accessPointPolicy(accessPointArn: string, prefix: string, roleArns: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PartnerObjectsUnderPrefix', Effect: 'Allow', Principal: { AWS: roleArns }, Action: deliveryObjectActions, Resource: `${accessPointArn}/object/${prefix}/*` },
      { Sid: 'PartnerListsItsPrefix', Effect: 'Allow', Principal: { AWS: roleArns }, Action: 's3:ListBucket', Resource: accessPointArn, Condition: { StringLike: { 's3:prefix': prefixPatterns(prefix) } } },
      { Sid: 'PartnerListsItsUploads', Effect: 'Allow', Principal: { AWS: roleArns }, Action: 's3:ListBucketMultipartUploads', Resource: accessPointArn },
    ],
  };
}

export const delegationStatementSid = 'DelegateAccessControlToAccessPoints';

/** The canonical bucket policy statement that lets the bucket owner's access points decide. */
export function delegationStatement(bucket: string, ownerAccountId: string): PolicyStatement {
  return {
    Sid: delegationStatementSid,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: '*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { StringEquals: { 's3:DataAccessPointAccount': ownerAccountId } },
  };
}

/** Adds (or refreshes) the delegation statement in an existing bucket policy, keeping everything else. */
export function withDelegation(existingPolicy: string | undefined, bucket: string, ownerAccountId: string): string {
  const document = existingPolicy ? (JSON.parse(existingPolicy) as { Version?: string; Statement?: unknown }) : { Version: '2012-10-17', Statement: [] };
  const statements = (Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : []) as PolicyStatement[];
  const kept = statements.filter((s) => s.Sid !== delegationStatementSid);
  return JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: [...kept, delegationStatement(bucket, ownerAccountId)] });
}

/** The IAM policy the partner attaches to its delivery role (inline, e.g. `aws iam put-role-policy`). */
export function partnerRolePolicy(accessPointArn: string, prefix: string, sourceBuckets: string[]): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: 'DeliverUnderPrefixThroughAccessPoint', Effect: 'Allow', Action: deliveryObjectActions, Resource: `${accessPointArn}/object/${prefix}/*` },
    { Sid: 'ListPrefixThroughAccessPoint', Effect: 'Allow', Action: 's3:ListBucket', Resource: accessPointArn, Condition: { StringLike: { 's3:prefix': prefixPatterns(prefix) } } },
    { Sid: 'ListUploadsThroughAccessPoint', Effect: 'Allow', Action: 's3:ListBucketMultipartUploads', Resource: accessPointArn },
  ];
  if (sourceBuckets.length > 0) {
    statements.unshift({
      Sid: 'ReadSourceBuckets', Effect: 'Allow', Action: sourceReadActions,
      Resource: sourceBuckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

export interface DeliveryCommands {
  cli: string;
  boto3: string;
  js: string;
}

/** Copy-paste commands shown after approval and on the Access page. */
export function deliveryCommands(endpoint: string, alias: string, prefix: string, sourceBucket: string | undefined, roleArn: string | undefined): DeliveryCommands {
  const source = sourceBucket ?? 'YOUR_SOURCE_BUCKET';
  const role = roleArn ?? 'arn:aws:iam::YOUR_ACCOUNT:role/YOUR_DELIVERY_ROLE';
  return {
    cli: [
      `aws sts assume-role --role-arn ${role} --role-session-name delivery --endpoint-url ${endpoint}`,
      `aws s3api copy-object --copy-source ${source}/test.txt --bucket ${alias} --key ${prefix}/test.txt --endpoint-url ${endpoint}`,
    ].join('\n'),
    boto3: [
      'import boto3',
      `s3 = boto3.client('s3', endpoint_url='${endpoint}')`,
      `s3.copy_object(CopySource={'Bucket': '${source}', 'Key': 'test.txt'}, Bucket='${alias}', Key='${prefix}/test.txt')`,
    ].join('\n'),
    js: [
      "import { S3Client, CopyObjectCommand } from '@aws-sdk/client-s3';",
      `const s3 = new S3Client({ endpoint: '${endpoint}', forcePathStyle: true });`,
      `await s3.send(new CopyObjectCommand({ CopySource: '${source}/test.txt', Bucket: '${alias}', Key: '${prefix}/test.txt' }));`,
    ].join('\n'),
  };
}
