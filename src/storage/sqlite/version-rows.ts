// How an ObjectVersion maps onto a `versions` row: queried fields as columns, the rest as one JSON body.
import type {
  AccessControlList,
  CopySource,
  Extent,
  NewObjectVersion,
  ObjectHeaders,
  ObjectVersion,
  StoredChecksum,
  Tag,
  WriteMethod,
  WriterInfo,
} from '../types.js';
import type { VersionSummary } from '../versioning-rules.js';

export interface VersionRow {
  seq: number;
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size_bytes: number;
  etag: string;
  last_modified_ms: number;
  body: string;
}

/** Fields of a version that are stored in the JSON body, never queried. */
interface VersionBody {
  headers: ObjectHeaders;
  userMetadata: Record<string, string>;
  tags: Tag[];
  checksum?: StoredChecksum;
  extents: Extent[];
  partSizes?: number[];
  partChecksums?: string[];
  storageClass: string;
  ownerAccountId: string;
  acl?: AccessControlList;
  writer?: WriterInfo;
  method?: WriteMethod;
  copySource?: CopySource;
}

/** Picks the stored fields (dropping anything else a caller attached) into the JSON body. */
export function versionBody(version: NewObjectVersion): string {
  const body: VersionBody = {
    headers: version.headers,
    userMetadata: version.userMetadata,
    tags: version.tags,
    extents: version.extents.map((e) => ({ blobId: e.blobId, offsetBytes: e.offsetBytes, lengthBytes: e.lengthBytes })),
    storageClass: version.storageClass,
    ownerAccountId: version.ownerAccountId,
  };
  if (version.checksum !== undefined) body.checksum = version.checksum;
  if (version.partSizes !== undefined) body.partSizes = version.partSizes;
  if (version.partChecksums !== undefined) body.partChecksums = version.partChecksums;
  if (version.acl !== undefined) body.acl = { grants: version.acl.grants.map((grant) => ({ grantee: { ...grant.grantee }, permission: grant.permission })) };
  if (version.writer !== undefined) body.writer = version.writer;
  if (version.method !== undefined) body.method = version.method;
  if (version.copySource !== undefined) body.copySource = version.copySource;
  return JSON.stringify(body);
}

export function rowToVersion(row: VersionRow): ObjectVersion {
  const body = JSON.parse(row.body) as VersionBody;
  return {
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    sequence: row.seq,
    isLatest: row.is_latest === 1,
    isDeleteMarker: row.is_delete_marker === 1,
    sizeBytes: row.size_bytes,
    etag: row.etag,
    lastModifiedMs: row.last_modified_ms,
    ...body,
  };
}

/**
 * Listing reads rows as arrays (better-sqlite3 `raw` mode), which builds them markedly faster
 * than named-column objects; `versionColumns` fixes the order `tupleToVersion` expects.
 */
export const versionColumns = 'seq, bucket, key, version_id, is_latest, is_delete_marker, size_bytes, etag, last_modified_ms, body';
export type VersionTuple = [number, string, string, string, number, number, number, string, number, string];
export const tupleKey = (tuple: VersionTuple): string => tuple[2];
export const tupleVersionId = (tuple: VersionTuple): string => tuple[3];

export function tupleToVersion(tuple: VersionTuple): ObjectVersion {
  const body = JSON.parse(tuple[9]) as VersionBody;
  return {
    bucket: tuple[1],
    key: tuple[2],
    versionId: tuple[3],
    sequence: tuple[0],
    isLatest: tuple[4] === 1,
    isDeleteMarker: tuple[5] === 1,
    sizeBytes: tuple[6],
    etag: tuple[7],
    lastModifiedMs: tuple[8],
    ...body,
  };
}

export function rowExtents(row: VersionRow): Extent[] {
  return (JSON.parse(row.body) as VersionBody).extents;
}

export function rowSummary(row: VersionRow | undefined): VersionSummary | undefined {
  if (row === undefined) return undefined;
  return { versionId: row.version_id, isLatest: row.is_latest === 1, isDeleteMarker: row.is_delete_marker === 1, etag: row.etag };
}
