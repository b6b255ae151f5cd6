// Scenario 3: small objects — PUT, GET, HEAD at 16 and 64 clients (ops/s, p50, p99), lean load generator and AWS SDK,
// with the do-nothing endpoint as the ceiling of this machine and of the load generator itself.
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { recordLoad, runLoad, type LoadResult, type LoadSamples } from '../lib/load.js';
import { errorCodeOf } from '../lib/lean-s3.js';
import { KiB, serversFor, sizeLabel, withServer } from '../lib/measure.js';
import { RawPool } from '../lib/raw-http.js';
import { RowBuilder, type Row } from '../lib/results.js';
import { sdkClient } from '../lib/sdk.js';
import { median } from '../lib/stats.js';
import { createBucket, type RunningServer, type ServerName } from '../lib/servers.js';

const bucket = 'bench-small';
const opsMax = 1_000_000;
export const smallOps = ['PUT', 'GET', 'HEAD'] as const;
export type SmallOp = (typeof smallOps)[number];
export const smallRow = (op: SmallOp, sizeBytes: number, concurrency: number) => `${op} ${sizeLabel(sizeBytes)}, ${concurrency} in flight`;

export function smallKey(i: number): string {
  return `small/k${String(i).padStart(6, '0')}`;
}

/** Precomputed request heads for every key and operation (signing is not timed). */
export interface SmallHeads {
  put: Buffer[];
  get: Buffer[];
  head: Buffer[];
}

export function precomputeHeads(server: RunningServer, bucketName: string, keys: number, sizeBytes: number, keyOf: (i: number) => string = smallKey): SmallHeads {
  const extra: Record<string, string> = server.name === 'null' ? { 'x-null-size': String(sizeBytes) } : {};
  const heads: SmallHeads = { put: [], get: [], head: [] };
  for (let i = 0; i < keys; i++) {
    heads.put.push(server.lean.putHead(bucketName, keyOf(i), sizeBytes));
    heads.get.push(server.lean.getHead(bucketName, keyOf(i), extra));
    heads.head.push(server.lean.head({ method: 'HEAD', path: `/${bucketName}/${keyOf(i)}`, headers: extra }));
  }
  return heads;
}

/** One lean operation on the worker's own connection; throws on a non-2xx or a short body. */
export function leanOp(pool: RawPool, heads: SmallHeads, op: SmallOp, body: Buffer, keys = heads.put.length): (worker: number, index: number) => Promise<void> {
  return async (worker, index) => {
    const i = ((index % keys) + keys) % keys;
    const conn = pool.connections[worker]!;
    const response = op === 'PUT' ? await conn.request({ head: heads.put[i]!, body })
      : op === 'GET' ? await conn.request({ head: heads.get[i]! })
      : await conn.request({ head: heads.head[i]!, isHead: true });
    if (response.status !== 200) throw new Error(`${op}: ${response.status} ${errorCodeOf(response)}`);
    if (op === 'GET' && response.bodyBytes !== body.length) throw new Error(`GET: ${response.bodyBytes} bytes, expected ${body.length}`);
  };
}

/**
 * PUTs of new keys, as warp's PUT does: heads for `count` distinct keys signed ahead, taken in
 * turn by every run (warm-up included); past `count` they wrap around and overwrite.
 */
export class NewKeyPuts {
  readonly heads: Buffer[] = [];
  #next = 0;

  constructor(server: RunningServer, bucketName: string, count: number, sizeBytes: number) {
    for (let i = 0; i < count; i++) this.heads.push(server.lean.putHead(bucketName, `new/k${String(i).padStart(7, '0')}`, sizeBytes));
  }

  get wrapped(): boolean {
    return this.#next > this.heads.length;
  }

