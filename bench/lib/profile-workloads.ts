// Profiles s3push (node --cpu-prof) on one workload at a time, for targets this run missed.
//
// Data a workload reads (objects to GET, keys to list, copy sources) is prepared by an unprofiled
// s3push on the same data directory first, so the profile holds only the workload itself.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import { awsChunkedCrc32 } from './lean-s3.js';
import { runLoad } from './load.js';
import { GiB, KiB, MiB, mbPerSecond, sizeLabel, timeMs } from './measure.js';
import { RawConnection, RawPool } from './raw-http.js';
import { createBucket, startS3push, type RunningServer } from './servers.js';
import type { ProfileWorkload } from './targets.js';
import { fillKeys, leanOp, NewKeyPuts, precomputeHeads } from '../scenarios/small-objects.js';

export interface ProfileReport {
  workload: ProfileWorkload;
  description: string;
  /** What the workload achieved while profiled (the profiler costs a few percent). */
  measured: string;
  file?: string;
  summary?: ProfileSummary;
  error?: string;
}

const bucket = 'bench-profile';

interface WorkloadSpec {
  description: string;
  prepare?: (server: RunningServer) => Promise<void>;
  work: (server: RunningServer) => Promise<string>;
}

function specs(ctx: BenchContext): Record<ProfileWorkload, WorkloadSpec> {
  const { largeMiB, smallKiB, durationS, chunkKiB, copyBaseMiB } = ctx.options;
  const largeBytes = largeMiB * MiB;
  const smallBytes = smallKiB * KiB;
  const source = randomBytes(MiB);
  const smallBody = randomBytes(smallBytes);
  const timeoutMs = 600_000;
  const keys = ctx.options.smallKeys;
  const smallLoad = async (server: RunningServer, op: 'PUT' | 'GET') => {
    const heads = precomputeHeads(server, bucket, keys, smallBytes);
    const pool = new RawPool(server.port, 64);
    await pool.open();
    try {
      const work = op === 'PUT' ? new NewKeyPuts(server, bucket, ctx.options.newPutKeys, smallBytes).op(pool, smallBody) : leanOp(pool, heads, op, smallBody);
      const result = await runLoad({ concurrency: 64, durationMs: Math.max(3, durationS * 2) * 1000, opsMax: 1_000_000, warmupMs: ctx.options.warmupMs, signal: ctx.signal, serverPid: server.pid }, work);
      return `${result.opsPerSecond.toFixed(0)} ops/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, server CPU ${result.serverCpuUsPerOp?.toFixed(0) ?? '?'} µs/op${result.errors ? `, ${result.errors} errors` : ''}`;
    } finally {
      pool.close();
    }
  };
  const fillSmall = async (server: RunningServer) => {
    await createBucket(server, bucket);
    await fillKeys(ctx, server, precomputeHeads(server, bucket, keys, smallBytes), smallBody, 60_000);
  };
  const withConn = async <T>(server: RunningServer, work: (conn: RawConnection) => Promise<T>): Promise<T> => {
    const conn = new RawConnection(server.port);
    try { return await work(conn); } finally { conn.close(); }
  };
  return {
    'put-large': {
      description: `one ${sizeLabel(largeBytes)} PUT, buffer body`,
      work: (server) => withConn(server, async (conn) => {
        await createBucket(server, bucket);
        const ms = await timeMs(() => server.lean.putLarge(conn, bucket, 'large', largeBytes, source, timeoutMs));
        return `${mbPerSecond(largeBytes, ms).toFixed(0)} MB/s`;
      }),
    },
    'put-large-chunked': {
      description: `one ${sizeLabel(largeBytes)} PUT, aws-chunked with a CRC32 trailer`,
      work: (server) => withConn(server, async (conn) => {
        await createBucket(server, bucket);
        const chunkBytes = chunkKiB * KiB;
        const ms = await timeMs(() => server.lean.putAwsChunked(conn, bucket, 'large', largeBytes, source, chunkBytes, awsChunkedCrc32(source, largeBytes, chunkBytes), timeoutMs));
        return `${mbPerSecond(largeBytes, ms).toFixed(0)} MB/s`;
      }),
    },
    'get-large': {
      description: `two ${sizeLabel(largeBytes)} GETs, one stream (object written by an unprofiled process)`,
      prepare: (server) => withConn(server, async (conn) => {
        await createBucket(server, bucket);
        await server.lean.putLarge(conn, bucket, 'large', largeBytes, source, timeoutMs);
      }),
      work: (server) => withConn(server, async (conn) => {
        const rates: number[] = [];
        for (let i = 0; i < 2; i++) rates.push(mbPerSecond(largeBytes, await timeMs(() => server.lean.getLarge(conn, bucket, 'large', timeoutMs))));
        return rates.map((r) => `${r.toFixed(0)} MB/s`).join(', ');
      }),
    },
    'put-small': {
      description: `${sizeLabel(smallBytes)} PUTs of new keys, 64 in flight, lean client`,
      prepare: fillSmall,
      work: (server) => smallLoad(server, 'PUT'),
    },
    'get-small': {
      description: `${sizeLabel(smallBytes)} GETs, 64 in flight, lean client`,
      prepare: fillSmall,
      work: (server) => smallLoad(server, 'GET'),
    },
    list: {
      description: `ListObjectsV2 of up to ${ctx.options.listKeys.toLocaleString('en-US')} keys (as many as 60 s of PUTs wrote), three times`,
      prepare: async (server) => {
        await createBucket(server, bucket);
        const pool = new RawPool(server.port, 32);
        await pool.open();
        const empty = Buffer.alloc(0);
        try {
          // Bounded tighter than the scenario's fill: the profile needs a representative listing, not every key.
          await runLoad({ concurrency: 32, durationMs: Math.min(60, ctx.options.listFillS) * 1000, opsMax: ctx.options.listKeys, signal: ctx.signal }, async (worker, index) => {
            const response = await pool.connections[worker]!.request({ head: server.lean.putHead(bucket, `list/k${String(index).padStart(7, '0')}`, 0), body: empty });
            if (response.status !== 200) throw new Error(`PUT ${response.status}`);
          });
        } finally {
          pool.close();
        }
      },
      work: (server) => withConn(server, async (conn) => {
        const rates: number[] = [];
        for (let i = 0; i < 3; i++) {
          let keys = 0;
          const ms = await timeMs(async () => {
            let token: string | undefined;
            do {
              const page = await server.lean.listPage(conn, bucket, 'list/', 1000, token);
              keys += page.keyCount;
              token = page.next;
            } while (token !== undefined);
          });
          rates.push(keys / (ms / 1000));
        }
        return rates.map((r) => `${r.toFixed(0)} keys/s`).join(', ');
      }),
    },
    'copy-large': {
      description: 'CopyObject of a 5 GiB object, ten times (source built by an unprofiled process)',
      prepare: (server) => withConn(server, async (conn) => {
        await createBucket(server, bucket);
        const baseBytes = copyBaseMiB * MiB;
        await server.lean.putLarge(conn, bucket, 'base', baseBytes, source, timeoutMs);
        const uploadId = await server.lean.createMultipart(conn, bucket, 'src');
        const etags: string[] = [];
        for (let part = 0; part < Math.ceil((5 * GiB) / baseBytes); part++) etags.push(await server.lean.uploadPartCopy(conn, bucket, 'src', uploadId, part + 1, bucket, 'base'));
        await server.lean.completeMultipart(conn, bucket, 'src', uploadId, etags);
      }),
      work: (server) => withConn(server, async (conn) => {
        const times: number[] = [];
        for (let i = 0; i < 10; i++) {
          times.push(await timeMs(() => server.lean.call(conn, { head: server.lean.copyHead(bucket, `copy-${i}`, bucket, 'src'), keepBodyBytes: 65_536 }, 'CopyObject')));
        }
        return times.map((t) => `${t.toFixed(1)} ms`).join(', ');
      }),
    },
  };
}

