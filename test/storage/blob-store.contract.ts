// The BlobStore contract: every implementation (filesystem, encrypted wrapper, S3 …) passes these tests.
//
// Range semantics checked here: [start, end) with an end past the size clamped (as S3 does), a
// start past the size rejected with code ERR_OUT_OF_RANGE, a missing blob rejected with ENOENT.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { newBlobId } from '../../src/core/ids.js';
import { limits, units } from '../../src/core/limits.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { openFileCount } from '../helpers/open-files.js';

export interface OpenedBlobStore {
  store: BlobStore;
  cleanup(): Promise<void>;
}

/** Segment size that matters to segmented implementations; plain ones get the same boundaries. */
const segment = limits.encryptionSegmentBytes;
/** Chunk sizes cycled through by writeBlob, so writes straddle every boundary in every way. */
const chunkCycle = [1, 7, 4096, segment - 1, segment, segment + 1, 300_000];

export async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) {
    assert.ok(Buffer.isBuffer(chunk) && chunk.length > 0, 'reads yield non-empty Buffers');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export async function writeBlob(store: BlobStore, data: Buffer, chunkSizes: readonly number[] = chunkCycle): Promise<string> {
  const writer = await store.create();
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    await writer.write(data.subarray(offset, offset + size));
    offset += size;
  }
  const { blobId, sizeBytes } = await writer.finish();
  assert.equal(blobId, writer.blobId);
  assert.equal(sizeBytes, data.length);
  return blobId;
}


async function listIds(store: BlobStore): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for await (const { blobId, createdMs } of store.list()) ids.set(blobId, createdMs);
  return ids;
}

