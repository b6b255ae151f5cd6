// EncryptedBlobStore: SSE-S3 at rest — wraps any BlobStore and keeps every blob AES-256-GCM-encrypted.
//
// Format and size arithmetic: encrypted-blob-format.ts; writing: encrypted-blob-writer.ts.
// A read asks the inner store only for the stored bytes of the segments its range touches, plus
// one look-ahead byte: if that byte arrives, the last segment read is not the blob's final one;
// if the stored bytes end first, it is (its AAD must then say "final"). So no read needs the
// stored size up front. A segment's plaintext is yielded only after its tag verified.
// Range semantics match the inner stores: an end past the size is clamped, a start past it
// throws ERR_OUT_OF_RANGE, a missing blob throws the inner error (code ENOENT). Anything that fails
// authentication throws BlobIntegrityError (the API answers InternalError and logs the detail).
// Unwrapped data keys are cached per instance in a bounded LRU (limits.blobHeaderCacheEntriesMax);
// a read from byte 0 takes the header from its own stream (and checks it against a cached one),
// other reads fetch the 72-byte header separately on a cache miss.
import assert from 'node:assert';
import { limits } from '../core/limits.js';
import type { BlobReadOptions, BlobStore, BlobWriter, ByteRange } from './blob-store.js';
import {
  BlobIntegrityError,
  type BlobKey,
  dataKeyBytes,
  headerBytes,
  newBlobKey,
  openBlobKey,
  openSegment,
  segmentOffset,
  tagBytes,
} from './encrypted-blob-format.js';
import { EncryptedBlobWriter } from './encrypted-blob-writer.js';

export { BlobIntegrityError } from './encrypted-blob-format.js';

export interface EncryptedBlobStoreOptions {
  /** Plaintext bytes per segment of new blobs (readers take it from each blob's header). */
  segmentBytes?: number;
  headerCacheEntriesMax?: number;
}

/** How a pass over stored segments ended. */
type Outcome =
  | { kind: 'served' } // the look-ahead byte arrived: the range lies before the final segment
  | { kind: 'ended'; sizeBytes: number } // the final segment verified; the blob's plaintext size
  | { kind: 'empty' } // no stored bytes at or after the first segment asked for
  | { kind: 'restart'; key: BlobKey }; // the header's segment size differs from the one assumed

export class EncryptedBlobStore implements BlobStore {
  private readonly keys: LruCache<string, BlobKey>;
  private readonly segmentBytes: number;

  constructor(
    private readonly inner: BlobStore,
    private readonly masterKey: Buffer,
    options: EncryptedBlobStoreOptions = {},
  ) {
    assert(masterKey.length === dataKeyBytes, `the master key must be ${dataKeyBytes} bytes`);
    this.segmentBytes = options.segmentBytes ?? limits.encryptionSegmentBytes;
    this.keys = new LruCache(options.headerCacheEntriesMax ?? limits.blobHeaderCacheEntriesMax);
  }

  async create(signal?: AbortSignal): Promise<BlobWriter> {
    const writer = await this.inner.create(signal);
    const key = newBlobKey(this.masterKey, writer.blobId, this.segmentBytes);
    return new EncryptedBlobWriter(writer, key, (blobId, finished) => this.keys.set(blobId, finished), signal);
  }

