// MD5 and SHA-256 of large bodies on worker threads. The event loop copies each batch once into a reusable
// buffer and goes on decoding, encrypting and writing while a worker hashes, so one upload uses two cores.
// Bounded: a hash has at most `limits.offThreadHashBatchesInFlightMax` batches outstanding (update() then
// returns a promise to wait on), and at most `limits.offThreadHashesMax` hashes run off-thread at once.
import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { limits } from '../core/limits.js';

export type HashAlgorithmName = 'md5' | 'sha256';

export type HashRequest =
  | { type: 'open'; id: number; algorithm: HashAlgorithmName }
  | { type: 'update'; id: number; data: ArrayBuffer; length: number }
  | { type: 'digest'; id: number }
  | { type: 'close'; id: number };

export type HashReply = { type: 'ack'; id: number; data: ArrayBuffer } | { type: 'digest'; id: number; data: ArrayBuffer };

/** A running hash whose update may ask the caller to wait (back-pressure), and whose digest is asynchronous. */
export interface StreamHash {
  update(chunk: Buffer): Promise<void> | undefined;
  digest(): Promise<Buffer>;
  /** Drops the hash (an abandoned body); digest() must not be called after. */
  close(): void;
}

/** On the event loop: for small bodies, or when every off-thread slot is taken. */
class InlineHash implements StreamHash {
  private readonly hash: Hash;
  constructor(algorithm: HashAlgorithmName) {
    this.hash = createHash(algorithm);
  }
  update(chunk: Buffer): undefined {
    this.hash.update(chunk);
    return undefined;
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(this.hash.digest());
  }
  close(): void {}
}

/** One worker thread and the hashes it runs. */
class HashWorker {
  private readonly worker: Worker;
  readonly hashes = new Map<number, OffThreadHash>();
  broken = false;

  constructor() {
    // Not the parent's flags: an `--input-type` or `--eval` there would stop the worker from loading its file.
    this.worker = new Worker(new URL('./hash-worker.js', import.meta.url), { execArgv: [] });
    this.worker.on('message', (reply: HashReply) => this.hashes.get(reply.id)?.onReply(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`hash worker exited with code ${code}`)));
    // A worker keeps the process alive only while it has hashes to finish (see add/remove).
    this.worker.unref();
  }

  add(id: number, hash: OffThreadHash): void {
    this.hashes.set(id, hash);
    if (this.hashes.size === 1) this.worker.ref();
  }

  /** False when the hash was not (or no longer) here. */
  remove(id: number): boolean {
    const removed = this.hashes.delete(id);
    if (removed && this.hashes.size === 0) this.worker.unref();
    return removed;
  }

  post(message: HashRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private fail(error: Error): void {
    this.broken = true;
    for (const hash of this.hashes.values()) hash.fail(error);
    this.hashes.clear();
    this.worker.unref();
  }
}

class OffThreadHash implements StreamHash {
  private batch: Buffer;
  private used = 0;
  private readonly spare: ArrayBuffer[] = [];
  private inFlight = 0;
  private waiter: { resolve(): void; reject(error: Error): void } | undefined;
  private digestWaiter: { resolve(digest: Buffer): void; reject(error: Error): void } | undefined;
  private error: Error | undefined;
  private closed = false;

  constructor(private readonly worker: HashWorker, private readonly id: number, algorithm: HashAlgorithmName) {
    this.batch = Buffer.allocUnsafeSlow(limits.offThreadHashBatchBytes);
    worker.add(id, this);
    worker.post({ type: 'open', id, algorithm });
  }

  update(chunk: Buffer): Promise<void> | undefined {
    if (this.error) throw this.error;
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(this.batch.length - this.used, chunk.length - offset);
      chunk.copy(this.batch, this.used, offset, offset + n);
      this.used += n;
      offset += n;
      if (this.used === this.batch.length) this.send();
    }
    if (this.inFlight < limits.offThreadHashBatchesInFlightMax) return undefined;
    return new Promise<void>((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  digest(): Promise<Buffer> {
    if (this.error) return Promise.reject(this.error);
    if (this.used > 0) this.send();
    return new Promise<Buffer>((resolve, reject) => {
      this.digestWaiter = { resolve, reject };
      this.worker.post({ type: 'digest', id: this.id });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.worker.remove(this.id)) this.worker.post({ type: 'close', id: this.id });
    release();
  }

  onReply(reply: HashReply): void {
    if (reply.type === 'ack') {
      this.inFlight--;
      this.spare.push(reply.data);
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.resolve();
      return;
    }
    this.worker.remove(this.id);
    this.closed = true;
    release();
    this.digestWaiter?.resolve(Buffer.from(reply.data));
  }

  fail(error: Error): void {
    this.error = error;
    this.waiter?.reject(error);
    this.digestWaiter?.reject(error);
    if (!this.closed) {
      this.closed = true;
      release();
    }
  }

  /** Hands the filled part of the batch to the worker (the buffer moves, it is not copied) and takes a spare one. */
  private send(): void {
    const data = this.batch.buffer as ArrayBuffer;
    this.worker.post({ type: 'update', id: this.id, data, length: this.used }, [data]);
    this.inFlight++;
    const spare = this.spare.pop();
    this.batch = spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(limits.offThreadHashBatchBytes);
    this.used = 0;
  }
}

const workers: HashWorker[] = [];
let running = 0;
let nextId = 1;

function release(): void {
  running--;
}

/** Hashes running off-thread now (diagnostics and tests). */
export function hashesOffThread(): number {
  return running;
}

function workerCount(): number {
  return Math.max(1, Math.min(limits.hashWorkersMax, availableParallelism() - 1));
}

/** The least busy worker, replacing one that died. */
function pickWorker(): HashWorker {
  for (let i = workers.length - 1; i >= 0; i--) if (workers[i]!.broken) workers.splice(i, 1);
  if (workers.length < workerCount()) {
    const worker = new HashWorker();
    workers.push(worker);
    return worker;
  }
  return workers.reduce((best, w) => (w.hashes.size < best.hashes.size ? w : best));
}

/**
 * A hash for a body of `expectedBytes` (undefined: unknown): off the event loop when it is large and a slot
 * is free, on it otherwise. Either way the digest is the same; only where the work runs differs.
 */
export function streamHash(algorithm: HashAlgorithmName, expectedBytes: number | undefined): StreamHash {
  if (expectedBytes === undefined || expectedBytes < limits.offThreadHashBytesMin || running >= limits.offThreadHashesMax) return new InlineHash(algorithm);
  running++;
  return new OffThreadHash(pickWorker(), nextId++, algorithm);
}
