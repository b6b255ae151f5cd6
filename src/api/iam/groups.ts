// IAM groups: CreateGroup, GetGroup, ListGroups, DeleteGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.
// A user carries the policies of its groups (iam/identity-policies.ts); group policies: inline-policies.ts, attachments.ts.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html
import { newUniqueId } from '../../core/ids.js';
import { wrap } from '../../protocol/xml.js';
import type { GroupRecord } from '../../storage/iam-store.js';
import type { QueryAction } from '../query-api.js';
import { authorizeIam } from './authorize-iam.js';
import { fromStore } from './iam-errors.js';
import { authorizedGroup, authorizedUser, callerAccount, iamArn } from './iam-entities.js';
import { byName, nameKey, optionalString, paginate, requiredString, shapes } from './iam-params.js';
import { groupXml, pageTail, userXml, xmlList } from './iam-xml.js';

export const createGroup: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const name = requiredString(params, 'GroupName', shapes.groupName);
  const path = optionalString(params, 'Path', shapes.path) ?? '/';
  const arn = iamArn.group(account, path, name);
  await authorizeIam(ctx, 'CreateGroup', { arn });
  const group: GroupRecord = { accountId: account, name, path, groupId: newUniqueId('AGPA'), arn, createdMs: ctx.services.clock.nowMs() };
  await fromStore(ctx.services.iam.createGroup(group));
  ctx.services.identityPolicies.invalidate();
  return wrap('Group', groupXml(group));
};

/** The group and (a page of) its members. */
export const getGroup: QueryAction = async (ctx, params) => {
  const group = await authorizedGroup(ctx, 'GetGroup', requiredString(params, 'GroupName', shapes.groupName));
  const page = paginate(params, byName(await ctx.services.iam.listGroupMembers(group.accountId, group.name)), nameKey);
  return wrap('Group', groupXml(group)) + xmlList('Users', page.items.map((u) => userXml(u, true))) + pageTail(page.isTruncated, page.marker);
};

export const listGroups: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const pathPrefix = optionalString(params, 'PathPrefix', shapes.pathPrefix) ?? '/';
  await authorizeIam(ctx, 'ListGroups', { arn: iamArn.group(account, pathPrefix, '') });
  const page = paginate(params, byName(await ctx.services.iam.listGroups(account, pathPrefix)), nameKey);
  return xmlList('Groups', page.items.map(groupXml)) + pageTail(page.isTruncated, page.marker);
};

export const deleteGroup: QueryAction = async (ctx, params) => {
  const group = await authorizedGroup(ctx, 'DeleteGroup', requiredString(params, 'GroupName', shapes.groupName));
  await fromStore(ctx.services.iam.deleteGroup(group.accountId, group.name));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};

/** Membership changes are authorized on the group, as AWS does (iam:AddUserToGroup on arn:…:group/NAME). */
function membership(action: 'AddUserToGroup' | 'RemoveUserFromGroup'): QueryAction {
  return async (ctx, params) => {
    const group = await authorizedGroup(ctx, action, requiredString(params, 'GroupName', shapes.groupName));
    const userName = requiredString(params, 'UserName', shapes.existingUserName);
    const iam = ctx.services.iam;
    await fromStore(action === 'AddUserToGroup' ? iam.addUserToGroup(group.accountId, group.name, userName) : iam.removeUserFromGroup(group.accountId, group.name, userName));
    ctx.services.identityPolicies.invalidate();
    return undefined;
  };
}

export const listGroupsForUser: QueryAction = async (ctx, params) => {
  const user = await authorizedUser(ctx, 'ListGroupsForUser', requiredString(params, 'UserName', shapes.existingUserName));
  const page = paginate(params, byName(await ctx.services.iam.listGroupsForUser(user.accountId, user.name)), nameKey);
  return xmlList('Groups', page.items.map(groupXml)) + pageTail(page.isTruncated, page.marker);
};

export const groupActions: Record<string, QueryAction> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  DeleteGroup: deleteGroup,
  AddUserToGroup: membership('AddUserToGroup'),
  RemoveUserFromGroup: membership('RemoveUserFromGroup'),
  ListGroupsForUser: listGroupsForUser,
};
