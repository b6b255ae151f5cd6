// A partner onboarded through the JSON API the way the partner guide does it: its own account, a delivery role
// with the generated policy, an approved onboarding request; plus helpers to deliver and to wait for ingest.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { adminCall } from '../../src/cli/admin-client.js';
import type { DeliveryRecord } from '../../src/storage/delivery-store.js';
import type { OnboardingGrant } from '../../src/delivery/onboarding.js';
import { assumeRoleAs } from './iam-setup.js';
import { s3Client } from './s3-client.js';
import type { Credentials, TestServer } from './server.js';

export interface OnboardedPartner {
  name: string;
  partnerId: string;
  accountId: string;
  roleArn: string;
  grant: OnboardingGrant;
  /** The delivery role's session credentials (sessionName "delivery"). */
  role: Credentials;
}

export async function onboardPartner(server: TestServer, name: string, accountId: string): Promise<OnboardedPartner> {
  const root = await server.createAccount(name.toLowerCase(), accountId);
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
  const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Delivery', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  const target = { endpoint: server.endpoint, dataDir: server.dataDir };
  const request = await adminCall<{ id: string }>(target, 'POST', '/api/v1/onboarding-requests', { partner: name, roleArns: [roleArn], deliveryAccounts: [`${name.toLowerCase()}_main`], region: 'us-east-1' });
  const grant = await adminCall<OnboardingGrant>(target, 'POST', `/api/v1/onboarding-requests/${request.id}/approve`);
  await iam.send(new PutRolePolicyCommand({ RoleName: 'Delivery', PolicyName: 'delivery', PolicyDocument: JSON.stringify(grant.policy) }));
  iam.destroy();
  const role = await assumeRoleAs(server, root, roleArn, 'delivery');
  const partnerId = (await server.server.delivery.context.deliveries.getPartnerByName(name))!.id;
  return { name, partnerId, accountId, roleArn, grant, role };
}

/** Delivers through the partner's access point alias with its role, as the partner does. */
export async function deliverAsPartner(server: TestServer, partner: OnboardedPartner, name: string, body: string | Buffer): Promise<string> {
  const s3 = s3Client(server.endpoint, partner.role);
  const key = `${partner.grant.prefix}/${name}`;
  await s3.send(new PutObjectCommand({ Bucket: partner.grant.alias, Key: key, Body: body }));
  s3.destroy();
  return key;
}

/** Writes straight into the delivery bucket as the platform (ingest records it as the partner's delivery). */
export async function deliverAsPlatform(server: TestServer, prefix: string, name: string, body: string | Buffer): Promise<string> {
  const s3 = s3Client(server.endpoint, server.platform);
  const key = `${prefix}/${name}`;
  await s3.send(new PutObjectCommand({ Bucket: server.server.platform.deliveryBucket, Key: key, Body: body }));
  s3.destroy();
  return key;
}

/** Waits until the current delivery of `key` finished validation (Ingested or Rejected). */
export async function settled(server: TestServer, partnerId: string, key: string, timeoutMs = 20_000): Promise<DeliveryRecord> {
  const { delivery } = server.server;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await delivery.ingest.idle();
    await delivery.validation.idle();
    const current = await delivery.context.deliveries.findCurrentDelivery(partnerId, key);
    if (current && (current.status === 'Ingested' || current.status === 'Rejected')) return current;
    if (Date.now() > deadline) throw new Error(`delivery of ${key} did not settle: ${current?.status ?? 'no record'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
