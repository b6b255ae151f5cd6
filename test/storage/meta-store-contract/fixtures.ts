// Shared builders for the MetaStore contract suite: stores per test, records, puts, copies, garbage.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { newBlobId } from '../../../src/core/ids.js';
import { StoreConflict, type MetaStore } from '../../../src/storage/meta-store.js';
import type {
  BucketRecord,
  Extent,
  NewObjectVersion,
  ObjectEventName,
  ObjectVersion,
  Versioning,
  WriteConditions,
  WriterInfo,
} from '../../../src/storage/types.js';

export type OpenStore = () => Promise<{ store: MetaStore; cleanup(): Promise<void> }>;

export const accountA = '111122223333';
export const accountB = '444455556666';

export const writer: WriterInfo = {
  accountId: accountA,
  arn: `arn:aws:iam::${accountA}:root`,
  userId: accountA,
  sourceIp: '127.0.0.1',
  requestId: '0123456789ABCDEF',
};

/** A test with a fresh store, cleaned up whatever happens. */
export function storeTest(open: OpenStore, name: string, body: (store: MetaStore) => Promise<void>): void {
  test(name, async () => {
    const { store, cleanup } = await open();
    try {
      await body(store);
    } finally {
      await cleanup();
    }
  });
}

export function bucketRecord(name: string, versioning: Versioning = 'Unversioned', accountId = accountA): BucketRecord {
  return { name, accountId, region: 'us-east-1', createdMs: 1_700_000_000_000, versioning, ownership: 'BucketOwnerEnforced' };
}

/** Creates a bucket and returns its name. */
export async function makeBucket(store: MetaStore, name: string, versioning: Versioning = 'Unversioned'): Promise<string> {
  await store.createBucket(bucketRecord(name, versioning));
  return name;
}

export function randomEtag(): string {
  return randomBytes(16).toString('hex');
}

export function newVersion(bucket: string, key: string, extents: Extent[], sizeBytes?: number): NewObjectVersion {
  return {
    bucket,
    key,
    sizeBytes: sizeBytes ?? extents.reduce((sum, e) => sum + e.lengthBytes, 0),
    etag: randomEtag(),
    lastModifiedMs: 1_700_000_000_000,
    headers: { contentType: 'text/plain' },
    userMetadata: {},
    tags: [],
    extents,
    storageClass: 'STANDARD',
    ownerAccountId: accountA,
    writer,
    method: 'PutObject',
  };
}

export interface PutOptions {
  sizeBytes?: number;
  conditions?: WriteConditions;
  event?: ObjectEventName;
}

/** PutObject of a fresh blob; returns the stored version and its blob id. */
export async function putNew(
  store: MetaStore,
  bucket: string,
  key: string,
  options: PutOptions = {},
): Promise<{ version: ObjectVersion; blobId: string }> {
  const blobId = newBlobId();
  const sizeBytes = options.sizeBytes ?? 10;
  const version = await store.putObjectVersion({
    version: newVersion(bucket, key, [{ blobId, offsetBytes: 0, lengthBytes: sizeBytes }]),
    newBlobs: [{ blobId, sizeBytes }],
    conditions: options.conditions,
    event: options.event ?? 'ObjectCreated:Put',
  });
  return { version, blobId };
}

/** CopyObject: the destination references the source's extents, no new blob. */
export async function copyTo(store: MetaStore, source: ObjectVersion, bucket: string, key: string): Promise<ObjectVersion> {
  const version = newVersion(bucket, key, source.extents, source.sizeBytes);
  version.etag = source.etag;
  version.method = 'CopyObject';
  version.copySource = { bucket: source.bucket, key: source.key, versionId: source.versionId };
  return store.putObjectVersion({ version, newBlobs: [], event: 'ObjectCreated:Copy' });
}

/** Blob ids with zero references right now (grace 0); they are marked collecting. */
export async function takeAllGarbage(store: MetaStore): Promise<Set<string>> {
  return new Set(await store.takeGarbage(100_000, 0));
}

export async function rejectsWith(promise: Promise<unknown>, reason: StoreConflict['reason']): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert(error instanceof StoreConflict, `expected StoreConflict(${reason}), got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  });
}

/** Drops undefined fields so records compare equal however a store represents absence. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Keys in UTF-8 byte order, computed independently of any store. */
export function byteSorted(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

export async function allVersions(store: MetaStore, bucket: string, key?: string): Promise<ObjectVersion[]> {
  const page = await store.listObjectVersions(bucket, { prefix: key ?? '', maxKeys: 10_000 });
  return key === undefined ? page.versions : page.versions.filter((v) => v.key === key);
}

export async function eventsSince(store: MetaStore, afterSequence: number) {
  return store.readEvents(afterSequence, 10_000);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
