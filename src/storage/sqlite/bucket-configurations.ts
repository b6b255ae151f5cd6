// Per-bucket configuration documents kept beside the bucket row (public access block, bucket ACL, CORS), for
// the SQLite MetaStore. Rows go with their bucket (ON DELETE CASCADE); methods run in the caller's transaction.
import type Database from 'better-sqlite3';
import type { AccessControlList, BucketRecord, CorsConfiguration, PublicAccessBlock } from '../types.js';

/** The configuration fields of a bucket record that live in `bucket_configurations`, one row per kind. */
export type BucketConfigurations = Pick<BucketRecord, 'publicAccessBlock' | 'acl' | 'cors' | 'policyRemovesOwnerAccess'>;
type ConfigurationKind = keyof BucketConfigurations;

const kinds: readonly ConfigurationKind[] = ['publicAccessBlock', 'acl', 'cors', 'policyRemovesOwnerAccess'];

export class SqliteBucketConfigurations {
  private readonly selectOfBucket: Database.Statement;
  private readonly selectOfAccount: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly deleteOne: Database.Statement;

  constructor(db: Database.Database) {
    this.selectOfBucket = db.prepare('SELECT kind, body FROM bucket_configurations WHERE bucket = ?');
    this.selectOfAccount = db.prepare(
      `SELECT c.bucket, c.kind, c.body FROM bucket_configurations c JOIN buckets b ON b.name = c.bucket
       WHERE b.account_id = ?`,
    );
    this.upsert = db.prepare(
      `INSERT INTO bucket_configurations (bucket, kind, body) VALUES (?, ?, ?)
       ON CONFLICT (bucket, kind) DO UPDATE SET body = excluded.body`,
    );
    this.deleteOne = db.prepare('DELETE FROM bucket_configurations WHERE bucket = ? AND kind = ?');
  }

  /** Every configuration of one bucket (one query). */
  of(bucket: string): BucketConfigurations {
    const out: BucketConfigurations = {};
    for (const row of this.selectOfBucket.all(bucket) as { kind: string; body: string }[]) assign(out, row.kind, row.body);
    return out;
  }

  /** The configurations of an account's buckets, by bucket name (for ListBuckets-style reads). */
  ofAccount(accountId: string): Map<string, BucketConfigurations> {
    const out = new Map<string, BucketConfigurations>();
    for (const row of this.selectOfAccount.all(accountId) as { bucket: string; kind: string; body: string }[]) {
      let entry = out.get(row.bucket);
      if (entry === undefined) out.set(row.bucket, (entry = {}));
      assign(entry, row.kind, row.body);
    }
    return out;
  }

  putPublicAccessBlock(bucket: string, value: PublicAccessBlock | undefined): void {
    this.put(bucket, 'publicAccessBlock', value && {
      blockPublicAcls: value.blockPublicAcls,
      ignorePublicAcls: value.ignorePublicAcls,
      blockPublicPolicy: value.blockPublicPolicy,
      restrictPublicBuckets: value.restrictPublicBuckets,
    });
  }

  putAcl(bucket: string, value: AccessControlList | undefined): void {
    this.put(bucket, 'acl', value && { grants: value.grants.map((grant) => ({ grantee: { ...grant.grantee }, permission: grant.permission })) });
  }

  putCors(bucket: string, value: CorsConfiguration | undefined): void {
    this.put(bucket, 'cors', value && {
      rules: value.rules.map((rule) => ({
        ...(rule.id !== undefined ? { id: rule.id } : {}),
        allowedOrigins: [...rule.allowedOrigins],
        allowedMethods: [...rule.allowedMethods],
        allowedHeaders: [...rule.allowedHeaders],
        exposeHeaders: [...rule.exposeHeaders],
        ...(rule.maxAgeSeconds !== undefined ? { maxAgeSeconds: rule.maxAgeSeconds } : {}),
      })),
    });
  }

  putPolicyRemovesOwnerAccess(bucket: string, value: boolean): void {
    this.put(bucket, 'policyRemovesOwnerAccess', value ? { confirmed: true } : undefined);
  }

  /** Stores the document (only the fields the type names are written), or removes it when `value` is undefined. */
  private put(bucket: string, kind: ConfigurationKind, value: object | undefined): void {
    if (value === undefined) this.deleteOne.run(bucket, kind);
    else this.upsert.run(bucket, kind, JSON.stringify(value));
  }
}

function assign(out: BucketConfigurations, kind: string, body: string): void {
  // Kinds this version does not know (written by a newer one) are left alone rather than misread.
  if (!(kinds as readonly string[]).includes(kind)) return;
  // The policy flag is a row's presence; the others are their JSON documents.
  (out as Record<string, unknown>)[kind] = kind === 'policyRemovesOwnerAccess' ? true : JSON.parse(body);
}
