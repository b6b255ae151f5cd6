// Long-term access keys of IAM users and of the root user: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
import { S3Error } from '../../core/errors.js';
import { newAccessKeyId, newSecretAccessKey } from '../../core/ids.js';
import { el, wrap } from '../../protocol/xml.js';
import type { QueryParams } from '../../protocol/query-protocol.js';
import type { AccessKeyRecord, PrincipalKind } from '../../storage/types.js';
import type { RequestContext } from '../context.js';
import type { QueryAction } from '../query-api.js';
import { authorizeIam } from './authorize-iam.js';
import { fromStore } from './iam-errors.js';
import { authorizedUser, callerAccount } from './iam-entities.js';
import { optionalEnum, paginate, requiredString, shapes, validationError } from './iam-params.js';
import { iamDate, pageTail, xmlList } from './iam-xml.js';
import { userNameOrCaller } from './users.js';

/** Whose keys a call manages: the named user, the calling user, or (root calling without UserName) the root user. */
interface KeyOwner {
  kind: Extract<PrincipalKind, 'Root' | 'User'>;
  principalArn: string;
  userId: string;
  /** Absent for the root user, which has no user name. */
  userName?: string;
}

async function keyOwner(ctx: RequestContext, params: QueryParams, action: string): Promise<KeyOwner> {
  const name = userNameOrCaller(ctx, params);
  if (name === undefined) {
    await authorizeIam(ctx, action, { arn: ctx.principal.arn });
    return { kind: 'Root', principalArn: ctx.principal.arn, userId: callerAccount(ctx) };
  }
  const user = await authorizedUser(ctx, action, name);
  return { kind: 'User', principalArn: user.arn, userId: user.userId, userName: user.name };
}

/** AWS allows root access keys (not recommended, but allowed), so the root user may create its own. */
export const createAccessKey: QueryAction = async (ctx, params) => {
  const owner = await keyOwner(ctx, params, 'CreateAccessKey');
  const key: AccessKeyRecord = {
    accessKeyId: newAccessKeyId('AKIA'),
    secretAccessKey: newSecretAccessKey(),
    accountId: callerAccount(ctx),
    principalKind: owner.kind,
    principalArn: owner.principalArn,
    userId: owner.userId,
    status: 'Active',
    createdMs: ctx.services.clock.nowMs(),
  };
  await fromStore(ctx.services.iam.createAccessKey(key));
  ctx.services.identityPolicies.invalidate();
  return wrap('AccessKey',
    el('UserName', owner.userName) + el('AccessKeyId', key.accessKeyId) + el('Status', key.status) +
    el('SecretAccessKey', key.secretAccessKey) + el('CreateDate', iamDate(key.createdMs)));
};

export const listAccessKeys: QueryAction = async (ctx, params) => {
  const owner = await keyOwner(ctx, params, 'ListAccessKeys');
  const keys = await ctx.services.iam.listAccessKeysOf(callerAccount(ctx), owner.principalArn);
  const page = paginate(params, keys, (k) => `${String(k.createdMs).padStart(16, '0')}\0${k.accessKeyId}`);
  return xmlList('AccessKeyMetadata', page.items.map((k) =>
    el('UserName', owner.userName) + el('AccessKeyId', k.accessKeyId) + el('Status', k.status) + el('CreateDate', iamDate(k.createdMs)),
  )) + pageTail(page.isTruncated, page.marker);
};

/** An Inactive key fails SigV4 (InvalidAccessKeyId / InvalidClientTokenId) at once in this process; other processes within the resolver's 5 s cache. */
export const updateAccessKey: QueryAction = async (ctx, params) => {
  const accessKeyId = requiredString(params, 'AccessKeyId', shapes.accessKeyId);
  const status = optionalEnum(params, 'Status', ['Active', 'Inactive', 'Expired'] as const);
  if (status === undefined) throw validationError("Value null at 'status' failed to satisfy constraint: Member must not be null");
  if (status === 'Expired') throw new S3Error('InvalidInput', 'Status Expired is not valid for an access key; use Active or Inactive.');
  const owner = await keyOwner(ctx, params, 'UpdateAccessKey');
  await fromStore(ctx.services.iam.updateAccessKeyStatus(callerAccount(ctx), owner.principalArn, accessKeyId, status));
  ctx.services.credentials.invalidate(accessKeyId);
  ctx.services.identityPolicies.invalidate();
  return undefined;
};

export const deleteAccessKey: QueryAction = async (ctx, params) => {
  const accessKeyId = requiredString(params, 'AccessKeyId', shapes.accessKeyId);
  const owner = await keyOwner(ctx, params, 'DeleteAccessKey');
  await fromStore(ctx.services.iam.deleteAccessKey(callerAccount(ctx), owner.principalArn, accessKeyId));
  ctx.services.credentials.invalidate(accessKeyId);
  ctx.services.identityPolicies.invalidate();
  return undefined;
};
