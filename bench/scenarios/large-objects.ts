// Scenario 2: large objects — PUT (buffer body; streamed aws-chunked body with a CRC32 trailer) and GET, 1 and 4 streams, server RSS.
import { randomBytes } from 'node:crypto';
import { freemem } from 'node:os';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { awsChunkedCrc32 } from '../lib/lean-s3.js';
import { describe } from '../lib/load.js';
import { GiB, KiB, MB, MiB, mbPerSecond, peerSkipReason, serversFor, sizeLabel, timeMs, withServer } from '../lib/measure.js';
import { RssSampler, readCpuMs } from '../lib/processes.js';
import { RawConnection } from '../lib/raw-http.js';
import { RowBuilder } from '../lib/results.js';
import { sdkClient } from '../lib/sdk.js';
import { median } from '../lib/stats.js';
import { createBucket, type RunningServer } from '../lib/servers.js';

const bucket = 'bench-large';
const parallel = 4;

export const largeRows = {
  putBuffer: (size: string) => `PUT ${size}, buffer body, 1 stream`,
  putChunked: (size: string) => `PUT ${size}, aws-chunked + CRC32 trailer, 1 stream`,
  get: (size: string) => `GET ${size}, 1 stream`,
  putParallel: (size: string) => `PUT ${parallel} × ${size} in parallel (aggregate)`,
  getParallel: (size: string) => `GET ${parallel} × ${size} in parallel (aggregate)`,
  rssParallelPut: (size: string) => `server peak RSS during ${parallel} parallel ${size} PUTs`,
  rssRun: 'server peak RSS over the whole scenario',
};

interface Workloads {
  rows: Map<string, RowBuilder>;
  row(workload: string, client: string, unit?: string, higherIsBetter?: boolean): RowBuilder;
}

function workloads(): Workloads {
  const rows = new Map<string, RowBuilder>();
  return {
    rows,
    row(workload, client, unit = 'MB/s', higherIsBetter = true) {
      const id = `${workload}\0${client}`;
      let row = rows.get(id);
      if (!row) rows.set(id, row = new RowBuilder(workload, client, unit, higherIsBetter));
      return row;
    },
  };
}

/**
 * Runs `measure` `runs` times; one failure turns the cell into an error with what was measured before.
 * With bytesPerRun, also records the server's MB per CPU-second (robust to other load on the machine).
 */
async function cell(ctx: BenchContext, row: RowBuilder, server: RunningServer, runs: number, measure: (run: number) => Promise<number>, options: { rss?: number[]; bytesPerRun?: number } = {}): Promise<boolean> {
  const samples: number[] = [];
  const efficiency: number[] = [];
  try {
    for (let run = 0; run < runs && !ctx.signal.aborted; run++) {
      const cpuBefore = readCpuMs(server.pid);
      samples.push(await measure(run));
      const cpuAfter = readCpuMs(server.pid);
      if (options.bytesPerRun && cpuBefore !== undefined && cpuAfter !== undefined && cpuAfter > cpuBefore) efficiency.push(options.bytesPerRun / MB / ((cpuAfter - cpuBefore) / 1000));
    }
    const extra: Record<string, number> = {};
    if (options.rss && options.rss.length > 0) extra['serverPeakRssMiB'] = Math.max(...options.rss);
    if (efficiency.length > 0) extra['serverMBPerCpuSecond'] = Math.round(median(efficiency));
    row.ok(server.name, samples, Object.keys(extra).length > 0 ? { extra } : undefined);
    ctx.log(`  ${server.name} ${row.row.client} ${row.row.workload}: ${samples.map((s) => s.toFixed(0)).join(', ')} ${row.row.unit}${efficiency.length ? `; server ${median(efficiency).toFixed(0)} MB per CPU-s` : ''}`);
    return true;
  } catch (error) {
    row.not(server.name, 'error', describe(error), samples.length > 0 ? { samplesBeforeError: samples.map((s) => s.toFixed(0)).join(', ') } : undefined);
    ctx.log(`  ${server.name} ${row.row.client} ${row.row.workload}: error ${describe(error)}`);
    return false;
  }
}

type ProbeKind = 'put' | 'put-chunked' | 'get' | 'put-parallel';
const probeBytes = 32 * MiB;
/** Longest one transfer of a peer may take (at its probed rate) before the path is left out. */
const peerTransferSecondsMax = 90;

