// Object versions for the SQLite MetaStore: read, write (put/copy/complete), delete, tag.
//
// Mutating methods run inside the caller's transaction; they read the key's state, ask
// versioning-rules what to do, then apply it together with reference counts and the outbox event.
import assert from 'node:assert';
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { newVersionId } from '../../core/ids.js';
import { StoreConflict } from '../meta-store.js';
import type { DeleteInput, DeleteResult, PutVersionInput } from '../meta-store.js';
import type { AccessControlList, BucketRecord, NewObjectVersion, ObjectEventName, ObjectVersion, Tag, WriteConditions } from '../types.js';
import {
  conditionsHold,
  decideDelete,
  decideWrite,
  deleteEventName,
  deleteMarkerOwner,
  nullVersionId,
  type WriteDecision,
} from '../versioning-rules.js';
import type { SqliteBlobRefs } from './blobs.js';
import type { SqliteBuckets } from './buckets.js';
import type { SqliteEventOutbox } from './events.js';
import { rowExtents, rowSummary, rowToVersion, versionBody, type VersionRow } from './version-rows.js';

export class SqliteObjects {
  private readonly nextSeq: Database.Statement;
  private readonly selectLatest: Database.Statement;
  private readonly selectById: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly demote: Database.Statement;
  private readonly deleteBySeq: Database.Statement;
  private readonly promoteNewest: Database.Statement;
  private readonly updateBody: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly buckets: SqliteBuckets,
    private readonly blobs: SqliteBlobRefs,
    private readonly events: SqliteEventOutbox,
  ) {
    this.nextSeq = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'version_seq' RETURNING value").pluck();
    this.selectLatest = db.prepare('SELECT * FROM versions WHERE bucket = ? AND key = ? AND is_latest = 1');
    this.selectById = db.prepare('SELECT * FROM versions WHERE bucket = ? AND key = ? AND version_id = ?');
    this.insert = db.prepare(
      `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, size_bytes, etag, last_modified_ms, body)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    );
    // Rows are addressed by their primary key (bucket, key, seq).
    this.demote = db.prepare('UPDATE versions SET is_latest = 0 WHERE bucket = ? AND key = ? AND seq = ?');
    this.deleteBySeq = db.prepare('DELETE FROM versions WHERE bucket = ? AND key = ? AND seq = ?');
    this.promoteNewest = db.prepare(
      `UPDATE versions SET is_latest = 1 WHERE bucket = @bucket AND key = @key AND seq =
         (SELECT seq FROM versions WHERE bucket = @bucket AND key = @key ORDER BY seq DESC LIMIT 1)`,
    );
    this.updateBody = db.prepare('UPDATE versions SET body = ? WHERE bucket = ? AND key = ? AND seq = ?');
  }

  get(bucket: string, key: string, versionId?: string): ObjectVersion | undefined {
    const row = this.row(bucket, key, versionId);
    return row === undefined ? undefined : rowToVersion(row);
  }

  /** PutObject / CopyObject / PostObject: registers new blobs, then writes and references the version. */
  put(input: PutVersionInput): ObjectVersion {
    const bucket = this.buckets.require(input.version.bucket);
    this.blobs.register(input.newBlobs);
    return this.write(bucket, input.version, false, input.conditions, input.event);
  }

  /**
   * Writes a version (or delete marker) as the key's latest: checks conditions, removes the null
   * version it replaces, demotes the old latest, references the extents, appends the event.
   */
  write(
    bucket: BucketRecord,
    version: NewObjectVersion,
    isDeleteMarker: boolean,
    conditions: WriteConditions | undefined,
    event: ObjectEventName,
  ): ObjectVersion {
    assert.equal(version.bucket, bucket.name);
    const latest = this.selectLatest.get(bucket.name, version.key) as VersionRow | undefined;
    if (!conditionsHold(conditions, rowSummary(latest))) throw new StoreConflict('PreconditionFailed');
    const nullRow = bucket.versioning === 'Enabled' ? undefined : this.row(bucket.name, version.key, nullVersionId);
    const decision = decideWrite(bucket.versioning, { latest: rowSummary(latest), nullVersion: rowSummary(nullRow) }, newVersionId);
    this.apply(decision, latest, nullRow);
    this.blobs.reference(version.extents);
    const body = versionBody(version);
    const seq = this.nextSeq.get() as number;
    this.insert.run(
      bucket.name,
      version.key,
      seq,
      decision.versionId,
      isDeleteMarker ? 1 : 0,
      version.sizeBytes,
      version.etag,
      version.lastModifiedMs,
      body,
    );
    const stored = rowToVersion({
      seq,
      bucket: bucket.name,
      key: version.key,
      version_id: decision.versionId,
      is_latest: 1,
      is_delete_marker: isDeleteMarker ? 1 : 0,
      size_bytes: version.sizeBytes,
      etag: version.etag,
      last_modified_ms: version.lastModifiedMs,
      body,
    });
    this.events.append({
      name: event,
      bucket: bucket.name,
      key: version.key,
      versionId: stored.versionId,
      sizeBytes: stored.sizeBytes,
      etag: stored.etag,
      writer: stored.writer,
    });
    return stored;
  }

  private apply(decision: WriteDecision, latest: VersionRow | undefined, nullRow: VersionRow | undefined): void {
    if (decision.removeNullVersion) {
      assert(nullRow !== undefined);
      this.deleteBySeq.run(nullRow.bucket, nullRow.key, nullRow.seq);
      this.blobs.release(rowExtents(nullRow));
    }
    if (decision.demoteLatest) {
      assert(latest !== undefined);
      this.demote.run(latest.bucket, latest.key, latest.seq);
    }
  }

  /** DeleteObject: see decideDelete for what happens; a noop writes nothing and no event. */
  delete(input: DeleteInput): DeleteResult {
    const bucket = this.buckets.require(input.bucket);
    const latest = this.selectLatest.get(bucket.name, input.key) as VersionRow | undefined;
    if (!conditionsHold(input.conditions, rowSummary(latest))) throw new StoreConflict('PreconditionFailed');
    const target = this.row(bucket.name, input.key, input.versionId ?? nullVersionId);
    const decision = decideDelete(
      bucket.versioning,
      { latest: rowSummary(latest), nullVersion: rowSummary(target), target: rowSummary(target) },
      input.versionId,
      newVersionId,
    );
    switch (decision.kind) {
      case 'noop':
        return { versionId: input.versionId, deleteMarker: false, noop: true };
      case 'removeVersion': {
        assert(target !== undefined);
        this.deleteBySeq.run(target.bucket, target.key, target.seq);
        this.blobs.release(rowExtents(target));
        if (decision.promoteNewestRemaining) this.promoteNewest.run({ bucket: bucket.name, key: input.key });
        this.events.append({
          name: deleteEventName(decision)!,
          bucket: bucket.name,
          key: input.key,
          versionId: target.version_id,
          sizeBytes: target.size_bytes,
          etag: target.etag,
          writer: input.writer,
        });
        // AWS names no version when deleting from an unversioned bucket.
        const versionId = input.versionId === undefined ? undefined : target.version_id;
        return { versionId, deleteMarker: decision.wasDeleteMarker, noop: false };
      }
      case 'createMarker': {
        const marker = this.write(bucket, deleteMarker(bucket, input, this.clock.nowMs()), true, undefined, deleteEventName(decision)!);
        return { versionId: marker.versionId, deleteMarker: true, noop: false };
      }
    }
  }

  /** Replaces the tag set of the latest or named version; delete markers have no tags (NoSuchKey). */
  putTags(bucketName: string, key: string, versionId: string | undefined, tags: Tag[]): ObjectVersion {
    return this.updateVersion(bucketName, key, versionId, (version) => {
      version.tags = tags.map((tag) => ({ key: tag.key, value: tag.value }));
    });
  }

  /** Replaces the ACL of the latest or named version; delete markers have none (NoSuchKey). */
  putAcl(bucketName: string, key: string, versionId: string | undefined, acl: AccessControlList): ObjectVersion {
    return this.updateVersion(bucketName, key, versionId, (version) => {
      version.acl = acl;
    });
  }

  /** Rewrites the JSON body of one existing version (not a delete marker) after `change`. */
  private updateVersion(bucketName: string, key: string, versionId: string | undefined, change: (version: ObjectVersion) => void): ObjectVersion {
    this.buckets.require(bucketName);
    const row = this.row(bucketName, key, versionId);
    if (row === undefined) throw new StoreConflict(versionId === undefined ? 'NoSuchKey' : 'NoSuchVersion');
    if (row.is_delete_marker === 1) throw new StoreConflict('NoSuchKey', 'the version is a delete marker');
    const version = rowToVersion(row);
    change(version);
    const body = versionBody(version);
    this.updateBody.run(body, row.bucket, row.key, row.seq);
    return rowToVersion({ ...row, body });
  }

  private row(bucket: string, key: string, versionId: string | undefined): VersionRow | undefined {
    return (
      versionId === undefined ? this.selectLatest.get(bucket, key) : this.selectById.get(bucket, key, versionId)
    ) as VersionRow | undefined;
  }
}

function deleteMarker(bucket: BucketRecord, input: DeleteInput, nowMs: number): NewObjectVersion {
  return {
    bucket: bucket.name,
    key: input.key,
    sizeBytes: 0,
    etag: '',
    lastModifiedMs: nowMs,
    headers: {},
    userMetadata: {},
    tags: [],
    extents: [],
    storageClass: 'STANDARD',
    ownerAccountId: deleteMarkerOwner(bucket, input.writer.accountId),
    writer: input.writer,
  };
}
