// Tests of loadOrCreateMasterKey: created once (0600, 32 bytes), reused, never replaced, wrong sizes refused.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadOrCreateMasterKey } from '../../src/storage/master-key.js';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 's3push-master-key-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('loadOrCreateMasterKey', () => {
  test('creates 32 random bytes with mode 0600, then returns the same key', () =>
    withDir(async (dir) => {
      const path = join(dir, 'master.key');
      const key = await loadOrCreateMasterKey(path);
      assert.equal(key.length, 32);
      assert.ok(!key.equals(Buffer.alloc(32)));
      assert.ok((await readFile(path)).equals(key));
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.ok((await loadOrCreateMasterKey(path)).equals(key));
      assert.deepEqual(await readdir(dir), ['master.key'], 'no temp files left');
      const other = await loadOrCreateMasterKey(join(dir, 'other.key'));
      assert.ok(!other.equals(key), 'each new key is random');
    }));

  test('processes starting together agree on one key', () =>
    withDir(async (dir) => {
      const path = join(dir, 'nested', 'master.key');
      const keys = await Promise.all(Array.from({ length: 16 }, () => loadOrCreateMasterKey(path)));
      for (const key of keys) assert.ok(key.equals(keys[0]!));
      assert.ok((await readFile(path)).equals(keys[0]!));
      assert.deepEqual(await readdir(join(dir, 'nested')), ['master.key']);
    }));

  test('refuses a key file of the wrong size and leaves it untouched', () =>
    withDir(async (dir) => {
      const path = join(dir, 'master.key');
      for (const size of [0, 31, 33, 64]) {
        await writeFile(path, Buffer.alloc(size, 1));
        await assert.rejects(loadOrCreateMasterKey(path), (error: Error) => {
          assert.match(error.message, new RegExp(`${path.replace(/[.]/g, '\\.')} holds ${size} bytes`));
          assert.match(error.message, /exactly 32/);
          return true;
        });
        assert.equal((await readFile(path)).length, size);
      }
    }));
});