  op(pool: RawPool, body: Buffer): (worker: number, index: number) => Promise<void> {
    return async (worker) => {
      const head = this.heads[this.#next++ % this.heads.length]!;
      const response = await pool.connections[worker]!.request({ head, body });
      if (response.status !== 200) throw new Error(`PUT: ${response.status} ${errorCodeOf(response)}`);
    };
  }
}

/** Fills every key once with bounded concurrency and time (so GET and HEAD never miss). */
export async function fillKeys(ctx: BenchContext, server: RunningServer, heads: SmallHeads, body: Buffer, timeMs: number): Promise<LoadResult> {
  const pool = new RawPool(server.port, 16);
  await pool.open();
  try {
    return await runLoad({ concurrency: 16, durationMs: timeMs, opsMax: heads.put.length, signal: ctx.signal }, leanOp(pool, heads, 'PUT', body));
  } finally {
    pool.close();
  }
}

/** Median CPU per operation of server and client, in µs (robust to other load on the machine, unlike the rate). */
export function cpuExtra(serverCpu: number[], clientCpu: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (serverCpu.length > 0) out['serverCpuUsPerOp'] = Math.round(median(serverCpu));
  if (clientCpu.length > 0) out['clientCpuUsPerOp'] = Math.round(median(clientCpu));
  return out;
}

interface Cells {
  rows: Map<string, RowBuilder>;
  samples: Map<string, LoadSamples>;
}

function record(cells: Cells, workload: string, client: string, server: string, result: LoadResult): void {
  recordLoad(cells.samples, `${workload}\0${client}\0${server}`, result);
}

function flush(cells: Cells): void {
  for (const [id, entry] of cells.samples) {
    const [workload, client, server] = id.split('\0') as [string, string, string];
    const rowId = `${workload}\0${client}`;
    let row = cells.rows.get(rowId);
    if (!row) cells.rows.set(rowId, row = new RowBuilder(workload, client, 'ops/s'));
    if (entry.rates.length === 0) row.not(server, 'error', entry.firstError ?? 'no operation completed', { errors: entry.errors });
    else {
      const extra: Record<string, number | string> = { ...cpuExtra(entry.serverCpu, entry.clientCpu) };
      if (entry.errors > 0) Object.assign(extra, { errors: entry.errors, firstError: entry.firstError ?? '' });
      row.ok(server, entry.rates, { p50Ms: entry.p50, p99Ms: entry.p99, extra });
    }
  }
  cells.samples.clear();
}

async function measureServer(ctx: BenchContext, server: RunningServer, clients: string[], cells: Cells): Promise<void> {
  const { runs, durationS, concurrency, smallKiB } = ctx.options;
  const sizeBytes = smallKiB * KiB;
  const body = randomBytes(sizeBytes);
  const keys = ctx.options.smallKeys;
  await createBucket(server, bucket);
  const heads = precomputeHeads(server, bucket, keys, sizeBytes);
  const newKeys = new NewKeyPuts(server, bucket, ctx.options.newPutKeys, sizeBytes);
  const fill = await fillKeys(ctx, server, heads, body, 60_000);
  if (fill.errors > 0 && fill.ops === 0) throw new Error(`filling ${keys} keys failed: ${fill.firstError}`);
  ctx.log(`  ${server.name}: ${fill.ops} keys filled (${fill.opsPerSecond.toFixed(0)}/s, c16)${fill.ops < keys ? ' — time bound hit, GET/HEAD use what exists' : ''}`);
  const keysPresent = Math.max(1, fill.ops);
  const sdkNewKeys = { next: 0 };

  for (const c of concurrency) {
    for (const client of clients) {
      const pool = client === 'lean' ? new RawPool(server.port, c) : undefined;
      await pool?.open();
      const sdk = client === 'sdk' ? sdkClient(server, c) : undefined;
      try {
        for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
          for (const op of smallOps) {
            const load = { concurrency: c, durationMs: durationS * 1000, opsMax, warmupMs: ctx.options.warmupMs, signal: ctx.signal, serverPid: server.pid };
            const result = pool
              ? await runLoad(load, op === 'PUT' ? newKeys.op(pool, body) : leanOp(pool, heads, op, body, keysPresent))
              : await runLoad(load, sdkOp(sdk!, op, body, keysPresent, sdkNewKeys));
            record(cells, smallRow(op, sizeBytes, c), client, server.name, result);
            ctx.log(`  ${server.name} ${client} ${op} c${c}: ${result.opsPerSecond.toFixed(0)} ops/s p50 ${result.p50Ms.toFixed(1)} ms p99 ${result.p99Ms.toFixed(1)} ms; CPU/op server ${result.serverCpuUsPerOp?.toFixed(0) ?? '?'} µs, client ${result.clientCpuUsPerOp.toFixed(0)} µs${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ''}`);
          }
        }
      } finally {
        pool?.close();
        sdk?.destroy();
      }
    }
  }
}

