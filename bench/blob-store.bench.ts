// Throughput of the filesystem BlobStore and of SSE-S3 over it, next to dd with fdatasync as the disk's reference.
//
// Run (compiled): node dist-<you>/bench/blob-store.bench.js [--size-mib 1024] [--runs 3] [--chunk-kib 64] [--dir bench/tmp/blob-store]
// Writes include finish() (fdatasync, rename, directory fsync); reads come from the page cache
// (the blob was just written). MB = 10^6 bytes, as dd prints. Each figure is the median of the runs.
// Also printed: MB per CPU-second of this process (all its threads), which other load on the
// machine hardly changes, and the load average, which says how far to trust the wall-clock figures.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { units } from '../src/core/limits.js';
import type { BlobStore } from '../src/storage/blob-store.js';
import { EncryptedBlobStore } from '../src/storage/encrypted-blob-store.js';
import { openFsBlobStore } from '../src/storage/fs/fs-blob-store.js';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    runs: { type: 'string', default: '3' },
    'chunk-kib': { type: 'string', default: '64' },
    dir: { type: 'string', default: 'bench/tmp/blob-store' },
  },
});
const sizeBytes = Number(values['size-mib']) * units.MiB;
const runs = Number(values.runs);
const chunkBytes = Number(values['chunk-kib']) * units.KiB;
const dir = values.dir;

interface Measurement {
  mbPerSecond: number;
  cpuPercent: number;
  mbPerCpuSecond: number;
}

async function measure(work: () => Promise<number>): Promise<Measurement> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const bytes = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { mbPerSecond: bytes / seconds / 1e6, cpuPercent: (cpuSeconds / seconds) * 100, mbPerCpuSecond: bytes / cpuSeconds / 1e6 };
}

/** Writes sizeBytes in chunkBytes views of one random MiB (as an HTTP body arrives), finish included. */
async function writeBlob(store: BlobStore): Promise<{ blobId: string; bytes: number }> {
  const source = randomBytes(units.MiB);
  const writer = await store.create();
  for (let written = 0; written < sizeBytes; written += chunkBytes) {
    const at = written % units.MiB;
    await writer.write(source.subarray(at, at + chunkBytes));
  }
  const { blobId, sizeBytes: bytes } = await writer.finish();
  return { blobId, bytes };
}

async function readBlob(store: BlobStore, blobId: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of store.read(blobId)) bytes += chunk.length;
  return bytes;
}

function ddWrite(): Measurement {
  const path = join(dir, 'dd.bin');
  const started = process.hrtime.bigint();
  const result = spawnSync('dd', ['if=/dev/zero', `of=${path}`, 'bs=1M', `count=${sizeBytes / units.MiB}`, 'conv=fdatasync'], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`dd failed: ${result.stderr}`);
  spawnSync('rm', ['-f', path]);
  return { mbPerSecond: sizeBytes / seconds / 1e6, cpuPercent: NaN, mbPerCpuSecond: NaN };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const fs = await openFsBlobStore({ dir });
  const stores: [string, BlobStore][] = [
    ['fs', fs],
    ['encrypted over fs', new EncryptedBlobStore(fs, randomBytes(32))],
  ];
  const results = new Map<string, Measurement[]>();
  const record = (label: string, m: Measurement) => {
    results.set(label, [...(results.get(label) ?? []), m]);
    const cpu = Number.isNaN(m.cpuPercent) ? '' : `  cpu ${m.cpuPercent.toFixed(0).padStart(3)}%  ${m.mbPerCpuSecond.toFixed(0).padStart(5)} MB/cpu-s`;
    console.log(`  ${label.padEnd(36)} ${m.mbPerSecond.toFixed(0).padStart(6)} MB/s${cpu}`);
  };
  const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`blob store throughput: ${sizeBytes / units.MiB} MiB per blob, ${chunkBytes / units.KiB} KiB writes, ${runs} runs; load ${load()}`);
  for (let run = 1; run <= runs; run++) {
    console.log(`run ${run}`);
    record('dd write (fdatasync)', ddWrite());
    // Alternate the order so neither store always inherits the other's writeback.
    for (const [name, store] of run % 2 ? stores : [...stores].reverse()) {
      let blobId = '';
      record(`${name} write`, await measure(async () => ({ blobId } = await writeBlob(store)).bytes));
      record(`${name} read (page cache)`, await measure(() => readBlob(store, blobId)));
      await store.delete(blobId);
    }
  }
  console.log(`medians (load ${load()})`);
  const medianOf = (label: string, field: keyof Measurement = 'mbPerSecond') => median(results.get(label)!.map((m) => m[field]));
  for (const label of results.keys()) {
    const perCpu = medianOf(label, 'mbPerCpuSecond');
    console.log(`  ${label.padEnd(36)} ${medianOf(label).toFixed(0).padStart(6)} MB/s${Number.isNaN(perCpu) ? '' : `  ${perCpu.toFixed(0).padStart(5)} MB/cpu-s`}`);
  }
  const ratio = medianOf('encrypted over fs write') / medianOf('fs write');
  console.log(`  encrypted/plain write ${(ratio * 100).toFixed(0).padStart(21)} %`);
  await rm(dir, { recursive: true, force: true });
}

await main();
