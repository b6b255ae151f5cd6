// Tests of SSE-S3 at rest: the shared contract over the filesystem store, ciphertext on disk, tamper detection, keys.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { isS3Error } from '../../src/core/errors.js';
import { newBlobId } from '../../src/core/ids.js';
import { limits } from '../../src/core/limits.js';
import type { BlobReadOptions, BlobStore, ByteRange } from '../../src/storage/blob-store.js';
import {
  headerBytes,
  plaintextSizeOf,
  segmentOffset,
  storedSizeOf,
  tagBytes,
} from '../../src/storage/encrypted-blob-format.js';
import { BlobIntegrityError, EncryptedBlobStore, type EncryptedBlobStoreOptions } from '../../src/storage/encrypted-blob-store.js';
import { type FsBlobStore, openFsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { loadOrCreateMasterKey } from '../../src/storage/master-key.js';
import { readAll, runBlobStoreContract, writeBlob } from './blob-store.contract.js';
import { crashFinishedBytes, crashPattern, killWriterMidBlob } from './crash-writer.js';

const S = limits.encryptionSegmentBytes;
const integrity = { code: 'ERR_BLOB_INTEGRITY' };

interface Setup {
  fs: FsBlobStore;
  masterKey: Buffer;
  store: EncryptedBlobStore;
  /** Another instance with the same key and an empty header cache (as after a restart). */
  cold(): EncryptedBlobStore;
  cleanup(): Promise<void>;
}

async function setup(options: EncryptedBlobStoreOptions = {}): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 's3push-encrypted-blobs-'));
  const fs = await openFsBlobStore({ dir });
  const masterKey = randomBytes(32);
  return {
    fs,
    masterKey,
    store: new EncryptedBlobStore(fs, masterKey, options),
    cold: () => new EncryptedBlobStore(fs, masterKey, options),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Passes everything through to a real store and records the ranges read from it. */
class RecordingBlobStore implements BlobStore {
  readonly reads: (ByteRange | undefined)[] = [];
  constructor(private readonly inner: BlobStore) {}
  create(signal?: AbortSignal) {
    return this.inner.create(signal);
  }
  read(blobId: string, range?: ByteRange, options?: BlobReadOptions) {
    this.reads.push(range);
    return this.inner.read(blobId, range, options);
  }
  delete(blobId: string) {
    return this.inner.delete(blobId);
  }
  list() {
    return this.inner.list();
  }
  sweepTemporary() {
    return this.inner.sweepTemporary();
  }
}

/** Collects what a read yields before it fails, and the failure. */
async function readUntilFailure(chunks: AsyncIterable<Buffer>): Promise<{ served: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunks) parts.push(chunk);
  } catch (error) {
    return { served: Buffer.concat(parts), error };
  }
  assert.fail('the read should have failed');
}

runBlobStoreContract('encrypted over filesystem', async () => {
  const { store, cleanup } = await setup();
  return { store, cleanup };
});

runBlobStoreContract('encrypted over filesystem, 4 KiB segments, one cached header', async () => {
  const { store, cleanup } = await setup({ segmentBytes: 4096, headerCacheEntriesMax: 1 });
  return { store, cleanup };
});