export function runBlobStoreContract(name: string, open: () => Promise<OpenedBlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await open());
    });
    after(() => cleanup());

    test('round-trips blobs of sizes at and around segment boundaries', async () => {
      for (const size of [0, 1, segment - 1, segment, segment + 1, 2 * segment, 5 * units.MiB + 3]) {
        const data = randomBytes(size);
        for (const chunks of [chunkCycle, [Math.max(1, size)]]) {
          const blobId = await writeBlob(store, data, chunks);
          const back = await readAll(store.read(blobId));
          assert.equal(back.length, size, `size ${size}`);
          assert.ok(back.equals(data), `content of a ${size}-byte blob`);
        }
      }
    });

    test('with recycleBuffers, a chunk stays intact while the consumer handles the next one', async () => {
      const data = randomBytes(3 * units.MiB + 5);
      const blobId = await writeBlob(store, data);
      for (const range of [undefined, { start: segment + 3, end: data.length - 7 }]) {
        const want = data.subarray(range?.start ?? 0, range?.end ?? data.length);
        let previous: { chunk: Buffer; copy: Buffer } | undefined;
        let offset = 0;
        let chunks = 0;
        for await (const chunk of store.read(blobId, range, { recycleBuffers: true })) {
          assert.ok(chunk.equals(want.subarray(offset, offset + chunk.length)), `chunk at ${offset}`);
          if (previous) assert.ok(previous.chunk.equals(previous.copy), `the chunk before ${offset} was overwritten while held`);
          previous = { chunk, copy: Buffer.from(chunk) };
          offset += chunk.length;
          chunks++;
        }
        assert.equal(offset, want.length);
        assert.ok(chunks > 3, 'enough chunks that a reused buffer would show');
      }
    });

    for (const size of [3 * segment + 1234, 2 * segment, 5 * units.MiB + 3]) {
      test(`serves every kind of range of a ${size}-byte blob`, async () => {
        const data = randomBytes(size);
        const blobId = await writeBlob(store, data);
        const S = segment;
        const ranges: [number, number][] = [
          [0, 0], [0, 1], [5, 5], [S - 1, S], [S - 1, S + 1], [S, S + 1], [S, 2 * S], [S + 1, 2 * S - 1],
          [S - 1, 2 * S + 1], [2 * S - 1, 2 * S], [2 * S, size], [size - 1, size], [0, size], [1, size - 1],
          [size, size], [0, size + 100], [S + 7, size + 1_000_000], [size - 1, size + 1], [size - 2, Number.MAX_SAFE_INTEGER],
        ];
        for (const [start, end] of ranges) {
          const got = await readAll(store.read(blobId, { start, end }));
          const want = data.subarray(start, Math.min(end, size));
          assert.equal(got.length, want.length, `length of [${start}, ${end})`);
          assert.ok(got.equals(want), `bytes of [${start}, ${end})`);
        }
      });
    }

    test('rejects a range that starts past the end', async () => {
      for (const size of [0, 100, 2 * segment, 2 * segment + 5]) {
        const blobId = await writeBlob(store, randomBytes(size));
        for (const start of [size + 1, size + segment, size + 5 * segment + 3]) {
          await assert.rejects(readAll(store.read(blobId, { start, end: start + 10 })), { code: 'ERR_OUT_OF_RANGE' }, `start ${start} of ${size}`);
        }
        assert.equal((await readAll(store.read(blobId, { start: size, end: size + 10 }))).length, 0, 'a range starting at the end is empty');
      }
    });

    test('reading a missing blob fails with ENOENT, whole or ranged', async () => {
      const missing = newBlobId();
      await assert.rejects(readAll(store.read(missing)), { code: 'ENOENT' });
      await assert.rejects(readAll(store.read(missing, { start: 0, end: 10 })), { code: 'ENOENT' });
      await assert.rejects(readAll(store.read(missing, { start: 3 * segment + 1, end: 4 * segment })), { code: 'ENOENT' });
    });

    test('a blob is invisible until finish, and abort leaves nothing behind', async () => {
      const writer = await store.create();
      await writer.write(randomBytes(3 * units.MiB));
      assert.ok(!(await listIds(store)).has(writer.blobId), 'unfinished blob not listed');
      await assert.rejects(readAll(store.read(writer.blobId)), { code: 'ENOENT' });
      await writer.abort();
      await writer.abort();
      await assert.rejects(writer.write(Buffer.from('more')));
      assert.ok(!(await listIds(store)).has(writer.blobId));
      await assert.rejects(readAll(store.read(writer.blobId)), { code: 'ENOENT' });
      assert.equal(await store.sweepTemporary(), 0, 'abort already removed the temporary file');
    });

    test('finish reports the size, makes the blob visible once, and ends the writer', async () => {
      const writer = await store.create();
      await writer.write(Buffer.from('hello '));
      await writer.write(Buffer.from('world'));
      assert.deepEqual(await writer.finish(), { blobId: writer.blobId, sizeBytes: 11 });
      await assert.rejects(writer.write(Buffer.from('late')));
      await assert.rejects(writer.finish());
      await writer.abort(); // after a successful finish this changes nothing
      assert.equal((await readAll(store.read(writer.blobId))).toString(), 'hello world');
    });

    test('concurrent writers keep their bytes apart', async () => {
      const datas = Array.from({ length: 8 }, (_, i) => randomBytes(i * 200_000 + 17));
      const writers = await Promise.all(datas.map(() => store.create()));
      assert.equal(new Set(writers.map((w) => w.blobId)).size, writers.length, 'distinct ids');
      const step = 50_000;
      for (let offset = 0; offset < datas.at(-1)!.length; offset += step) {
        await Promise.all(writers.map((w, i) => (offset < datas[i]!.length ? w.write(datas[i]!.subarray(offset, offset + step)) : undefined)));
      }
      const finished = await Promise.all(writers.map((w) => w.finish()));
      for (const [i, { blobId, sizeBytes }] of finished.entries()) {
        assert.equal(sizeBytes, datas[i]!.length);
        assert.ok((await readAll(store.read(blobId))).equals(datas[i]!), `writer ${i}`);
      }
    });

    test('list reports finished blobs with their creation time; delete removes them', async () => {
      const startedMs = Date.now();
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await writeBlob(store, randomBytes(1000 * i)));
      const endedMs = Date.now();
      const listed = await listIds(store);
      for (const blobId of ids) {
        const createdMs = listed.get(blobId);
        assert.ok(createdMs !== undefined, `${blobId} listed`);
        assert.ok(createdMs >= startedMs - 1000 && createdMs <= endedMs + 1000, `createdMs ${createdMs} within the test`);
      }
      await store.delete(ids[1]!);
      const after = await listIds(store);
      assert.ok(after.has(ids[0]!) && after.has(ids[2]!) && !after.has(ids[1]!));
      await assert.rejects(readAll(store.read(ids[1]!)), { code: 'ENOENT' });
      await store.delete(ids[1]!); // deleting twice is harmless (a collector may retry)
      assert.equal((await readAll(store.read(ids[2]!))).length, 2000, 'other blobs untouched');
    });

    test('leaving a read early closes what it opened', async () => {
      const data = randomBytes(4 * units.MiB);
      const blobId = await writeBlob(store, data);
      const baseline = openFileCount();

      for await (const chunk of store.read(blobId)) {
        assert.ok(chunk.equals(data.subarray(0, chunk.length)));
        assert.ok(openFileCount() > baseline, 'the read holds a file open (so this test can fail)');
        break;
      }
      assert.equal(openFileCount(), baseline, 'after break');

      await assert.rejects(
        (async () => {
          for await (const _ of store.read(blobId, { start: segment + 3, end: 3 * units.MiB })) throw new Error('consumer failed');
        })(),
        /consumer failed/,
      );
      assert.equal(openFileCount(), baseline, 'after the consumer threw');

      const controller = new AbortController();
      await assert.rejects(
        (async () => {
          for await (const _ of store.read(blobId, undefined, { signal: controller.signal })) controller.abort();
        })(),
        { name: 'AbortError' },
      );
      assert.equal(openFileCount(), baseline, 'after the signal aborted');

      const iterator = store.read(blobId)[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.return?.();
      assert.equal(openFileCount(), baseline, 'after return()');
    });

    test('an aborted signal stops a writer and leaves nothing', async () => {
      const aborted = new AbortController();
      aborted.abort();
      await assert.rejects(store.create(aborted.signal), { name: 'AbortError' });

      const controller = new AbortController();
      const writer = await store.create(controller.signal);
      await writer.write(randomBytes(2 * units.MiB));
      controller.abort();
      await assert.rejects(writer.write(randomBytes(10)), { name: 'AbortError' });
      await assert.rejects(writer.finish(), { name: 'AbortError' });
      await writer.abort();
      await assert.rejects(readAll(store.read(writer.blobId)), { code: 'ENOENT' });
      assert.ok(!(await listIds(store)).has(writer.blobId));
      assert.equal(await store.sweepTemporary(), 0);
    });

    test('sweepTemporary spares writers that are still open', async () => {
      const data = randomBytes(segment * 3 + 11);
      const writer = await store.create();
      await writer.write(data.subarray(0, segment));
      await store.sweepTemporary();
      await writer.write(data.subarray(segment));
      await writer.finish();
      assert.ok((await readAll(store.read(writer.blobId))).equals(data));
    });
  });
}
