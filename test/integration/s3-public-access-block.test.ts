// S3 Block Public Access on buckets: Put/Get/DeletePublicAccessBlock through the AWS SDK v3, and its
// enforcement: BlockPublicPolicy (PutBucketPolicy), RestrictPublicBuckets (anonymous and cross-account
// callers lose what a public bucket or access point policy grants), BlockPublicAcls; "public" as AWS
// defines it in GetBucketPolicyStatus and GetAccessPointPolicyStatus.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketOwnershipControlsCommand, DeleteObjectCommand, DeletePublicAccessBlockCommand,
  GetBucketPolicyStatusCommand, GetObjectCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, PutBucketPolicyCommand,
  PutObjectCommand, PutPublicAccessBlockCommand, type PublicAccessBlockConfiguration, type S3Client,
} from '@aws-sdk/client-s3';
import { CreateAccessPointCommand, GetAccessPointPolicyStatusCommand, PutAccessPointPolicyCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loopbackAgent, s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { rawRequest, xmlField } from '../helpers/raw-request.js';

let server: TestServer;
let s3: S3Client;
let other: S3Client;
let otherAccount: string;
let bucketCount = 0;

before(async () => {
  server = await startTestServer();
  s3 = s3Client(server.endpoint, server.platform);
  const created = await server.createAccount('pab-other');
  otherAccount = created.accountId;
  other = s3Client(server.endpoint, created);
});
after(async () => {
  s3.destroy();
  other.destroy();
  await server.stop();
});

async function newBucket(): Promise<string> {
  const name = `pab-${++bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

function policy(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const publicRead = (bucket: string, extra: object = {}): object => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, ...extra });

/** An unsigned GET, as a browser or curl would send it. */
async function anonymousGet(bucket: string, key: string): Promise<number> {
  const response = await fetch(`${server.endpoint}/${bucket}/${key}`);
  await response.arrayBuffer();
  return response.status;
}

async function readBody(client: S3Client, bucket: string, key: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return got.Body!.transformToString();
}

describe('Put/Get/DeletePublicAccessBlock', () => {
  test('a new bucket has none; Put stores all four settings; Delete removes them', async () => {
    const bucket = await newBucket();
    await expectS3Error(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), { code: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    const configuration: PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    const put = await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: configuration }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration, configuration);
    const deleted = await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectS3Error(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), { code: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    // Deleting again is fine, as on AWS.
    assert.equal((await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }))).$metadata.httpStatusCode, 204);
  });

  test('settings left out are false; a value that is not a boolean is MalformedXML; no body is MissingRequestBodyError', async () => {
    const bucket = await newBucket();
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration,
      { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true });
    const bad = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}`, query: 'publicAccessBlock', body: '<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>' });
    assert.equal(bad.status, 400);
    assert.equal(xmlField(bad.body, 'Code'), 'MalformedXML');
    const empty = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}`, query: 'publicAccessBlock', body: '' });
    assert.equal(xmlField(empty.body, 'Code'), 'MissingRequestBodyError');
  });

  test('IAM actions: Put and Delete need s3:PutBucketPublicAccessBlock, Get s3:GetBucketPublicAccessBlock', async () => {
    const bucket = await newBucket();
    await expectS3Error(other.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } })), { code: 'AccessDenied', status: 403 });
    await s3.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: policy([{ Effect: 'Allow', Principal: { AWS: otherAccount }, Action: 's3:PutBucketPublicAccessBlock', Resource: `arn:aws:s3:::${bucket}` }]),
    }));
    await other.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    await expectS3Error(other.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), { code: 'AccessDenied', status: 403 });
    await other.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await expectS3Error(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), { code: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    // A bucket policy can deny the owner's own users the Get (the root user too, as s3-tests expects).
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([{ Effect: 'Deny', Principal: '*', Action: 's3:GetBucketPublicAccessBlock', Resource: `arn:aws:s3:::${bucket}` }]) }));
    await expectS3Error(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), { code: 'AccessDenied', status: 403 });
  });
});

describe('BlockPublicPolicy', () => {
  test('PutBucketPolicy of a public policy is AccessDenied; non-public policies are accepted', async () => {
    const bucket = await newBucket();
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    const refused = await expectS3Error(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([publicRead(bucket)]) })), { code: 'AccessDenied', status: 403 });
    assert.equal(refused.message, `User: arn:aws:iam::${server.server.platform.accountId}:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`);
    for (const extra of [
      { Principal: { AWS: otherAccount } },
      { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
    ]) {
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([publicRead(bucket, extra)]) }));
    }
    // Without the setting the public policy goes in.
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([publicRead(bucket)]) }));
  });

  test('GetBucketPolicyStatus says whether the stored policy is public, by the same rules', async () => {
    const bucket = await newBucket();
    const cases: [object, boolean][] = [
      [publicRead(bucket), true],
      [publicRead(bucket, { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }), true],
      [publicRead(bucket, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), true],
      [publicRead(bucket, { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/32' } } }), false],
      [publicRead(bucket, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }), false],
      [publicRead(bucket, { Principal: { AWS: otherAccount } }), false],
    ];
    for (const [statement, isPublic] of cases) {
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([statement]) }));
      const status = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
      assert.equal(status.PolicyStatus?.IsPublic, isPublic, JSON.stringify(statement));
    }
  });
});

describe('RestrictPublicBuckets', () => {
  test('a public policy stops granting anonymous and cross-account callers; the owner\'s account keeps access; Denies still apply', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'foo', Body: 'bar' }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: policy([
        publicRead(bucket),
        { Effect: 'Allow', Principal: { AWS: otherAccount }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` },
        { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/keep` },
      ]),
    }));
    assert.equal(await anonymousGet(bucket, 'foo'), 200);
    assert.equal(await readBody(other, bucket, 'foo'), 'bar');
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-other', Body: 'x', ACL: 'bucket-owner-full-control' }));

    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    assert.equal(await anonymousGet(bucket, 'foo'), 403);
    await expectS3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'foo' })), { code: 'AccessDenied', status: 403 });
    // Even the statement naming the other account stops working while the policy is public.
    await expectS3Error(other.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-other-2', Body: 'x' })), { code: 'AccessDenied', status: 403 });
    assert.equal(await readBody(s3, bucket, 'foo'), 'bar');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep', Body: 'k' }));
    await expectS3Error(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'keep' })), { code: 'AccessDenied', status: 403 });

    // A policy that is not public is not restricted: the named account regains its access.
    await s3.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: policy([{ Effect: 'Allow', Principal: { AWS: otherAccount }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }]),
    }));
    assert.equal(await readBody(other, bucket, 'foo'), 'bar');
    assert.equal(await anonymousGet(bucket, 'foo'), 403);
  });

  test('an access point\'s own RestrictPublicBuckets (on by default) restricts its public policy', async () => {
    const bucket = await newBucket();
    const account = server.server.platform.accountId;
    const control = new S3ControlClient({ endpoint: `http://localhost:${server.port}`, region: 'us-east-1', credentials: server.platform, requestHandler: new NodeHttpHandler({ httpAgent: loopbackAgent() }) });
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared', Body: 'via ap' }));
      // The bucket delegates to its owner's access points (not public: s3:DataAccessPointAccount is fixed).
      await s3.send(new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': account } } }]),
      }));
      const aliases: Record<string, string> = {};
      // BlockPublicPolicy is on by default too, and would refuse the public access point policies below
      // (AWS: "Amazon S3 rejects calls to PutAccessPointPolicy if the specified access point policy allows
      // public access"), so both turn it off; 'pab-restricted' leaves RestrictPublicBuckets at its default.
      for (const [name, restrict] of [['pab-restricted', undefined], ['pab-open', false]] as const) {
        const created = await control.send(new CreateAccessPointCommand({
          AccountId: account, Name: name, Bucket: bucket,
          PublicAccessBlockConfiguration: { BlockPublicPolicy: false, ...(restrict === undefined ? {} : { RestrictPublicBuckets: restrict }) },
        }));
        aliases[name] = created.Alias!;
        const apArn = created.AccessPointArn!;
        await control.send(new PutAccessPointPolicyCommand({
          AccountId: account, Name: name,
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${apArn}/object/*` }] }),
        }));
        const status = await control.send(new GetAccessPointPolicyStatusCommand({ AccountId: account, Name: name }));
        assert.equal(status.PolicyStatus?.IsPublic, true);
      }
      await expectS3Error(other.send(new GetObjectCommand({ Bucket: aliases['pab-restricted'], Key: 'shared' })), { code: 'AccessDenied', status: 403 });
      assert.equal(await readBody(other, aliases['pab-open']!, 'shared'), 'via ap');
      // The bucket's own setting applies to every access point of the bucket.
      await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
      await expectS3Error(other.send(new GetObjectCommand({ Bucket: aliases['pab-open'], Key: 'shared' })), { code: 'AccessDenied', status: 403 });
      assert.equal(await readBody(s3, aliases['pab-restricted']!, 'shared'), 'via ap');
    } finally {
      control.destroy();
    }
  });
});

describe('BlockPublicAcls', () => {
  test('on a bucket that still takes ACLs, a public ACL is AccessDenied', async () => {
    const bucket = await newBucket();
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    // Without the setting a public ACL is taken (ACLs are implemented for buckets that take them).
    assert.equal((await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }))).$metadata.httpStatusCode, 200);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    for (const ACL of ['public-read', 'public-read-write', 'authenticated-read'] as const) {
      await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL })), { code: 'AccessDenied', status: 403 });
    }
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })), { code: 'AccessDenied', status: 403 });
  });
});

describe('access point policies', () => {
  test('BlockPublicPolicy (on by default) refuses a public access point policy; the status judges it as an access point policy', async () => {
    const bucket = await newBucket();
    const account = server.server.platform.accountId;
    const control = new S3ControlClient({ endpoint: `http://localhost:${server.port}`, region: 'us-east-1', credentials: server.platform, requestHandler: new NodeHttpHandler({ httpAgent: loopbackAgent() }) });
    try {
      const guarded = await control.send(new CreateAccessPointCommand({ AccountId: account, Name: 'pab-guarded', Bucket: bucket }));
      const everyone = (resource: string, condition?: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource, ...(condition ? { Condition: condition } : {}) }] });
      await expectS3Error(control.send(new PutAccessPointPolicyCommand({ AccountId: account, Name: 'pab-guarded', Policy: everyone(`${guarded.AccessPointArn}/object/*`) })), { code: 'AccessDenied', status: 403 });
      // Naming a fixed account is not public, so it is taken.
      await control.send(new PutAccessPointPolicyCommand({
        AccountId: account, Name: 'pab-guarded',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: otherAccount }, Action: 's3:GetObject', Resource: `${guarded.AccessPointArn}/object/*` }] }),
      }));
      assert.equal((await control.send(new GetAccessPointPolicyStatusCommand({ AccountId: account, Name: 'pab-guarded' }))).PolicyStatus?.IsPublic, false);
      // "accesspoint/*" of a fixed account confines a bucket policy, not an access point policy (it names every caller of them).
      const open = await control.send(new CreateAccessPointCommand({ AccountId: account, Name: 'pab-unguarded', Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: false } }));
      await control.send(new PutAccessPointPolicyCommand({
        AccountId: account, Name: 'pab-unguarded',
        Policy: everyone(`${open.AccessPointArn}/object/*`, { StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${account}:accesspoint/*` } }),
      }));
      assert.equal((await control.send(new GetAccessPointPolicyStatusCommand({ AccountId: account, Name: 'pab-unguarded' }))).PolicyStatus?.IsPublic, true);
    } finally {
      control.destroy();
    }
  });
});
