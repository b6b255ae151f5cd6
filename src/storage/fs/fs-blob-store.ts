// Filesystem BlobStore: one file per blob under <dir>/blobs/<2 hex>/<2 hex>/<blobId>, temp files in <dir>/tmp.
//
// Durability: a writer fills <dir>/tmp/<blobId>, fdatasyncs it, renames it into its fan-out
// directory and fsyncs that directory, so a blob is either absent or complete after a crash.
// Fan-out directories are created lazily; the first time this instance publishes into one it also
// fsyncs the parents, so a directory another writer (or process) just created is durable before
// our finish() returns. Nothing else is cached.
//
// Reads stream limits.streamHighWaterMarkBytes per read with one read ahead (the next read runs
// in the thread pool while the consumer handles the current chunk), into a fresh buffer each or,
// when the reader asks to recycle buffers, into a ring of three (current, previous, read-ahead).
// A range end past the blob's size is clamped as S3 clamps it; a start past the size throws
// ERR_OUT_OF_RANGE (an empty range reads nothing and is not checked). A missing blob throws the
// open() error itself (code ENOENT).
//
// sweepTemporary() deletes every temp file except those of writers still open in this instance.
// Several processes sharing one directory must sweep once, before any of them starts writing.
import assert from 'node:assert';
import { mkdir, open, opendir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { newBlobId } from '../../core/ids.js';
import { limits } from '../../core/limits.js';
import type { BlobReadOptions, BlobStore, BlobWriter, ByteRange } from '../blob-store.js';
import { FsBlobWriter, type FsBlobWriterHost } from './fs-blob-writer.js';
import { syncDir } from './sync-dir.js';

const blobIdPattern = /^[0-9a-f]{32}$/;
const fanOutPattern = /^[0-9a-f]{2}$/;

export interface FsBlobStoreOptions {
  /** The store's root; blobs/ and tmp/ are created inside it. */
  dir: string;
}

export async function openFsBlobStore(options: FsBlobStoreOptions): Promise<FsBlobStore> {
  const store = new FsBlobStore(options.dir);
  await mkdir(store.blobsDir, { recursive: true });
  await mkdir(store.tempDir, { recursive: true });
  return store;
}

export class FsBlobStore implements BlobStore, FsBlobWriterHost {
  readonly blobsDir: string;
  readonly tempDir: string;
  /** Fan-out directories known to exist durably, by path (at most 256 + 65,536 entries). */
  private readonly durableDirs = new Map<string, Promise<void>>();
  /** Blob ids of writers still open, whose temp files a sweep must leave alone. */
  private readonly activeWriters = new Set<string>();

  constructor(readonly dir: string) {
    this.blobsDir = join(dir, 'blobs');
    this.tempDir = join(dir, 'tmp');
  }

  async create(signal?: AbortSignal): Promise<BlobWriter> {
    signal?.throwIfAborted();
    const blobId = newBlobId();
    const tempPath = join(this.tempDir, blobId);
    const file = await open(tempPath, 'wx', 0o600);
    this.activeWriters.add(blobId);
    return new FsBlobWriter(blobId, tempPath, file, this, signal);
  }

  async *read(blobId: string, range?: ByteRange, options: BlobReadOptions = {}): AsyncGenerator<Buffer> {
    assertRange(range);
    const { signal } = options;
    signal?.throwIfAborted();
    const file = await open(this.pathOf(blobId), 'r');
    let ahead: Promise<{ chunk: Buffer; short: boolean }> | undefined;
    try {
      // A range needs no fstat: reads stop at the end of the file. Only a whole-blob read (to size
      // its buffers) or a range whose first read finds nothing (to tell "starts at the end" from
      // "starts past it") asks for the size.
      const start = range?.start ?? 0;
      const end = range ? range.end : (await file.stat()).size;
      let position = start;
      const ring = options.recycleBuffers ? new BufferRing(Math.min(limits.streamHighWaterMarkBytes, end - start)) : undefined;
      const readChunk = (position: number): Promise<{ chunk: Buffer; short: boolean }> => {
        const length = Math.min(limits.streamHighWaterMarkBytes, end - position);
        const buffer = ring ? ring.next() : Buffer.allocUnsafe(length);
        return file.read(buffer, 0, length, position).then(({ bytesRead }) => ({ chunk: buffer.subarray(0, bytesRead), short: bytesRead < length }));
      };
      if (position < end) ahead = readChunk(position);
      while (ahead) {
        const { chunk, short } = await ahead;
        ahead = undefined;
        if (chunk.length === 0) {
          if (position === start && start > 0) {
            const { size } = await file.stat();
            if (start > size) throw outOfRange(blobId, start, size);
          }
          break;
        }
        position += chunk.length;
        if (position < end && !short) ahead = readChunk(position); // a short read is the end of the file
        signal?.throwIfAborted();
        yield chunk;
      }
    } finally {
      // The read-ahead's result is dropped on early exit; settle it so a failure is not an unhandled rejection.
      if (ahead) await ahead.catch(() => {});
      await file.close();
    }
  }

  async delete(blobId: string): Promise<void> {
    // Idempotent: a collector that crashed after unlinking retries the same id.
    await rm(this.pathOf(blobId), { force: true });
  }

  async *list(): AsyncGenerator<{ blobId: string; createdMs: number }> {
    for (const first of await fanOutNames(this.blobsDir)) {
      for (const second of await fanOutNames(join(this.blobsDir, first))) {
        const dir = await opendir(join(this.blobsDir, first, second));
        for await (const entry of dir) {
          const blobId = entry.name;
          if (!entry.isFile() || !blobIdPattern.test(blobId) || !blobId.startsWith(first + second)) continue;
          // mtime is the last write before the rename: as close to "became visible" as we can get.
          const stats = await stat(join(dir.path, blobId)).catch(ignoreMissing);
          if (stats) yield { blobId, createdMs: stats.mtimeMs };
        }
      }
    }
  }

  async sweepTemporary(): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tempDir)) {
      if (this.activeWriters.has(name)) continue;
      await rm(join(this.tempDir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Where a finished blob lives. */
  pathOf(blobId: string): string {
    assert(blobIdPattern.test(blobId), `not a blob id: ${JSON.stringify(blobId)}`);
    return join(this.blobsDir, blobId.slice(0, 2), blobId.slice(2, 4), blobId);
  }

  async publish(tempPath: string, blobId: string): Promise<void> {
    const finalPath = this.pathOf(blobId);
    const leafDir = dirname(finalPath);
    await this.ensureDurableDir(leafDir);
    try {
      await rename(tempPath, finalPath);
    } catch (error) {
      // Someone removed the fan-out directory behind our back: recreate it once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.durableDirs.delete(leafDir);
      await this.ensureDurableDir(leafDir);
      await rename(tempPath, finalPath);
    }
    await syncDir(leafDir);
  }

  release(blobId: string): void {
    this.activeWriters.delete(blobId);
  }

  /** Creates blobs/xx/yy if needed and fsyncs blobs/ and blobs/xx so both entries are durable. */
  private ensureDurableDir(leafDir: string): Promise<void> {
    let ready = this.durableDirs.get(leafDir);
    if (!ready) {
      const middleDir = dirname(leafDir);
      ready = mkdir(leafDir, { recursive: true })
        .then(() => Promise.all([syncDir(middleDir), syncDir(dirname(middleDir))]))
        .then(() => undefined);
      ready.catch(() => this.durableDirs.delete(leafDir));
      this.durableDirs.set(leafDir, ready);
    }
    return ready;
  }
}

/** Three read buffers taken in turn: the chunk being handled, the one before it, the read-ahead. */
class BufferRing {
  private readonly buffers: Buffer[] = [];
  private turn = 0;
  constructor(private readonly bytes: number) {}
  next(): Buffer {
    const index = this.turn++ % 3;
    return (this.buffers[index] ??= Buffer.allocUnsafe(this.bytes));
  }
}

async function fanOutNames(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(ignoreMissing);
  return (names ?? []).filter((name) => fanOutPattern.test(name)).sort();
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

function assertRange(range: ByteRange | undefined): void {
  if (!range) return;
  assert(Number.isSafeInteger(range.start) && range.start >= 0, `bad range start ${range.start}`);
  assert(Number.isSafeInteger(range.end) && range.end >= range.start, `bad range end ${range.end}`);
}

function outOfRange(blobId: string, start: number, sizeBytes: number): Error {
  return Object.assign(new RangeError(`range start ${start} is past the end of blob ${blobId} (${sizeBytes} bytes)`), {
    code: 'ERR_OUT_OF_RANGE',
  });
}
