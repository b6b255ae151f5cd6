// Benchmark of the SQLite MetaStore: PUT commits/s for small objects and keys/s listed from a 100k-key bucket.
//
// Run: npx tsc -p . --outDir dist-bench && node dist-bench/bench/meta-store.bench.js [keys]
// Every PUT is its own fsync'd transaction (synchronous=FULL), as the server does it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newBlobId } from '../src/core/ids.js';
import type { MetaStore } from '../src/storage/meta-store.js';
import { openSqliteMetaStore } from '../src/storage/sqlite/sqlite-meta-store.js';
import type { ListObjectsQuery, NewObjectVersion } from '../src/storage/types.js';

const writer = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root', userId: '111122223333', sourceIp: '127.0.0.1', requestId: 'R' };

function version(key: string, blobId: string): NewObjectVersion {
  return {
    bucket: 'bench',
    key,
    sizeBytes: 1024,
    etag: '0123456789abcdef0123456789abcdef',
    lastModifiedMs: Date.now(),
    headers: { contentType: 'application/octet-stream' },
    userMetadata: {},
    tags: [],
    extents: [{ blobId, offsetBytes: 0, lengthBytes: 1024 }],
    storageClass: 'STANDARD',
    ownerAccountId: writer.accountId,
    writer,
    method: 'PutObject',
  };
}

async function put(store: MetaStore, key: string): Promise<void> {
  const blobId = newBlobId();
  await store.putObjectVersion({ version: version(key, blobId), newBlobs: [{ blobId, sizeBytes: 1024 }], event: 'ObjectCreated:Put' });
}

/** Lists to the end; returns entries (keys + common prefixes) and pages. */
async function listAll(store: MetaStore, query: Omit<ListObjectsQuery, 'after'>): Promise<{ entries: number; pages: number }> {
  let after: string | undefined;
  let entries = 0;
  let pages = 0;
  for (;;) {
    const page = await store.listObjects('bench', { ...query, after });
    entries += page.objects.length + page.commonPrefixes.length;
    pages++;
    if (!page.isTruncated) return { entries, pages };
    after = page.lastReturned;
  }
}

/**
 * Runs `work` `runs` times and prints its rate per wall-clock second (median and best) and per
 * CPU second of this process (median); on a shared machine the CPU figure is the steadier one.
 */
async function timed<T>(label: string, runs: number, count: (result: T) => number, unit: string, work: () => Promise<T>): Promise<T> {
  const wallRates: number[] = [];
  const cpuRates: number[] = [];
  let result: T | undefined;
  let n = 0;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    result = await work();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuStart);
    n = count(result);
    wallRates.push((n * 1000) / ms);
    cpuRates.push((n * 1e6) / (cpu.user + cpu.system));
  }
  const median = (rates: number[]) => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  const show = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(9);
  console.log(
    `${label.padEnd(60)} ${String(n).padStart(7)} ${unit.padEnd(8)} x${runs}: ${show(median(wallRates))}/s wall (best ${show(Math.max(...wallRates))}), ${show(median(cpuRates))}/s cpu`,
  );
  return result!;
}

async function main(): Promise<void> {
  const keyCount = Number(process.argv[2] ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), 's3push-bench-'));
  const store = openSqliteMetaStore({ path: join(dir, 'meta.sqlite') });
  try {
    await store.createBucket({ name: 'bench', accountId: writer.accountId, region: 'us-east-1', createdMs: 0, versioning: 'Unversioned', ownership: 'BucketOwnerEnforced' });
    // 100 directories of keyCount/100 files: `dir-07/file-000123`.
    const keys: string[] = [];
    for (let i = 0; i < keyCount; i++) keys.push(`dir-${String(i % 100).padStart(2, '0')}/file-${String(i).padStart(7, '0')}`);
    // Insert in a scrambled (but repeatable) order, so rows are not stored in key order.
    let seed = 12345;
    for (let i = keys.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    await timed('PUT (one fsync\'d transaction each, new keys)', 1, () => keyCount, 'commits', async () => {
      for (const key of keys) await put(store, key);
    });
    await timed('PUT overwrite (replaces null version, releases blob)', 1, () => 5000, 'commits', async () => {
      for (let i = 0; i < 5000; i++) await put(store, keys[i]!);
    });

    for (const pageSize of [1000, 100]) {
      await timed(`listObjects, no delimiter, max-keys ${pageSize}`, 5, (r) => r.entries, 'keys', () =>
        listAll(store, { prefix: '', maxKeys: pageSize }),
      );
    }
    await timed('listObjects, prefix dir-42/, max-keys 1000', 5, (r) => r.entries, 'keys', () =>
      listAll(store, { prefix: 'dir-42/', maxKeys: 1000 }),
    );
    await timed('listObjects, prefix dir-42/, delimiter /, max-keys 1000', 5, (r) => r.entries, 'keys', () =>
      listAll(store, { prefix: 'dir-42/', delimiter: '/', maxKeys: 1000 }),
    );
    const top = await timed('listObjects, delimiter /: 100 common prefixes (a seek each)', 5, (r) => r.entries, 'entries', () =>
      listAll(store, { prefix: '', delimiter: '/', maxKeys: 1000 }),
    );
    if (top.entries !== 100) throw new Error(`expected 100 common prefixes, got ${top.entries}`);
    await timed('listObjectVersions, max-keys 1000', 5, (n) => n, 'versions', async () => {
      let count = 0;
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (;;) {
        const page = await store.listObjectVersions('bench', { prefix: '', maxKeys: 1000, keyMarker, versionIdMarker });
        count += page.versions.length;
        if (!page.isTruncated) return count;
        keyMarker = page.nextKeyMarker;
        versionIdMarker = page.nextVersionIdMarker;
      }
    });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
