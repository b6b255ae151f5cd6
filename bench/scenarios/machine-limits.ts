// Scenario 1: this machine's own limits, measured in the same run — hashes per core, disk, loopback HTTP for one stream.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, crc32c } from '@node-rs/crc32';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/context.js';
import { MiB, mbPerSecond, sizeLabel, timeMs, withServer } from '../lib/measure.js';
import { RawConnection } from '../lib/raw-http.js';
import { readCpuMs } from '../lib/processes.js';
import { RowBuilder, type Row } from '../lib/results.js';
import { median } from '../lib/stats.js';

const pieceBytes = MiB;

/** The rows later scenarios and the targets read. */
export const limitRows = {
  md5: 'MD5, one core',
  sha256: 'SHA-256, one core',
  crc32c: 'CRC32C (@node-rs/crc32), one core',
  crc32: 'CRC32 (@node-rs/crc32), one core',
  aesGcm: 'AES-256-GCM encrypt, one core',
  diskWrite: 'disk: sequential write + fdatasync',
  diskRead: 'disk: sequential read (page cache)',
  diskSync: 'disk: 4 KiB write + fdatasync, one after another',
  loopbackPut: 'loopback HTTP, 1 stream, PUT (server discards)',
  loopbackGet: 'loopback HTTP, 1 stream, GET (server sends from memory)',
} as const;
export const machineServer = 'machine';

function hashRate(ctx: BenchContext, data: Buffer, update: (piece: Buffer) => void, finish: () => void): Promise<number[]> {
  const samples: number[] = [];
  return (async () => {
    for (let run = 0; run < ctx.options.runs + 1; run++) {
      const ms = await timeMs(async () => {
        for (let at = 0; at < data.length; at += pieceBytes) update(data.subarray(at, at + pieceBytes));
        finish();
      });
      if (run > 0) samples.push(mbPerSecond(data.length, ms)); // the first run warms up
    }
    return samples;
  })();
}

async function hashes(ctx: BenchContext): Promise<Row[]> {
  const data = randomBytes(ctx.options.hashMiB * MiB);
  const rows: Row[] = [];
  const add = async (workload: string, make: () => { update: (p: Buffer) => void; finish: () => void }) => {
    const row = new RowBuilder(`${workload} (${sizeLabel(data.length)}, 1 MiB updates)`, '-', 'MB/s');
    let current = make();
    const samples = await hashRate(ctx, data, (p) => current.update(p), () => { current.finish(); current = make(); });
    row.ok(machineServer, samples);
    rows.push(row.row);
    ctx.log(`  ${workload}: ${samples.map((s) => s.toFixed(0)).join(', ')} MB/s`);
  };
  const cryptoHash = (name: string) => () => { const h = createHash(name); return { update: (p: Buffer) => { h.update(p); }, finish: () => { h.digest(); } }; };
  await add(limitRows.md5, cryptoHash('md5'));
  await add(limitRows.sha256, cryptoHash('sha256'));
  await add(limitRows.crc32c, () => { let s = 0; return { update: (p: Buffer) => { s = crc32c(p, s); }, finish: () => undefined }; });
  await add(limitRows.crc32, () => { let s = 0; return { update: (p: Buffer) => { s = crc32(p, s); }, finish: () => undefined }; });
  // s3push encrypts every blob (SSE-S3, AES-256-GCM in 64 KiB segments), so this is on its PUT path too.
  const key = randomBytes(32);
  const iv = randomBytes(12); // one IV for every segment is fine here: the ciphertext is thrown away
  await add(limitRows.aesGcm, () => ({
    update: (p: Buffer) => {
      for (let at = 0; at < p.length; at += 64 * 1024) {
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        cipher.update(p.subarray(at, at + 64 * 1024));
        cipher.final();
        cipher.getAuthTag();
      }
    },
    finish: () => undefined,
  }));
  return rows;
}

async function disk(ctx: BenchContext): Promise<Row[]> {
  const sizeBytes = ctx.options.diskMiB * MiB;
  const piece = randomBytes(pieceBytes);
  const path = join(ctx.tmpRoot, 'disk-test.bin');
  const write = new RowBuilder(`${limitRows.diskWrite} (${sizeLabel(sizeBytes)}, 1 MiB writes)`, '-', 'MB/s');
  const read = new RowBuilder(`${limitRows.diskRead} (${sizeLabel(sizeBytes)}, 1 MiB reads)`, '-', 'MB/s');
  const writes: number[] = [];
  const reads: number[] = [];
  try {
    for (let run = 0; run < ctx.options.runs; run++) {
      await rm(path, { force: true });
      writes.push(mbPerSecond(sizeBytes, await timeMs(async () => {
        const file = await open(path, 'w');
        try {
          for (let at = 0; at < sizeBytes; at += pieceBytes) await file.write(piece, 0, Math.min(pieceBytes, sizeBytes - at));
          await file.datasync();
        } finally {
          await file.close();
        }
      })));
      const buffer = Buffer.allocUnsafe(pieceBytes);
      reads.push(mbPerSecond(sizeBytes, await timeMs(async () => {
        const file = await open(path, 'r');
        try {
          while ((await file.read(buffer, 0, pieceBytes)).bytesRead > 0) { /* sequential */ }
        } finally {
          await file.close();
        }
      })));
      if (ctx.signal.aborted) break;
    }
  } finally {
    await rm(path, { force: true });
  }
  write.ok(machineServer, writes);
  read.ok(machineServer, reads);
  ctx.log(`  disk write+fdatasync: ${writes.map((s) => s.toFixed(0)).join(', ')} MB/s; read: ${reads.map((s) => s.toFixed(0)).join(', ')} MB/s`);
  return [write.row, read.row, await syncRate(ctx)];
}

