// Scenario 8: the cost of authorization — 4 KiB GET/PUT with a role session through an access point (identity, access point
// and bucket policies evaluated) versus the root key on the bucket (ownership only).
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { runCommand } from '../lib/processes.js';
import { recordLoad, runLoad, type LoadSamples } from '../lib/load.js';
import { KiB, sizeLabel, withServer } from '../lib/measure.js';
import { FlowUnavailable, setUpPartner } from '../lib/partner-setup.js';
import { RawPool } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import { sdkClient } from '../lib/sdk.js';
import type { RunningServer } from '../lib/servers.js';
import { cpuExtra, fillKeys, leanOp, type SmallHeads } from './small-objects.js';
import type { LeanS3 } from '../lib/lean-s3.js';

const opsMax = 1_000_000;
export const authPaths = {
  root: 'root key → bucket',
  role: 'role session → access point alias',
} as const;
export const authRow = (op: string, sizeBytes: number, concurrency: number, path: string) => `${op} ${sizeLabel(sizeBytes)}, ${concurrency} in flight, ${path}`;

function heads(lean: LeanS3, bucket: string, keys: number, sizeBytes: number): SmallHeads {
  const out: SmallHeads = { put: [], get: [], head: [] };
  for (let i = 0; i < keys; i++) {
    const key = `auth/k${String(i).padStart(6, '0')}`;
    out.put.push(lean.putHead(bucket, key, sizeBytes));
    out.get.push(lean.getHead(bucket, key));
    out.head.push(lean.headHead(bucket, key));
  }
  return out;
}

/** Runs the authorize() micro-benchmark next to the end-to-end figures; answers its lines, condensed. */
async function authorizeMicroBenchmark(ctx: BenchContext): Promise<string | undefined> {
  const script = join(ctx.paths.distRoot, 'bench', 'authorize.bench.js');
  if (!existsSync(script)) return undefined;
  const out = await runCommand(ctx.registry, 'authorize.bench', process.execPath, [script], { timeoutMs: 60_000 });
  if (out.code !== 0) return `failed (exit ${out.code})`;
  return out.output.split('\n').map((l) => /^(.+?)\s{2,}[\d,]+ decisions\/s\s+([\d.]+ µs\/decision)/.exec(l.trim())).filter((m) => m !== null)
    .map((m) => `${m![1]!.trim()}: ${m![2]}`).join('; ');
}

