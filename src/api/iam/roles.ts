// IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { newUniqueId } from '../../core/ids.js';
import { wrap } from '../../protocol/xml.js';
import type { ParsedPolicy } from '../../iam/policy/parsed-policy.js';
import type { RoleRecord } from '../../storage/iam-store.js';
import type { RequestContext } from '../context.js';
import type { QueryAction } from '../query-api.js';
import { authorizeIam, requestTagContext } from './authorize-iam.js';
import { checkDocument, fromStore } from './iam-errors.js';
import { authorizedRole, callerAccount, iamArn } from './iam-entities.js';
import { byName, nameKey, optionalInteger, optionalString, paginate, requiredString, shapes, tagsParam } from './iam-params.js';
import { pageTail, roleXml, xmlList } from './iam-xml.js';
import { checkBoundary } from './users.js';

// roleMaxSessionDurationType in the IAM model: one to twelve hours.
const sessionDuration = { min: 3_600, max: limits.roleMaxSessionSecondsMax };
const iamPrincipalArn = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;

/**
 * Validates a trust policy as IAM does: the document (MalformedPolicyDocument; over the quota
 * LimitExceeded), then every IAM user or role it names must exist, because AWS resolves them to unique
 * ids when the policy is saved ("Invalid principal in policy").
 */
async function checkTrustPolicy(ctx: RequestContext, document: string): Promise<void> {
  const parsed = checkDocument(document, {
    kind: 'trust',
    maxBytes: limits.trustPolicyBytesMax,
    sizeMessage: `Cannot exceed quota for ACLSizePerRole: ${limits.trustPolicyBytesMax}`,
  });
  for (const arn of namedIamPrincipals(parsed)) {
    const [, account, kind, name] = iamPrincipalArn.exec(arn)!;
    const entity = kind === 'user' ? await ctx.services.iam.getUser(account!, name!) : await ctx.services.iam.getRole(account!, name!);
    if (entity?.arn !== arn) throw new S3Error('MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${arn}"`);
  }
}

function namedIamPrincipals(policy: ParsedPolicy): string[] {
  const out = new Set<string>();
  for (const statement of policy.statements) {
    for (const name of statement.principal?.aws ?? []) if (iamPrincipalArn.test(name)) out.add(name);
  }
  return [...out];
}

export const createRole: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const name = requiredString(params, 'RoleName', shapes.roleName);
  const path = optionalString(params, 'Path', shapes.path) ?? '/';
  const trustPolicy = requiredString(params, 'AssumeRolePolicyDocument', shapes.policyDocument);
  const description = optionalString(params, 'Description', shapes.roleDescription);
  const maxSessionSeconds = optionalInteger(params, 'MaxSessionDuration', sessionDuration) ?? limits.assumeRoleSecondsDefault;
  const boundaryArn = optionalString(params, 'PermissionsBoundary', shapes.arn);
  const tags = tagsParam(params);
  const arn = iamArn.role(account, path, name);
  await authorizeIam(ctx, 'CreateRole', {
    arn,
    context: { ...requestTagContext(tags), ...(boundaryArn !== undefined ? { 'iam:PermissionsBoundary': boundaryArn } : {}) },
  });
  await checkTrustPolicy(ctx, trustPolicy);
  await checkBoundary(ctx, boundaryArn);
  const role: RoleRecord = {
    accountId: account, name, path, roleId: newUniqueId('AROA'), arn, createdMs: ctx.services.clock.nowMs(), trustPolicy,
    maxSessionDurationSeconds: maxSessionSeconds, description, permissionsBoundaryArn: boundaryArn, tags,
  };
  await fromStore(ctx.services.iam.createRole(role));
  ctx.services.identityPolicies.invalidate();
  return wrap('Role', roleXml(role, 'created'));
};

export const getRole: QueryAction = async (ctx, params) => {
  const role = await authorizedRole(ctx, 'GetRole', requiredString(params, 'RoleName', shapes.roleName));
  return wrap('Role', roleXml(role, 'full'));
};

export const listRoles: QueryAction = async (ctx, params) => {
  const account = callerAccount(ctx);
  const pathPrefix = optionalString(params, 'PathPrefix', shapes.pathPrefix) ?? '/';
  await authorizeIam(ctx, 'ListRoles', { arn: iamArn.role(account, pathPrefix, '') });
  const page = paginate(params, byName(await ctx.services.iam.listRoles(account, pathPrefix)), nameKey);
  return xmlList('Roles', page.items.map((r) => roleXml(r, 'listing'))) + pageTail(page.isTruncated, page.marker);
};

/** UpdateRoleResult is an empty element. */
export const updateRole: QueryAction = async (ctx, params) => {
  const name = requiredString(params, 'RoleName', shapes.roleName);
  const description = optionalString(params, 'Description', shapes.roleDescription);
  const maxSessionSeconds = optionalInteger(params, 'MaxSessionDuration', sessionDuration);
  const role = await authorizedRole(ctx, 'UpdateRole', name);
  await fromStore(ctx.services.iam.updateRole(role.accountId, role.name, { description, maxSessionDurationSeconds: maxSessionSeconds }));
  ctx.services.identityPolicies.invalidate();
  return '';
};

export const updateAssumeRolePolicy: QueryAction = async (ctx, params) => {
  const name = requiredString(params, 'RoleName', shapes.roleName);
  const document = requiredString(params, 'PolicyDocument', shapes.policyDocument);
  const role = await authorizedRole(ctx, 'UpdateAssumeRolePolicy', name);
  await checkTrustPolicy(ctx, document);
  await fromStore(ctx.services.iam.updateRole(role.accountId, role.name, { trustPolicy: document }));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};

/** Sessions already issued for the role lose every permission: its policies are gone with it. */
export const deleteRole: QueryAction = async (ctx, params) => {
  const role = await authorizedRole(ctx, 'DeleteRole', requiredString(params, 'RoleName', shapes.roleName));
  await fromStore(ctx.services.iam.deleteRole(role.accountId, role.name));
  ctx.services.identityPolicies.invalidate();
  return undefined;
};
