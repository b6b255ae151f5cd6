// The SQLite MetaStore: one better-sqlite3 connection, prepared statements, one transaction per mutation.
//
// better-sqlite3 is synchronous, so each method does its work before returning a settled promise.
// Mutations use BEGIN IMMEDIATE (take the write lock first) so processes sharing the file with
// `--workers N` queue on busy_timeout instead of failing on a lock upgrade; multi-statement reads
// run in a deferred transaction so they see one snapshot.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { CompleteInput, DeleteInput, DeleteResult, MetaStore, PutVersionInput } from '../meta-store.js';
import type {
  AccessControlList,
  AccessKeyRecord,
  AccountRecord,
  BucketPatch,
  BucketRecord,
  CompletedUpload,
  ListObjectsPage,
  ListObjectsQuery,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  ListVersionsPage,
  ListVersionsQuery,
  MultipartUpload,
  ObjectEvent,
  ObjectVersion,
  Tag,
  UploadPart,
} from '../types.js';
import type { IamStore } from '../iam-store.js';
import { SqliteBlobRefs } from './blobs.js';
import { SqliteIamStore } from './sqlite-iam-store.js';
import { SqliteDeliveryStore } from './sqlite-delivery-store.js';
import type { DeliveryStore } from '../delivery-store.js';
import type { PortalStore } from '../portal-store.js';
import { SqlitePortalStore } from './sqlite-portal-store.js';
import { SqliteBuckets } from './buckets.js';
import { SqliteBucketConfigurations, type BucketConfigurations } from './bucket-configurations.js';
import { SqliteEventOutbox } from './events.js';
import { SqliteIdentity } from './identity.js';
import { SqliteListing } from './listing.js';
import { SqliteObjects } from './objects.js';
import { applyPragmas, migrate } from './schema.js';
import { SqliteUploads } from './uploads.js';

export interface SqliteMetaStoreOptions {
  /** Database file; its directory is created if missing. */
  path: string;
  clock?: Clock;
}

/** Opens (creating or migrating) the metadata database at `options.path`; synchronous, so `await` is optional. */
export function openSqliteMetaStore(options: SqliteMetaStoreOptions): MetaStore {
  return openSqliteStores(options).meta;
}

export interface SqliteStores {
  meta: MetaStore;
  iam: IamStore;
  deliveries: DeliveryStore;
  /** Slate's users and sessions. */
  portal: PortalStore;
  /** Closes the shared connection. */
  close(): Promise<void>;
}

