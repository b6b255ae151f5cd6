// Pure S3 versioning decisions every MetaStore backend shares: the version id a write gets, what it
// replaces or demotes, what a delete does, and whether write conditions hold.
//
// Backends read the key's state inside their transaction, ask these functions what to do, and then
// execute the decision; nothing here touches storage. Sources:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectsfromVersioningSuspendedBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
import type { BucketRecord, ObjectEventName, ObjectVersion, Versioning, WriteConditions } from './types.js';

/** The version id of objects written while versioning is not Enabled. */
export const nullVersionId = 'null';

/** What a decision needs to know about one stored version. */
export type VersionSummary = Pick<ObjectVersion, 'versionId' | 'isLatest' | 'isDeleteMarker' | 'etag'>;

/** The key's state, read inside the transaction before deciding. */
export interface KeyState {
  /** The latest version, possibly a delete marker. */
  latest?: VersionSummary | undefined;
  /** The key's null version wherever it sits in the history (needed by Unversioned/Suspended writes). */
  nullVersion?: VersionSummary | undefined;
}

export interface WriteDecision {
  /** Id of the version (or delete marker) to create; it becomes latest. */
  versionId: string;
  /** Remove the existing null version and release its extents. */
  removeNullVersion: boolean;
  /** Clear isLatest on the current latest version (it survives as a noncurrent version). */
  demoteLatest: boolean;
}

export type DeleteDecision =
  | { kind: 'noop' }
  | { kind: 'removeVersion'; versionId: string; wasDeleteMarker: boolean; promoteNewestRemaining: boolean }
  | { kind: 'createMarker'; write: WriteDecision };

/**
 * Whether conditions hold against the latest version. A delete marker counts as absent.
 * If-None-Match: * fails when a current object exists; If-Match fails unless one exists with the
 * given ETag ('*' matches any current object).
 */
export function conditionsHold(conditions: WriteConditions | undefined, latest: VersionSummary | undefined): boolean {
  if (conditions === undefined) return true;
  const current = latest !== undefined && !latest.isDeleteMarker ? latest : undefined;
  if (conditions.ifNoneMatchAny === true && current !== undefined) return false;
  if (conditions.ifMatchEtag !== undefined) {
    if (current === undefined) return false;
    const wanted = unquoteEtag(conditions.ifMatchEtag);
    if (wanted !== '*' && wanted !== current.etag) return false;
  }
  return true;
}

function unquoteEtag(etag: string): string {
  const trimmed = etag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * A new object version (PutObject, CopyObject, CompleteMultipartUpload) or delete marker.
 * Enabled: a fresh id, the old latest is demoted. Unversioned/Suspended: the null version, which
 * replaces any existing null version (even a noncurrent one) and demotes a non-null latest.
 */
export function decideWrite(versioning: Versioning, state: KeyState, newVersionId: () => string): WriteDecision {
  if (versioning === 'Enabled') {
    return { versionId: newVersionId(), removeNullVersion: false, demoteLatest: state.latest !== undefined };
  }
  const removeNullVersion = state.nullVersion !== undefined;
  const latestIsReplaced = state.latest !== undefined && state.latest.versionId === nullVersionId;
  return { versionId: nullVersionId, removeNullVersion, demoteLatest: state.latest !== undefined && !latestIsReplaced };
}

/**
 * DeleteObject. With a version id: that version is removed permanently (no marker), and when it
 * was latest the newest remaining version becomes latest. Without one: Enabled creates a delete
 * marker with a fresh id; Suspended creates a null delete marker replacing the null version;
 * Unversioned removes the null version. Removing something absent is a noop.
 * `target` is the version named by `versionId`, or the null version for a simple delete.
 */
export function decideDelete(
  versioning: Versioning,
  state: KeyState & { target?: VersionSummary | undefined },
  versionId: string | undefined,
  newVersionId: () => string,
): DeleteDecision {
  const removeTarget = (target: VersionSummary): DeleteDecision => ({
    kind: 'removeVersion',
    versionId: target.versionId,
    wasDeleteMarker: target.isDeleteMarker,
    promoteNewestRemaining: target.isLatest,
  });
  if (versionId !== undefined) return state.target !== undefined ? removeTarget(state.target) : { kind: 'noop' };
  if (versioning === 'Unversioned') return state.target !== undefined ? removeTarget(state.target) : { kind: 'noop' };
  return { kind: 'createMarker', write: decideWrite(versioning, state, newVersionId) };
}

/** The outbox event a delete decision produces; a noop produces none. */
export function deleteEventName(decision: DeleteDecision): ObjectEventName | undefined {
  switch (decision.kind) {
    case 'noop':
      return undefined;
    case 'removeVersion':
      return 'ObjectRemoved:Delete';
    case 'createMarker':
      return 'ObjectRemoved:DeleteMarkerCreated';
  }
}

/** Who owns a delete marker: the bucket owner under BucketOwnerEnforced (or for an anonymous writer), else the writer. */
export function deleteMarkerOwner(bucket: Pick<BucketRecord, 'ownership' | 'accountId'>, writerAccountId: string): string {
  return bucket.ownership === 'BucketOwnerEnforced' || writerAccountId === '' ? bucket.accountId : writerAccountId;
}
