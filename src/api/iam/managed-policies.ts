// Customer-managed policies and their versions: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, *PolicyVersion.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
// s3push has no AWS-managed policies: ListPolicies with Scope=AWS answers an empty list, and
// `arn:aws:iam::aws:policy/…` ARNs answer NoSuchEntity (docs/compatibility.md).
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { newUniqueId } from '../../core/ids.js';
import { wrap } from '../../protocol/xml.js';
import type { QueryParams } from '../../protocol/query-protocol.js';
import type { ManagedPolicyRecord } from '../../storage/iam-store.js';
import type { QueryAction } from '../query-api.js';
import { authorizeIam, requestTagContext } from './authorize-iam.js';
import { checkDocument, fromStore } from './iam-errors.js';
import { authorizedPolicy, boundaryUsage, callerAccount, iamArn } from './iam-entities.js';
import {
  byName, nameKey, optionalBoolean, optionalEnum, optionalString, paginate, requiredString, shapes, tagsParam,
} from './iam-params.js';
import { pageTail, policyVersionXml, policyXml, xmlList } from './iam-xml.js';

const managedDocument = { kind: 'identity', maxBytes: limits.managedPolicyBytesMax } as const;

export const createPolicy: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const name = requiredString(params, 'PolicyName', shapes.policyName);
  const path = optionalString(params, 'Path', shapes.policyPath) ?? '/';
  const document = requiredString(params, 'PolicyDocument', shapes.policyDocument);
  const description = optionalString(params, 'Description', shapes.policyDescription);
  const tags = tagsParam(params);
  const arn = iamArn.policy(account, path, name);
  await authorizeIam(ctx, 'CreatePolicy', { arn, context: requestTagContext(tags) });
  checkDocument(document, managedDocument);
  const nowMs = ctx.services.clock.nowMs();
  const policy: ManagedPolicyRecord = {
    accountId: account, name, path, policyId: newUniqueId('ANPA'), arn, description, createdMs: nowMs, updatedMs: nowMs,
    defaultVersionId: 'v1', attachmentCount: 0, tags,
  };
  await fromStore(ctx.services.iam.createManagedPolicy(policy, { policyArn: arn, versionId: 'v1', document, isDefault: true, createdMs: nowMs }));
  ctx.services.identityPolicies.invalidate();
  return wrap('Policy', policyXml(policy, 0));
};

export const getPolicy: QueryAction = async (ctx, params) => {
  const policy = await authorizedPolicy(ctx, 'GetPolicy', requiredString(params, 'PolicyArn', shapes.arn));
  const usage = await boundaryUsage(ctx, policy.accountId);
  return wrap('Policy', policyXml(policy, usage.get(policy.arn) ?? 0));
};

/**
 * Scope All (default) and Local list the account's policies; AWS lists none. OnlyAttached keeps
 * policies attached to a user or role; PolicyUsageFilter keeps those attached (PermissionsPolicy) or
 * used as a permissions boundary (PermissionsBoundary).
 */
export const listPolicies: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const scope = optionalEnum(params, 'Scope', ['All', 'AWS', 'Local'] as const) ?? 'All';
  const onlyAttached = optionalBoolean(params, 'OnlyAttached') ?? false;
  const pathPrefix = optionalString(params, 'PathPrefix', shapes.policyPath) ?? '/';
  const usageFilter = optionalEnum(params, 'PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary'] as const);
  await authorizeIam(ctx, 'ListPolicies', { arn: iamArn.policy(account, pathPrefix, ''), label: `policy path ${pathPrefix}` });
  const usage = await boundaryUsage(ctx, account);
  const policies = scope === 'AWS' ? [] : (await ctx.services.iam.listManagedPolicies(account, { pathPrefix, onlyAttached }))
    .filter((p) => usageFilter === undefined || (usageFilter === 'PermissionsPolicy' ? p.attachmentCount > 0 : (usage.get(p.arn) ?? 0) > 0));
  const page = paginate(params, byName(policies), nameKey);
  return xmlList('Policies', page.items.map((p) => policyXml(p, usage.get(p.arn) ?? 0, true))) + pageTail(page.isTruncated, page.marker);
};

export const deletePolicy: QueryAction = async (ctx, params) => {
  const policy = await authorizedPolicy(ctx, 'DeletePolicy', requiredString(params, 'PolicyArn', shapes.arn));
  await fromStore(ctx.services.iam.deleteManagedPolicy(policy.arn));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};

export const createPolicyVersion: QueryAction = async (ctx, params) => {
  const arn = requiredString(params, 'PolicyArn', shapes.arn);
  const document = requiredString(params, 'PolicyDocument', shapes.policyDocument);
  const setAsDefault = optionalBoolean(params, 'SetAsDefault') ?? false;
  const policy = await authorizedPolicy(ctx, 'CreatePolicyVersion', arn);
  checkDocument(document, managedDocument);
  const version = await fromStore(ctx.services.iam.createPolicyVersion({
    policyArn: policy.arn, document, isDefault: setAsDefault, createdMs: ctx.services.clock.nowMs(),
  }));
  ctx.services.identityPolicies.invalidate();
  return wrap('PolicyVersion', policyVersionXml(version, false));
};

function versionIdParam(params: QueryParams): string {
  return requiredString(params, 'VersionId', shapes.policyVersionId);
}

export const getPolicyVersion: QueryAction = async (ctx, params) => {
  const arn = requiredString(params, 'PolicyArn', shapes.arn);
  const versionId = versionIdParam(params);
  const policy = await authorizedPolicy(ctx, 'GetPolicyVersion', arn);
  const version = await ctx.services.iam.getPolicyVersion(policy.arn, versionId);
  if (!version) throw new S3Error('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return wrap('PolicyVersion', policyVersionXml(version, true));
};

/** Newest first, as AWS lists them. */
export const listPolicyVersions: QueryAction = async (ctx, params) => {
  const policy = await authorizedPolicy(ctx, 'ListPolicyVersions', requiredString(params, 'PolicyArn', shapes.arn));
  const versions = await fromStore(ctx.services.iam.listPolicyVersions(policy.arn));
  // Keys must grow along the list: invert the version number so v9 comes after v10.
  const page = paginate(params, versions, (v) => String(Number.MAX_SAFE_INTEGER - Number(v.versionId.slice(1))).padStart(16, '0'));
  return xmlList('Versions', page.items.map((v) => policyVersionXml(v, false))) + pageTail(page.isTruncated, page.marker);
};

export const deletePolicyVersion: QueryAction = async (ctx, params) => {
  const arn = requiredString(params, 'PolicyArn', shapes.arn);
  const versionId = versionIdParam(params);
  const policy = await authorizedPolicy(ctx, 'DeletePolicyVersion', arn);
  await fromStore(ctx.services.iam.deletePolicyVersion(policy.arn, versionId));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};

export const setDefaultPolicyVersion: QueryAction = async (ctx, params) => {
  const arn = requiredString(params, 'PolicyArn', shapes.arn);
  const versionId = versionIdParam(params);
  const policy = await authorizedPolicy(ctx, 'SetDefaultPolicyVersion', arn);
  await fromStore(ctx.services.iam.setDefaultPolicyVersion(policy.arn, versionId));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};