describe('encrypted BlobStore', () => {
  test('stores ciphertext: a known pattern never reaches the disk, identical blobs differ', async () => {
    const { fs, store, cleanup } = await setup();
    try {
      const marker = Buffer.from('S3PUSH-PLAINTEXT-MARKER-');
      const data = Buffer.alloc(200_000);
      for (let at = 0; at < data.length; at += marker.length) marker.copy(data, at);
      const plainId = await writeBlob(fs, data);
      assert.ok((await readFile(fs.pathOf(plainId))).includes(marker), 'control: the plain store keeps the pattern');
      const first = await readFile(fs.pathOf(await writeBlob(store, data)));
      const second = await readFile(fs.pathOf(await writeBlob(store, data)));
      assert.ok(!first.includes(marker) && !second.includes(marker), 'the pattern is not on disk');
      assert.ok(!first.includes(data.subarray(0, 16)), 'not even one 16-byte window of it');
      assert.ok(!first.subarray(headerBytes).equals(second.subarray(headerBytes)), 'each blob has its own data key');
    } finally {
      await cleanup();
    }
  });

  test('stored size follows the documented formula', async () => {
    const { fs, store, cleanup } = await setup();
    try {
      for (const size of [0, 1, S - 1, S, S + 1, 3 * S + 5]) {
        const stored = (await readFile(fs.pathOf(await writeBlob(store, randomBytes(size))))).length;
        assert.equal(stored, headerBytes + size + tagBytes * Math.max(1, Math.ceil(size / S)), `stored size of ${size}`);
        assert.equal(storedSizeOf(size, S), stored);
        assert.equal(plaintextSizeOf(stored, S), size);
      }
    } finally {
      await cleanup();
    }
  });

  const seg = (i: number) => [segmentOffset(i, S), segmentOffset(i + 1, S)] as const;
  const tampers: Record<string, (raw: Buffer) => Buffer> = {
    'a ciphertext byte of segment 2': (raw) => flip(raw, seg(2)[0] + 100),
    'a tag byte of the last segment': (raw) => flip(raw, raw.length - 1),
    'the magic': (raw) => flip(raw, 0),
    'the format version': (raw) => flip(raw, 4),
    'the cipher id': (raw) => flip(raw, 5),
    'a reserved byte': (raw) => flip(raw, 7),
    'the segment size': (raw) => flip(raw, 10),
    'the key-wrap nonce': (raw) => flip(raw, 12),
    'the wrapped data key': (raw) => flip(raw, 30),
    'the key-wrap tag': (raw) => flip(raw, 60),
    'truncation by one byte': (raw) => raw.subarray(0, raw.length - 1),
    'truncation by the last tag': (raw) => raw.subarray(0, raw.length - tagBytes),
    'truncation at a segment boundary': (raw) => raw.subarray(0, seg(4)[0]),
    'truncation inside a segment': (raw) => raw.subarray(0, seg(4)[0] + 5),
    'truncation to one segment': (raw) => raw.subarray(0, seg(1)[0]),
    'truncation to the header': (raw) => raw.subarray(0, headerBytes),
    'truncation inside the header': (raw) => raw.subarray(0, 40),
    'truncation to nothing': () => Buffer.alloc(0),
    'two segments swapped': (raw) => Buffer.concat([raw.subarray(0, seg(1)[0]), raw.subarray(...seg(2)), raw.subarray(...seg(1)), raw.subarray(seg(3)[0])]),
    'a segment dropped': (raw) => Buffer.concat([raw.subarray(0, seg(1)[0]), raw.subarray(seg(2)[0])]),
    'a segment repeated': (raw) => Buffer.concat([raw.subarray(0, seg(2)[0]), raw.subarray(...seg(1)), raw.subarray(seg(2)[0])]),
    'a byte appended': (raw) => Buffer.concat([raw, Buffer.of(0)]),
    'the last segment appended again': (raw) => Buffer.concat([raw, raw.subarray(seg(4)[0])]),
  };

  test('any tampering makes a whole read fail, with a warm or a cold key cache', async () => {
    const { fs, store, cold, cleanup } = await setup();
    try {
      for (const [what, tamper] of Object.entries(tampers)) {
        const blobId = await writeBlob(store, randomBytes(4 * S + 100)); // segments 0-3 full, 4 partial
        const path = fs.pathOf(blobId);
        await writeFile(path, tamper(await readFile(path)));
        for (const [cache, reader] of [['warm', store], ['cold', cold()]] as const) {
          const { error } = await readUntilFailure(reader.read(blobId));
          assert.ok(error instanceof BlobIntegrityError, `${what} (${cache} cache): ${String(error)}`);
          assert.equal(error.code, 'ERR_BLOB_INTEGRITY');
          assert.equal(error.blobId, blobId);
          assert.ok(!isS3Error(error), 'not an AWS-facing error: the API answers InternalError');
        }
      }
    } finally {
      await cleanup();
    }
  });

  test('never yields plaintext of a segment that does not authenticate', async () => {
    const { fs, store, cold, cleanup } = await setup();
    try {
      const data = randomBytes(4 * S + 100);
      const blobId = await writeBlob(store, data);
      const path = fs.pathOf(blobId);
      await writeFile(path, flip(await readFile(path), seg(2)[0] + 5));
      const whole = await readUntilFailure(cold().read(blobId));
      assert.ok(whole.served.equals(data.subarray(0, 2 * S)), 'exactly segments 0 and 1 were served');
      const ranged = await readUntilFailure(store.read(blobId, { start: S + 10, end: 4 * S }));
      assert.ok(ranged.served.equals(data.subarray(S + 10, 2 * S)));
      assert.ok(ranged.error instanceof BlobIntegrityError);
    } finally {
      await cleanup();
    }
  });

  test('ranges over intact segments are served, ranges over damaged ones fail', async () => {
    const { fs, store, cold, cleanup } = await setup();
    try {
      const data = randomBytes(5 * S + 100);
      const damaged = await writeBlob(store, data);
      const path = fs.pathOf(damaged);
      await writeFile(path, flip(await readFile(path), seg(3)[0] + 7));
      for (const reader of [store, cold()]) {
        assert.ok((await readAll(reader.read(damaged, { start: 0, end: 3 * S }))).equals(data.subarray(0, 3 * S)));
        assert.ok((await readAll(reader.read(damaged, { start: 2 * S + 1, end: 3 * S }))).equals(data.subarray(2 * S + 1, 3 * S)));
        assert.ok((await readAll(reader.read(damaged, { start: 4 * S, end: 5 * S + 100 }))).equals(data.subarray(4 * S)));
        await assert.rejects(readAll(reader.read(damaged, { start: 3 * S - 1, end: 3 * S + 1 })), integrity);
      }
      // Cut after segment 3: segment 3 now ends the stored bytes but was not sealed as the last one.
      const cut = await writeBlob(store, data);
      await writeFile(fs.pathOf(cut), (await readFile(fs.pathOf(cut))).subarray(0, seg(4)[0]));
      for (const reader of [store, cold()]) {
        assert.ok((await readAll(reader.read(cut, { start: S, end: 2 * S }))).equals(data.subarray(S, 2 * S)));
        await assert.rejects(readAll(reader.read(cut, { start: 3 * S, end: 3 * S + 1 })), integrity);
        await assert.rejects(readAll(reader.read(cut, { start: 4 * S + 1, end: 4 * S + 10 })), integrity, 'range past the cut');
        await assert.rejects(readAll(reader.read(cut, { start: 4 * S, end: 4 * S })), integrity, 'empty range at the cut');
      }
    } finally {
      await cleanup();
    }
  });

  test('a wrong master key, or a blob file under another id, does not decrypt', async () => {
    const { fs, store, cleanup } = await setup();
    try {
      const data = randomBytes(3 * S);
      const blobId = await writeBlob(store, data);
      const stranger = new EncryptedBlobStore(fs, randomBytes(32));
      await assert.rejects(readAll(stranger.read(blobId)), integrity);
      await assert.rejects(readAll(stranger.read(blobId, { start: 2 * S, end: 2 * S + 1 })), integrity);

      const otherId = newBlobId();
      await mkdir(dirname(fs.pathOf(otherId)), { recursive: true });
      await writeFile(fs.pathOf(otherId), await readFile(fs.pathOf(blobId)));
      await assert.rejects(readAll(store.read(otherId)), integrity);
      assert.ok((await readAll(store.read(blobId))).equals(data), 'control: under its own id it reads');
    } finally {
      await cleanup();
    }
  });

  test('ranged reads fetch only the stored segments they touch (plus one look-ahead byte)', async () => {
    const { fs, masterKey, cleanup } = await setup();
    try {
      const recorder = new RecordingBlobStore(fs);
      const data = randomBytes(10 * S);
      const warm = new EncryptedBlobStore(recorder, masterKey);
      const blobId = await writeBlob(warm, data);
      const expect = async (reader: EncryptedBlobStore, range: ByteRange | undefined, reads: (ByteRange | undefined)[]) => {
        recorder.reads.length = 0;
        const got = await readAll(reader.read(blobId, range));
        assert.ok(got.equals(range ? data.subarray(range.start, range.end) : data));
        assert.deepEqual(recorder.reads, reads, `reads for ${JSON.stringify(range)}`);
      };
      const segments3to4 = { start: segmentOffset(3, S), end: segmentOffset(5, S) + 1 };
      await expect(warm, { start: 3 * S + 5, end: 4 * S + 2 }, [segments3to4]);
      await expect(new EncryptedBlobStore(recorder, masterKey), { start: 3 * S + 5, end: 4 * S + 2 }, [{ start: 0, end: headerBytes }, segments3to4]);
      await expect(new EncryptedBlobStore(recorder, masterKey), { start: 10, end: 20 }, [{ start: 0, end: segmentOffset(1, S) + 1 }]);
      await expect(warm, { start: 9 * S, end: 10 * S }, [{ start: segmentOffset(9, S), end: segmentOffset(10, S) + 1 }]);
      await expect(warm, undefined, [undefined]);
    } finally {
      await cleanup();
    }
  });

  test('the data-key cache is bounded', async () => {
    const { fs, masterKey, cleanup } = await setup();
    try {
      const recorder = new RecordingBlobStore(fs);
      const store = new EncryptedBlobStore(recorder, masterKey, { headerCacheEntriesMax: 2 });
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await writeBlob(store, randomBytes(2 * S)));
      const readsFor = async (blobId: string) => {
        recorder.reads.length = 0;
        await readAll(store.read(blobId, { start: S, end: S + 1 }));
        return recorder.reads.length;
      };
      assert.equal(await readsFor(ids[2]!), 1, 'newest blob: key cached at finish');
      assert.equal(await readsFor(ids[1]!), 1);
      assert.equal(await readsFor(ids[0]!), 2, 'oldest blob was evicted: header read first');
      assert.equal(await readsFor(ids[0]!), 1, 'and cached again');
    } finally {
      await cleanup();
    }
  });

  test('reads blobs written with another segment size (the header carries it)', async () => {
    const { fs, masterKey, cleanup } = await setup();
    try {
      const data = randomBytes(300_000);
      for (const [writeSegment, readSegment] of [[4096, S], [S, 4096]]) {
        const blobId = await writeBlob(new EncryptedBlobStore(fs, masterKey, { segmentBytes: writeSegment }), data);
        assert.equal((await readFile(fs.pathOf(blobId))).length, storedSizeOf(data.length, writeSegment));
        for (const range of [undefined, { start: 0, end: 10 }, { start: 0, end: 100_000 }, { start: 70_000, end: 70_010 }, { start: 5000, end: 299_999 }]) {
          const reader = new EncryptedBlobStore(fs, masterKey, { segmentBytes: readSegment });
          const got = await readAll(reader.read(blobId, range));
          assert.ok(got.equals(range ? data.subarray(range.start, range.end) : data), `${writeSegment} read as ${readSegment}: ${JSON.stringify(range)}`);
        }
      }
    } finally {
      await cleanup();
    }
  });

  test('a writer killed mid-blob leaves nothing visible; finished blobs decrypt after restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3push-encrypted-crash-'));
    try {
      const { finishedBlobId, unfinishedBlobId } = await killWriterMidBlob(dir, 'encrypted');
      assert.deepEqual(await readdir(join(dir, 'tmp')), [unfinishedBlobId]);
      const fs = await openFsBlobStore({ dir });
      const store = new EncryptedBlobStore(fs, await loadOrCreateMasterKey(join(dir, 'master.key')));
      assert.equal(await store.sweepTemporary(), 1);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      const listed = [];
      for await (const entry of store.list()) listed.push(entry.blobId);
      assert.deepEqual(listed, [finishedBlobId]);
      assert.ok((await readAll(store.read(finishedBlobId))).equals(crashPattern(crashFinishedBytes)));
      await assert.rejects(readAll(store.read(unfinishedBlobId)), { code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function flip(raw: Buffer, offset: number): Buffer {
  const copy = Buffer.from(raw);
  copy[offset]! ^= 0x01;
  return copy;
}