/** Moves probeBytes each way once (untimed for the report) and answers a judge: why a path would take too long, if it would. */
async function probe(ctx: BenchContext, server: RunningServer, conn: RawConnection, source: Buffer, chunkBytes: number, sizeBytes: number): Promise<(kind: ProbeKind) => Promise<string | undefined>> {
  const bytes = Math.min(probeBytes, sizeBytes);
  const rates = new Map<ProbeKind, number>();
  const timeout = peerTransferSecondsMax * 1000;
  const measure = async (kind: ProbeKind, work: () => Promise<unknown>) => {
    try {
      rates.set(kind, mbPerSecond(bytes, await timeMs(work)));
    } catch {
      rates.set(kind, NaN); // the real run reports the error
    }
  };
  await measure('put', () => server.lean.putLarge(conn, bucket, 'probe', bytes, source, timeout));
  await measure('get', () => server.lean.getLarge(conn, bucket, 'probe', timeout));
  await measure('put-chunked', () => server.lean.putAwsChunked(conn, bucket, 'probe-chunked', bytes, source, chunkBytes, awsChunkedCrc32(source, bytes, chunkBytes), timeout));
  await server.lean.delete(conn, bucket, 'probe').catch(() => undefined);
  await server.lean.delete(conn, bucket, 'probe-chunked').catch(() => undefined);
  ctx.log(`  ${server.name} probe (${sizeLabel(bytes)}): ${[...rates].map(([k, r]) => `${k} ${r.toFixed(0)} MB/s`).join(', ')}`);
  return async (kind) => {
    const rate = rates.get(kind === 'put-parallel' ? 'put' : kind);
    if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return undefined;
    const seconds = ((kind === 'put-parallel' ? parallel : 1) * sizeBytes) / MB / rate;
    if (seconds <= peerTransferSecondsMax) return undefined;
    return `a ${sizeLabel(bytes)} probe moved at ${rate.toFixed(1)} MB/s, so one ${kind === 'put-parallel' ? `set of ${parallel} × ` : ''}${sizeLabel(sizeBytes)} transfer would take ~${seconds.toFixed(0)} s (bound: ${peerTransferSecondsMax} s)`;
  };
}

async function sampled<T>(server: RunningServer, rssOut: number[], work: () => Promise<T>): Promise<T> {
  const sampler = new RssSampler(server.pid).start();
  try {
    return await work();
  } finally {
    rssOut.push(sampler.stop() / MiB);
  }
}

