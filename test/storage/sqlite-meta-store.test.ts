// Runs the MetaStore contract against SQLite, plus what only SQLite has: files, reopening, schema, shared access.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteMetaStore } from '../../src/storage/sqlite/sqlite-meta-store.js';
import { schemaVersion } from '../../src/storage/sqlite/schema.js';
import { limits } from '../../src/core/limits.js';
import { newBlobId } from '../../src/core/ids.js';
import { runMetaStoreContract } from './meta-store.contract.js';
import { accountA, bucketRecord, newVersion, putNew, writer } from './meta-store-contract/fixtures.js';

async function tempPath(): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 's3push-meta-'));
  return { dir, path: join(dir, 'meta', 'meta.sqlite') };
}

runMetaStoreContract('sqlite', async () => {
  const { dir, path } = await tempPath();
  const store = openSqliteMetaStore({ path });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite meta store: files and processes', () => {
  test('data survives close and reopen', async () => {
    const { dir, path } = await tempPath();
    try {
      const first = openSqliteMetaStore({ path });
      await first.createBucket(bucketRecord('media', 'Enabled'));
      const { version } = await putNew(first, 'media', 'a.txt');
      await first.putSetting('cursor', '7');
      await first.close();
      await first.close();

      const second = openSqliteMetaStore({ path });
      assert.equal((await second.getObjectVersion('media', 'a.txt'))?.versionId, version.versionId);
      assert.equal(await second.getSetting('cursor'), '7');
      assert.equal(await second.latestEventSequence(), 1);
      const next = await putNew(second, 'media', 'a.txt');
      assert(next.version.sequence > version.sequence);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('two connections on one file see each other and keep sequences increasing', async () => {
    const { dir, path } = await tempPath();
    try {
      const a = openSqliteMetaStore({ path });
      const b = openSqliteMetaStore({ path });
      await a.createBucket(bucketRecord('media', 'Enabled'));
      assert.equal((await b.getBucket('media'))?.name, 'media');
      const written = [];
      for (let i = 0; i < 10; i++) written.push(await putNew(i % 2 === 0 ? a : b, 'media', `k${i % 3}`));
      const events = await a.readEvents(0, 100);
      assert.equal(events.length, 10);
      for (let i = 1; i < events.length; i++) assert(events[i]!.sequence > events[i - 1]!.sequence);
      assert.deepEqual(events.map((e) => e.versionId), written.map((w) => w.version.versionId));
      await b.deleteObject({ bucket: 'media', key: 'k0', writer });
      assert.equal((await a.getObjectVersion('media', 'k0'))?.isDeleteMarker, true);
      await a.close();
      await b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('several processes write one file concurrently without losing or reordering commits', async () => {
    const { dir, path } = await tempPath();
    try {
      const store = openSqliteMetaStore({ path });
      await store.createBucket(bucketRecord('media', 'Enabled'));
      const storeModule = new URL('../../src/storage/sqlite/sqlite-meta-store.js', import.meta.url).href;
      const writesPerProcess = 150;
      // Each child puts objects as fast as it can; some keys are shared so versions interleave.
      const child = (name: string) => `
        import { openSqliteMetaStore } from ${JSON.stringify(storeModule)};
        const store = openSqliteMetaStore({ path: ${JSON.stringify(path)} });
        const writer = ${JSON.stringify(writer)};
        for (let i = 0; i < ${writesPerProcess}; i++) {
          const blobId = '${name}-' + i;
          await store.putObjectVersion({
            version: { bucket: 'media', key: i % 3 === 0 ? 'shared' : '${name}/' + i, sizeBytes: 1, etag: 'e', lastModifiedMs: 1,
              headers: {}, userMetadata: {}, tags: [], extents: [{ blobId, offsetBytes: 0, lengthBytes: 1 }],
              storageClass: 'STANDARD', ownerAccountId: writer.accountId, writer },
            newBlobs: [{ blobId, sizeBytes: 1 }], event: 'ObjectCreated:Put' });
        }
        await store.close();`;
      const run = promisify(execFile);
      await Promise.all(['p1', 'p2', 'p3'].map((name) => run(process.execPath, ['--input-type=module', '-e', child(name)])));
      const events = await store.readEvents(0, 10_000);
      assert.equal(events.length, 3 * writesPerProcess);
      for (let i = 1; i < events.length; i++) assert(events[i]!.sequence > events[i - 1]!.sequence);
      const shared = (await store.listObjectVersions('media', { prefix: 'shared', maxKeys: 1000 })).versions;
      assert.equal(shared.length, 3 * Math.ceil(writesPerProcess / 3));
      assert.equal(shared.filter((v) => v.isLatest).length, 1);
      assert.equal(shared[0]!.isLatest, true);
      const listed = await store.listObjects('media', { prefix: '', maxKeys: 1000 });
      assert.equal(listed.objects.length, 1 + 3 * (writesPerProcess - Math.ceil(writesPerProcess / 3)));
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the file is in WAL mode with the current schema version; newer schemas are refused', async () => {
    const { dir, path } = await tempPath();
    try {
      const store = openSqliteMetaStore({ path });
      await store.close();
      const raw = new Database(path);
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(raw.pragma('page_size', { simple: true }), 8192);
      assert.equal(raw.pragma('user_version', { simple: true }), schemaVersion);
      raw.pragma(`user_version = ${schemaVersion + 1}`);
      raw.close();
      assert.throws(() => openSqliteMetaStore({ path }), /newer/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('at most completedUploadsRememberedMax completions are remembered; the oldest go first', async () => {
    const { dir, path } = await tempPath();
    try {
      const store = openSqliteMetaStore({ path });
      await store.createBucket(bucketRecord('media'));
      // Fill the table directly (a completion per transaction would take minutes), then complete one more.
      const raw = new Database(path);
      const insert = raw.prepare('INSERT INTO completed_uploads (upload_id, bucket, key, completed_ms, body) VALUES (?, ?, ?, ?, ?)');
      const nowMs = Date.now();
      raw.transaction(() => {
        for (let i = 0; i < limits.completedUploadsRememberedMax; i++) insert.run(`filler-${i}`, 'media', 'k', nowMs, '{}');
      })();
      raw.close();
      const blobId = newBlobId();
      await store.createUpload({ uploadId: 'last', bucket: 'media', key: 'k', initiatedMs: nowMs, headers: {}, userMetadata: {}, tags: [], storageClass: 'STANDARD', ownerAccountId: accountA, initiator: writer });
      await store.putPart({ uploadId: 'last', partNumber: 1, sizeBytes: 1, etag: 'e', lastModifiedMs: nowMs, extents: [{ blobId, offsetBytes: 0, lengthBytes: 1 }] }, [{ blobId, sizeBytes: 1 }]);
      const version = { ...newVersion('media', 'k', [], 1), lastModifiedMs: nowMs };
      await store.completeUpload({ uploadId: 'last', version, partNumbers: [1], partsDigest: 'd' });
      await store.close();
      const check = new Database(path, { readonly: true });
      assert.equal(check.prepare('SELECT COUNT(*) FROM completed_uploads').pluck().get(), limits.completedUploadsRememberedMax);
      assert.equal(check.prepare("SELECT COUNT(*) FROM completed_uploads WHERE upload_id IN ('filler-0', 'last')").pluck().get(), 1);
      check.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an injected clock stamps events and delete markers', async () => {
    const { dir, path } = await tempPath();
    try {
      let now = 1_000_000;
      const store = openSqliteMetaStore({ path, clock: { nowMs: () => now } });
      await store.createBucket(bucketRecord('media', 'Enabled'));
      await putNew(store, 'media', 'a');
      now = 2_000_000;
      await store.deleteObject({ bucket: 'media', key: 'a', writer });
      const events = await store.readEvents(0, 10);
      assert.deepEqual(events.map((e) => e.timeMs), [1_000_000, 2_000_000]);
      assert.equal((await store.getObjectVersion('media', 'a'))?.lastModifiedMs, 2_000_000);
      // Grace periods run on the same clock.
      await store.deleteObject({ bucket: 'media', key: 'a', versionId: events[0]!.versionId, writer });
      assert.deepEqual(await store.takeGarbage(10, 1000), []);
      now += 1000;
      assert.equal((await store.takeGarbage(10, 1000)).length, 1);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
