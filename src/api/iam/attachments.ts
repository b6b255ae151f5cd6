// Managed-policy attachments: Attach/Detach/ListAttached Role, User and Group policies, ListEntitiesForPolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
import { el } from '../../protocol/xml.js';
import type { QueryParams } from '../../protocol/query-protocol.js';
import type { GroupRecord, PolicyOwner, RoleRecord, UserRecord } from '../../storage/iam-store.js';
import type { ConditionContext } from '../condition-context.js';
import type { RequestContext } from '../context.js';
import type { QueryAction } from '../query-api.js';
import { fromStore } from './iam-errors.js';
import { attachablePolicy, authorizedGroup, authorizedPolicy, authorizedRole, authorizedUser, ownerOf } from './iam-entities.js';
import { byName, nameKey, optionalEnum, optionalString, paginate, requiredString, shapes } from './iam-params.js';
import { attachedPolicyXml, pageTail, xmlList } from './iam-xml.js';

type Kind = PolicyOwner['kind'];
const noun = { user: 'User', role: 'Role', group: 'Group' } as const;

async function authorizedOwner(ctx: RequestContext, params: QueryParams, kind: Kind, action: string, context: ConditionContext = {}): Promise<PolicyOwner> {
  // AttachUserPolicy & co. take userNameType (64), not existingUserNameType.
  if (kind === 'user') return ownerOf('user', await authorizedUser(ctx, action, requiredString(params, 'UserName', shapes.userName), context));
  if (kind === 'group') return ownerOf('group', await authorizedGroup(ctx, action, requiredString(params, 'GroupName', shapes.groupName), context));
  return ownerOf('role', await authorizedRole(ctx, action, requiredString(params, 'RoleName', shapes.roleName), context));
}

/** iam:PolicyARN lets a policy restrict which policies a principal may attach or detach. */
function attach(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const policyArn = requiredString(params, 'PolicyArn', shapes.arn);
    const owner = await authorizedOwner(ctx, params, kind, `Attach${noun[kind]}Policy`, { 'iam:PolicyARN': policyArn });
    const policy = await attachablePolicy(ctx, policyArn);
    await fromStore(ctx.services.iam.attachPolicy(owner, policy.arn));
    ctx.services.identityPolicies.invalidate();
    return undefined;
  };
}

function detach(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const policyArn = requiredString(params, 'PolicyArn', shapes.arn);
    const owner = await authorizedOwner(ctx, params, kind, `Detach${noun[kind]}Policy`, { 'iam:PolicyARN': policyArn });
    await fromStore(ctx.services.iam.detachPolicy(owner, policyArn));
    ctx.services.identityPolicies.invalidate();
    return undefined;
  };
}

function listAttached(kind: Kind): QueryAction {
  return async (ctx, params) => {
    const pathPrefix = optionalString(params, 'PathPrefix', shapes.policyPath) ?? '/';
    const owner = await authorizedOwner(ctx, params, kind, `ListAttached${noun[kind]}Policies`);
    const policies = (await ctx.services.iam.listAttachedPolicies(owner)).filter((p) => p.path.startsWith(pathPrefix));
    const page = paginate(params, byName(policies), nameKey);
    return xmlList('AttachedPolicies', page.items.map(attachedPolicyXml)) + pageTail(page.isTruncated, page.marker);
  };
}

type Entity = { kind: 'user'; record: UserRecord } | { kind: 'role'; record: RoleRecord } | { kind: 'group'; record: GroupRecord };

/**
 * Users and roles that have the policy attached (PolicyUsageFilter PermissionsPolicy), that use it as
 * their permissions boundary (PermissionsBoundary), or either (no filter); groups have no boundary.
 */
export const listEntitiesForPolicy: QueryAction = async (ctx, params) => {
  const arn = requiredString(params, 'PolicyArn', shapes.arn);
  const filter = optionalEnum(params, 'EntityFilter', ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const);
  const pathPrefix = optionalString(params, 'PathPrefix', shapes.path) ?? '/';
  const usage = optionalEnum(params, 'PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary'] as const);
  const policy = await authorizedPolicy(ctx, 'ListEntitiesForPolicy', arn);
  const iam = ctx.services.iam;
  const found = new Map<string, Entity>();
  const add = (entity: Entity): void => { found.set(`${entity.kind}\0${nameKey(entity.record)}`, entity); };
  if (usage !== 'PermissionsBoundary') {
    for (const owner of await iam.listPolicyAttachments(policy.arn)) {
      const entity = await attachedEntity(ctx, owner);
      if (entity) add(entity);
    }
  }
  if (usage !== 'PermissionsPolicy') {
    for (const record of await iam.listUsers(policy.accountId, '/')) if (record.permissionsBoundaryArn === policy.arn) add({ kind: 'user', record });
    for (const record of await iam.listRoles(policy.accountId, '/')) if (record.permissionsBoundaryArn === policy.arn) add({ kind: 'role', record });
  }
  const wanted = (e: Entity): boolean =>
    e.record.path.startsWith(pathPrefix) &&
    (filter === undefined || filter === 'LocalManagedPolicy' || (filter === 'User' && e.kind === 'user') || (filter === 'Role' && e.kind === 'role') ||
      (filter === 'Group' && e.kind === 'group'));
  const entities = [...found.entries()].filter(([, e]) => wanted(e)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = paginate(params, entities, ([key]) => key);
  const users = page.items.flatMap(([, e]) => (e.kind === 'user' ? [el('UserName', e.record.name) + el('UserId', e.record.userId)] : []));
  const roles = page.items.flatMap(([, e]) => (e.kind === 'role' ? [el('RoleName', e.record.name) + el('RoleId', e.record.roleId)] : []));
  const groups = page.items.flatMap(([, e]) => (e.kind === 'group' ? [el('GroupName', e.record.name) + el('GroupId', e.record.groupId)] : []));
  return xmlList('PolicyGroups', groups) + xmlList('PolicyUsers', users) + xmlList('PolicyRoles', roles) + pageTail(page.isTruncated, page.marker);
};

async function attachedEntity(ctx: RequestContext, owner: PolicyOwner): Promise<Entity | undefined> {
  const iam = ctx.services.iam;
  if (owner.kind === 'user') {
    const record = await iam.getUser(owner.accountId, owner.name);
    return record && { kind: 'user', record };
  }
  if (owner.kind === 'group') {
    const record = await iam.getGroup(owner.accountId, owner.name);
    return record && { kind: 'group', record };
  }
  const record = await iam.getRole(owner.accountId, owner.name);
  return record && { kind: 'role', record };
}

export const attachmentActions: Record<string, QueryAction> = {
  AttachRolePolicy: attach('role'),
  DetachRolePolicy: detach('role'),
  ListAttachedRolePolicies: listAttached('role'),
  AttachUserPolicy: attach('user'),
  DetachUserPolicy: detach('user'),
  ListAttachedUserPolicies: listAttached('user'),
  AttachGroupPolicy: attach('group'),
  DetachGroupPolicy: detach('group'),
  ListAttachedGroupPolicies: listAttached('group'),
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
