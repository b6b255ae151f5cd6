// What S3 ACLs mean to authorization: which actions each ACL permission allows on a bucket or an object, which
// ACL (and which owner) an action is decided by, and which grants are public. Pure: no I/O.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
import type { AccessControlList, AclGrant, AclGroup, AclPermission, BucketRecord } from '../storage/types.js';

/**
 * Which ACL an action is decided by: the bucket's, the object's (the object owner is then the resource
 * owner), or a multipart upload's (its initiator may abort it and list its parts, as the bucket owner may).
 */
export type AclScope = 'bucket' | 'object' | 'upload';

type GrantedPermission = Exclude<AclPermission, 'FULL_CONTROL'>;

/** AWS's "Mapping of ACL permissions and access policy permissions" table. */
const actionsByScope: Record<AclScope, Record<GrantedPermission, readonly string[]>> = {
  bucket: {
    READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
    // s3:PutObjectTagging reaches the bucket's ACL only as part of a write that creates the object (its tags).
    WRITE: ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject'],
    READ_ACP: ['s3:GetBucketAcl'],
    WRITE_ACP: ['s3:PutBucketAcl'],
  },
  object: {
    READ: ['s3:GetObject', 's3:GetObjectVersion'],
    WRITE: [],
    READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
    WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
  },
  upload: {
    READ: [],
    WRITE: [],
    READ_ACP: [],
    WRITE_ACP: [],
  },
};

/** The initiator's implicit grant on its upload (AbortMultipartUpload, ListParts: "the bucket owner and the initiator"). */
const uploadInitiatorActions: readonly string[] = ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** Object-level actions decided by the bucket (its ACL and owner), not by the object they name. */
const bucketScopedObjectActions = new Set(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']);
const uploadScopedActions = new Set(uploadInitiatorActions);

/** Whether a grant of `permission` in an ACL of `scope` allows `action` (case-insensitive, as actions match). */
export function aclPermissionAllows(permission: AclPermission, action: string, scope: AclScope): boolean {
  const wanted = action.toLowerCase();
  const names = permission === 'FULL_CONTROL'
    ? [...Object.values(actionsByScope[scope]).flat(), ...(scope === 'upload' ? uploadInitiatorActions : [])]
    : actionsByScope[scope][permission];
  return names.some((name) => name.toLowerCase() === wanted);
}

/**
 * The ACL an S3 action is decided by. Actions on a bucket, writes and deletes of keys are the bucket's;
 * AbortMultipartUpload and ListParts are the upload's; every other action on an existing key (reading it,
 * its ACL, its tags, …) is the object's. A write that creates the object (PutObject with tags) is the bucket's.
 */
export function aclScopeOf(action: string, onKey: boolean, createsObject: boolean): AclScope {
  if (!onKey || createsObject) return 'bucket';
  const lower = action.toLowerCase();
  for (const name of uploadScopedActions) if (name.toLowerCase() === lower) return 'upload';
  for (const name of bucketScopedObjectActions) if (name.toLowerCase() === lower) return 'bucket';
  return 'object';
}

/** ACLs take part in authorization unless the bucket enforces bucket ownership (ACLs disabled). */
export function aclsEnabled(bucket: Pick<BucketRecord, 'ownership'>): boolean {
  return bucket.ownership !== 'BucketOwnerEnforced';
}

/** With BucketOwnerEnforced the bucket owner owns every object, whoever wrote it. */
export function effectiveObjectOwner(bucket: Pick<BucketRecord, 'ownership' | 'accountId'>, ownerAccountId: string): string {
  return aclsEnabled(bucket) ? ownerAccountId : bucket.accountId;
}

export const groupUris: Record<AclGroup, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

/** Grants to AllUsers or AuthenticatedUsers make an ACL public (S3 Block Public Access). */
export function isPublicGrant(grant: AclGrant): boolean {
  return grant.grantee.type === 'Group' && (grant.grantee.group === 'AllUsers' || grant.grantee.group === 'AuthenticatedUsers');
}

export function isPublicAcl(acl: AccessControlList | undefined): boolean {
  return acl !== undefined && acl.grants.some(isPublicGrant);
}

/** The ACL as stored, or the default one (private: the owner has FULL_CONTROL). */
export function aclOrDefault(acl: AccessControlList | undefined, ownerAccountId: string, ownerCanonicalId: string): AccessControlList {
  return acl ?? { grants: [{ grantee: { type: 'CanonicalUser', id: ownerCanonicalId, accountId: ownerAccountId }, permission: 'FULL_CONTROL' }] };
}

/** "READ for group AllUsers", "FULL_CONTROL for canonical user 79a5…" (explanations and deciding statements). */
export function describeGrant(grant: AclGrant): string {
  const who = grant.grantee.type === 'Group' ? `group ${grant.grantee.group}`
    : grant.grantee.accountId !== undefined ? `account ${grant.grantee.accountId}` : `canonical user ${grant.grantee.id}`;
  return `${grant.permission} for ${who}`;
}
