// Crash safety of ingest: `kill -9` of a real `s3push serve` process while 500 deliveries are being ingested;
// after a restart on the same data directory every acknowledged delivery exists exactly once, and an operator
// webhook on Ingested has reached a receiver for every one of them (status changes and their webhooks are
// stored together, so a crash between the two cannot lose one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../helpers/s3-client.js';
import { Receiver } from '../helpers/webhook-receiver.js';
import type { Credentials } from '../helpers/server.js';
import { adminCall } from '../../src/cli/admin-client.js';
import { readPlatformCredentials } from '../../src/main/bootstrap.js';
import { dataDirLayout } from '../../src/main/data-dir.js';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';

const deliveriesTotal = 500;
const uploadConcurrency = 16;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function startServe(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/s3push.js', 'serve', '--data', dataDir, '--port', String(port), '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`s3push serve exited with ${code}: ${output}`)));
  });
}

interface DeliveryView { id: string; key: string; versionId: string; status: string }

describe('ingest survives kill -9', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  const receiver = new Receiver();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 's3push-crash-'));
    await receiver.start();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await receiver.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test(`${deliveriesTotal} deliveries, a kill -9 mid-ingest, a restart: each exists exactly once`, { timeout: 180_000 }, async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    child = await startServe(dataDir, port);
    const target = { endpoint, dataDir };
    await adminCall(target, 'POST', '/api/v1/webhooks', { url: receiver.url('/ingested'), statuses: ['Ingested'] });
    const partner = await adminCall<Credentials & { accountId: string }>(target, 'POST', '/api/v1/accounts', { name: 'studio', accountId: '222233334444' });
    const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: partner });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:root' }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Delivery', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const request = await adminCall<{ id: string }>(target, 'POST', '/api/v1/onboarding-requests', { partner: 'studio', roleArns: [roleArn], deliveryAccounts: ['main'], region: 'us-east-1' });
    const grant = await adminCall<{ alias: string; prefix: string; policy: object }>(target, 'POST', `/api/v1/onboarding-requests/${request.id}/approve`);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Delivery', PolicyName: 'delivery', PolicyDocument: JSON.stringify(grant.policy) }));
    iam.destroy();
    const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: partner });
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'crash-test' }))).Credentials!;
    sts.destroy();
    const s3 = s3Client(endpoint, { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! });

    const acknowledged = new Map<string, string>();
    let next = 0;
    await Promise.all(Array.from({ length: uploadConcurrency }, async () => {
      while (next < deliveriesTotal) {
        const key = `${grant.prefix}/batch/Title_Clip${String(next++).padStart(4, '0')}.txt`;
        const out = await s3.send(new PutObjectCommand({ Bucket: grant.alias, Key: key, Body: `clip ${key}` }));
        acknowledged.set(key, out.VersionId!);
      }
    }));
    s3.destroy();
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    assert.equal(acknowledged.size, deliveriesTotal);

    child = await startServe(dataDir, port);
    const deadline = Date.now() + 120_000;
    let deliveries: DeliveryView[] = [];
    for (;;) {
      deliveries = [];
      let cursor: string | null = null;
      do {
        const page: { deliveries: DeliveryView[]; nextCursor: string | null } = await adminCall(target, 'GET', `/api/v1/deliveries?search=/batch/&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        deliveries.push(...page.deliveries);
        cursor = page.nextCursor;
      } while (cursor);
      const settled = deliveries.every((d) => d.status === 'Ingested' || d.status === 'Rejected');
      if ((deliveries.length >= deliveriesTotal && settled) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(deliveries.length, deliveriesTotal, 'one delivery record per acknowledged PUT');
    const seen = new Set(deliveries.map((d) => `${d.key}\0${d.versionId}`));
    assert.equal(seen.size, deliveriesTotal, 'no duplicates');
    for (const [key, versionId] of acknowledged) assert.ok(seen.has(`${key}\0${versionId}`), `${key} ${versionId} is recorded`);
    const statuses: Record<string, number> = {};
    for (const d of deliveries) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
    assert.deepEqual(statuses, { Ingested: deliveriesTotal }, 'every delivery finished validation after the restart');
    // At least once: a webhook sent just before the kill but not yet marked Delivered is sent again.
    const notified = () => new Set(receiver.at('/ingested').map((r) => (JSON.parse(r.body) as { delivery: { id: string; status: string } }).delivery)
      .filter((d) => d.status === 'Ingested').map((d) => d.id));
    await receiver.waitFor('/ingested', deliveriesTotal, 60_000);
    const webhookDeadline = Date.now() + 60_000;
    while (notified().size < deliveriesTotal && Date.now() < webhookDeadline) await new Promise((r) => setTimeout(r, 200));
    const ids = new Set(deliveries.map((d) => d.id));
    assert.deepEqual([...notified()].sort(), [...ids].sort(), 'an Ingested webhook for every delivery');
    const credentials = await readPlatformCredentials(dataDirLayout(dataDir));
    assert.ok(credentials.accessKeyId);
  });
});