  /** Yields fresh plaintext buffers whatever `recycleBuffers` says (it recycles the stored bytes' buffers). */
  async *read(blobId: string, range?: ByteRange, options: BlobReadOptions = {}): AsyncGenerator<Buffer> {
    const { signal } = options;
    if (range) {
      assert(Number.isSafeInteger(range.start) && range.start >= 0, `bad range start ${range.start}`);
      assert(Number.isSafeInteger(range.end) && range.end >= range.start, `bad range end ${range.end}`);
    }
    const start = range?.start ?? 0;
    const end = range ? range.end : Infinity;
    let key = this.keys.get(blobId);
    // Without a key, a read within the first segment takes the header from its own stream.
    if (!key && start >= this.segmentBytes) key = await this.loadKey(blobId, signal);
    let outcome = yield* this.decrypt(blobId, key, start, end, signal);
    if (outcome.kind === 'restart') {
      key = outcome.key;
      outcome = yield* this.decrypt(blobId, key, start, end, signal);
    }
    if (outcome.kind === 'empty') {
      // Nothing is stored from the first segment asked for: fine only if the segment before it is
      // the final one and the range starts exactly at the end (otherwise: past the end, or cut off).
      const segmentBytes = key!.segmentBytes;
      const before = Math.floor(start / segmentBytes) - 1;
      const probe = this.decrypt(blobId, key, before * segmentBytes, before * segmentBytes + 1, signal);
      let step;
      do step = await probe.next();
      while (!step.done);
      outcome = step.value;
      if (outcome.kind === 'served') throw new BlobIntegrityError(blobId, `segment ${before + 1} vanished while reading`);
      if (outcome.kind !== 'ended') throw outOfRange(blobId, start);
    }
    if (outcome.kind === 'ended' && start > outcome.sizeBytes) throw outOfRange(blobId, start, outcome.sizeBytes);
  }

  async delete(blobId: string): Promise<void> {
    this.keys.delete(blobId);
    await this.inner.delete(blobId);
  }

  list(): AsyncIterable<{ blobId: string; createdMs: number }> {
    return this.inner.list();
  }

  sweepTemporary(): Promise<number> {
    return this.inner.sweepTemporary();
  }

  private async loadKey(blobId: string, signal: AbortSignal | undefined): Promise<BlobKey> {
    const parts: Buffer[] = [];
    for await (const chunk of this.inner.read(blobId, { start: 0, end: headerBytes }, { signal })) parts.push(chunk);
    const key = openBlobKey(this.masterKey, blobId, Buffer.concat(parts));
    this.keys.set(blobId, key);
    return key;
  }

  /**
   * Streams the stored segments covering plaintext [start, end) and yields their verified
   * plaintext within the range. Without a key the stream must start at byte 0 (the header).
   */
  private async *decrypt(
    blobId: string,
    knownKey: BlobKey | undefined,
    start: number,
    end: number,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Buffer, Outcome> {
    let key = knownKey;
    const segmentBytes = key?.segmentBytes ?? this.segmentBytes; // assumed until a header says otherwise
    const firstIndex = Math.floor(start / segmentBytes);
    const lastIndex = Math.max(firstIndex, Math.floor((end - 1) / segmentBytes));
    const storedStart = firstIndex === 0 ? 0 : segmentOffset(firstIndex, segmentBytes);
    const storedEnd = end === Infinity ? Infinity : Math.min(segmentOffset(lastIndex + 1, segmentBytes) + 1, Number.MAX_SAFE_INTEGER);
    const storedRange = storedStart === 0 && storedEnd === Infinity ? undefined : { start: storedStart, end: storedEnd };
    assert(key || storedStart === 0, 'a read past the header needs the key first');

    let headerLeft = storedStart === 0 ? headerBytes : 0;
    const header = key ? key.header : Buffer.allocUnsafe(headerBytes);
    let framer = key && new SegmentFramer(key.segmentBytes + tagBytes);
    let index = firstIndex;
    let received = 0;
    // Each stored chunk is used up before the next but one is asked for (the framer holds at most
    // one segment of the previous chunk), so the inner store may reuse its read buffers.
    for await (const chunk of this.inner.read(blobId, storedRange, { signal, recycleBuffers: true })) {
      received += chunk.length;
      let segments = chunk;
      if (headerLeft > 0) {
        const at = headerBytes - headerLeft;
        const take = Math.min(headerLeft, chunk.length);
        headerLeft -= take;
        segments = chunk.subarray(take);
        if (key) {
          // The key is cached but the header passes by anyway: a changed header is a tampered blob.
          if (!chunk.subarray(0, take).equals(header.subarray(at, at + take))) throw new BlobIntegrityError(blobId, 'header changed');
        } else {
          chunk.copy(header, at, 0, take);
          if (headerLeft > 0) continue;
          key = openBlobKey(this.masterKey, blobId, header);
          this.keys.set(blobId, key);
          // A whole read starts at 0 whatever the segment size; a range was computed with the wrong one.
          if (key.segmentBytes !== segmentBytes && end !== Infinity) return { kind: 'restart', key };
          framer = new SegmentFramer(key.segmentBytes + tagBytes);
        }
      }
      for (const segment of framer!.push(segments)) {
        const inRange = slice(openSegment(blobId, key!.dataKey, index, false, segment), index * key!.segmentBytes, start, end);
        index++;
        if (inRange) yield inRange;
      }
    }

    if (!key) throw new BlobIntegrityError(blobId, `header truncated to ${headerBytes - headerLeft} bytes`);
    if (received >= storedEnd - storedStart) return { kind: 'served' };
    const final = framer!.end();
    if (!final) {
      if (storedStart === 0) throw new BlobIntegrityError(blobId, 'no segments after the header');
      return { kind: 'empty' };
    }
    const plaintext = openSegment(blobId, key.dataKey, index, true, final);
    const inRange = slice(plaintext, index * key.segmentBytes, start, end);
    if (inRange) yield inRange;
    return { kind: 'ended', sizeBytes: index * key.segmentBytes + plaintext.length };
  }
}

/**
 * Cuts a stream of stored bytes into segments of `storedSegmentBytes`. A complete segment is
 * released only when a byte after it arrives (whether it is the final one decides its AAD);
 * end() returns what is left: the final segment, when the stored bytes ended there. A released
 * segment may be a view of a buffer the next push() overwrites, so use it before pushing more.
 */
class SegmentFramer {
  private carry: Buffer | undefined; // assembles a segment split across chunks
  private carryUsed = 0;
  private held: Buffer | undefined; // a complete segment waiting to learn whether more follows

