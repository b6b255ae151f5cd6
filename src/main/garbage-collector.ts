// Frees blobs nobody references: takes garbage from the MetaStore, deletes the bytes, forgets the rows.
// Also sweeps orphans (blobs written but never committed, e.g. across a crash) once at start-up.
import { limits } from '../core/limits.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { MetaStore } from '../storage/meta-store.js';
import type { Logger } from '../api/services.js';

export const garbageGraceMs = 30_000;

export class GarbageCollector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly meta: MetaStore, private readonly blobs: BlobStore, private readonly log: Logger) {}

  start(intervalMs: number = limits.garbageCollectionIntervalMs): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; concurrent calls share the pass in progress. */
  runOnce(graceMs: number = garbageGraceMs): Promise<void> {
    this.running ??= this.collect(graceMs).finally(() => { this.running = undefined; });
    return this.running;
  }

  private async collect(graceMs: number): Promise<void> {
    try {
      for (;;) {
        const ids = await this.meta.takeGarbage(limits.garbageCollectionBatchMax, graceMs);
        if (ids.length === 0) return;
        for (const id of ids) await this.blobs.delete(id);
        await this.meta.forgetBlobs(ids);
        if (ids.length < limits.garbageCollectionBatchMax) return;
      }
    } catch (error) {
      this.log.error('garbage collection failed', { error: String(error) });
    }
  }

  /** Deletes blobs the MetaStore does not know that were created before `beforeMs` (crash leftovers). */
  async sweepOrphans(beforeMs: number): Promise<number> {
    let removed = 0;
    for await (const { blobId, createdMs } of this.blobs.list()) {
      if (createdMs >= beforeMs) continue;
      if (!(await this.meta.hasBlob(blobId))) {
        await this.blobs.delete(blobId);
        removed++;
      }
    }
    return removed;
  }
}