async function measureServer(ctx: BenchContext, server: RunningServer, w: Workloads): Promise<void> {
  const { runs, largeMiB, chunkKiB } = ctx.options;
  const sizeBytes = largeMiB * MiB;
  const size = sizeLabel(sizeBytes);
  const timeoutMs = Math.max(120_000, (sizeBytes / (2 * MiB)) * 1000); // at least 2 MiB/s, else the peer is stuck
  const source = randomBytes(MiB);
  const chunkBytes = chunkKiB * KiB;
  const crc = awsChunkedCrc32(source, sizeBytes, chunkBytes);
  await createBucket(server, bucket);
  const conns = Array.from({ length: parallel }, () => new RawConnection(server.port));
  const conn = conns[0]!;
  const scenarioRss = new RssSampler(server.pid).start();
  const lean = server.lean;
  try {
    // A peer first moves a small probe: a path that would take longer than the bound at full size is not run.
    const tooSlow = server.name === 's3push' ? () => Promise.resolve(undefined) : await probe(ctx, server, conn, source, chunkBytes, sizeBytes);
    const guarded = async (row: RowBuilder, kind: ProbeKind, work: () => Promise<boolean>): Promise<boolean> => {
      const reason = await tooSlow(kind);
      if (reason) {
        row.not(server.name, 'not run', reason);
        ctx.log(`  ${server.name} ${row.row.client} ${row.row.workload}: not run (${reason})`);
        return false;
      }
      return work();
    };
    const rss: number[] = [];
    const putOk = await guarded(w.row(largeRows.putBuffer(size), 'lean'), 'put', () => cell(ctx, w.row(largeRows.putBuffer(size), 'lean'), server, runs, async (run) =>
      mbPerSecond(sizeBytes, await sampled(server, rss, () => timeMs(() => lean.putLarge(conn, bucket, `buffer-${run}`, sizeBytes, source, timeoutMs)))), { rss, bytesPerRun: sizeBytes }));
    const singleStreamRssMiB = Math.max(0, ...rss);
    await guarded(w.row(largeRows.putChunked(size), 'lean'), 'put-chunked', () => cell(ctx, w.row(largeRows.putChunked(size), 'lean'), server, runs, async (run) => {
      const ms = await timeMs(() => lean.putAwsChunked(conn, bucket, `chunked-${run}`, sizeBytes, source, chunkBytes, crc, timeoutMs));
      await lean.delete(conn, bucket, `chunked-${run}`);
      return mbPerSecond(sizeBytes, ms);
    }, { bytesPerRun: sizeBytes }));
    const gotBuffer = putOk && await guarded(w.row(largeRows.get(size), 'lean'), 'get', () => cell(ctx, w.row(largeRows.get(size), 'lean'), server, runs, async (run) => {
      let bytes = 0;
      const ms = await timeMs(async () => { bytes = await lean.getLarge(conn, bucket, `buffer-${run}`, timeoutMs); });
      if (bytes !== sizeBytes) throw new Error(`GET answered ${bytes} bytes, expected ${sizeBytes}`);
      return mbPerSecond(sizeBytes, ms);
    }, { bytesPerRun: sizeBytes }));
    if (!gotBuffer) {
      const row = w.row(largeRows.get(size), 'lean');
      if (!row.row.cells.some((c) => c.server === server.name)) row.not(server.name, 'not run', 'no object: the 1-stream PUT was not run or failed');
    }
    for (let run = 0; run < runs; run++) await lean.delete(conn, bucket, `buffer-${run}`).catch(() => undefined);

    // Four in parallel: a peer that buffers whole bodies in memory may not have room; judge from its one-stream RSS.
    const budgetMiB = Math.min(8 * 1024, (freemem() / MiB) * 0.4);
    const putParallel = w.row(largeRows.putParallel(size), 'lean');
    const getParallel = w.row(largeRows.getParallel(size), 'lean');
    const rssRow = w.row(largeRows.rssParallelPut(size), 'lean', 'MiB', false);
    const slowReason = await tooSlow('put-parallel');
    if (slowReason || !putOk) {
      const reason = slowReason ?? 'the 1-stream PUT was not run or failed';
      ctx.log(`  ${server.name} ${parallel} in parallel: not run (${reason})`);
      putParallel.not(server.name, 'not run', reason);
      getParallel.not(server.name, 'not run', reason);
      rssRow.not(server.name, 'not run', reason);
    } else if (server.name !== 's3push' && singleStreamRssMiB * parallel > budgetMiB) {
      const reason = `one ${size} PUT took the server to ${singleStreamRssMiB.toFixed(0)} MiB RSS (it holds bodies in memory); ${parallel} in parallel would exceed the ${budgetMiB.toFixed(0)} MiB allowed on this shared machine`;
      ctx.log(`  ${server.name} ${parallel} in parallel: not run (${reason})`);
      putParallel.not(server.name, 'not run', reason);
      getParallel.not(server.name, 'not run', reason);
      rssRow.not(server.name, 'not run', reason);
    } else {
      const parallelRss: number[] = [];
      const okPut = await cell(ctx, putParallel, server, runs, async (run) => {
        const ms = await sampled(server, parallelRss, () => timeMs(() => Promise.all(conns.map((c, i) => lean.putLarge(c, bucket, `parallel-${run}-${i}`, sizeBytes, source, timeoutMs)))));
        return mbPerSecond(parallel * sizeBytes, ms);
      }, { rss: parallelRss, bytesPerRun: parallel * sizeBytes });
      if (okPut) rssRow.ok(server.name, parallelRss);
      else rssRow.not(server.name, 'error', 'parallel PUT failed');
      await cell(ctx, getParallel, server, runs, async (run) => {
        const ms = await timeMs(() => Promise.all(conns.map(async (c, i) => {
          const bytes = await lean.getLarge(c, bucket, `parallel-${run}-${i}`, timeoutMs);
          if (bytes !== sizeBytes) throw new Error(`GET answered ${bytes} bytes, expected ${sizeBytes}`);
        })));
        return mbPerSecond(parallel * sizeBytes, ms);
      }, { bytesPerRun: parallel * sizeBytes });
      for (let run = 0; run < runs; run++) for (let i = 0; i < parallel; i++) await lean.delete(conn, bucket, `parallel-${run}-${i}`).catch(() => undefined);
    }

    // The SDK's large transfers are a full-run figure: at SDK speeds they would take half of --quick's budget.
    if (ctx.options.sdk && !ctx.options.quick) await measureSdk(ctx, server, w, sizeBytes, source, timeoutMs, tooSlow);
  } finally {
    for (const c of conns) c.close();
    const peak = scenarioRss.stop() / MiB;
    w.row(largeRows.rssRun, '-', 'MiB', false).ok(server.name, [peak]);
  }
}