function sdkOp(client: ReturnType<typeof sdkClient>, op: SmallOp, body: Buffer, keys: number, newKeys: { next: number }): (worker: number, index: number) => Promise<void> {
  return async (_worker, index) => {
    const Key = smallKey(((index % keys) + keys) % keys);
    if (op === 'PUT') await client.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `new/sdk${String(newKeys.next++).padStart(7, '0')}`, Body: body }));
    else if (op === 'HEAD') await client.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    else {
      const out = await client.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const bytes = await out.Body!.transformToByteArray();
      if (bytes.length !== body.length) throw new Error(`GET: ${bytes.length} bytes, expected ${body.length}`);
    }
  };
}

export const smallObjects: Scenario = {
  id: 'small',
  number: '3',
  title: 'Small objects: PUT, GET, HEAD',
  async run(ctx): Promise<ScenarioOutcome> {
    const cells: Cells = { rows: new Map(), samples: new Map() };
    // Peers run here even in --quick: the small-object rates are the headline comparison.
    const servers: ServerName[] = serversFor(ctx, true, ['null']);
    for (const name of servers) {
      if (ctx.signal.aborted) break;
      // In --quick the SDK runs against s3push only (what users see); the full run measures it everywhere.
      const clients = ['lean', ...(ctx.options.sdk && (!ctx.options.quick || name === 's3push') ? ['sdk'] : [])];
      ctx.log(` ${name}`);
      await withServer(ctx, name, (server) => measureServer(ctx, server, clients, cells), (status, reason) => {
        flush(cells);
        for (const c of ctx.options.concurrency) for (const op of smallOps) {
          const workload = smallRow(op, ctx.options.smallKiB * KiB, c);
          const rowId = `${workload}\0lean`;
          let row = cells.rows.get(rowId);
          if (!row) cells.rows.set(rowId, row = new RowBuilder(workload, 'lean', 'ops/s'));
          row.not(name, status, reason);
        }
      });
      flush(cells);
    }
    const rows: Row[] = [...cells.rows.values()].map((r) => r.row).sort((a, b) => a.workload.localeCompare(b.workload, 'en', { numeric: true }) || a.client.localeCompare(b.client));
    return {
      rows,
      notes: [
        `Closed loop: N clients each keep one request in flight for ${ctx.options.durationS} s per run (after a short untimed warm-up); ops/s over the run, p50/p99 over its requests; median of ${ctx.options.runs} runs.`,
        'null = the do-nothing node:http endpoint (discards PUT bodies, answers GET/HEAD from memory): the ceiling of this machine with this client — for the lean client, the load generator\'s own ceiling.',
        `lean = precomputed SigV4 heads (UNSIGNED-PAYLOAD) over N keep-alive sockets, no header parsing beyond status and length. PUT writes new keys (as warp does; ${ctx.options.newPutKeys.toLocaleString('en-US')} signed ahead); GET/HEAD cycle over ${ctx.options.smallKeys} keys written once before.`,
        'CPU/op: server CPU time (user + system, all threads, /proc/<pid>/stat) and load-generator CPU time per request over the timed part; unlike the rates, these hardly change with other load on the machine.',
        'sdk = AWS SDK v3 S3Client, keep-alive agent with maxSockets = N, default checksums (CRC32 on PUT, response validation on GET).',
        'Client and server share the same 2 cores: every figure includes the client\'s CPU.',
      ],
    };
  },
};
