// How an S3 request becomes an authorization input: the access point layer (when the request came
// through one) and the bucket layer, each with its resource ARN, policy and ACL grants (aws-semantics §1.6).
import type { AccessPointRecord } from '../storage/iam-store.js';
import type { AccessControlList, BucketRecord } from '../storage/types.js';
import { aclPermissionAllows, aclScopeOf, aclsEnabled, isPublicGrant, type AclScope } from './acl-permissions.js';
import type { AclGrantRef, AuthorizeInput, ParsedPolicyRef, ResourceLayer } from './authorize.js';
import type { CallerPolicies, PolicyCache } from './identity-policies.js';
import type { ParsedPolicy } from './policy/parsed-policy.js';
import { isPublicPolicy, type PublicPolicyKind } from './policy/public-policy.js';
import type { Principal } from './principal.js';

export interface S3Target {
  bucket: BucketRecord;
  accessPoint?: AccessPointRecord | undefined;
  /** Absent for bucket-level actions. */
  key?: string | undefined;
  /** The existing version an action on a key acts on (buckets that take ACLs): its owner and ACL. */
  object?: { ownerAccountId: string; acl?: AccessControlList | undefined } | undefined;
  /** The multipart upload AbortMultipartUpload and ListParts act on: its initiator's account may act on it too. */
  upload?: { initiatorAccountId: string } | undefined;
  /** The request creates the object (PutObject, PostObject, CopyObject, CreateMultipartUpload): tags it sets are part of the write. */
  createsObject?: boolean | undefined;
}

/** arn:aws:s3:::BUCKET[/KEY], or the access point's ARN [/object/KEY] for the access point layer. */
export function s3ResourceArn(target: S3Target, viaAccessPoint: boolean): string {
  const { accessPoint, key } = target;
  if (viaAccessPoint && accessPoint) return key === undefined ? accessPoint.arn : `${accessPoint.arn}/object/${key}`;
  return key === undefined ? `arn:aws:s3:::${target.bucket.name}` : `arn:aws:s3:::${target.bucket.name}/${key}`;
}

/**
 * The authorization input of one S3 action. On buckets that take ACLs (not BucketOwnerEnforced) the bucket
 * layer carries the ACL grants that give the action, and for actions decided by an object another account
 * owns (ObjectWriter) that account is the resource owner: the bucket owner reads it only if its ACL says so.
 */
export function s3AuthorizeInput(
  principal: Principal,
  callerPolicies: CallerPolicies,
  action: string,
  target: S3Target,
  context: AuthorizeInput['context'],
  policies: PolicyCache,
): AuthorizeInput {
  const layers: ResourceLayer[] = [];
  const ap = target.accessPoint;
  const restrict = restrictsPublicPolicies(principal, target);
  if (ap) {
    const apPolicy: ParsedPolicyRef | undefined = ap.policy
      ? { source: `access point policy of ${ap.name}`, kind: 'accessPoint', policy: withoutPublicGrants(policies.parse(ap.policy, 'resource'), restrict && ap.networkOrigin !== 'VPC', 'accessPoint') }
      : undefined;
    layers.push({ resourceArn: s3ResourceArn(target, true), ownerAccountId: ap.accountId, kind: 'accessPoint', ...(apPolicy ? { policy: apPolicy } : {}) });
  }
  const acl = aclContext(target, action);
  // A bucket policy grants nothing on objects another account owns (only their ACL does); its Denies still apply.
  const foreignObject = acl.ownerAccountId !== target.bucket.accountId;
  const bucketPolicy: ParsedPolicyRef | undefined = target.bucket.policy
    ? { source: `bucket policy of ${target.bucket.name}`, kind: 'bucket', policy: denyOnlyIf(withoutPublicGrants(policies.parse(target.bucket.policy, 'resource'), restrict, 'bucket'), foreignObject) }
    : undefined;
  layers.push({
    resourceArn: s3ResourceArn(target, false), ownerAccountId: acl.ownerAccountId, kind: 'bucket',
    ...(bucketPolicy ? { policy: bucketPolicy } : {}), ...(acl.grants ? { aclGrants: acl.grants } : {}),
  });
  const accessPointContext = ap
    ? { 's3:DataAccessPointArn': ap.arn, 's3:DataAccessPointAccount': ap.accountId, 's3:AccessPointNetworkOrigin': ap.networkOrigin }
    : {};
  return {
    principal,
    action,
    identityPolicies: callerPolicies.identity,
    ...(callerPolicies.session ? { sessionPolicies: callerPolicies.session } : {}),
    ...(callerPolicies.boundary ? { permissionsBoundary: callerPolicies.boundary } : {}),
    layers,
    context: { 's3:ResourceAccount': target.bucket.accountId, ...accessPointContext, ...context },
  };
}

