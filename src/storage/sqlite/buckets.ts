// Buckets for the SQLite MetaStore: create, read, list per account, patch, delete when empty.
import assert from 'node:assert';
import type Database from 'better-sqlite3';
import { StoreConflict } from '../meta-store.js';
import type { BucketPatch, BucketRecord, ObjectOwnership, Tag, Versioning } from '../types.js';

interface BucketRow {
  name: string;
  account_id: string;
  region: string;
  created_ms: number;
  versioning: Versioning;
  ownership: ObjectOwnership | '';
  policy: string | null;
  tags: string | null;
}

export class SqliteBuckets {
  private readonly insert: Database.Statement;
  private readonly selectOne: Database.Statement;
  private readonly selectByAccount: Database.Statement;
  private readonly updateRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly anyVersion: Database.Statement;
  private readonly anyUpload: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO buckets (name, account_id, region, created_ms, versioning, ownership, policy, tags)
       VALUES (@name, @account_id, @region, @created_ms, @versioning, @ownership, @policy, @tags)`,
    );
    this.selectOne = db.prepare('SELECT * FROM buckets WHERE name = ?');
    this.selectByAccount = db.prepare('SELECT * FROM buckets WHERE account_id = ? ORDER BY name');
    this.updateRow = db.prepare(
      'UPDATE buckets SET versioning = @versioning, ownership = @ownership, policy = @policy, tags = @tags WHERE name = @name',
    );
    this.deleteRow = db.prepare('DELETE FROM buckets WHERE name = ?');
    this.anyVersion = db.prepare('SELECT 1 FROM versions WHERE bucket = ? LIMIT 1').pluck();
    this.anyUpload = db.prepare('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').pluck();
  }

  /** Fails with BucketExists whoever owns the existing bucket (the API tells the two cases apart). */
  create(bucket: BucketRecord): void {
    if (this.selectOne.get(bucket.name) !== undefined) throw new StoreConflict('BucketExists');
    this.insert.run(toRow(bucket));
  }

  get(name: string): BucketRecord | undefined {
    const row = this.selectOne.get(name) as BucketRow | undefined;
    return row === undefined ? undefined : toBucket(row);
  }

  /** The bucket or StoreConflict('NoSuchBucket'); used by mutations inside their transaction. */
  require(name: string): BucketRecord {
    const bucket = this.get(name);
    if (bucket === undefined) throw new StoreConflict('NoSuchBucket');
    return bucket;
  }

  listByAccount(accountId: string): BucketRecord[] {
    return (this.selectByAccount.all(accountId) as BucketRow[]).map(toBucket);
  }

  update(name: string, patch: BucketPatch): BucketRecord {
    const bucket = this.require(name);
    const next: BucketRecord = { ...bucket };
    if (patch.versioning !== undefined) next.versioning = patch.versioning;
    if (patch.deleteOwnership === true) delete next.ownership;
    else if (patch.ownership !== undefined) next.ownership = patch.ownership;
    if (patch.deletePolicy === true) delete next.policy;
    else if (patch.policy !== undefined) next.policy = patch.policy;
    if (patch.deleteTags === true) delete next.tags;
    else if (patch.tags !== undefined) next.tags = patch.tags.map((tag) => ({ key: tag.key, value: tag.value }));
    this.updateRow.run(toRow(next));
    return next;
  }

  /** Fails with NoSuchBucket, or BucketNotEmpty while a version, delete marker or upload remains. */
  requireNoVersions(name: string): void {
    if (this.anyVersion.get(name) !== undefined) throw new StoreConflict('BucketNotEmpty');
  }

  delete(name: string): void {
    this.require(name);
    if (this.anyVersion.get(name) !== undefined) throw new StoreConflict('BucketNotEmpty');
    // The caller aborted in-progress uploads first (AWS deletes a bucket that has only those).
    assert(this.anyUpload.get(name) === undefined, 'uploads must be dropped before the bucket');
    this.deleteRow.run(name);
  }
}

function toRow(bucket: BucketRecord): BucketRow {
  return {
    name: bucket.name,
    account_id: bucket.accountId,
    region: bucket.region,
    created_ms: bucket.createdMs,
    versioning: bucket.versioning,
    // The column predates optional ownership controls: '' stands for none.
    ownership: bucket.ownership ?? '',
    policy: bucket.policy ?? null,
    tags: bucket.tags === undefined ? null : JSON.stringify(bucket.tags),
  };
}

function toBucket(row: BucketRow): BucketRecord {
  const bucket: BucketRecord = {
    name: row.name,
    accountId: row.account_id,
    region: row.region,
    createdMs: row.created_ms,
    versioning: row.versioning,
  };
  if (row.ownership !== '') bucket.ownership = row.ownership as ObjectOwnership;
  if (row.policy !== null) bucket.policy = row.policy;
  if (row.tags !== null) bucket.tags = JSON.parse(row.tags) as Tag[];
  return bucket;
}
