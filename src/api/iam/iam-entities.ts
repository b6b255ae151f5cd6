// Users, groups, roles and managed policies as IAM calls address them: ARNs, lookups in the caller's account, authorized access.
import { S3Error } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import type { GroupRecord, ManagedPolicyRecord, PolicyOwner, RoleRecord, UserRecord } from '../../storage/iam-store.js';
import type { ConditionContext } from '../condition-context.js';
import type { RequestContext } from '../context.js';
import { authorizeIam, resourceTagContext } from './authorize-iam.js';

/** IAM calls act on the caller's own account; anonymous callers never get this far (query-api.ts). */
export function callerAccount(ctx: RequestContext): string {
  return ctx.principal.accountId!;
}

export const iamArn = {
  user: (account: string, path: string, name: string): string => `arn:aws:iam::${account}:user${path}${name}`,
  role: (account: string, path: string, name: string): string => `arn:aws:iam::${account}:role${path}${name}`,
  group: (account: string, path: string, name: string): string => `arn:aws:iam::${account}:group${path}${name}`,
  policy: (account: string, path: string, name: string): string => `arn:aws:iam::${account}:policy${path}${name}`,
};

export const noSuchUser = (name: string): S3Error => new S3Error('NoSuchEntity', `The user with name ${name} cannot be found.`);
export const noSuchRole = (name: string): S3Error => new S3Error('NoSuchEntity', `The role with name ${name} cannot be found.`);
export const noSuchGroup = (name: string): S3Error => new S3Error('NoSuchEntity', `The group with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string): S3Error => new S3Error('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);

/**
 * Loads the named user, authorizes `iam:<action>` on it (its real ARN, or `user/NAME` when missing, so
 * a caller without permission learns nothing about existence), then requires it to exist.
 */
export async function authorizedUser(ctx: RequestContext, action: string, name: string, context: ConditionContext = {}): Promise<UserRecord> {
  const account = callerAccount(ctx);
  const user = await ctx.services.iam.getUser(account, name);
  await authorizeIam(ctx, action, {
    arn: user?.arn ?? iamArn.user(account, '/', name),
    label: `user ${name}`,
    context: { ...resourceTagContext(user?.tags ?? []), ...context },
  });
  if (!user) throw noSuchUser(name);
  return user;
}

/** As authorizedUser, for roles. */
export async function authorizedRole(ctx: RequestContext, action: string, name: string, context: ConditionContext = {}): Promise<RoleRecord> {
  const account = callerAccount(ctx);
  const role = await ctx.services.iam.getRole(account, name);
  await authorizeIam(ctx, action, {
    arn: role?.arn ?? iamArn.role(account, '/', name),
    label: `role ${name}`,
    context: { ...resourceTagContext(role?.tags ?? []), ...context },
  });
  if (!role) throw noSuchRole(name);
  return role;
}

/** As authorizedUser, for groups (which carry no tags). */
export async function authorizedGroup(ctx: RequestContext, action: string, name: string, context: ConditionContext = {}): Promise<GroupRecord> {
  const account = callerAccount(ctx);
  const group = await ctx.services.iam.getGroup(account, name);
  await authorizeIam(ctx, action, { arn: group?.arn ?? iamArn.group(account, '/', name), label: `group ${name}`, context });
  if (!group) throw noSuchGroup(name);
  return group;
}

/** The owner key of a user's, group's or role's policies (the stored name, whatever case the caller used). */
export function ownerOf(kind: PolicyOwner['kind'], entity: UserRecord | RoleRecord | GroupRecord): PolicyOwner {
  return { kind, accountId: entity.accountId, name: entity.name };
}

/** InvalidInput unless the text is an IAM policy ARN (`arn:aws:iam::ACCOUNT|aws:policy/…`). */
export function checkPolicyArn(arn: string): void {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/') || !/^(\d{12}|aws)$/.test(parsed.account)) {
    throw new S3Error('InvalidInput', `ARN ${arn} is not valid.`);
  }
}

/** Authorizes `iam:<action>` on a managed policy, then loads it (NoSuchEntity when missing). */
export async function authorizedPolicy(ctx: RequestContext, action: string, arn: string): Promise<ManagedPolicyRecord> {
  checkPolicyArn(arn);
  await authorizeIam(ctx, action, { arn });
  const policy = await ctx.services.iam.getManagedPolicy(arn);
  if (!policy) throw noSuchPolicy(arn);
  return policy;
}

/**
 * A policy the caller may attach or use as a permissions boundary: a managed policy of its own account.
 * s3push has no AWS-managed policies, and another account's customer-managed policies are never
 * attachable, so both answer NoSuchEntity as AWS does for a missing one.
 */
export async function attachablePolicy(ctx: RequestContext, arn: string, messagePrefix = 'Policy'): Promise<ManagedPolicyRecord> {
  checkPolicyArn(arn);
  const policy = await ctx.services.iam.getManagedPolicy(arn);
  if (!policy || policy.accountId !== callerAccount(ctx)) throw new S3Error('NoSuchEntity', `${messagePrefix} ${arn} does not exist or is not attachable.`);
  return policy;
}

/** How many users and roles of the account use each managed policy as their permissions boundary. */
export async function boundaryUsage(ctx: RequestContext, account: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const entities = [...(await ctx.services.iam.listUsers(account, '/')), ...(await ctx.services.iam.listRoles(account, '/'))];
  for (const entity of entities) {
    const arn = entity.permissionsBoundaryArn;
    if (arn !== undefined) counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  return counts;
}
