// Per-bucket configuration documents kept beside the bucket row (today the public access block), for the
// SQLite MetaStore. Rows go with their bucket (ON DELETE CASCADE); methods run in the caller's transaction.
import type Database from 'better-sqlite3';
import type { PublicAccessBlock } from '../types.js';

const publicAccessBlockKind = 'publicAccessBlock';

export class SqliteBucketConfigurations {
  private readonly selectOne: Database.Statement;
  private readonly selectOfAccount: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly deleteOne: Database.Statement;

  constructor(db: Database.Database) {
    this.selectOne = db.prepare('SELECT body FROM bucket_configurations WHERE bucket = ? AND kind = ?').pluck();
    this.selectOfAccount = db.prepare(
      `SELECT c.bucket, c.body FROM bucket_configurations c JOIN buckets b ON b.name = c.bucket
       WHERE b.account_id = ? AND c.kind = ?`,
    );
    this.upsert = db.prepare(
      `INSERT INTO bucket_configurations (bucket, kind, body) VALUES (?, ?, ?)
       ON CONFLICT (bucket, kind) DO UPDATE SET body = excluded.body`,
    );
    this.deleteOne = db.prepare('DELETE FROM bucket_configurations WHERE bucket = ? AND kind = ?');
  }

  getPublicAccessBlock(bucket: string): PublicAccessBlock | undefined {
    const body = this.selectOne.get(bucket, publicAccessBlockKind) as string | undefined;
    return body === undefined ? undefined : toPublicAccessBlock(body);
  }

  /** Public access blocks of an account's buckets, by bucket name (for ListBuckets-style reads). */
  publicAccessBlocksOf(accountId: string): Map<string, PublicAccessBlock> {
    const rows = this.selectOfAccount.all(accountId, publicAccessBlockKind) as { bucket: string; body: string }[];
    return new Map(rows.map((row) => [row.bucket, toPublicAccessBlock(row.body)]));
  }

  /** Stores the setting, or removes it when `value` is undefined. */
  putPublicAccessBlock(bucket: string, value: PublicAccessBlock | undefined): void {
    if (value === undefined) {
      this.deleteOne.run(bucket, publicAccessBlockKind);
      return;
    }
    const body: PublicAccessBlock = {
      blockPublicAcls: value.blockPublicAcls,
      ignorePublicAcls: value.ignorePublicAcls,
      blockPublicPolicy: value.blockPublicPolicy,
      restrictPublicBuckets: value.restrictPublicBuckets,
    };
    this.upsert.run(bucket, publicAccessBlockKind, JSON.stringify(body));
  }
}

function toPublicAccessBlock(body: string): PublicAccessBlock {
  return JSON.parse(body) as PublicAccessBlock;
}
