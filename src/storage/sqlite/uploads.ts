// Multipart uploads and parts for the SQLite MetaStore: create, parts, list, complete, abort, and the
// completions remembered for repeated CompleteMultipartUpload requests.
//
// Mutating methods run inside the caller's transaction. Parts hold blob references like versions;
// completing moves the chosen parts' references to the new version and releases the others.
import assert from 'node:assert';
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import { StoreConflict } from '../meta-store.js';
import type { CompleteInput } from '../meta-store.js';
import type {
  CompletedUpload,
  Extent,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  MultipartUpload,
  ObjectVersion,
  UploadPart,
} from '../types.js';
import type { SqliteBlobRefs } from './blobs.js';
import type { SqliteBuckets } from './buckets.js';
import { commonPrefixOf, walkKeys } from './key-walk.js';
import type { SqliteObjects } from './objects.js';

interface UploadRow {
  seq: number;
  upload_id: string;
  bucket: string;
  key: string;
  initiated_ms: number;
  body: string;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  size_bytes: number;
  etag: string;
  last_modified_ms: number;
  body: string;
}

interface CompletedRow {
  upload_id: string;
  bucket: string;
  key: string;
  completed_ms: number;
  body: string;
}

type UploadBody = Omit<MultipartUpload, 'uploadId' | 'bucket' | 'key' | 'initiatedMs'>;
type CompletedBody = Omit<CompletedUpload, 'uploadId' | 'bucket' | 'key' | 'completedMs'>;
type PartBody = Pick<UploadPart, 'checksum' | 'extents' | 'copied'>;