async function measureSdk(ctx: BenchContext, server: RunningServer, w: Workloads, sizeBytes: number, source: Buffer, timeoutMs: number, tooSlow: (kind: ProbeKind) => Promise<string | undefined>): Promise<void> {
  const size = sizeLabel(sizeBytes);
  const notRun = new Set<string>();
  for (const [kind, row] of [['put', largeRows.putBuffer(size)], ['put-chunked', largeRows.putChunked(size)], ['get', largeRows.get(size)]] as const) {
    const reason = await tooSlow(kind);
    if (!reason) continue;
    w.row(row, 'sdk').not(server.name, 'not run', reason);
    notRun.add(row);
  }
  const skip = (row: string) => notRun.has(row);
  const client = sdkClient(server, parallel);
  const body = Buffer.allocUnsafe(sizeBytes);
  for (let at = 0; at < sizeBytes; at += source.length) source.copy(body, at, 0, Math.min(source.length, sizeBytes - at));
  const within = <T>(promise: Promise<T>) => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref())]);
  try {
    const { runs, chunkKiB } = ctx.options;
    if (!skip(largeRows.putBuffer(size))) await cell(ctx, w.row(largeRows.putBuffer(size), 'sdk'), server, runs, async (run) =>
      mbPerSecond(sizeBytes, await timeMs(() => within(client.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `sdk-buffer-${run}`, Body: body }))))), { bytesPerRun: sizeBytes });
    if (!skip(largeRows.putChunked(size))) await cell(ctx, w.row(largeRows.putChunked(size), 'sdk'), server, runs, async (run) => {
      // A stream body of unknown content makes the SDK send aws-chunked with a CRC32 trailer (as for a file).
      const pieces = function* () { for (let at = 0; at < sizeBytes; at += chunkKiB * KiB) yield body.subarray(at, Math.min(sizeBytes, at + chunkKiB * KiB)); };
      const ms = await timeMs(() => within(client.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `sdk-stream-${run}`, Body: Readable.from(pieces(), { objectMode: false }), ContentLength: sizeBytes }))));
      await client.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `sdk-stream-${run}` }));
      return mbPerSecond(sizeBytes, ms);
    }, { bytesPerRun: sizeBytes });
    if (!skip(largeRows.get(size)) && !skip(largeRows.putBuffer(size))) await cell(ctx, w.row(largeRows.get(size), 'sdk'), server, runs, async (run) => {
      let bytes = 0;
      const ms = await timeMs(() => within((async () => {
        const out = await client.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `sdk-buffer-${run}` }));
        for await (const chunk of out.Body as AsyncIterable<Buffer>) bytes += chunk.length;
      })()));
      if (bytes !== sizeBytes) throw new Error(`GET answered ${bytes} bytes, expected ${sizeBytes}`);
      return mbPerSecond(sizeBytes, ms);
    }, { bytesPerRun: sizeBytes });
    for (let run = 0; run < runs; run++) await client.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `sdk-buffer-${run}` })).catch(() => undefined);
  } finally {
    client.destroy();
  }
}

export const largeObjects: Scenario = {
  id: 'large',
  number: '2',
  title: 'Large objects',
  async run(ctx): Promise<ScenarioOutcome> {
    const w = workloads();
    const peersHere = ctx.options.peersEverywhere;
    for (const name of serversFor(ctx, peersHere)) {
      if (ctx.signal.aborted) break;
      ctx.log(` ${name}`);
      await withServer(ctx, name, (server) => measureServer(ctx, server, w), (status, reason) => {
        for (const row of w.rows.values()) row.not(name, status, reason);
        if (w.rows.size === 0) w.row(largeRows.putBuffer(sizeLabel(ctx.options.largeMiB * MiB)), 'lean').not(name, status, reason);
      });
    }
    const skip = peerSkipReason(ctx, peersHere);
    const notes = [
      'lean = raw keep-alive HTTP/1.1 with precomputed SigV4 (UNSIGNED-PAYLOAD; the aws-chunked row sends STREAMING-UNSIGNED-PAYLOAD-TRAILER in 64 KiB chunks and an x-amz-checksum-crc32 trailer), body from one random MiB repeated.',
      'sdk = AWS SDK v3 PutObject/GetObject as an application calls it: a Buffer body (the SDK computes SHA-256 for the signature and CRC32 for x-amz-checksum-crc32 first, then sends with Expect: 100-continue), a stream body (aws-chunked, Transfer-Encoding: chunked, CRC32 trailer), and GET with its default response-checksum validation.',
      'RSS is sampled from /proc/<pid>/status every 100 ms while the requests run.',
      `Objects are deleted after each measurement; sizes: --large-mib (now ${sizeLabel(ctx.options.largeMiB * MiB)}).`,
    ];
    if (skip) notes.push(`moto and s3rver: ${skip}.`);
    if (ctx.options.quick) notes.push('--quick leaves the SDK rows to the full run.');
    if (ctx.options.largeMiB * MiB < GiB) notes.push('Objects are smaller than the issue\'s 1 GiB (quick mode or --large-mib): figures for routine comparison only.');
    return { rows: [...w.rows.values()].map((r) => r.row), notes };
  },
};
