// The permission matrix: two onboarded partners, each with its own access point and prefix, and every
// combination of {own prefix, other partner's prefix, outside any prefix} × {GetObject, PutObject, ListBucket,
// CopyObject as destination, CopyObject as source, DeleteObject} × {assumed role with policy, role without
// policy, expired session, wrong session token, root of another account, anonymous}; then an explicit Deny in
// each of the four policy kinds overriding an Allow.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyObjectCommand, CreateBucketCommand, S3Client, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand,
  GetBucketPolicyCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, PutRolePolicyCommand, DeleteRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { assumeRoleAs } from '../helpers/iam-setup.js';
import { approveOnboarding, requestOnboarding, type OnboardingGrant } from '../../src/delivery/onboarding.js';

type Outcome = 'allow' | string;
type Operation = 'GetObject' | 'PutObject' | 'ListBucket' | 'CopyAsDestination' | 'CopyAsSource' | 'DeleteObject';
type Target = 'own' | 'other' | 'outside';

const operations: Operation[] = ['GetObject', 'PutObject', 'ListBucket', 'CopyAsDestination', 'CopyAsSource', 'DeleteObject'];
const targets: Target[] = ['own', 'other', 'outside'];

interface Partner {
  accountId: string;
  root: Credentials & { accountId: string };
  grant: OnboardingGrant;
  roleArn: string;
  bareRoleArn: string;
  sourceBucket: string;
}

