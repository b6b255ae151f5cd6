// How an S3 request becomes an authorization input: the access point layer (when the request came
// through one) and the bucket layer, each with its resource ARN and policy (aws-semantics §1.6).
import type { AccessPointRecord } from '../storage/iam-store.js';
import type { BucketRecord } from '../storage/types.js';
import type { AuthorizeInput, ParsedPolicyRef, ResourceLayer } from './authorize.js';
import type { CallerPolicies, PolicyCache } from './identity-policies.js';
import type { ParsedPolicy } from './policy/parsed-policy.js';
import { isPublicPolicy, type PublicPolicyKind } from './policy/public-policy.js';
import type { Principal } from './principal.js';

export interface S3Target {
  bucket: BucketRecord;
  accessPoint?: AccessPointRecord | undefined;
  /** Absent for bucket-level actions. */
  key?: string | undefined;
}

/** arn:aws:s3:::BUCKET[/KEY], or the access point's ARN [/object/KEY] for the access point layer. */
export function s3ResourceArn(target: S3Target, viaAccessPoint: boolean): string {
  const { accessPoint, key } = target;
  if (viaAccessPoint && accessPoint) return key === undefined ? accessPoint.arn : `${accessPoint.arn}/object/${key}`;
  return key === undefined ? `arn:aws:s3:::${target.bucket.name}` : `arn:aws:s3:::${target.bucket.name}/${key}`;
}

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
  const bucketPolicy: ParsedPolicyRef | undefined = target.bucket.policy
    ? { source: `bucket policy of ${target.bucket.name}`, kind: 'bucket', policy: withoutPublicGrants(policies.parse(target.bucket.policy, 'resource'), restrict, 'bucket') }
    : undefined;
  layers.push({ resourceArn: s3ResourceArn(target, false), ownerAccountId: target.bucket.accountId, kind: 'bucket', ...(bucketPolicy ? { policy: bucketPolicy } : {}) });
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
  if (!restrict || !isPublicPolicy(policy, kind)) return policy;
  return { ...policy, statements: policy.statements.filter((statement) => statement.effect === 'Deny') };
}
