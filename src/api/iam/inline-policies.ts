// Inline policies of roles, users and groups: Put/Get/List/Delete RolePolicy, UserPolicy and GroupPolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { el, escapeXml } from '../../protocol/xml.js';
import type { QueryParams } from '../../protocol/query-protocol.js';
import type { PolicyOwner } from '../../storage/iam-store.js';
import type { RequestContext } from '../context.js';
import type { QueryAction } from '../query-api.js';
import { checkDocument, countedBytes, fromStore } from './iam-errors.js';
import { authorizedGroup, authorizedRole, authorizedUser, ownerOf } from './iam-entities.js';
import { paginate, requiredString, shapes } from './iam-params.js';
import { encodedDocument, pageTail, xmlList } from './iam-xml.js';

type Kind = PolicyOwner['kind'];

/** The request parameter and the response element that name the owner. */
const ownerName = { user: 'UserName', role: 'RoleName', group: 'GroupName' } as const;
const actionNoun = { user: 'User', role: 'Role', group: 'Group' } as const;

/** The owner named by UserName / RoleName, after authorizing `iam:<action>` on it. */
async function authorizedOwner(ctx: RequestContext, params: QueryParams, kind: Kind, action: string): Promise<PolicyOwner> {
  if (kind === 'user') return ownerOf('user', await authorizedUser(ctx, action, requiredString(params, ownerName.user, shapes.existingUserName)));
  if (kind === 'group') return ownerOf('group', await authorizedGroup(ctx, action, requiredString(params, ownerName.group, shapes.groupName)));
  return ownerOf('role', await authorizedRole(ctx, action, requiredString(params, ownerName.role, shapes.roleName)));
}

/**
 * IAM caps the sum of an entity's inline policies (whitespace not counted), not each document:
 * the new document plus every other inline policy of the owner must fit the quota (roles 10,240 bytes,
 * groups 5,120, users 2,048).
 */
async function checkAggregateSize(ctx: RequestContext, owner: PolicyOwner, policyName: string, document: string): Promise<void> {
  const others = (await ctx.services.iam.listInlinePolicies(owner)).filter((p) => p.policyName.toLowerCase() !== policyName.toLowerCase());
  const total = others.reduce((sum, p) => sum + countedBytes(p.document), countedBytes(document));
  const quota = { user: limits.userInlinePoliciesBytesMax, group: limits.groupInlinePoliciesBytesMax, role: limits.inlinePolicyBytesMax }[owner.kind];
  if (total > quota) {
    throw new S3Error('LimitExceeded', `Maximum policy size of ${quota} bytes exceeded for ${owner.kind} ${owner.name}`);
  }
}

function putPolicy(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const policyName = requiredString(params, 'PolicyName', shapes.policyName);
    const document = requiredString(params, 'PolicyDocument', shapes.policyDocument);
    const owner = await authorizedOwner(ctx, params, kind, `Put${actionNoun[kind]}Policy`);
    checkDocument(document, { kind: 'identity', maxBytes: Number.MAX_SAFE_INTEGER });
    await checkAggregateSize(ctx, owner, policyName, document);
    await fromStore(ctx.services.iam.putInlinePolicy({ owner, policyName, document }));
    ctx.services.identityPolicies.invalidate();
    return undefined;
  };
}

function getPolicy(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const policyName = requiredString(params, 'PolicyName', shapes.policyName);
    const owner = await authorizedOwner(ctx, params, kind, `Get${actionNoun[kind]}Policy`);
    const policy = await ctx.services.iam.getInlinePolicy(owner, policyName);
    if (!policy) throw new S3Error('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
    return el(ownerName[kind], owner.name) + el('PolicyName', policy.policyName) + el('PolicyDocument', encodedDocument(policy.document));
  };
}

function listPolicies(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const owner = await authorizedOwner(ctx, params, kind, `List${actionNoun[kind]}Policies`);
    const names = (await ctx.services.iam.listInlinePolicies(owner)).map((p) => p.policyName)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    const page = paginate(params, names, (n) => `${n.toLowerCase()}\0${n}`);
    return xmlList('PolicyNames', page.items.map(escapeXml)) + pageTail(page.isTruncated, page.marker);
  };
}

function deletePolicy(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const policyName = requiredString(params, 'PolicyName', shapes.policyName);
    const owner = await authorizedOwner(ctx, params, kind, `Delete${actionNoun[kind]}Policy`);
    await fromStore(ctx.services.iam.deleteInlinePolicy(owner, policyName));
    ctx.services.identityPolicies.invalidate();
    return undefined;
  };
}

export const inlinePolicyActions: Record<string, QueryAction> = {
  PutRolePolicy: putPolicy('role'),
  GetRolePolicy: getPolicy('role'),
  ListRolePolicies: listPolicies('role'),
  DeleteRolePolicy: deletePolicy('role'),
  PutUserPolicy: putPolicy('user'),
  GetUserPolicy: getPolicy('user'),
  ListUserPolicies: listPolicies('user'),
  DeleteUserPolicy: deletePolicy('user'),
  PutGroupPolicy: putPolicy('group'),
  GetGroupPolicy: getPolicy('group'),
  ListGroupPolicies: listPolicies('group'),
  DeleteGroupPolicy: deletePolicy('group'),
};
