// Scenario 7: ingest latency — from a delivery PUT's acknowledgement to its record reaching Accepted, with
// deliveries arriving at a fixed 100/s through an onboarded partner's access point (the issue's target:
// p99 ≤ 250 ms). The Accepted time is the server's own history entry for the record; both clocks are this
// machine's, so the difference is exact to the millisecond.
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { adminCall } from '../../src/cli/admin-client.js';
import type { Scenario, ScenarioOutcome } from '../lib/context.js';
import { LeanS3, type Credentials } from '../lib/lean-s3.js';
import { withServer } from '../lib/measure.js';
import { RawPool } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import type { RunningServer } from '../lib/servers.js';
import { percentileOfSorted } from '../lib/stats.js';

const ratePerSecond = 100;
const bodyBytes = 1024;
const connections = 8;
const settleTimeoutMs = 60_000;

export const ingestRows = { p99: 'ingest latency p99' } as const;

interface Onboarded {
  alias: string;
  prefix: string;
  lean: LeanS3;
}

/** The partner guide through the server's public APIs: account, role, onboarding, policy, session. */
async function onboard(server: RunningServer): Promise<Onboarded> {
  const target = { endpoint: server.endpoint, dataDir: server.dataDir! };
  const accountId = String(200_000_000_000 + Math.floor(Math.random() * 1e9));
  const partner = await adminCall<Credentials & { accountId: string }>(target, 'POST', '/api/v1/accounts', { name: `ingest-${randomBytes(3).toString('hex')}`, accountId });
  const iam = new IAMClient({ endpoint: server.endpoint, region: server.region, credentials: partner });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
  const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Delivery', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  const request = await adminCall<{ id: string }>(target, 'POST', '/api/v1/onboarding-requests', { partner: `bench-${accountId}`, roleArns: [roleArn], deliveryAccounts: ['main'], region: server.region });
  const grant = await adminCall<{ alias: string; prefix: string; policy: object }>(target, 'POST', `/api/v1/onboarding-requests/${request.id}/approve`);
  await iam.send(new PutRolePolicyCommand({ RoleName: 'Delivery', PolicyName: 'delivery', PolicyDocument: JSON.stringify(grant.policy) }));
  iam.destroy();
  const sts = new STSClient({ endpoint: server.endpoint, region: server.region, credentials: partner });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bench' }))).Credentials!;
  sts.destroy();
  const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  return { alias: grant.alias, prefix: grant.prefix, lean: new LeanS3({ port: server.port, region: server.region, credentials: session }) };
}

interface DeliveryView { id: string; key: string; status: string }

/** Sends `count` PUTs at a fixed rate; answers each key's acknowledgement time. */
async function deliverAtRate(pool: RawPool, setup: Onboarded, run: number, count: number): Promise<Map<string, number>> {
  const acknowledged = new Map<string, number>();
  const body = randomBytes(bodyBytes);
  const startMs = Date.now();
  let next = 0;
  await Promise.all(pool.connections.map(async (conn) => {
    for (let i = next++; i < count; i = next++) {
      const dueMs = startMs + (i * 1000) / ratePerSecond;
      const waitMs = dueMs - Date.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const key = `${setup.prefix}/bench/run${run}/Clip_${String(i).padStart(5, '0')}.txt`;
      await setup.lean.putSmall(conn, setup.alias, key, body);
      acknowledged.set(key, Date.now());
    }
  }));
  return acknowledged;
}

/** Waits until every delivery of the run is past validation; answers key → Accepted time (ms). */
async function acceptedTimes(server: RunningServer, run: number, count: number): Promise<Map<string, number>> {
  const target = { endpoint: server.endpoint, dataDir: server.dataDir! };
  const deadline = Date.now() + settleTimeoutMs;
  let settled: DeliveryView[] = [];
  while (Date.now() < deadline) {
    settled = [];
    let cursor: string | null = null;
    do {
      const page: { deliveries: DeliveryView[]; nextCursor: string | null } = await adminCall(target, 'GET', `/api/v1/deliveries?search=${encodeURIComponent(`/run${run}/`)}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      settled.push(...page.deliveries.filter((d) => d.status === 'Ingested' || d.status === 'Rejected'));
      cursor = page.nextCursor;
    } while (cursor);
    if (settled.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const times = new Map<string, number>();
  for (const delivery of settled) {
    const detail = await adminCall<{ history: { at: string; status: string }[] }>(target, 'GET', `/api/v1/deliveries/${delivery.id}`);
    const accepted = detail.history.find((h) => h.status === 'Accepted' || h.status === 'Rejected');
    if (accepted) times.set(delivery.key, Date.parse(accepted.at));
  }
  return times;
}

export const ingestLatency: Scenario = {
  id: 'ingest',
  number: '7',
  title: 'Ingest latency: PUT acknowledged → Accepted, at 100 deliveries/s',
  async run(ctx): Promise<ScenarioOutcome> {
    const seconds = ctx.options.quick ? 5 : 30;
    const runs = ctx.options.quick ? 1 : 3;
    const count = seconds * ratePerSecond;
    const p50Row = new RowBuilder(`ingest latency p50, ${count} deliveries of ${bodyBytes} B at ${ratePerSecond}/s`, 'lean', 'ms', false);
    const p99Row = new RowBuilder(`${ingestRows.p99}, ${count} deliveries of ${bodyBytes} B at ${ratePerSecond}/s`, 'lean', 'ms', false);
    const maxRow = new RowBuilder('ingest latency max', 'lean', 'ms', false);
    const notes: string[] = [];
    await withServer(ctx, 's3push', async (server) => {
      const setup = await onboard(server);
      const pool = new RawPool(server.port, connections);
      await pool.open();
      const p50: number[] = [];
      const p99: number[] = [];
      const max: number[] = [];
      try {
        for (let run = 0; run < runs; run++) {
          const acknowledged = await deliverAtRate(pool, setup, run, count);
          const accepted = await acceptedTimes(server, run, count);
          const latencies = [...acknowledged].map(([key, ackMs]) => (accepted.get(key) ?? Number.POSITIVE_INFINITY) - ackMs).sort((x, y) => x - y);
          const missing = latencies.filter((l) => !Number.isFinite(l)).length;
          if (missing > 0) notes.push(`run ${run + 1}: ${missing} of ${count} deliveries were not Accepted within ${settleTimeoutMs / 1000} s`);
          const finite = latencies.filter(Number.isFinite);
          p50.push(percentileOfSorted(finite, 0.5));
          p99.push(percentileOfSorted(finite, 0.99));
          max.push(finite[finite.length - 1] ?? Number.NaN);
        }
      } finally {
        pool.close();
      }
      p50Row.ok(server.name, p50);
      p99Row.ok(server.name, p99);
      maxRow.ok(server.name, max);
    }, (status, reason) => {
      for (const row of [p50Row, p99Row, maxRow]) row.not('s3push', status, reason);
    });
    notes.push('Peers: moto and s3rver have no access points or ingest pipeline (cannot).');
    notes.push('Latency = the server\'s Accepted history time minus the client\'s acknowledgement time of the PUT (same machine clock). Each delivery is a 1 KiB PutObject through the partner\'s access point alias with a role session, validated by the whole validator chain (naming, file type, integrity, media probe, manifest).');
    return { rows: [p50Row.row, p99Row.row, maxRow.row], notes };
  },
};
