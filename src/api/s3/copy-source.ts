// x-amz-copy-source for CopyObject and UploadPartCopy: parse (bucket/key, ?versionId=, access point ARN),
// resolve, authorize the read, and apply the x-amz-copy-source-if-* conditions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html (and reference/aws-semantics.md §3.2)
import { S3Error } from '../../core/errors.js';
import { aclsEnabled } from '../../iam/acl-permissions.js';
import type { AccessControlList, ObjectVersion } from '../../storage/types.js';
import { header, type RequestContext } from '../context.js';
import { resolveBucket, type BucketAccess } from './bucket-access.js';
import { authorizeS3 } from './authorize-s3.js';
import { evaluateReadConditions } from './conditions.js';

export interface CopySourceRef {
  /** Bucket name or alias as written; for access point ARNs, the ARN up to the access point name. */
  bucket: string;
  key: string;
  versionId?: string;
}

const malformed = () => new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' });

export function parseCopySource(raw: string): CopySourceRef {
  let value = raw;
  let versionId: string | undefined;
  const marker = value.indexOf('?versionId=');
  if (marker >= 0) {
    versionId = value.slice(marker + '?versionId='.length);
    value = value.slice(0, marker);
    if (versionId === '') throw new S3Error('InvalidArgument', 'Version id cannot be the empty string', { ArgumentName: 'versionId' });
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw malformed();
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  if (decoded.startsWith('arn:')) {
    const m = /^(arn:[^:]+:s3:[^:]*:\d{12}:accesspoint[/:][a-z0-9-]+)\/object\/(.+)$/.exec(decoded);
    if (!m) throw malformed();
    return { bucket: m[1]!, key: m[2]!, ...(versionId !== undefined ? { versionId } : {}) };
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw malformed();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

export interface LoadedCopySource {
  ref: CopySourceRef;
  access: BucketAccess;
  version: ObjectVersion;
}

/**
 * Resolves, authorizes (s3:GetObject or s3:GetObjectVersion, decided by the source object's ACL and owner on
 * buckets that take ACLs) and checks x-amz-source-expected-bucket-owner and the copy-source conditions.
 */
export async function loadCopySource(ctx: RequestContext): Promise<LoadedCopySource> {
  const ref = parseCopySource(header(ctx, 'x-amz-copy-source') ?? '');
  const access = await resolveBucket(ctx, ref.bucket);
  const expectedOwner = header(ctx, 'x-amz-source-expected-bucket-owner');
  if (expectedOwner !== undefined && expectedOwner !== access.bucket.accountId) throw new S3Error('AccessDenied');
  const version = await ctx.services.meta.getObjectVersion(access.bucket.name, ref.key, ref.versionId);
  const object = version && !version.isDeleteMarker && aclsEnabled(access.bucket) ? { ownerAccountId: version.ownerAccountId, acl: version.acl } : undefined;
  await authorizeS3(ctx, access, {
    action: ref.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject', key: ref.key,
    ...(ref.versionId ? { versionId: ref.versionId } : {}), ...(object ? { object } : {}),
  });
  if (!version) {
    if (ref.versionId !== undefined) throw new S3Error('NoSuchVersion', undefined, { Key: ref.key, VersionId: ref.versionId });
    throw new S3Error('NoSuchKey', undefined, { Key: ref.key });
  }
  if (version.isDeleteMarker) {
    if (ref.versionId !== undefined) throw new S3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
    throw new S3Error('NoSuchKey', undefined, { Key: ref.key });
  }
  evaluateReadConditions(ctx, version, 'x-amz-copy-source-');
  return { ref, access, version };
}

/** The source version as authorization sees it (owner and ACL, on buckets that take ACLs). */
export function copySourceObject(source: LoadedCopySource): { ownerAccountId: string; acl?: AccessControlList | undefined } | undefined {
  return aclsEnabled(source.access.bucket) ? { ownerAccountId: source.version.ownerAccountId, acl: source.version.acl } : undefined;
}

/** x-amz-copy-source-version-id is returned when the source bucket is (or was) versioned. */
export function copySourceVersionHeader(source: LoadedCopySource): Record<string, string> {
  return source.access.bucket.versioning !== 'Unversioned' || source.version.versionId !== 'null'
    ? { 'x-amz-copy-source-version-id': source.version.versionId }
    : {};
}