describe('permission matrix (two partners, access points, prefixes)', () => {
  let server: TestServer;
  let bucket: string;
  let a: Partner;
  let b: Partner;
  let stranger: Credentials & { accountId: string };
  const clients: S3Client[] = [];

  async function onboardPartner(name: string, accountId: string): Promise<Partner> {
    const root = await server.createAccount(name, accountId);
    const sourceBucket = `${name}-source`;
    const s3 = s3Client(server.endpoint, root);
    clients.push(s3);
    await s3.send(new CreateBucketCommand({ Bucket: sourceBucket }));
    await s3.send(new PutObjectCommand({ Bucket: sourceBucket, Key: 'master.mov', Body: `${name} master` }));
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'DeliveryRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const bareRoleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'BareRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const context = server.server.delivery.context;
    const request = await requestOnboarding(context, { partnerName: name, roleArns: [roleArn, bareRoleArn], deliveryAccounts: ['main'], region: 'us-east-1', sourceBucket, requestedBy: 'test' });
    const grant = await approveOnboarding(context, request.id, 'test');
    await iam.send(new PutRolePolicyCommand({ RoleName: 'DeliveryRole', PolicyName: 's3push-delivery', PolicyDocument: JSON.stringify(grant.policy) }));
    iam.destroy();
    return { accountId, root, grant, roleArn, bareRoleArn, sourceBucket };
  }

  before(async () => {
    server = await startTestServer();
    bucket = server.server.platform.deliveryBucket;
    a = await onboardPartner('studio-a', '222233334444');
    b = await onboardPartner('studio-b', '333344445555');
    stranger = await server.createAccount('stranger', '444455556666');
    const platform = s3Client(server.endpoint, server.platform);
    clients.push(platform);
    for (const key of [`${a.grant.prefix}/existing.txt`, `${b.grant.prefix}/existing.txt`, 'outside/existing.txt']) {
      await platform.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'existing' }));
    }
  });
  after(async () => {
    clients.forEach((c) => c.destroy());
    await server.stop();
  });

  function prefixOf(target: Target): string {
    return target === 'own' ? a.grant.prefix : target === 'other' ? b.grant.prefix : 'outside';
  }

  /** Runs one operation as partner A would (through A's access point alias); 'allow' or the error code. */
  async function attempt(s3: S3Client, operation: Operation, target: Target, n: number): Promise<Outcome> {
    const prefix = prefixOf(target);
    const alias = a.grant.alias;
    try {
      switch (operation) {
        case 'GetObject': await s3.send(new GetObjectCommand({ Bucket: alias, Key: `${prefix}/existing.txt` })); break;
        case 'PutObject': await s3.send(new PutObjectCommand({ Bucket: alias, Key: `${prefix}/put-${n}.txt`, Body: 'x' })); break;
        case 'ListBucket': await s3.send(new ListObjectsV2Command({ Bucket: alias, Prefix: `${prefix}/` })); break;
        case 'CopyAsDestination': await s3.send(new CopyObjectCommand({ Bucket: alias, Key: `${prefix}/copy-${n}.mov`, CopySource: `${a.sourceBucket}/master.mov` })); break;
        case 'CopyAsSource': {
          const source = encodeURIComponent(`${a.grant.accessPointArn}/object/${prefix}/existing.txt`);
          await s3.send(new CopyObjectCommand({ Bucket: alias, Key: `${a.grant.prefix}/from-${target}-${n}.txt`, CopySource: source }));
          break;
        }
        case 'DeleteObject': await s3.send(new DeleteObjectCommand({ Bucket: alias, Key: `${prefix}/existing.txt` })); break;
      }
      return 'allow';
    } catch (error) {
      const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
      return e.Code ?? e.name ?? String(error);
    }
  }

  /** AWS's answers given the generated policies: the role may read, write, list and copy under its own prefix only. */
  function expectedForRoleWithPolicy(operation: Operation, target: Target): Outcome {
    if (target !== 'own') return 'AccessDenied';
    return operation === 'DeleteObject' ? 'AccessDenied' : 'allow';
  }

  async function runMatrix(name: string, credentials: Credentials | undefined, expected: (operation: Operation, target: Target) => Outcome): Promise<void> {
    const s3 = credentials ? s3Client(server.endpoint, credentials) : anonymousClient();
    clients.push(s3);
    const mismatches: string[] = [];
    let n = 0;
    for (const target of targets) {
      for (const operation of operations) {
        const want = expected(operation, target);
        const got = await attempt(s3, operation, target, n++);
        if (got !== want) mismatches.push(`${name} × ${operation} × ${target}: expected ${want}, got ${got}`);
      }
    }
    assert.deepEqual(mismatches, []);
  }

  function anonymousClient(): S3Client {
    // A signer that leaves requests unsigned: what an anonymous caller sends.
    return new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, signer: { sign: async (request) => request } });
  }

  test('assumed role with the generated policy: exactly its own prefix', async () => {
    const session = await assumeRoleAs(server, a.root, a.roleArn, 'matrix');
    await runMatrix('role with policy', session, expectedForRoleWithPolicy);
  });

  test('a role without an identity policy: nothing, even where the access point policy names it', async () => {
    const session = await assumeRoleAs(server, a.root, a.bareRoleArn, 'bare');
    await runMatrix('role without policy', session, () => 'AccessDenied');
  });

  test('an expired session: ExpiredToken everywhere', async () => {
    const session = await assumeRoleAs(server, a.root, a.roleArn, 'expiring', 900);
    const record = (await server.server.services.meta.getAccessKey(session.accessKeyId))!;
    await server.server.services.meta.putAccessKey({ ...record, expiresMs: Date.now() - 1000 });
    server.server.services.credentials.invalidate(session.accessKeyId);
    await runMatrix('expired session', session, () => 'ExpiredToken');
  });

  test('a wrong session token: InvalidToken everywhere', async () => {
    const session = await assumeRoleAs(server, a.root, a.roleArn, 'tampered');
    await runMatrix('wrong token', { ...session, sessionToken: session.sessionToken!.slice(0, -4) + 'AAAA' }, () => 'InvalidToken');
  });

  test('the root user of another account: AccessDenied everywhere', async () => {
    await runMatrix('root of another account', stranger, () => 'AccessDenied');
  });

  test('anonymous callers: AccessDenied everywhere', async () => {
    await runMatrix('anonymous', undefined, () => 'AccessDenied');
  });

  test('partner B\'s role reaches its own prefix through its own access point, not A\'s', async () => {
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: b.root });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'DeliveryRole', PolicyName: 's3push-delivery', PolicyDocument: JSON.stringify(b.grant.policy) }));
    iam.destroy();
    const session = s3Client(server.endpoint, await assumeRoleAs(server, b.root, b.roleArn, 'b-session'));
    clients.push(session);
    await session.send(new PutObjectCommand({ Bucket: b.grant.alias, Key: `${b.grant.prefix}/mine.txt`, Body: 'b' }));
    await assert.rejects(session.send(new PutObjectCommand({ Bucket: a.grant.alias, Key: `${b.grant.prefix}/via-a.txt`, Body: 'b' })), { name: 'AccessDenied' });
    await assert.rejects(session.send(new PutObjectCommand({ Bucket: b.grant.alias, Key: `${a.grant.prefix}/into-a.txt`, Body: 'b' })), { name: 'AccessDenied' });
  });

  describe('an explicit Deny in each policy kind overrides the Allow', () => {
    const denyPut = (resource: string, principal?: string) => ({
      Sid: 'MatrixDeny', Effect: 'Deny', ...(principal ? { Principal: { AWS: principal } } : {}), Action: 's3:PutObject', Resource: resource,
    });

    async function canPut(credentials: Credentials, key: string): Promise<Outcome> {
      const s3 = s3Client(server.endpoint, credentials);
      try {
        await s3.send(new PutObjectCommand({ Bucket: a.grant.alias, Key: key, Body: 'x' }));
        return 'allow';
      } catch (error) {
        return (error as Error).name;
      } finally {
        s3.destroy();
      }
    }

    test('identity policy', async () => {
      const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: a.root });
      const session = await assumeRoleAs(server, a.root, a.roleArn, 'deny-identity');
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-identity.txt`), 'allow');
      await iam.send(new PutRolePolicyCommand({ RoleName: 'DeliveryRole', PolicyName: 'deny', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [denyPut('*')] }) }));
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-identity.txt`), 'AccessDenied');
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'DeliveryRole', PolicyName: 'deny' }));
      iam.destroy();
    });

    test('session policy', async () => {
      const sessionPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, denyPut('*')] });
      const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: a.root });
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: a.roleArn, RoleSessionName: 'deny-session', Policy: sessionPolicy }));
      sts.destroy();
      const c = out.Credentials!;
      assert.equal(await canPut({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, `${a.grant.prefix}/deny-session.txt`), 'AccessDenied');
      const plain = await assumeRoleAs(server, a.root, a.roleArn, 'no-session-policy');
      assert.equal(await canPut(plain, `${a.grant.prefix}/deny-session.txt`), 'allow');
    });

    test('access point policy', async () => {
      const session = await assumeRoleAs(server, a.root, a.roleArn, 'deny-ap');
      const { iam } = server.server.services;
      const ap = (await iam.getAccessPoint(server.server.platform.accountId, `s3push-${a.grant.prefix}`))!;
      const original = ap.policy!;
      const policy = JSON.parse(original) as { Statement: object[] };
      policy.Statement.push(denyPut(`${a.grant.accessPointArn}/object/*`, '*'));
      await iam.putAccessPointPolicy(ap.accountId, ap.name, JSON.stringify(policy));
      server.server.services.identityPolicies.invalidate();
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-ap.txt`), 'AccessDenied');
      await iam.putAccessPointPolicy(ap.accountId, ap.name, original);
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-ap.txt`), 'allow');
    });

    test('bucket policy', async () => {
      const session = await assumeRoleAs(server, a.root, a.roleArn, 'deny-bucket');
      const platform = s3Client(server.endpoint, server.platform);
      const original = (await platform.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!;
      const policy = JSON.parse(original) as { Statement: object[] };
      policy.Statement.push(denyPut(`arn:aws:s3:::${bucket}/${a.grant.prefix}/*`, a.roleArn));
      await platform.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-bucket.txt`), 'AccessDenied');
      await platform.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: original }));
      assert.equal(await canPut(session, `${a.grant.prefix}/deny-bucket.txt`), 'allow');
      platform.destroy();
    });
  });
});
