// The partner guide's access point flows with the real aws CLI and boto3: alias as bucket (path and
// virtual-host style), access point ARN as bucket (host NAME-ACCOUNT.localhost), and S3 Control
// (host ACCOUNT.localhost) — other processes cannot use a custom lookup, so /etc/hosts maps the names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { assumeRoleAs } from '../helpers/iam-setup.js';
import { awsEnv, skipUnless } from '../helpers/tools.js';
import { addLoopbackHosts, mustRun, pythonScript } from './compat-tools.js';
import { approveOnboarding, requestOnboarding, type OnboardingGrant } from '../../src/delivery/onboarding.js';

const partnerAccount = '222233334444';

describe('access point flows with the aws CLI and boto3', () => {
  let server: TestServer;
  let grant: OnboardingGrant;
  let session: Credentials;
  let endpoint: string;
  let hosts: { cleanup: () => Promise<void> } | { reason: string };
  const skip = skipUnless('aws', 'boto3');

  before(async () => {
    if (skip) return;
    server = await startTestServer();
    endpoint = `http://localhost:${server.port}`;
    const root = await server.createAccount('studio', partnerAccount);
    const partnerS3 = s3Client(server.endpoint, root);
    await partnerS3.send(new CreateBucketCommand({ Bucket: 'studio-source-bucket' }));
    await partnerS3.send(new PutObjectCommand({ Bucket: 'studio-source-bucket', Key: 'test.txt', Body: 's3push test delivery\n' }));
    partnerS3.destroy();
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerAccount}:root` }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'PrimeVideoDeliveryIAMRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const context = server.server.delivery.context;
    const request = await requestOnboarding(context, { partnerName: 'studio', roleArns: [roleArn], deliveryAccounts: ['test_account'], region: 'us-east-1', sourceBucket: 'studio-source-bucket', requestedBy: 'test' });
    grant = await approveOnboarding(context, request.id, 'operator');
    await iam.send(new PutRolePolicyCommand({ RoleName: 'PrimeVideoDeliveryIAMRole', PolicyName: 's3push-delivery', PolicyDocument: JSON.stringify(grant.policy) }));
    iam.destroy();
    session = await assumeRoleAs(server, root, roleArn, 'AWSCLI-Session');
    const apName = grant.accessPointArn.slice(grant.accessPointArn.lastIndexOf('/') + 1);
    hosts = await addLoopbackHosts([`${grant.alias}.localhost`, `${apName}-${server.server.platform.accountId}.localhost`, `${server.server.platform.accountId}.localhost`]);
  });
  after(async () => {
    if (hosts && 'cleanup' in hosts) await hosts.cleanup();
    await server?.stop();
  });

  test('aws CLI: copy-object through the alias, head-object through the ARN host, s3control through the account host', { skip }, async (t) => {
    if ('reason' in hosts) return t.skip(hosts.reason);
    const env = awsEnv(endpoint, session);
    const copied = JSON.parse(await mustRun('aws', ['s3api', 'copy-object', '--copy-source', 'studio-source-bucket/test.txt', '--bucket', grant.alias, '--key', `${grant.prefix}/cli.txt`, '--output', 'json'], { env })) as { VersionId?: string; CopySourceVersionId?: string; ServerSideEncryption?: string };
    assert.ok(copied.VersionId);
    assert.equal(copied.ServerSideEncryption, 'AES256');
    const head = JSON.parse(await mustRun('aws', ['s3api', 'head-object', '--bucket', grant.accessPointArn, '--key', `${grant.prefix}/cli.txt`, '--output', 'json'], { env })) as { ContentLength: number };
    assert.equal(head.ContentLength, 's3push test delivery\n'.length);
    const listed = JSON.parse(await mustRun('aws', ['s3api', 'list-objects-v2', '--bucket', grant.alias, '--prefix', `${grant.prefix}/`, '--output', 'json'], { env })) as { Contents: { Key: string }[] };
    assert.deepEqual(listed.Contents.map((c) => c.Key), [`${grant.prefix}/cli.txt`]);
    const platformEnv = awsEnv(endpoint, server.platform);
    const ap = JSON.parse(await mustRun('aws', ['s3control', 'get-access-point', '--account-id', server.server.platform.accountId, '--name', grant.accessPointArn.split('/').pop()!, '--output', 'json'], { env: platformEnv })) as { Alias: string; Bucket: string };
    assert.equal(ap.Alias, grant.alias);
    assert.equal(ap.Bucket, server.server.platform.deliveryBucket);
  });

  test('boto3: alias path and virtual style, ARN as Bucket and CopySource, S3 Control', { skip }, async (t) => {
    if ('reason' in hosts) return t.skip(hosts.reason);
    const output = await mustRun('python3', [pythonScript('access_point_flows.py')], {
      env: {
        ...awsEnv(endpoint, session),
        ENDPOINT: endpoint, ALIAS: grant.alias, AP_ARN: grant.accessPointArn, PREFIX: grant.prefix, SOURCE_BUCKET: 'studio-source-bucket',
        ROLE_KEY: session.accessKeyId, ROLE_SECRET: session.secretAccessKey, ROLE_TOKEN: session.sessionToken!,
        PLATFORM_KEY: server.platform.accessKeyId, PLATFORM_SECRET: server.platform.secretAccessKey, PLATFORM_ACCOUNT: server.server.platform.accountId,
      },
    });
    const results = JSON.parse(output) as Record<string, unknown>;
    assert.equal((results['path_copy'] as { sse: string }).sse, 'AES256');
    assert.ok((results['virtual_copy'] as { version: string }).version);
    assert.equal(results['arn_get'], 's3push test delivery\n');
    assert.ok((results['arn_copy_source'] as { copy_source_version: string }).copy_source_version);
    assert.deepEqual((results['list'] as string[]).filter((k) => k.includes('/boto3-')), [`${grant.prefix}/boto3-from-arn.txt`, `${grant.prefix}/boto3-path.txt`, `${grant.prefix}/boto3-virtual.txt`]);
    assert.equal(results['outside_prefix'], 'AccessDenied');
    assert.deepEqual(results['control_aliases'], [grant.alias]);
  });
});