export async function profileWorkloads(ctx: BenchContext, workloads: ProfileWorkload[]): Promise<ProfileReport[]> {
  const all = specs(ctx);
  const reports: ProfileReport[] = [];
  await mkdir(ctx.profileDir, { recursive: true });
  for (const workload of workloads) {
    if (ctx.signal.aborted) break;
    const spec = all[workload];
    const dataDir = await mkdtemp(join(ctx.tmpRoot, 'profile-'));
    const rawDir = join(ctx.tmpRoot, `cpu-${workload}`);
    try {
      if (spec.prepare) {
        const server = await startS3push(ctx, { dataDir });
        try { await spec.prepare(server); } finally { await server.stop(); }
      }
      const server = await startS3push(ctx, { dataDir, cpuProfileDir: rawDir });
      let measured: string;
      let written: string | undefined;
      const workStarted = performance.now();
      try { measured = await spec.work(server); } finally { written = await server.stop(); }
      const workloadMs = performance.now() - workStarted; // the profile ends when the process exits: its last workloadMs are the workload
      const file = written ? join(ctx.profileDir, `${workload}.cpuprofile`) : undefined;
      if (written && file) await rename(written, file);
      const summary = file ? await summarizeCpuProfile(file, workloadMs) : undefined;
      reports.push({ workload, description: spec.description, measured, ...(file ? { file } : {}), ...(summary ? { summary } : { error: 'no .cpuprofile was written (did s3push exit cleanly?)' }) });
      ctx.log(`  profiled ${workload}: ${measured}${summary ? `; busy ${summary.busyPercent.toFixed(0)}%, top: ${summary.topFrames.slice(0, 3).map((f) => `${f.frame} ${f.selfPercent.toFixed(1)}%`).join('; ')}` : ''}`);
    } catch (error) {
      reports.push({ workload, description: spec.description, measured: '', error: (error as Error).message });
      ctx.log(`  profile ${workload}: error ${(error as Error).message}`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(rawDir, { recursive: true, force: true });
    }
  }
  return reports;
}
