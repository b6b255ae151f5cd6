// IAM users: CreateUser, GetUser, ListUsers, DeleteUser.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
import { S3Error } from '../../core/errors.js';
import { newUniqueId } from '../../core/ids.js';
import { wrap } from '../../protocol/xml.js';
import type { QueryParams } from '../../protocol/query-protocol.js';
import type { UserRecord } from '../../storage/iam-store.js';
import type { RequestContext } from '../context.js';
import type { QueryAction } from '../query-api.js';
import { authorizeIam, requestTagContext } from './authorize-iam.js';
import { fromStore } from './iam-errors.js';
import { attachablePolicy, authorizedUser, callerAccount, iamArn } from './iam-entities.js';
import { byName, nameKey, optionalString, paginate, requiredString, shapes, tagsParam } from './iam-params.js';
import { pageTail, rootUserXml, userXml, xmlList } from './iam-xml.js';

/** The Scope wording AWS uses for a permissions boundary that cannot be used. */
export async function checkBoundary(ctx: RequestContext, arn: string | undefined): Promise<void> {
  if (arn !== undefined) await attachablePolicy(ctx, arn, 'Scope ARN:');
}

export const createUser: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const name = requiredString(params, 'UserName', shapes.userName);
  const path = optionalString(params, 'Path', shapes.path) ?? '/';
  const boundaryArn = optionalString(params, 'PermissionsBoundary', shapes.arn);
  const tags = tagsParam(params);
  const arn = iamArn.user(account, path, name);
  await authorizeIam(ctx, 'CreateUser', {
    arn,
    context: { ...requestTagContext(tags), ...(boundaryArn !== undefined ? { 'iam:PermissionsBoundary': boundaryArn } : {}) },
  });
  await checkBoundary(ctx, boundaryArn);
  const user: UserRecord = {
    accountId: account, name, path, userId: newUniqueId('AIDA'), arn, createdMs: ctx.services.clock.nowMs(),
    permissionsBoundaryArn: boundaryArn, tags,
  };
  await fromStore(ctx.services.iam.createUser(user));
  ctx.services.identityPolicies.invalidate();
  return wrap('User', userXml(user));
};

/** The user a call names, or (UserName omitted) the calling user; role sessions must name one. */
export function userNameOrCaller(ctx: RequestContext, params: QueryParams): string | undefined {
  const name = optionalString(params, 'UserName', shapes.existingUserName);
  if (name !== undefined) return name;
  const caller = ctx.principal;
  if (caller.kind === 'User') return caller.username!;
  if (caller.kind === 'Root') return undefined;
  throw new S3Error('ValidationError', 'Must specify userName when calling with non-User credentials');
}

export const getUser: QueryAction = async (ctx, params) => {
  const name = userNameOrCaller(ctx, params);
  if (name === undefined) {
    // The root user, as AWS answers it: its ARN, the account id as UserId, the account's creation time.
    const account = callerAccount(ctx);
    await authorizeIam(ctx, 'GetUser', { arn: ctx.principal.arn });
    const record = await ctx.services.meta.getAccount(account);
    return wrap('User', rootUserXml(account, record?.createdMs ?? 0));
  }
  return wrap('User', userXml(await authorizedUser(ctx, 'GetUser', name)));
};

export const listUsers: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const pathPrefix = optionalString(params, 'PathPrefix', shapes.pathPrefix) ?? '/';
  await authorizeIam(ctx, 'ListUsers', { arn: iamArn.user(account, pathPrefix, '') });
  const page = paginate(params, byName(await ctx.services.iam.listUsers(account, pathPrefix)), nameKey);
  return xmlList('Users', page.items.map((u) => userXml(u, true))) + pageTail(page.isTruncated, page.marker);
};

export const deleteUser: QueryAction = async (ctx, params) => {
  const user = await authorizedUser(ctx, 'DeleteUser', requiredString(params, 'UserName', shapes.existingUserName));
  await fromStore(ctx.services.iam.deleteUser(user.accountId, user.name));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};
