// ListObjects(V2) and ListObjectVersions for the SQLite MetaStore, on top of the key walk.
//
// Run inside one read transaction so every seek of a page sees the same snapshot.
import type Database from 'better-sqlite3';
import type { ListObjectsPage, ListObjectsQuery, ListVersionsPage, ListVersionsQuery, ObjectVersion } from '../types.js';
import { commonPrefixOf, walkKeys, type FetchRows } from './key-walk.js';
import { tupleKey, tupleToVersion, tupleVersionId, versionColumns, type VersionTuple } from './version-rows.js';

export class SqliteListing {
  private readonly currentInRange: Database.Statement;
  private readonly versionsInRange: Database.Statement;
  private readonly olderVersionsOfKey: Database.Statement;
  private readonly versionSeq: Database.Statement;

  constructor(db: Database.Database) {
    // Forced onto the partial index of current objects: the planner would otherwise walk the
    // clustered table, reading every noncurrent version and delete marker in the range. Bounds
    // are byte strings cast to TEXT.
    this.currentInRange = db.prepare(
      `SELECT ${versionColumns} FROM versions INDEXED BY versions_current
       WHERE bucket = ? AND is_latest = 1 AND is_delete_marker = 0
         AND key >= CAST(? AS TEXT) AND key < CAST(? AS TEXT)
       ORDER BY key LIMIT ?`,
    ).raw(true);
    this.versionsInRange = db.prepare(
      `SELECT ${versionColumns} FROM versions
       WHERE bucket = ? AND key >= CAST(? AS TEXT) AND key < CAST(? AS TEXT)
       ORDER BY key, seq DESC LIMIT ?`,
    ).raw(true);
    this.olderVersionsOfKey = db.prepare(
      `SELECT ${versionColumns} FROM versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ).raw(true);
    this.versionSeq = db.prepare('SELECT seq FROM versions WHERE bucket = ? AND key = ? AND version_id = ?').pluck();
  }

  /** Latest versions that are not delete markers, in key order, with common prefixes. */
  listObjects(bucket: string, query: ListObjectsQuery): ListObjectsPage {
    const objects: ObjectVersion[] = [];
    const commonPrefixes: string[] = [];
    if (query.maxKeys <= 0) return { objects, commonPrefixes, isTruncated: false };
    const result = walkKeys<VersionTuple>(
      { prefix: query.prefix, delimiter: query.delimiter, after: query.after, maxEntries: query.maxKeys },
      fetchFrom(this.currentInRange, bucket, query.delimiter),
      tupleKey,
      { row: (row) => objects.push(tupleToVersion(row)), commonPrefix: (prefix) => commonPrefixes.push(prefix) },
    );
    return { objects, commonPrefixes, isTruncated: result.truncated, lastReturned: result.lastReturned };
  }

  /**
   * Every version and delete marker, key ascending then newest first. With keyMarker alone the
   * listing starts after that key; with versionIdMarker too it first continues with that key's
   * versions older than the marker (an unknown marker version skips the rest of that key).
   */
  listObjectVersions(bucket: string, query: ListVersionsQuery): ListVersionsPage {
    const versions: ObjectVersion[] = [];
    const commonPrefixes: string[] = [];
    if (query.maxKeys <= 0) return { versions, commonPrefixes, isTruncated: false };
    let last: { key: string; versionId?: string } | undefined;
    const take = (row: VersionTuple): void => {
      versions.push(tupleToVersion(row));
      last = { key: tupleKey(row), versionId: tupleVersionId(row) };
    };

    const rest = this.restOfMarkerKey(bucket, query);
    for (const row of rest.slice(0, query.maxKeys)) take(row);
    if (rest.length > query.maxKeys) return this.versionsPage(versions, commonPrefixes, true, last);

    const result = walkKeys<VersionTuple>(
      {
        prefix: query.prefix,
        delimiter: query.delimiter,
        after: query.keyMarker === '' ? undefined : query.keyMarker,
        maxEntries: query.maxKeys - versions.length,
      },
      fetchFrom(this.versionsInRange, bucket, query.delimiter),
      tupleKey,
      {
        row: take,
        commonPrefix: (prefix) => {
          commonPrefixes.push(prefix);
          last = { key: prefix };
        },
      },
    );
    return this.versionsPage(versions, commonPrefixes, result.truncated, last);
  }

  /** Versions of the marker key older than versionIdMarker (one more than a page, to see truncation). */
  private restOfMarkerKey(bucket: string, query: ListVersionsQuery): VersionTuple[] {
    const key = query.keyMarker;
    if (key === undefined || key === '' || query.versionIdMarker === undefined || query.versionIdMarker === '') return [];
    // A marker key outside the prefix, or rolled up into a common prefix, lists nothing itself.
    if (!key.startsWith(query.prefix) || commonPrefixOf(key, query.prefix, query.delimiter) !== undefined) return [];
    const seq = this.versionSeq.get(bucket, key, query.versionIdMarker) as number | undefined;
    if (seq === undefined) return [];
    return this.olderVersionsOfKey.all(bucket, key, seq, query.maxKeys + 1) as VersionTuple[];
  }

  private versionsPage(
    versions: ObjectVersion[],
    commonPrefixes: string[],
    isTruncated: boolean,
    last: { key: string; versionId?: string } | undefined,
  ): ListVersionsPage {
    if (!isTruncated || last === undefined) return { versions, commonPrefixes, isTruncated };
    return { versions, commonPrefixes, isTruncated, nextKeyMarker: last.key, nextVersionIdMarker: last.versionId };
  }
}

/**
 * Without a delimiter every fetched row is used, so `all` (the fastest read) fits; with one, the
 * walk may stop at the first row of a large group, so rows are pulled one by one with `iterate`.
 */
function fetchFrom(statement: Database.Statement, bucket: string, delimiter: string | undefined): FetchRows<VersionTuple> {
  if (delimiter === undefined || delimiter === '') {
    return (lower, upper, limit) => statement.all(bucket, lower, upper, limit) as VersionTuple[];
  }
  return (lower, upper, limit) => statement.iterate(bucket, lower, upper, limit) as Iterable<VersionTuple>;
}