/** Small durable writes per second: the ceiling of any design that fsyncs once per small PUT without grouping commits. */
async function syncRate(ctx: BenchContext): Promise<Row> {
  const row = new RowBuilder(limitRows.diskSync, '-', 'syncs/s');
  const path = join(ctx.tmpRoot, 'sync-test.bin');
  const piece = randomBytes(4096);
  const syncsMax = ctx.options.quick ? 200 : 1_000;
  const samples: number[] = [];
  const file = await open(path, 'w');
  try {
    for (let run = 0; run < ctx.options.runs && !ctx.signal.aborted; run++) {
      let done = 0;
      const deadline = performance.now() + (ctx.options.quick ? 1_000 : 3_000);
      const ms = await timeMs(async () => {
        for (; done < syncsMax && performance.now() < deadline; done++) {
          await file.write(piece, 0, piece.length, (done % 256) * piece.length);
          await file.datasync();
        }
      });
      samples.push(done / (ms / 1000));
    }
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
  row.ok(machineServer, samples);
  ctx.log(`  4 KiB write + fdatasync: ${samples.map((s) => s.toFixed(0)).join(', ')} /s`);
  return row.row;
}

async function loopback(ctx: BenchContext): Promise<Row[]> {
  const sizeBytes = ctx.options.largeMiB * MiB;
  const source = randomBytes(pieceBytes);
  const put = new RowBuilder(`${limitRows.loopbackPut} (${sizeLabel(sizeBytes)})`, 'lean', 'MB/s');
  const get = new RowBuilder(`${limitRows.loopbackGet} (${sizeLabel(sizeBytes)})`, 'lean', 'MB/s');
  const unavailable = (status: 'missing' | 'error', reason: string) => { put.not(machineServer, status, reason); get.not(machineServer, status, reason); };
  await withServer(ctx, 'null', async (server) => {
    const conn = new RawConnection(server.port);
    const timeoutMs = 600_000;
    try {
      const putHead = server.lean.putHead('null', 'big', sizeBytes);
      const getHead = server.lean.getHead('null', 'big', { 'x-null-size': String(sizeBytes) });
      const puts: number[] = [];
      const gets: number[] = [];
      const putCpu: number[] = [];
      const getCpu: number[] = [];
      const cpuMs = () => readCpuMs(server.pid) ?? NaN;
      for (let run = 0; run < ctx.options.runs + 1 && !ctx.signal.aborted; run++) {
        const cpu0 = cpuMs();
        const putMs = await timeMs(() => server.lean.call(conn, { head: putHead, bodyPieces: () => pieces(source, sizeBytes), timeoutMs }, 'PUT'));
        const cpu1 = cpuMs();
        let received = 0;
        const getMs = await timeMs(async () => { received = (await server.lean.call(conn, { head: getHead, timeoutMs }, 'GET')).bodyBytes; });
        const cpu2 = cpuMs();
        if (received !== sizeBytes) throw new Error(`null server sent ${received} bytes, expected ${sizeBytes}`);
        if (run === 0) continue; // warm-up
        puts.push(mbPerSecond(sizeBytes, putMs));
        gets.push(mbPerSecond(sizeBytes, getMs));
        putCpu.push(mbPerSecond(sizeBytes, cpu1 - cpu0));
        getCpu.push(mbPerSecond(sizeBytes, cpu2 - cpu1));
      }
      const efficiency = (samples: number[]) => ({ extra: { serverMBPerCpuSecond: Math.round(median(samples.filter(Number.isFinite))) } });
      put.ok(machineServer, puts, efficiency(putCpu));
      get.ok(machineServer, gets, efficiency(getCpu));
      ctx.log(`  loopback PUT: ${puts.map((s) => s.toFixed(0)).join(', ')} MB/s; GET: ${gets.map((s) => s.toFixed(0)).join(', ')} MB/s`);
    } finally {
      conn.close();
    }
  }, unavailable);
  return [put.row, get.row];
}

function* pieces(source: Buffer, sizeBytes: number): Generator<Buffer> {
  for (let sent = 0; sent < sizeBytes; sent += source.length) yield source.subarray(0, Math.min(source.length, sizeBytes - sent));
}

export const machineLimits: Scenario = {
  id: 'limits',
  number: '1',
  title: 'Limits of this machine',
  async run(ctx): Promise<ScenarioOutcome> {
    const rows = [...await hashes(ctx), ...await disk(ctx), ...await loopback(ctx)];
    return {
      rows,
      notes: [
        'Hashes: one hash object per run over a random buffer in 1 MiB updates (what one request costs one core); the first run is a warm-up.',
        'Disk: one file written in 1 MiB writes then fdatasync, read back at once (so from the page cache, as a GET of a fresh object is). MB = 10^6 bytes. The syncs/s row rewrites 4 KiB in place and fdatasyncs, one after another: what one durable commit at a time can reach.',
        'Loopback: the lean client against the do-nothing node:http endpoint (a separate process), so client and server share the 2 cores as they do in every other row.',
        'AES-256-GCM is listed because s3push encrypts every blob at rest (SSE-S3), which puts it on the PUT and GET paths.',
      ],
    };
  },
};