export const authorizationOverhead: Scenario = {
  id: 'auth',
  number: '8',
  title: 'Authorization overhead: role session through an access point vs root key on the bucket',
  async run(ctx): Promise<ScenarioOutcome> {
    const { runs, durationS, concurrency, smallKiB } = ctx.options;
    const sizeBytes = smallKiB * KiB;
    const body = randomBytes(sizeBytes);
    const keys = ctx.options.smallKeys;
    const rows = new Map<string, RowBuilder>();
    const rowFor = (workload: string, client: string) => {
      const id = `${workload}\0${client}`;
      let row = rows.get(id);
      if (!row) rows.set(id, row = new RowBuilder(workload, client, 'ops/s'));
      return row;
    };
    const samples = new Map<string, LoadSamples>();
    let pending: string | undefined;
    await withServer(ctx, 's3push', async (server: RunningServer) => {
      let setup;
      try {
        setup = await setUpPartner(server, { prefix: 'auth/', actions: ['s3:PutObject', 's3:GetObject'] });
      } catch (error) {
        if (error instanceof FlowUnavailable) { pending = error.message; return; }
        throw error;
      }
      const paths = [
        { path: authPaths.root, lean: server.lean, bucket: setup.deliveryBucket, credentials: server.credentials },
        { path: authPaths.role, lean: setup.sessionLean, bucket: setup.alias, credentials: setup.session },
      ];
      const prepared = paths.map((p) => ({ ...p, heads: heads(p.lean, p.bucket, keys, sizeBytes) }));
      const fill = await fillKeys(ctx, server, prepared[0]!.heads, body, 60_000);
      const keysPresent = Math.max(1, fill.ops);
      for (const c of concurrency) {
        const clients = ['lean', ...(ctx.options.sdk && !ctx.options.quick ? ['sdk'] : [])];
        for (const client of clients) {
          const pools = await Promise.all(prepared.map(async () => { const pool = new RawPool(server.port, c); if (client === 'lean') await pool.open(); return pool; }));
          const sdks = client === 'sdk' ? prepared.map((p) => sdkClient(server, c, p.credentials)) : [];
          try {
            for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
              for (const op of ['PUT', 'GET'] as const) {
                // Interleave the two paths within a run, so load drift hits both alike.
                for (const [i, p] of prepared.entries()) {
                  const load = { concurrency: c, durationMs: durationS * 1000, opsMax, warmupMs: ctx.options.warmupMs, signal: ctx.signal, serverPid: server.pid };
                  const result = client === 'lean'
                    ? await runLoad(load, leanOp(pools[i]!, p.heads, op, body, op === 'PUT' ? keys : keysPresent))
                    : await runLoad(load, async (_w, index) => {
                      const Key = `auth/k${String(((index % keysPresent) + keysPresent) % keysPresent).padStart(6, '0')}`;
                      if (op === 'PUT') await sdks[i]!.s3.send(new PutObjectCommand({ Bucket: p.bucket, Key, Body: body }));
                      else await (await sdks[i]!.s3.send(new GetObjectCommand({ Bucket: p.bucket, Key }))).Body!.transformToByteArray();
                    });
                  recordLoad(samples, `${authRow(op, sizeBytes, c, p.path)}\0${client}`, result);
                  ctx.log(`  ${client} ${op} c${c} ${p.path}: ${result.opsPerSecond.toFixed(0)} ops/s p50 ${result.p50Ms.toFixed(1)} ms p99 ${result.p99Ms.toFixed(1)} ms${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ''}`);
                }
              }
            }
          } finally {
            for (const pool of pools) pool.close();
            for (const s of sdks) s.destroy();
          }
        }
      }
    }, (status, reason) => { pending = `s3push ${status}: ${reason}`; });
    if (pending) return { status: 'pending', reason: `the pieces are not all there: ${pending}`, rows: [], notes: [] };
    const notes: string[] = [];
    for (const [id, entry] of samples) {
      const [workload, client] = id.split('\0') as [string, string];
      const row = rowFor(workload, client);
      if (entry.rates.length === 0) row.not('s3push', 'error', entry.firstError ?? 'no operation completed');
      else row.ok('s3push', entry.rates, { p50Ms: entry.p50, p99Ms: entry.p99, extra: { ...cpuExtra(entry.serverCpu, entry.clientCpu), ...(entry.firstError ? { firstError: entry.firstError } : {}) } });
    }
    for (const c of concurrency) for (const op of ['PUT', 'GET']) for (const client of ['lean', 'sdk']) {
      const cellOf = (path: string) => rows.get(`${authRow(op, sizeBytes, c, path)}\0${client}`)?.row.cells[0];
      const root = cellOf(authPaths.root);
      const role = cellOf(authPaths.role);
      const rootRate = root?.summary?.median;
      const roleRate = role?.summary?.median;
      const rootCpu = root?.extra?.['serverCpuUsPerOp'];
      const roleCpu = role?.extra?.['serverCpuUsPerOp'];
      if (rootRate && roleRate) {
        notes.push(`${client} ${op} c${c}: the role/access point path runs at ${((roleRate / rootRate) * 100).toFixed(0)}% of the root-key rate` +
          (typeof rootCpu === 'number' && typeof roleCpu === 'number' ? `; server CPU per request ${roleCpu} µs vs ${rootCpu} µs (${roleCpu - rootCpu >= 0 ? '+' : ''}${roleCpu - rootCpu} µs).` : '.'));
      }
    }
    const micro = await authorizeMicroBenchmark(ctx);
    if (micro) notes.push(`authorize() alone (bench/authorize.bench.ts, same run): ${micro}.`);
    notes.push(
      'Both paths hit the same objects in the same bucket: the root key names the bucket; the role session (STS AssumeRole of a partner role) names the access point alias, so authorization evaluates the session\'s identity policy, the access point policy and the bucket\'s delegation policy.',
      'moto and s3rver cannot run this: moto does not resolve aliases nor evaluate resource policies; s3rver has no IAM (s3-servers.md §3.2, §4).',
    );
    return { rows: [...rows.values()].map((r) => r.row), notes };
  },
};
