// Access points end to end: S3 Control CRUD, alias and ARN addressing, access point + bucket policies,
// and the partner guide's cross-account copy through the alias.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyObjectCommand, CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand,
  PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateAccessPointCommand, DeleteAccessPointCommand, GetAccessPointCommand, GetAccessPointPolicyCommand,
  ListAccessPointsCommand, PutAccessPointPolicyCommand, S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { loopbackAgent, s3Client } from '../helpers/s3-client.js';
import { assumeRoleAs, createRoleWithPolicy } from '../helpers/iam-setup.js';

function controlClient(server: TestServer, credentials: Credentials): S3ControlClient {
  return new S3ControlClient({
    endpoint: `http://localhost:${server.port}`,
    region: 'us-east-1',
    credentials,
    requestHandler: new NodeHttpHandler({ httpAgent: loopbackAgent() }),
  });
}

describe('access points', () => {
  let server: TestServer;
  let platformS3: S3Client;
  let control: S3ControlClient;
  let partner: Credentials & { accountId: string };
  let bucket: string;
  let platformAccount: string;
  let alias = '';
  let apArn = '';
  const apName = 'studio-delivery';

  before(async () => {
    server = await startTestServer();
    platformS3 = s3Client(server.endpoint, server.platform);
    control = controlClient(server, server.platform);
    partner = await server.createAccount('studio', '222233334444');
    bucket = server.server.platform.deliveryBucket;
    platformAccount = server.server.platform.accountId;
  });
  after(async () => {
    platformS3.destroy();
    control.destroy();
    await server.stop();
  });

  test('CreateAccessPoint answers an ARN and a -s3alias alias of at most 63 characters', async () => {
    const out = await control.send(new CreateAccessPointCommand({ AccountId: platformAccount, Name: apName, Bucket: bucket }));
    apArn = out.AccessPointArn!;
    alias = out.Alias!;
    assert.equal(apArn, `arn:aws:s3:us-east-1:${platformAccount}:accesspoint/${apName}`);
    assert.match(alias, /^studio-delivery-[a-z0-9]{34}-s3alias$/);
    assert.ok(alias.length <= 63);
    const got = await control.send(new GetAccessPointCommand({ AccountId: platformAccount, Name: apName }));
    assert.equal(got.Bucket, bucket);
    assert.equal(got.Alias, alias);
    assert.equal(got.NetworkOrigin, 'Internet');
    assert.equal(got.PublicAccessBlockConfiguration?.BlockPublicPolicy, true);
    const list = await control.send(new ListAccessPointsCommand({ AccountId: platformAccount, Bucket: bucket }));
    assert.deepEqual(list.AccessPointList?.map((a) => a.Name), [apName]);
    await assert.rejects(control.send(new CreateAccessPointCommand({ AccountId: platformAccount, Name: apName, Bucket: bucket })), { name: 'AccessPointAlreadyOwnedByYou' });
    await assert.rejects(control.send(new CreateAccessPointCommand({ AccountId: platformAccount, Name: 'Bad_Name', Bucket: bucket })), { name: 'InvalidRequest' });
  });

  test('another account cannot manage this account\'s access points', async () => {
    const partnerControl = controlClient(server, partner);
    await assert.rejects(partnerControl.send(new GetAccessPointCommand({ AccountId: platformAccount, Name: apName })), { name: 'AccessDenied' });
    partnerControl.destroy();
  });

  test('the owner reaches the bucket through the alias, path and virtual-host style, and the ARN host', async () => {
    await platformS3.send(new PutObjectCommand({ Bucket: alias, Key: 'platform/hello.txt', Body: 'hello' }));
    const direct = await platformS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'platform/hello.txt' }));
    assert.equal(await direct.Body!.transformToString(), 'hello');
    const virtual = s3Client(server.endpoint, server.platform, 'virtual');
    const viaVirtual = await virtual.send(new GetObjectCommand({ Bucket: alias, Key: 'platform/hello.txt' }));
    assert.equal(await viaVirtual.Body!.transformToString(), 'hello');
    const viaArn = await virtual.send(new GetObjectCommand({ Bucket: apArn, Key: 'platform/hello.txt' }));
    assert.equal(await viaArn.Body!.transformToString(), 'hello');
    virtual.destroy();
  });

  test('the partner guide: a partner role copies from its own bucket into its prefix through the alias', async () => {
    const partnerS3 = s3Client(server.endpoint, partner);
    await partnerS3.send(new CreateBucketCommand({ Bucket: 'studio-source-bucket' }));
    await partnerS3.send(new PutBucketVersioningCommand({ Bucket: 'studio-source-bucket', VersioningConfiguration: { Status: 'Enabled' } }));
    await partnerS3.send(new PutObjectCommand({ Bucket: 'studio-source-bucket', Key: 'test.txt', Body: 's3push test delivery\n' }));
    const roleArn = await createRoleWithPolicy(server, partner.accountId, 'DeliveryRole', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], Resource: ['arn:aws:s3:::studio-source-bucket', 'arn:aws:s3:::studio-source-bucket/*'] },
        { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: [`${apArn}/object/studio/*`] },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [apArn], Condition: { StringLike: { 's3:prefix': ['studio/*'] } } },
      ],
    });
    await control.send(new PutAccessPointPolicyCommand({
      AccountId: platformAccount, Name: apName,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['s3:PutObject', 's3:GetObject'], Resource: `${apArn}/object/studio/*` },
        { Effect: 'Allow', Principal: { AWS: roleArn }, Action: 's3:ListBucket', Resource: apArn, Condition: { StringLike: { 's3:prefix': ['studio/*'] } } },
      ] }),
    }));
    const apPolicy = await control.send(new GetAccessPointPolicyCommand({ AccountId: platformAccount, Name: apName }));
    assert.match(apPolicy.Policy!, /studio\/\*/);
    const session = await assumeRoleAs(server, partner, roleArn, 'AWSCLI-Session');
    const roleS3 = s3Client(server.endpoint, session);

    // Without the bucket's delegation to access points the bucket layer refuses the cross-account copy.
    await assert.rejects(roleS3.send(new CopyObjectCommand({ Bucket: alias, Key: 'studio/test.txt', CopySource: 'studio-source-bucket/test.txt' })), { name: 'AccessDenied' });
    await platformS3.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{
        Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { StringEquals: { 's3:DataAccessPointAccount': platformAccount } },
      }] }),
    }));
    const copied = await roleS3.send(new CopyObjectCommand({ Bucket: alias, Key: 'studio/test.txt', CopySource: 'studio-source-bucket/test.txt' }));
    assert.equal(copied.ServerSideEncryption, 'AES256');
    assert.ok(copied.CopySourceVersionId);
    assert.ok(copied.VersionId);
    assert.equal(copied.CopyObjectResult?.ETag, '"' + (await import('node:crypto')).createHash('md5').update('s3push test delivery\n').digest('hex') + '"');
    const listed = await roleS3.send(new ListObjectsV2Command({ Bucket: alias, Prefix: 'studio/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['studio/test.txt']);
    await assert.rejects(roleS3.send(new CopyObjectCommand({ Bucket: alias, Key: 'elsewhere/test.txt', CopySource: 'studio-source-bucket/test.txt' })), (error: Error) => {
      assert.equal(error.name, 'AccessDenied');
      return true;
    });
    await assert.rejects(roleS3.send(new ListObjectsV2Command({ Bucket: alias, Prefix: 'platform/' })), { name: 'AccessDenied' });
    await assert.rejects(roleS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'studio/test.txt' })), { name: 'AccessDenied' }, 'the bucket itself is not reachable, only the access point');
    roleS3.destroy();
    partnerS3.destroy();
  });

  test('DeleteAccessPoint removes the alias', async () => {
    await control.send(new DeleteAccessPointCommand({ AccountId: platformAccount, Name: apName }));
    await assert.rejects(platformS3.send(new GetObjectCommand({ Bucket: alias, Key: 'platform/hello.txt' })), { name: 'NoSuchBucket' });
  });
});
