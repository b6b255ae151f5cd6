// Blob reference counting for the SQLite MetaStore: register new blobs, count extents, hand out garbage.
//
// Every method runs inside the caller's transaction. One reference per extent: an object whose two
// extents live in one blob holds two references on it.
import assert from 'node:assert';
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { StoreConflict } from '../meta-store.js';
import type { Extent } from '../types.js';

export class SqliteBlobRefs {
  private readonly insert: Database.Statement;
  private readonly addRefs: Database.Statement;
  private readonly dropRefs: Database.Statement;
  private readonly selectGarbage: Database.Statement;
  private readonly markCollecting: Database.Statement;
  private readonly deleteCollected: Database.Statement;
  private readonly selectOne: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      'INSERT INTO blobs (blob_id, size_bytes, refcount, created_ms, zero_since_ms) VALUES (?, ?, 0, ?, ?)',
    );
    // A blob being collected cannot gain references: the copy racing its deletion must fail.
    this.addRefs = db.prepare(
      'UPDATE blobs SET refcount = refcount + ?, zero_since_ms = NULL WHERE blob_id = ? AND collecting_since_ms IS NULL',
    );
    this.dropRefs = db.prepare(
      `UPDATE blobs SET refcount = refcount - @count,
         zero_since_ms = CASE WHEN refcount - @count = 0 THEN @now ELSE zero_since_ms END
       WHERE blob_id = @blobId`,
    );
    // Fresh garbage past its grace period, and blobs whose collection started so long ago that
    // the collector must have died before forgetBlobs (otherwise their files would leak forever).
    this.selectGarbage = db.prepare(
      `SELECT blob_id FROM blobs
       WHERE refcount = 0 AND zero_since_ms <= @youngest
         AND (collecting_since_ms IS NULL OR collecting_since_ms <= @leaseExpired)
       ORDER BY zero_since_ms, blob_id LIMIT @limit`,
    ).pluck();
    this.markCollecting = db.prepare('UPDATE blobs SET collecting_since_ms = ? WHERE blob_id = ?');
    this.deleteCollected = db.prepare('DELETE FROM blobs WHERE blob_id = ? AND refcount = 0');
    this.selectOne = db.prepare('SELECT 1 FROM blobs WHERE blob_id = ?').pluck();
  }

  /** Registers blobs just written; they start at zero references (garbage unless referenced). */
  register(newBlobs: readonly { blobId: string; sizeBytes: number }[]): void {
    const now = this.clock.nowMs();
    for (const blob of newBlobs) this.insert.run(blob.blobId, blob.sizeBytes, now, now);
  }

  /** Adds one reference per extent; a missing or collecting blob → StoreConflict('NoSuchKey'). */
  reference(extents: readonly Extent[]): void {
    for (const [blobId, count] of countByBlob(extents)) {
      if (this.addRefs.run(count, blobId).changes !== 1) {
        throw new StoreConflict('NoSuchKey', `blob ${blobId} is gone or being collected`);
      }
    }
  }

  /** Drops one reference per extent; blobs reaching zero start their grace period now. */
  release(extents: readonly Extent[]): void {
    const now = this.clock.nowMs();
    for (const [blobId, count] of countByBlob(extents)) {
      const changes = this.dropRefs.run({ count, now, blobId }).changes;
      assert.equal(changes, 1, `released blob ${blobId} has no row`);
    }
  }

  /** Up to `limit` blob ids unreferenced for at least graceMs, oldest first, now marked collecting. */
  takeGarbage(limit: number, graceMs: number): string[] {
    const now = this.clock.nowMs();
    const ids = this.selectGarbage.all({
      youngest: now - graceMs,
      leaseExpired: now - limits.garbageCollectionLeaseMs,
      limit,
    }) as string[];
    for (const id of ids) this.markCollecting.run(now, id);
    return ids;
  }

  /** Drops rows of blobs whose bytes are gone; a blob that regained references is kept. */
  forget(blobIds: readonly string[]): void {
    for (const id of blobIds) this.deleteCollected.run(id);
  }

  has(blobId: string): boolean {
    return this.selectOne.get(blobId) !== undefined;
  }
}

function countByBlob(extents: readonly Extent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const extent of extents) counts.set(extent.blobId, (counts.get(extent.blobId) ?? 0) + 1);
  return counts;
}