/**
 * RestrictPublicBuckets (S3 Block Public Access), set on the bucket or on the access point the request came
 * through: a public policy then grants nothing to callers outside the bucket owner's and the access point
 * owner's accounts (anonymous callers included); its Deny statements still apply. s3push has no AWS
 * service principals, the other callers AWS exempts.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
 */
function restrictsPublicPolicies(principal: Principal, target: S3Target): boolean {
  const ap = target.accessPoint;
  if (!target.bucket.publicAccessBlock?.restrictPublicBuckets && !ap?.restrictPublicBuckets) return false;
  const inside = principal.accountId !== undefined && (principal.accountId === target.bucket.accountId || principal.accountId === ap?.accountId);
  return !inside;
}

function withoutPublicGrants(policy: ParsedPolicy, restrict: boolean, kind: PublicPolicyKind): ParsedPolicy {
  return denyOnlyIf(policy, restrict && isPublicPolicy(policy, kind));
}

function denyOnlyIf(policy: ParsedPolicy, denyOnly: boolean): ParsedPolicy {
  if (!denyOnly) return policy;
  return { ...policy, statements: policy.statements.filter((statement) => statement.effect === 'Deny') };
}

interface AclContext {
  /** The resource owner for this action: the bucket's, or the object's for actions decided by the object. */
  ownerAccountId: string;
  /** The grants that give the action; undefined when the bucket does not take ACLs. */
  grants: AclGrantRef[] | undefined;
}

/**
 * Which ACL decides the action (acl-permissions.ts) and its grants that give it. Buckets with BucketOwnerEnforced
 * take no ACLs. IgnorePublicAcls (S3 Block Public Access) makes grants to AllUsers and AuthenticatedUsers inert.
 * The default ACL (none stored) gives the owner FULL_CONTROL, which the owner has anyway.
 */
function aclContext(target: S3Target, action: string): AclContext {
  const { bucket } = target;
  if (!aclsEnabled(bucket)) return { ownerAccountId: bucket.accountId, grants: undefined };
  const scope: AclScope = aclScopeOf(action, target.key !== undefined, target.createsObject === true);
  let ownerAccountId = bucket.accountId;
  let source: string;
  let acl: AccessControlList | undefined;
  switch (scope) {
    case 'bucket':
      source = `bucket ACL of ${bucket.name}`;
      acl = bucket.acl;
      break;
    case 'object':
      ownerAccountId = target.object?.ownerAccountId ?? bucket.accountId;
      source = `object ACL of ${bucket.name}/${target.key}`;
      acl = target.object?.acl;
      break;
    case 'upload':
      source = 'multipart upload initiator';
      acl = target.upload ? { grants: [{ grantee: { type: 'CanonicalUser', id: '', accountId: target.upload.initiatorAccountId }, permission: 'FULL_CONTROL' }] } : undefined;
      break;
  }
  const ignorePublic = bucket.publicAccessBlock?.ignorePublicAcls === true;
  const grants: AclGrantRef[] = [];
  (acl?.grants ?? []).forEach((grant, index) => {
    if (ignorePublic && isPublicGrant(grant)) return;
    if (aclPermissionAllows(grant.permission, action, scope)) grants.push({ source, index, grant });
  });
  return { ownerAccountId, grants };
}
