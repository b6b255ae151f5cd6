// S3 authorization stage: the request's action on the bucket or key goes through the one decision function,
// with the access point and bucket as two layers when the request came through an access point.
// Rules: reference/aws-semantics.md §1.6, §2; denials say why, as AWS does for same-account callers.
import { S3Error } from '../../core/errors.js';
import { aclsEnabled } from '../../iam/acl-permissions.js';
import { authorize, accessDeniedMessage, type Decision } from '../../iam/authorize.js';
import { s3AuthorizeInput, s3ResourceArn, type S3Target } from '../../iam/s3-authorization.js';
import { requestConditionContext, type ConditionContext } from '../condition-context.js';
import { header, type RequestContext } from '../context.js';
import type { MetaStore } from '../../storage/meta-store.js';
import type { BucketAccess } from './bucket-access.js';

export interface S3AuthorizationRequest {
  action: string;
  /** Object key for object actions; absent for bucket actions. */
  key?: string;
  versionId?: string;
  /** Extra condition keys for this check (e.g. s3:ExistingObjectTag/<k>). */
  context?: ConditionContext;
  /** The existing version the action acts on: its owner and ACL decide object actions on buckets that take ACLs. */
  object?: S3Target['object'];
  /** The multipart upload AbortMultipartUpload / ListParts act on (its initiator may act on it). */
  upload?: S3Target['upload'];
  /** The request creates the object (its tags are part of the write the bucket's ACL allows). */
  createsObject?: boolean;
}

/** Throws AccessDenied unless the caller may perform the action on the bucket or key. */
export async function authorizeS3(ctx: RequestContext, access: BucketAccess, request: S3AuthorizationRequest): Promise<void> {
  const decision = await decideS3(ctx, access, request);
  if (decision.effect === 'Allow') return;
  throw accessDenied(ctx, access, request, decision);
}

/** The AccessDenied error for a denied decision. */
export function accessDenied(ctx: RequestContext, access: BucketAccess, request: S3AuthorizationRequest, decision: Decision): S3Error {
  const resource = s3ResourceArn({ bucket: access.bucket, accessPoint: access.accessPoint, key: request.key }, true);
  // Like AWS, say why only to callers in the resource's account; cross-account callers get a pointer
  // to the explanation the platform operator can produce (it reveals nothing they did not send).
  const message = decision.crossAccount || ctx.principal.kind === 'Anonymous'
    ? `Access Denied. The platform can explain this decision: s3push explain --principal ${ctx.principal.arn} --action ${request.action} --resource ${resource}`
    : accessDeniedMessage(ctx.principal.arn, request.action, resource, decision);
  return new S3Error('AccessDenied', message);
}

/** Bucket policy actions the owner account's root user may always perform, so a policy cannot lock it out. */
const rootLockoutGuard = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/** The decision itself, for callers that branch on it (e.g. 404 vs 403 for a missing key). */
export async function decideS3(ctx: RequestContext, access: BucketAccess, request: S3AuthorizationRequest): Promise<Decision> {
  const { principal, services } = ctx;
  // AWS: "the root principal of the bucket owner account can perform GetBucketPolicy, PutBucketPolicy and
  // DeleteBucketPolicy even if the bucket policy explicitly denies the root principal" — unless the policy was
  // put with x-amz-confirm-remove-self-bucket-access: true ("remove your permissions to change this bucket policy").
  if (principal.kind === 'Root' && principal.accountId === access.bucket.accountId && rootLockoutGuard.has(request.action) && !access.accessPoint && !access.bucket.policyRemovesOwnerAccess) {
    return { effect: 'Allow', reason: '', statements: [] };
  }
  const callerPolicies = await services.identityPolicies.forPrincipal(principal);
  const target: S3Target = {
    bucket: access.bucket, accessPoint: access.accessPoint, key: request.key,
    object: request.object, upload: request.upload, createsObject: request.createsObject,
  };
  return authorize(s3AuthorizeInput(principal, callerPolicies, request.action, target, { ...s3ConditionContext(ctx, request), ...request.context }, services.policyCache));
}

export interface ObjectFacts {
  /** s3:ExistingObjectTag/<key> condition keys, when a resource policy in play mentions them. */
  context?: ConditionContext;
  /** Owner and ACL of the version, on buckets that take ACLs (when it exists). */
  object?: S3Target['object'];
}

/**
 * What authorization needs to know about the version a request names (the latest, or ?versionId): its tags
 * when a resource policy mentions s3:ExistingObjectTag, its owner and ACL when the bucket takes ACLs and
 * `aclFacts` is set. Read only when needed (it costs a query).
 */
export async function objectFacts(
  meta: MetaStore, access: Pick<BucketAccess, 'bucket' | 'accessPoint'>, key: string, versionId: string | undefined, aclFacts = true,
): Promise<ObjectFacts> {
  const mentions = (text: string | undefined) => text !== undefined && text.includes('ExistingObjectTag');
  const wantTags = mentions(access.bucket.policy) || mentions(access.accessPoint?.policy);
  const wantAcl = aclFacts && aclsEnabled(access.bucket);
  if (!wantTags && !wantAcl) return {};
  const version = await meta.getObjectVersion(access.bucket.name, key, versionId);
  if (!version || version.isDeleteMarker) return {};
  return {
    ...(wantTags ? { context: Object.fromEntries(version.tags.map((tag) => [`s3:ExistingObjectTag/${tag.key}`, tag.value])) } : {}),
    ...(wantAcl ? { object: { ownerAccountId: version.ownerAccountId, acl: version.acl } } : {}),
  };
}

/** The upload AbortMultipartUpload and ListParts name (?uploadId), on buckets that take ACLs: its initiator may act on it. */
export async function uploadFacts(ctx: RequestContext, access: BucketAccess, key: string): Promise<S3Target['upload']> {
  const uploadId = ctx.query.get('uploadId');
  if (!aclsEnabled(access.bucket) || !uploadId) return undefined;
  const upload = await ctx.services.meta.getUpload(access.bucket.name, key, uploadId);
  return upload && { initiatorAccountId: upload.initiator.accountId };
}

const headerKeys = [
  ['x-amz-acl', 's3:x-amz-acl'], ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
  ['x-amz-copy-source', 's3:x-amz-copy-source'], ['x-amz-metadata-directive', 's3:x-amz-metadata-directive'],
  ['x-amz-storage-class', 's3:x-amz-storage-class'], ['x-amz-website-redirect-location', 's3:x-amz-website-redirect-location'],
] as const;

/** The S3 condition keys of this request (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). */
function s3ConditionContext(ctx: RequestContext, request: S3AuthorizationRequest): ConditionContext {
  const context = requestConditionContext(ctx);
  for (const [name, key] of headerKeys) {
    const value = header(ctx, name);
    if (value !== undefined) context[key] = name === 'x-amz-copy-source' ? safeDecode(value).replace(/^\//, '') : value;
  }
  for (const [param, key] of [['prefix', 's3:prefix'], ['delimiter', 's3:delimiter'], ['max-keys', 's3:max-keys']] as const) {
    const value = ctx.query.get(param);
    if (value !== null) context[key] = value;
  }
  if (request.versionId !== undefined) context['s3:versionid'] = request.versionId;
  const tagging = header(ctx, 'x-amz-tagging');
  if (tagging) {
    const keys: string[] = [];
    for (const [k, v] of new URLSearchParams(tagging)) {
      context[`s3:RequestObjectTag/${k}`] = v;
      keys.push(k);
    }
    context['s3:RequestObjectTagKeys'] = keys;
  }
  return context;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