/** Opens the database once and returns both stores over the same connection. */
export function openSqliteStores(options: SqliteMetaStoreOptions): SqliteStores {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, { timeout: limits.sqliteBusyTimeoutMs });
  try {
    applyPragmas(db, limits.sqliteBusyTimeoutMs, limits.sqliteCacheBytes);
    migrate(db);
    const clock = options.clock ?? systemClock;
    const meta = new SqliteMetaStore(db, clock);
    return { meta, iam: new SqliteIamStore(db), deliveries: new SqliteDeliveryStore(db), portal: new SqlitePortalStore(db), close: () => meta.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

class SqliteMetaStore implements MetaStore {
  private readonly identity: SqliteIdentity;
  private readonly buckets: SqliteBuckets;
  private readonly configurations: SqliteBucketConfigurations;
  private readonly blobs: SqliteBlobRefs;
  private readonly events: SqliteEventOutbox;
  private readonly objects: SqliteObjects;
  private readonly listing: SqliteListing;
  private readonly uploads: SqliteUploads;
  private readonly transaction: Database.Transaction<<T>(work: () => T) => T>;
  /** Inside `transaction`, better-sqlite3 runs a transaction function as a savepoint. */
  private readonly savepoint: Database.Transaction<<T>(work: () => T) => T>;
  private readonly queued: { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly db: Database.Database,
    clock: Clock,
  ) {
    this.identity = new SqliteIdentity(db);
    this.buckets = new SqliteBuckets(db);
    this.configurations = new SqliteBucketConfigurations(db);
    this.blobs = new SqliteBlobRefs(db, clock);
    this.events = new SqliteEventOutbox(db, clock);
    this.objects = new SqliteObjects(db, clock, this.buckets, this.blobs, this.events);
    this.listing = new SqliteListing(db);
    this.uploads = new SqliteUploads(db, this.buckets, this.blobs, this.objects);
    this.transaction = db.transaction(<T>(work: () => T): T => work());
    this.savepoint = db.transaction(<T>(work: () => T): T => work());
  }

  /**
   * Group commit: mutations queued in the same turn of the event loop run in one IMMEDIATE transaction,
   * each inside its own savepoint (a throw rolls back that mutation only), so N concurrent writes cost one
   * WAL fsync instead of N. Every promise settles after the commit, so a caller's acknowledgement still
   * follows durable storage (invariant 1).
   */
  private write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queued.splice(0, limits.sqliteGroupCommitMax);
    if (this.queued.length > 0) setImmediate(() => this.flush());
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let committed = false;
    try {
      this.transaction.immediate(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.savepoint(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
      committed = true;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.events.settle(committed);
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  onEvents(listener: () => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Runs several reads against one snapshot. */
  private read<T>(work: () => T): T {
    return this.transaction.deferred(work) as T;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // Accounts and credentials.
  async createAccount(account: AccountRecord): Promise<void> {
    await this.write(() => this.identity.createAccount(account));
  }
  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    return this.identity.getAccount(accountId);
  }
  async listAccounts(): Promise<AccountRecord[]> {
    return this.identity.listAccounts();
  }
  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    await this.write(() => this.identity.putAccessKey(key));
  }
  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    return this.identity.getAccessKey(accessKeyId);
  }
  async deleteAccessKey(accessKeyId: string): Promise<void> {
    await this.write(() => this.identity.deleteAccessKey(accessKeyId));
  }
  async getSetting(name: string): Promise<string | undefined> {
    return this.identity.getSetting(name);
  }
  async putSetting(name: string, value: string): Promise<void> {
    await this.write(() => this.identity.putSetting(name, value));
  }

  // Buckets.
  // The bucket row and its configuration documents (bucket-configurations.ts) read and write together.
  async createBucket(bucket: BucketRecord): Promise<void> {
    await this.write(() => {
      this.buckets.create(bucket);
      if (bucket.publicAccessBlock) this.configurations.putPublicAccessBlock(bucket.name, bucket.publicAccessBlock);
      if (bucket.acl) this.configurations.putAcl(bucket.name, bucket.acl);
      if (bucket.cors) this.configurations.putCors(bucket.name, bucket.cors);
      if (bucket.policyRemovesOwnerAccess) this.configurations.putPolicyRemovesOwnerAccess(bucket.name, true);
    });
  }
  async getBucket(name: string): Promise<BucketRecord | undefined> {
    return this.read(() => {
      const bucket = this.buckets.get(name);
      return bucket && withConfigurations(bucket, this.configurations.of(name));
    });
  }
  async listBuckets(accountId: string): Promise<BucketRecord[]> {
    return this.read(() => {
      const configurations = this.configurations.ofAccount(accountId);
      return this.buckets.listByAccount(accountId).map((bucket) => withConfigurations(bucket, configurations.get(bucket.name) ?? {}));
    });
  }
  async updateBucket(name: string, patch: BucketPatch): Promise<BucketRecord> {
    return this.write(() => {
      const updated = this.buckets.update(name, patch);
      if (patch.deletePublicAccessBlock === true) this.configurations.putPublicAccessBlock(name, undefined);
      else if (patch.publicAccessBlock !== undefined) this.configurations.putPublicAccessBlock(name, patch.publicAccessBlock);
      if (patch.acl !== undefined) this.configurations.putAcl(name, patch.acl);
      if (patch.deletePolicy === true) this.configurations.putPolicyRemovesOwnerAccess(name, false);
      else if (patch.policy !== undefined) this.configurations.putPolicyRemovesOwnerAccess(name, patch.policyRemovesOwnerAccess === true);
      if (patch.deleteCors === true) this.configurations.putCors(name, undefined);
      else if (patch.cors !== undefined) this.configurations.putCors(name, patch.cors);
      return withConfigurations(updated, this.configurations.of(name));
    });
  }
  async deleteBucket(name: string): Promise<void> {
    await this.write(() => {
      this.buckets.require(name);
      this.buckets.requireNoVersions(name);
      this.uploads.dropAllOf(name);
      this.buckets.delete(name);
    });
  }

  // Object versions.
  async getObjectVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return this.objects.get(bucket, key, versionId);
  }
  async putObjectVersion(input: PutVersionInput): Promise<ObjectVersion> {
    return this.write(() => this.objects.put(input));
  }
  async deleteObject(input: DeleteInput): Promise<DeleteResult> {
    return this.write(() => this.objects.delete(input));
  }
  async putObjectTags(bucket: string, key: string, versionId: string | undefined, tags: Tag[]): Promise<ObjectVersion> {
    return this.write(() => this.objects.putTags(bucket, key, versionId, tags));
  }
  async putObjectAcl(bucket: string, key: string, versionId: string | undefined, acl: AccessControlList): Promise<ObjectVersion> {
    return this.write(() => this.objects.putAcl(bucket, key, versionId, acl));
  }
  async listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage> {
    return this.read(() => this.listing.listObjects(bucket, query));
  }
  async listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage> {
    return this.read(() => this.listing.listObjectVersions(bucket, query));
  }

  // Multipart uploads.
  async createUpload(upload: MultipartUpload): Promise<void> {
    await this.write(() => this.uploads.create(upload));
  }
  async getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined> {
    return this.uploads.get(bucket, key, uploadId);
  }
  async putPart(part: UploadPart, newBlobs: { blobId: string; sizeBytes: number }[]): Promise<void> {
    await this.write(() => this.uploads.putPart(part, newBlobs));
  }
  async getParts(uploadId: string, partNumbers: number[]): Promise<UploadPart[]> {
    return this.read(() => this.uploads.getParts(uploadId, partNumbers));
  }
  async listParts(uploadId: string, afterPartNumber: number, maxParts: number): Promise<ListPartsPage> {
    return this.read(() => this.uploads.listParts(uploadId, afterPartNumber, maxParts));
  }
  async listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage> {
    return this.read(() => this.uploads.list(bucket, query));
  }
  async completeUpload(input: CompleteInput): Promise<ObjectVersion> {
    return this.write(() => this.uploads.complete(input));
  }
  async getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<CompletedUpload | undefined> {
    return this.uploads.getCompleted(bucket, key, uploadId);
  }
  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.write(() => this.uploads.abort(bucket, key, uploadId));
  }

  // Blob lifecycle.
  async takeGarbage(limit: number, graceMs: number): Promise<string[]> {
    return this.write(() => this.blobs.takeGarbage(limit, graceMs));
  }
  async forgetBlobs(blobIds: string[]): Promise<void> {
    await this.write(() => this.blobs.forget(blobIds));
  }
  async hasBlob(blobId: string): Promise<boolean> {
    return this.blobs.has(blobId);
  }

  // The object event outbox.
  async readEvents(afterSequence: number, limit: number): Promise<ObjectEvent[]> {
    return this.events.read(afterSequence, limit);
  }
  async latestEventSequence(): Promise<number> {
    return this.events.latestSequence();
  }
}

/** The bucket row with its configuration documents (and none it no longer has). */
function withConfigurations(bucket: BucketRecord, configurations: BucketConfigurations): BucketRecord {
  const out: BucketRecord = { ...bucket };
  delete out.publicAccessBlock;
  delete out.acl;
  delete out.cors;
  delete out.policyRemovesOwnerAccess;
  if (configurations.policyRemovesOwnerAccess) out.policyRemovesOwnerAccess = true;
  if (configurations.publicAccessBlock) out.publicAccessBlock = configurations.publicAccessBlock;
  if (configurations.acl) out.acl = configurations.acl;
  if (configurations.cors) out.cors = configurations.cors;
  return out;
}
