// BlobStore: immutable byte sequences addressed by id (filesystem or S3-compatible backends).
//
// A blob becomes visible only when its writer's `finish` resolves: the bytes are durable then
// (fsync'd, or acknowledged by the remote store). Until then nothing can read it, and `abort`
// or a crash leaves at most an orphan that the start-up sweep removes.

export interface ByteRange {
  /** Inclusive first byte. */
  start: number;
  /** Exclusive end. */
  end: number;
}

export interface BlobWriter {
  readonly blobId: string;
  /** Appends bytes; the returned promise resolves when the writer can take more (back-pressure). */
  write(chunk: Buffer): Promise<void>;
  /** Makes the blob durable and visible; returns its plaintext size. */
  finish(): Promise<{ blobId: string; sizeBytes: number }>;
  /** Discards everything written; safe to call more than once and after failures. */
  abort(): Promise<void>;
}

export interface BlobReadOptions {
  signal?: AbortSignal;
  /**
   * Lets the store read into a few buffers it reuses instead of a fresh one per chunk (less for
   * the GC on the GET path). A yielded chunk then stays valid only until the consumer asks for
   * the second chunk after it: a consumer may keep the previous chunk while handling the current
   * one, no more. Stores that cannot reuse buffers ignore it.
   */
  recycleBuffers?: boolean;
}

export interface BlobStore {
  create(signal?: AbortSignal): Promise<BlobWriter>;
  /** Streams bytes [range.start, range.end) of a blob (the whole blob without a range). */
  read(blobId: string, range?: ByteRange, options?: BlobReadOptions): AsyncIterable<Buffer>;
  delete(blobId: string): Promise<void>;
  /** Every blob id present with its creation time, for orphan sweeps. */
  list(): AsyncIterable<{ blobId: string; createdMs: number }>;
  /** Removes temporary files left by writers that never finished (called at start-up). */
  sweepTemporary(): Promise<number>;
}