  constructor(private readonly storedSegmentBytes: number) {}

  *push(chunk: Buffer): Generator<Buffer> {
    const size = this.storedSegmentBytes;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.held) {
        const segment = this.held;
        this.held = undefined;
        yield segment;
      }
      if (this.carryUsed === 0 && chunk.length - offset >= size) {
        this.held = chunk.subarray(offset, (offset += size)); // whole in this chunk: no copy
        continue;
      }
      this.carry ??= Buffer.allocUnsafe(size);
      const copied = chunk.copy(this.carry, this.carryUsed, offset, offset + size - this.carryUsed);
      this.carryUsed += copied;
      offset += copied;
      if (this.carryUsed === size) {
        this.held = this.carry;
        this.carryUsed = 0;
      }
    }
  }

  end(): Buffer | undefined {
    return this.held ?? (this.carryUsed > 0 ? this.carry!.subarray(0, this.carryUsed) : undefined);
  }
}

/** The part of a segment's plaintext (which starts at `at` in the blob) inside [start, end), if any. */
function slice(plaintext: Buffer, at: number, start: number, end: number): Buffer | undefined {
  const from = Math.max(0, start - at);
  const to = Math.min(plaintext.length, end - at);
  if (to <= from) return undefined;
  return from === 0 && to === plaintext.length ? plaintext : plaintext.subarray(from, to);
}

function outOfRange(blobId: string, start: number, sizeBytes?: number): Error {
  const size = sizeBytes === undefined ? '' : ` (${sizeBytes} bytes)`;
  return Object.assign(new RangeError(`range start ${start} is past the end of blob ${blobId}${size}`), { code: 'ERR_OUT_OF_RANGE' });
}

/** A Map kept in recency order, bounded to `entriesMax` entries. */
class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly entriesMax: number) {
    assert(entriesMax >= 1);
  }
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.entriesMax) this.entries.delete(this.entries.keys().next().value as K);
  }
  delete(key: K): void {
    this.entries.delete(key);
  }
}
