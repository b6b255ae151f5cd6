// MetaStore: the narrow metadata interface every backend (SQLite, PostgreSQL) implements atomically.
//
// Rules every implementation follows (the contract suite in test/storage checks them):
// - Each mutation is one transaction: object rows, blob reference counts and the outbox event
//   commit together or not at all.
// - Blob reference counts count extents: a version or part with two extents in one blob holds
//   two references. A blob whose count reaches zero is garbage; `takeGarbage` hands it out.
// - Versioning follows S3: Enabled buckets get a new random version id per write; Unversioned
//   and Suspended buckets write the 'null' version, replacing any existing null version (whose
//   extents are released). Exactly one version per key is latest; a delete marker can be latest.
// - Garbage collection: `takeGarbage` returns blobs whose count has been zero for at least the
//   grace period and marks them as being collected; from then on a mutation that references such
//   a blob (a copy racing a delete) fails with StoreConflict('NoSuchKey') instead of resurrecting it.
// - Keys order by their UTF-8 bytes (SQLite BINARY, PostgreSQL COLLATE "C").
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
  NewObjectVersion,
  ObjectEvent,
  ObjectEventName,
  ObjectVersion,
  Tag,
  UploadPart,
  WriteConditions,
  WriterInfo,
} from './types.js';

/** Thrown by stores for expected conflicts; the API layer maps each to an S3 error. */
export class StoreConflict extends Error {
  constructor(
    readonly reason:
      | 'BucketExists'
      | 'BucketNotEmpty'
      | 'NoSuchBucket'
      | 'NoSuchKey'
      | 'NoSuchVersion'
      | 'NoSuchUpload'
      | 'PreconditionFailed'
      | 'AccountExists'
      | 'AccessKeyExists',
    message?: string,
  ) {
    super(message ?? reason);
    this.name = 'StoreConflict';
  }
}

export interface PutVersionInput {
  version: NewObjectVersion;
  /** Extents already counted elsewhere (copies) are referenced again; new blobs are registered. */
  newBlobs: { blobId: string; sizeBytes: number }[];
  conditions?: WriteConditions;
  event: ObjectEventName;
}

export interface DeleteInput {
  bucket: string;
  key: string;
  /** Absent: a simple delete (delete marker when versioning is Enabled/Suspended). */
  versionId?: string | undefined;
  writer: WriterInfo;
  conditions?: WriteConditions;
}

export interface DeleteResult {
  /** The version removed, or the delete marker created. */
  versionId?: string | undefined;
  deleteMarker: boolean;
  /** True when nothing existed (S3 still answers 204). */
  noop: boolean;
}

export interface CompleteInput {
  uploadId: string;
  /** The version to create; extents and partSizes come from the chosen parts, in order. */
  version: NewObjectVersion;
  /** Part numbers the client listed, ascending; every other part of the upload is released. */
  partNumbers: number[];
  /** Remembered with the completion (see CompletedUpload), so that a repeat can be recognised. */
  partsDigest: string;
  conditions?: WriteConditions;
}

export interface MetaStore {
  close(): Promise<void>;

  // Accounts and credentials.
  createAccount(account: AccountRecord): Promise<void>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  listAccounts(): Promise<AccountRecord[]>;
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
  /** Small key/value settings (bootstrap facts, cursors of consumers). */
  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string): Promise<void>;

  // Buckets.
  createBucket(bucket: BucketRecord): Promise<void>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  listBuckets(accountId: string): Promise<BucketRecord[]>;
  updateBucket(name: string, patch: BucketPatch): Promise<BucketRecord>;
  /**
   * Fails with BucketNotEmpty while any version or delete marker remains; aborts in-progress uploads (as
   * AWS does) and forgets the bucket's configurations (public access block, ACL, CORS) and remembered completions.
   */
  deleteBucket(name: string): Promise<void>;

  // Object versions.
  /** The latest version (possibly a delete marker) or the named version; undefined if none. */
  getObjectVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  putObjectVersion(input: PutVersionInput): Promise<ObjectVersion>;
  deleteObject(input: DeleteInput): Promise<DeleteResult>;
  putObjectTags(bucket: string, key: string, versionId: string | undefined, tags: Tag[]): Promise<ObjectVersion>;
  /** Replaces the ACL of the latest or named version (NoSuchKey/NoSuchVersion; a delete marker is NoSuchKey). */
  putObjectAcl(bucket: string, key: string, versionId: string | undefined, acl: AccessControlList): Promise<ObjectVersion>;
  /** Latest versions that are not delete markers, in key order. */
  listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage>;
  /** Every version and delete marker, by key ascending then newest first. */
  listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage>;

  // Multipart uploads.
  createUpload(upload: MultipartUpload): Promise<void>;
  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined>;
  /** Stores a part, replacing (and releasing) any earlier part with the same number. */
  putPart(part: UploadPart, newBlobs: { blobId: string; sizeBytes: number }[]): Promise<void>;
  getParts(uploadId: string, partNumbers: number[]): Promise<UploadPart[]>;
  listParts(uploadId: string, afterPartNumber: number, maxParts: number): Promise<ListPartsPage>;
  listUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage>;
  /**
   * Creates the version, drops the upload and, in the same transaction, remembers the completion;
   * completions older than limits.completedUploadRetentionMs (by completion time) or beyond
   * limits.completedUploadsRememberedMax (oldest first) are forgotten.
   */
  completeUpload(input: CompleteInput): Promise<ObjectVersion>;
  /** A remembered completion of this upload of this key; it may be older than the retention (not yet pruned). */
  getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<CompletedUpload | undefined>;
  abortUpload(bucket: string, key: string, uploadId: string): Promise<void>;

  // Blob lifecycle.
  /** Blob ids unreferenced for at least graceMs, oldest first, now marked as being collected. */
  takeGarbage(limit: number, graceMs: number): Promise<string[]>;
  /** Drops blob rows after their bytes were deleted. */
  forgetBlobs(blobIds: string[]): Promise<void>;
  /** Whether the store knows this blob (orphan sweeps delete files it does not know). */
  hasBlob(blobId: string): Promise<boolean>;

  // The object event outbox.
  readEvents(afterSequence: number, limit: number): Promise<ObjectEvent[]>;
  /** Calls `listener` after every commit in this process that appended events; returns an unsubscribe. */
  onEvents(listener: () => void): () => void;
  latestEventSequence(): Promise<number>;
}
