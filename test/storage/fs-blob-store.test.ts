// Tests of the filesystem BlobStore: the shared contract, its on-disk layout, sweeps and crash safety.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { limits, units } from '../../src/core/limits.js';
import { openFsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { readAll, runBlobStoreContract, writeBlob } from './blob-store.contract.js';
import { crashFinishedBytes, crashPattern, killWriterMidBlob } from './crash-writer.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 's3push-fs-blobs-'));
}

/** Every file under blobs/, as paths relative to it. */
async function blobFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(join(dir, 'blobs').length + 1)).sort();
}

runBlobStoreContract('filesystem', async () => {
  const dir = await tempDir();
  return { store: await openFsBlobStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('filesystem BlobStore', () => {
  test('keeps blobs at blobs/<2 hex>/<2 hex>/<id>, private, with nothing left in tmp/', async () => {
    const dir = await tempDir();
    try {
      const store = await openFsBlobStore({ dir });
      const data = randomBytes(100_000);
      const writer = await store.create();
      await writer.write(data);
      assert.deepEqual(await readdir(join(dir, 'tmp')), [writer.blobId], 'bytes go to tmp/<id> first');
      assert.deepEqual(await blobFiles(dir), []);
      const { blobId } = await writer.finish();
      const path = join(dir, 'blobs', blobId.slice(0, 2), blobId.slice(2, 4), blobId);
      assert.equal(store.pathOf(blobId), path);
      assert.ok((await readFile(path)).equals(data));
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      assert.match(blobId, /^[0-9a-f]{32}$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('many tiny writes and a blob past the background-sync interval round-trip', async () => {
    const dir = await tempDir();
    try {
      const store = await openFsBlobStore({ dir });
      const tiny = randomBytes(20_000);
      assert.ok((await readAll(store.read(await writeBlob(store, tiny, [1, 2, 3])))).equals(tiny));
      const big = randomBytes(limits.blobWriterSyncIntervalBytes + 3 * units.MiB + 1);
      const blobId = await writeBlob(store, big, [256 * units.KiB]);
      assert.ok((await readAll(store.read(blobId))).equals(big));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('sweepTemporary removes leftovers in tmp/ and counts them', async () => {
    const dir = await tempDir();
    try {
      const store = await openFsBlobStore({ dir });
      await writeFile(join(dir, 'tmp', 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0'), 'partial');
      await writeFile(join(dir, 'tmp', 'stray'), 'x');
      await mkdir(join(dir, 'tmp', 'subdir', 'deeper'), { recursive: true });
      const kept = await writeBlob(store, Buffer.from('finished blob'));
      assert.equal(await store.sweepTemporary(), 3);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      assert.equal(await store.sweepTemporary(), 0);
      assert.equal((await readAll(store.read(kept))).toString(), 'finished blob');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('list skips files and directories that are not blobs', async () => {
    const dir = await tempDir();
    try {
      const store = await openFsBlobStore({ dir });
      const blobId = await writeBlob(store, Buffer.from('x'));
      const leaf = join(dir, 'blobs', blobId.slice(0, 2), blobId.slice(2, 4));
      await writeFile(join(leaf, 'notes.txt'), 'not a blob');
      await writeFile(join(leaf, 'ffffffffffffffffffffffffffffffff'), 'a blob id in the wrong directory');
      await mkdir(join(dir, 'blobs', 'zz', 'yy'), { recursive: true });
      await writeFile(join(dir, 'blobs', 'zz', 'yy', blobId), 'wrong fan-out name');
      const listed = [];
      for await (const entry of store.list()) listed.push(entry.blobId);
      assert.deepEqual(listed, [blobId]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('refuses blob ids that are not ids (no path escapes)', async () => {
    const dir = await tempDir();
    try {
      const store = await openFsBlobStore({ dir });
      await assert.rejects(readAll(store.read('../../../etc/passwd')), { code: 'ERR_ASSERTION' });
      await assert.rejects(store.delete('../tmp'), { code: 'ERR_ASSERTION' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a writer killed mid-blob leaves only a temp file, which the start-up sweep removes', async () => {
    const dir = await tempDir();
    try {
      const { finishedBlobId, unfinishedBlobId } = await killWriterMidBlob(dir, 'plain');
      const leftovers = await readdir(join(dir, 'tmp'));
      assert.deepEqual(leftovers, [unfinishedBlobId], 'the killed writer left its temp file');
      // The child reported midway after 8 MiB; all but the batches still queued had reached the file.
      const queuedBytesMax = 2 * limits.blobWriteCoalesceBytes + units.MiB;
      const tempBytes = (await stat(join(dir, 'tmp', unfinishedBlobId))).size;
      assert.ok(tempBytes >= 8 * units.MiB - queuedBytesMax && tempBytes > 0, `killed mid-blob (${tempBytes} bytes written)`);
      const finishedPath = join(finishedBlobId.slice(0, 2), finishedBlobId.slice(2, 4), finishedBlobId);
      assert.deepEqual(await blobFiles(dir), [finishedPath], 'no partial blob under blobs/');

      const restarted = await openFsBlobStore({ dir });
      assert.equal(await restarted.sweepTemporary(), 1);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      const listed = [];
      for await (const entry of restarted.list()) listed.push(entry.blobId);
      assert.deepEqual(listed, [finishedBlobId]);
      assert.ok((await readAll(restarted.read(finishedBlobId))).equals(crashPattern(crashFinishedBytes)));
      await assert.rejects(readAll(restarted.read(unfinishedBlobId)), { code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