export class SqliteUploads {
  private readonly insertUpload: Database.Statement;
  private readonly selectUpload: Database.Statement;
  private readonly deleteUpload: Database.Statement;
  private readonly upsertPart: Database.Statement;
  private readonly selectPart: Database.Statement;
  private readonly selectPartsAfter: Database.Statement;
  private readonly selectAllParts: Database.Statement;
  private readonly selectUploadIdsOfBucket: Database.Statement;
  private readonly deleteParts: Database.Statement;
  private readonly uploadsInRange: Database.Statement;
  private readonly laterUploadsOfKey: Database.Statement;
  private readonly insertCompleted: Database.Statement;
  private readonly selectCompleted: Database.Statement;
  private readonly pruneCompletedBefore: Database.Statement;
  private readonly pruneCompletedBeyond: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly buckets: SqliteBuckets,
    private readonly blobs: SqliteBlobRefs,
    private readonly objects: SqliteObjects,
  ) {
    this.insertUpload = db.prepare(
      'INSERT INTO uploads (upload_id, bucket, key, initiated_ms, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectUpload = db.prepare('SELECT * FROM uploads WHERE upload_id = ?');
    this.deleteUpload = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.upsertPart = db.prepare(
      `INSERT INTO parts (upload_id, part_number, size_bytes, etag, last_modified_ms, body) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET size_bytes = excluded.size_bytes, etag = excluded.etag,
         last_modified_ms = excluded.last_modified_ms, body = excluded.body`,
    );
    this.selectPart = db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number = ?');
    this.selectPartsAfter = db.prepare(
      'SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
    );
    this.selectAllParts = db.prepare('SELECT * FROM parts WHERE upload_id = ? ORDER BY part_number');
    this.selectUploadIdsOfBucket = db.prepare('SELECT upload_id FROM uploads WHERE bucket = ?').pluck();
    this.deleteParts = db.prepare('DELETE FROM parts WHERE upload_id = ?');
    this.uploadsInRange = db.prepare(
      `SELECT * FROM uploads WHERE bucket = ? AND key >= CAST(? AS TEXT) AND key < CAST(? AS TEXT)
       ORDER BY key, seq LIMIT ?`,
    );
    this.laterUploadsOfKey = db.prepare(
      'SELECT * FROM uploads WHERE bucket = ? AND key = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.insertCompleted = db.prepare(
      'INSERT INTO completed_uploads (upload_id, bucket, key, completed_ms, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectCompleted = db.prepare('SELECT * FROM completed_uploads WHERE upload_id = ?');
    this.pruneCompletedBefore = db.prepare('DELETE FROM completed_uploads WHERE completed_ms < ?');
    // Keeps at most N rows: the N highest sequence numbers (gaps left by deleted buckets only keep fewer).
    this.pruneCompletedBeyond = db.prepare(
      'DELETE FROM completed_uploads WHERE seq <= (SELECT MAX(seq) FROM completed_uploads) - ?',
    );
  }

  create(upload: MultipartUpload): void {
    this.buckets.require(upload.bucket);
    const { uploadId, bucket, key, initiatedMs, ...body } = upload;
    this.insertUpload.run(uploadId, bucket, key, initiatedMs, JSON.stringify(body satisfies UploadBody));
  }

  get(bucket: string, key: string, uploadId: string): MultipartUpload | undefined {
    const row = this.selectUpload.get(uploadId) as UploadRow | undefined;
    if (row === undefined || row.bucket !== bucket || row.key !== key) return undefined;
    return toUpload(row);
  }

  /** Stores a part; an earlier part with the same number is replaced and its extents released. */
  putPart(part: UploadPart, newBlobs: readonly { blobId: string; sizeBytes: number }[]): void {
    this.requireUpload(part.uploadId);
    this.blobs.register(newBlobs);
    this.blobs.reference(part.extents);
    const earlier = this.selectPart.get(part.uploadId, part.partNumber) as PartRow | undefined;
    if (earlier !== undefined) this.blobs.release(partExtents(earlier));
    const body: PartBody = { extents: part.extents.map(copyExtent) };
    if (part.checksum !== undefined) body.checksum = part.checksum;
    if (part.copied !== undefined) body.copied = part.copied;
    this.upsertPart.run(part.uploadId, part.partNumber, part.sizeBytes, part.etag, part.lastModifiedMs, JSON.stringify(body));
  }

  /** The named parts that exist, in the order asked. */
  getParts(uploadId: string, partNumbers: readonly number[]): UploadPart[] {
    const parts: UploadPart[] = [];
    for (const number of partNumbers) {
      const row = this.selectPart.get(uploadId, number) as PartRow | undefined;
      if (row !== undefined) parts.push(toPart(row));
    }
    return parts;
  }

  listParts(uploadId: string, afterPartNumber: number, maxParts: number): ListPartsPage {
    this.requireUpload(uploadId);
    if (maxParts <= 0) return { parts: [], isTruncated: false };
    const rows = this.selectPartsAfter.all(uploadId, afterPartNumber, maxParts + 1) as PartRow[];
    const parts = rows.slice(0, maxParts).map(toPart);
    const isTruncated = rows.length > maxParts;
    const page: ListPartsPage = { parts, isTruncated };
    if (parts.length > 0) page.nextPartNumberMarker = parts[parts.length - 1]!.partNumber;
    return page;
  }

  /**
   * Uploads in key order, then initiation order. With keyMarker alone the listing starts after
   * that key; with uploadIdMarker it first continues with that key's later uploads (an upload id
   * that no longer exists skips the rest of that key).
   */
  list(bucket: string, query: ListUploadsQuery): ListUploadsPage {
    const uploads: MultipartUpload[] = [];
    const commonPrefixes: string[] = [];
    if (query.maxUploads <= 0) return { uploads, commonPrefixes, isTruncated: false };
    let last: { key: string; uploadId?: string } | undefined;
    const take = (row: UploadRow): void => {
      uploads.push(toUpload(row));
      last = { key: row.key, uploadId: row.upload_id };
    };
    const rest = this.restOfMarkerKey(bucket, query);
    for (const row of rest.slice(0, query.maxUploads)) take(row);
    let isTruncated = rest.length > query.maxUploads;
    if (!isTruncated) {
      const walk = walkKeys<UploadRow>(
        {
          prefix: query.prefix,
          delimiter: query.delimiter,
          after: query.keyMarker === '' ? undefined : query.keyMarker,
          maxEntries: query.maxUploads - uploads.length,
        },
        (lower, upper, limit) => this.uploadsInRange.iterate(bucket, lower, upper, limit) as Iterable<UploadRow>,
        (row) => row.key,
        {
          row: take,
          commonPrefix: (prefix) => {
            commonPrefixes.push(prefix);
            last = { key: prefix };
          },
        },
      );
      isTruncated = walk.truncated;
    }
    if (!isTruncated || last === undefined) return { uploads, commonPrefixes, isTruncated };
    return { uploads, commonPrefixes, isTruncated, nextKeyMarker: last.key, nextUploadIdMarker: last.uploadId };
  }

  private restOfMarkerKey(bucket: string, query: ListUploadsQuery): UploadRow[] {
    const key = query.keyMarker;
    if (key === undefined || key === '' || query.uploadIdMarker === undefined || query.uploadIdMarker === '') return [];
    if (!key.startsWith(query.prefix) || commonPrefixOf(key, query.prefix, query.delimiter) !== undefined) return [];
    const marker = this.selectUpload.get(query.uploadIdMarker) as UploadRow | undefined;
    if (marker === undefined || marker.bucket !== bucket || marker.key !== key) return [];
    return this.laterUploadsOfKey.all(bucket, key, marker.seq, query.maxUploads + 1) as UploadRow[];
  }

  /**
   * CompleteMultipartUpload: the chosen parts' extents, in order, become the new version's; every
   * part of the upload is then released (the chosen ones keep the version's references).
   */
  complete(input: CompleteInput): ObjectVersion {
    const row = this.selectUpload.get(input.uploadId) as UploadRow | undefined;
    if (row === undefined || row.bucket !== input.version.bucket || row.key !== input.version.key) {
      throw new StoreConflict('NoSuchUpload');
    }
    const bucket = this.buckets.require(row.bucket);
    const chosen = this.getParts(input.uploadId, input.partNumbers);
    assert.equal(chosen.length, input.partNumbers.length, 'completeUpload names a part that does not exist');
    const partSizes = chosen.map((part) => part.sizeBytes);
    assert.equal(
      input.version.sizeBytes,
      partSizes.reduce((sum, size) => sum + size, 0),
      'completed size differs from the sum of its parts',
    );
    const version = { ...input.version, extents: chosen.flatMap((part) => part.extents), partSizes };
    const checksums = chosen.map((part) => part.checksum);
    if (version.partChecksums === undefined && checksums.every((c): c is string => c !== undefined) && checksums.length > 0) {
      version.partChecksums = checksums;
    }
    const stored = this.objects.write(bucket, version, false, input.conditions, 'ObjectCreated:CompleteMultipartUpload');
    this.dropUpload(input.uploadId);
    this.remember({
      uploadId: input.uploadId,
      bucket: stored.bucket,
      key: stored.key,
      completedMs: input.version.lastModifiedMs,
      versionId: stored.versionId,
      versionIdReported: bucket.versioning === 'Enabled',
      etag: stored.etag,
      checksum: stored.checksum,
      partsDigest: input.partsDigest,
    });
    return stored;
  }

  /** A remembered completion of `uploadId` for this bucket and key. */
  getCompleted(bucket: string, key: string, uploadId: string): CompletedUpload | undefined {
    const row = this.selectCompleted.get(uploadId) as CompletedRow | undefined;
    if (row === undefined || row.bucket !== bucket || row.key !== key) return undefined;
    return { uploadId: row.upload_id, bucket: row.bucket, key: row.key, completedMs: row.completed_ms, ...(JSON.parse(row.body) as CompletedBody) };
  }

  /** Records a completion and forgets those past the retention age or count (limits.completedUpload*). */
  private remember(completed: CompletedUpload): void {
    const { uploadId, bucket, key, completedMs, ...rest } = completed;
    const body: CompletedBody = { ...rest };
    if (body.checksum === undefined) delete body.checksum;
    this.insertCompleted.run(uploadId, bucket, key, completedMs, JSON.stringify(body));
    this.pruneCompletedBefore.run(completedMs - limits.completedUploadRetentionMs);
    this.pruneCompletedBeyond.run(limits.completedUploadsRememberedMax);
  }

  abort(bucket: string, key: string, uploadId: string): void {
    const row = this.selectUpload.get(uploadId) as UploadRow | undefined;
    if (row === undefined || row.bucket !== bucket || row.key !== key) throw new StoreConflict('NoSuchUpload');
    this.dropUpload(uploadId);
  }

  /** Aborts every in-progress upload of a bucket (DeleteBucket does this, as on AWS). */
  dropAllOf(bucket: string): void {
    for (const uploadId of this.selectUploadIdsOfBucket.all(bucket) as string[]) this.dropUpload(uploadId);
  }

  /** Releases every part's extents and deletes the upload with its parts. */
  private dropUpload(uploadId: string): void {
    for (const part of this.selectAllParts.all(uploadId) as PartRow[]) this.blobs.release(partExtents(part));
    this.deleteParts.run(uploadId);
    this.deleteUpload.run(uploadId);
  }

  private requireUpload(uploadId: string): UploadRow {
    const row = this.selectUpload.get(uploadId) as UploadRow | undefined;
    if (row === undefined) throw new StoreConflict('NoSuchUpload');
    return row;
  }
}

function copyExtent(extent: Extent): Extent {
  return { blobId: extent.blobId, offsetBytes: extent.offsetBytes, lengthBytes: extent.lengthBytes };
}

function partExtents(row: PartRow): Extent[] {
  return (JSON.parse(row.body) as PartBody).extents;
}

function toUpload(row: UploadRow): MultipartUpload {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiatedMs: row.initiated_ms,
    ...(JSON.parse(row.body) as UploadBody),
  };
}

function toPart(row: PartRow): UploadPart {
  return {
    uploadId: row.upload_id,
    partNumber: row.part_number,
    sizeBytes: row.size_bytes,
    etag: row.etag,
    lastModifiedMs: row.last_modified_ms,
    ...(JSON.parse(row.body) as PartBody),
  };
}
