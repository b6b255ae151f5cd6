// FsBlobWriter: streams one blob into a temp file, then fdatasync + rename makes it durable and visible.
//
// Writes are coalesced without copying: chunks are queued by reference and go to the file as one
// writev of at least limits.blobWriteCoalesceBytes. As with Node's Writable, a chunk handed to
// write() belongs to the writer from then on; the caller must not modify it afterwards.
// At most one writev runs at a time; write() resolves once the batch before the current one is
// written, so a writer that awaits write() holds about two batches of memory. (A deeper queue,
// 4 batches, measured no better for an encrypting producer, so the simplest bound stays.)
// Every limits.blobWriterSyncIntervalBytes a background fdatasync starts, so the kernel writes
// back while we keep receiving and finish() only waits for the tail (a 5 GiB PUT would otherwise
// wait for 5 GiB of dirty pages after its last byte, long enough for clients to time out).
import assert from 'node:assert';
import type { FileHandle } from 'node:fs/promises';
import { unlink } from 'node:fs/promises';
import { limits } from '../../core/limits.js';
import type { BlobWriter } from '../blob-store.js';

/** What the writer needs from its store: publishing the finished temp file and bookkeeping. */
export interface FsBlobWriterHost {
  /** Moves a finished, synced temp file to its final place and makes that rename durable. */
  publish(tempPath: string, blobId: string): Promise<void>;
  /** Called once when the writer is done (finished or discarded), so sweeps may touch its file. */
  release(blobId: string): void;
}

type State = 'open' | 'finishing' | 'finished' | 'discarded';

export class FsBlobWriter implements BlobWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to writev so far (the file offset of the next batch). */
  private queuedBytes = 0;
  private bytesSinceSync = 0;
  /** The chain of batch writes; never rejects (failures land in `failure`). */
  private tail: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private failure: unknown;
  private state: State = 'open';
  private finishing: Promise<{ blobId: string; sizeBytes: number }> | undefined;
  private discarding: Promise<void> | undefined;
  private fileOpen = true;
  private readonly onAbort = (): void => void this.abort().catch(() => {});

  constructor(
    readonly blobId: string,
    private readonly tempPath: string,
    private readonly file: FileHandle,
    private readonly host: FsBlobWriterHost,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfUnwritable();
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < limits.blobWriteCoalesceBytes) return;
    await this.flush();
    this.throwIfUnwritable();
  }

  async finish(): Promise<{ blobId: string; sizeBytes: number }> {
    this.throwIfUnwritable();
    this.state = 'finishing';
    this.finishing = this.finishNow();
    return this.finishing;
  }

  async abort(): Promise<void> {
    if (this.finishing) await this.finishing.catch(() => {});
    if (this.state === 'finished') return;
    await this.discard();
  }

  private async finishNow(): Promise<{ blobId: string; sizeBytes: number }> {
    try {
      if (this.pendingBytes > 0) void this.flush();
      await this.tail;
      await this.syncing;
      if (this.failure !== undefined) throw this.failure;
      this.signal?.throwIfAborted();
      await this.file.datasync();
      this.fileOpen = false;
      await this.file.close();
      await this.host.publish(this.tempPath, this.blobId);
      this.state = 'finished';
      this.settle();
      return { blobId: this.blobId, sizeBytes: this.queuedBytes };
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Queues the pending chunks as one batch; resolves when the batch before it is written. */
  private flush(): Promise<void> {
    const batch = this.pending;
    const position = this.queuedBytes;
    this.queuedBytes += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const previous = this.tail;
    this.tail = previous
      .then(() => (this.failure === undefined && this.state !== 'discarded' ? this.writeBatch(batch, position) : undefined))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    return previous;
  }

  private async writeBatch(batch: Buffer[], position: number): Promise<void> {
    let buffers = batch;
    let at = position;
    let remaining = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    // libuv already loops over partial writes; this guards the contract anyway (e.g. ENOSPC midway).
    while (remaining > 0) {
      const { bytesWritten } = await this.file.writev(buffers, at);
      if (bytesWritten === 0) throw new Error(`writev wrote nothing to ${this.tempPath}`);
      remaining -= bytesWritten;
      at += bytesWritten;
      buffers = dropWritten(buffers, bytesWritten);
    }
    this.bytesSinceSync += at - position;
    if (this.bytesSinceSync >= limits.blobWriterSyncIntervalBytes && this.syncing === undefined) {
      this.bytesSinceSync = 0;
      this.syncing = this.file.datasync().then(
        () => {
          this.syncing = undefined;
        },
        (error: unknown) => {
          this.syncing = undefined;
          this.failure ??= error;
        },
      );
    }
  }

  private throwIfUnwritable(): void {
    this.signal?.throwIfAborted();
    if (this.failure !== undefined) throw this.failure;
    if (this.state === 'discarded') throw new Error(`blob writer ${this.blobId} was aborted`);
    assert(this.state === 'open', `blob writer ${this.blobId} is ${this.state}`);
  }

  private discard(): Promise<void> {
    this.discarding ??= (async () => {
      this.state = 'discarded';
      await this.tail;
      await this.syncing;
      if (this.fileOpen) {
        this.fileOpen = false;
        await this.file.close().catch(() => {});
      }
      await unlink(this.tempPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      this.settle();
    })();
    return this.discarding;
  }

  private settle(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.host.release(this.blobId);
  }
}

/** The buffers still to write after `written` bytes of them went out. */
function dropWritten(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  let index = 0;
  while (index < buffers.length && skip >= buffers[index]!.length) skip -= buffers[index++]!.length;
  const rest = buffers.slice(index);
  if (skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
