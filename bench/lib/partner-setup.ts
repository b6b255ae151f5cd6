// The partner guide's set-up on a running s3push, through its public APIs: a partner account, its source bucket,
// a delivery role, an access point on the delivery bucket with a policy for that role, the bucket's
// delegation to access points, and an STS session for the role.
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { adminCall } from '../../src/cli/admin-client.js';
import { describe } from './load.js';
import { LeanS3, expectOk, keyPath, sha256HexOf, type Credentials } from './lean-s3.js';
import { RawConnection } from './raw-http.js';
import type { RunningServer } from './servers.js';

/** A piece of the flow the server does not offer (yet): the scenario is reported as pending. */
export class FlowUnavailable extends Error {}

export interface PartnerSetup {
  partnerAccountId: string;
  partner: Credentials;
  partnerLean: LeanS3;
  sourceBucket: string;
  deliveryBucket: string;
  prefix: string;
  roleArn: string;
  accessPointName: string;
  accessPointArn: string;
  alias: string;
  session: Credentials;
  sessionLean: LeanS3;
}

const controlNamespace = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new FlowUnavailable(`${name}: ${describe(error)}`);
  }
}

async function signedBody(conn: RawConnection, lean: LeanS3, method: string, path: string, query: string, body: string, headers: Record<string, string>, what: string): Promise<string> {
  const bytes = Buffer.from(body);
  const head = lean.head({ method, path, query, headers, contentLength: bytes.length, payloadHash: sha256HexOf(bytes) });
  const response = expectOk(await conn.request({ head, body: bytes, keepBodyBytes: 64 * 1024 }), what);
  return response.body?.toString('utf8') ?? '';
}

export async function setUpPartner(server: RunningServer, options: { prefix: string; actions?: string[] }): Promise<PartnerSetup> {
  if (!server.dataDir || !server.accountId) throw new Error('setUpPartner needs s3push');
  const platformAccountId = server.accountId;
  const deliveryBucket = `bench-delivery-${randomBytes(3).toString('hex')}`;
  const conn = new RawConnection(server.port);
  try {
    await step('CreateBucket (delivery bucket)', () => server.lean.createBucket(conn, deliveryBucket));
    const created = await step('s3push admin API: create account', () => adminCall<{ accountId: string; accessKeyId: string; secretAccessKey: string }>(
      { endpoint: server.endpoint, dataDir: server.dataDir! }, 'POST', '/api/v1/accounts', { name: `studio-${randomBytes(3).toString('hex')}` }));
    const partner = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
    const partnerLean = new LeanS3({ port: server.port, credentials: partner, region: server.region });
    const sourceBucket = `studio-source-${randomBytes(3).toString('hex')}`;
    await step('CreateBucket (partner source bucket)', () => partnerLean.createBucket(conn, sourceBucket));

    // The access point on the platform's delivery bucket (S3 Control, REST-XML).
    const accessPointName = `bench-ap-${randomBytes(3).toString('hex')}`;
    const controlHeaders = { 'x-amz-account-id': platformAccountId };
    const createXml = await step('S3 Control CreateAccessPoint', () => signedBody(conn, server.lean, 'PUT', `/v20180820/accesspoint/${accessPointName}`, '',
      `<CreateAccessPointRequest xmlns="${controlNamespace}"><Bucket>${deliveryBucket}</Bucket></CreateAccessPointRequest>`, controlHeaders, 'CreateAccessPoint'));
    const alias = /<Alias>([^<]+)<\/Alias>/.exec(createXml)?.[1];
    const accessPointArn = /<AccessPointArn>([^<]+)<\/AccessPointArn>/.exec(createXml)?.[1];
    if (!alias || !accessPointArn) throw new FlowUnavailable('CreateAccessPoint answered no Alias/AccessPointArn');

    // The partner's delivery role: read its source bucket, write its prefix through the access point.
    const actions = options.actions ?? ['s3:PutObject', 's3:GetObject'];
    const iam = new IAMClient({ endpoint: server.endpoint, region: server.region, credentials: partner, maxAttempts: 1 });
    let roleArn: string;
    try {
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${created.accountId}:root` }, Action: 'sts:AssumeRole' }] };
      roleArn = await step('IAM CreateRole', async () => (await iam.send(new CreateRoleCommand({ RoleName: 'DeliveryRole', AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!);
      const rolePolicy = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], Resource: [`arn:aws:s3:::${sourceBucket}`, `arn:aws:s3:::${sourceBucket}/*`] },
          { Effect: 'Allow', Action: actions, Resource: [`${accessPointArn}/object/${options.prefix}*`] },
        ],
      };
      await step('IAM PutRolePolicy', () => iam.send(new PutRolePolicyCommand({ RoleName: 'DeliveryRole', PolicyName: 'delivery', PolicyDocument: JSON.stringify(rolePolicy) })));
    } finally {
      iam.destroy();
    }
    const apPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: roleArn }, Action: actions, Resource: `${accessPointArn}/object/${options.prefix}*` }] };
    await step('S3 Control PutAccessPointPolicy', () => signedBody(conn, server.lean, 'PUT', `/v20180820/accesspoint/${accessPointName}/policy`, '',
      `<PutAccessPointPolicyRequest xmlns="${controlNamespace}"><Policy>${escapeXml(JSON.stringify(apPolicy))}</Policy></PutAccessPointPolicyRequest>`, controlHeaders, 'PutAccessPointPolicy'));
    // The bucket delegates access control to access points of its own account (AWS's recommended pattern).
    const bucketPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: [`arn:aws:s3:::${deliveryBucket}`, `arn:aws:s3:::${deliveryBucket}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': platformAccountId } } }],
    };
    await step('PutBucketPolicy (delegation to access points)', () => signedBody(conn, server.lean, 'PUT', keyPath(deliveryBucket), 'policy=', JSON.stringify(bucketPolicy), {}, 'PutBucketPolicy'));

    const sts = new STSClient({ endpoint: server.endpoint, region: server.region, credentials: partner, maxAttempts: 1 });
    let session: Credentials;
    try {
      session = await step('STS AssumeRole', async () => {
        const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'AWSCLI-Session' }));
        const c = out.Credentials!;
        return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
      });
    } finally {
      sts.destroy();
    }
    return {
      partnerAccountId: created.accountId, partner, partnerLean, sourceBucket, deliveryBucket, prefix: options.prefix, roleArn,
      accessPointName, accessPointArn, alias, session, sessionLean: new LeanS3({ port: server.port, credentials: session, region: server.region }),
    };
  } finally {
    conn.close();
  }
}
