// STS: AssumeRole (trust policy, durations, chaining, session policies), GetCallerIdentity, GetSessionToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
import { S3Error } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { newAccessKeyId, newSecretAccessKey, newToken } from '../../core/ids.js';
import { parseArn } from '../../core/arn.js';
import { el, wrap } from '../../protocol/xml.js';
import { constrainedParam, memberStructs, type QueryParams } from '../../protocol/query-protocol.js';
import { authorize, accessDeniedMessage } from '../../iam/authorize.js';
import { parsePolicy } from '../../iam/policy/parse-policy.js';
import { PolicyError } from '../../iam/policy/policy-error.js';
import type { AccessKeyRecord } from '../../storage/types.js';
import type { RoleRecord } from '../../storage/iam-store.js';
import type { RequestContext } from '../context.js';
import type { QueryApi } from '../query-api.js';
import { requestConditionContext } from '../condition-context.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const sessionNamePattern = /^[\w+=,.@-]*$/;

async function getCallerIdentity(ctx: RequestContext): Promise<string> {
  const p = ctx.principal;
  return el('Arn', p.arn) + el('UserId', p.userId) + el('Account', p.accountId);
}

function parseDuration(params: QueryParams, defaultSeconds: number, maxSeconds: number, tooLong: string): number {
  const text = params.get('DurationSeconds');
  if (text === null) return Math.min(defaultSeconds, maxSeconds);
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < limits.assumeRoleSecondsMin) {
    throw new S3Error('ValidationError', `1 validation error detected: Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${limits.assumeRoleSecondsMin}`);
  }
  if (seconds > maxSeconds) throw new S3Error('ValidationError', tooLong);
  return seconds;
}

async function loadRole(ctx: RequestContext, roleArn: string): Promise<RoleRecord | undefined> {
  const arn = parseArn(roleArn);
  if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/')) return undefined;
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  const role = await ctx.services.iam.getRole(arn.account, name);
  return role && role.arn === roleArn ? role : undefined;
}

/** The session policies: the inline Policy and each PolicyArns document, fixed at assumption time. */
async function sessionPolicies(ctx: RequestContext, params: QueryParams): Promise<{ source: string; document: string }[]> {
  const out: { source: string; document: string }[] = [];
  const inline = params.get('Policy');
  if (inline !== null) {
    try {
      parsePolicy(inline, { kind: 'identity', maxBytes: limits.sessionPolicyBytesMax, sizeIgnoresWhitespace: true });
    } catch (error) {
      if (error instanceof PolicyError) throw new S3Error(error.problem === 'size' ? 'PackedPolicyTooLarge' : 'MalformedPolicyDocument', error.message);
      throw error;
    }
    out.push({ source: 'session policy passed to AssumeRole', document: inline });
  }
  const arns = memberStructs(params, 'PolicyArns', ['arn']);
  if (arns.length > limits.sessionPolicyArnsMax) throw new S3Error('ValidationError', `1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${limits.sessionPolicyArnsMax}`);
  for (const { arn } of arns) {
    const policy = arn ? await ctx.services.iam.getManagedPolicy(arn) : undefined;
    const version = policy ? await ctx.services.iam.getPolicyVersion(policy.arn, policy.defaultVersionId) : undefined;
    if (!version) throw new S3Error('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
    out.push({ source: `session policy ${arn}`, document: version.document });
  }
  return out;
}

async function assumeRole(ctx: RequestContext, params: QueryParams): Promise<string> {
  const caller = ctx.principal;
  const roleArn = constrainedParam(params, 'RoleArn', { min: 20, max: 2048 }, true)!;
  const sessionName = constrainedParam(params, 'RoleSessionName', { min: 2, max: 64, pattern: sessionNamePattern }, true)!;
  const externalId = constrainedParam(params, 'ExternalId', { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/ }, false);
  const sourceIdentity = constrainedParam(params, 'SourceIdentity', { min: 2, max: 64, pattern: sessionNamePattern }, false);
  const role = await loadRole(ctx, roleArn);
  const denied = () => new S3Error('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  if (!role) throw denied();
  const callerPolicies = await ctx.services.identityPolicies.forPrincipal(caller);
  const context = {
    ...requestConditionContext(ctx),
    'sts:RoleSessionName': sessionName,
    ...(externalId !== undefined ? { 'sts:ExternalId': externalId } : {}),
    ...(sourceIdentity !== undefined ? { 'sts:SourceIdentity': sourceIdentity } : {}),
  };
  const trust = { source: `trust policy of role ${role.name}`, kind: 'trust' as const, policy: ctx.services.policyCache.parse(role.trustPolicy, 'trust') };
  const decision = authorize({
    principal: caller,
    action: 'sts:AssumeRole',
    identityPolicies: callerPolicies.identity,
    ...(callerPolicies.session ? { sessionPolicies: callerPolicies.session } : {}),
    ...(callerPolicies.boundary ? { permissionsBoundary: callerPolicies.boundary } : {}),
    layers: [{ resourceArn: role.arn, ownerAccountId: role.accountId, policy: trust, kind: 'role' }],
    context,
  });
  if (decision.effect !== 'Allow') throw new S3Error('AccessDenied', accessDeniedMessage(caller.arn, 'sts:AssumeRole', role.arn, decision, false));
  const chained = caller.kind === 'AssumedRole';
  const maxSeconds = chained ? Math.min(limits.roleChainingSecondsMax, role.maxSessionDurationSeconds) : role.maxSessionDurationSeconds;
  const duration = parseDuration(params, limits.assumeRoleSecondsDefault, maxSeconds, chained
    ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
    : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policies = await sessionPolicies(ctx, params);
  const nowMs = ctx.services.clock.nowMs();
  const sessionArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
  const key: AccessKeyRecord = {
    accessKeyId: newAccessKeyId('ASIA'),
    secretAccessKey: newSecretAccessKey(),
    accountId: role.accountId,
    principalKind: 'AssumedRole',
    principalArn: sessionArn,
    userId: `${role.roleId}:${sessionName}`,
    status: 'Active',
    createdMs: nowMs,
    sessionToken: newSessionToken(),
    expiresMs: nowMs + duration * 1000,
    roleArn: role.arn,
    sessionName,
    issuedMs: nowMs,
    chained,
    ...(policies.length > 0 ? { sessionPolicy: JSON.stringify(policies) } : {}),
  };
  await ctx.services.meta.putAccessKey(key);
  const packed = policies.length > 0
    ? el('PackedPolicySize', Math.min(100, Math.ceil((policies.reduce((n, p) => n + p.document.replace(/\s+/g, '').length, 0) / limits.sessionPolicyBytesMax) * 100)))
    : '';
  return wrap('AssumedRoleUser', el('AssumedRoleId', key.userId) + el('Arn', sessionArn)) + credentialsXml(key) + packed +
    (sourceIdentity !== undefined ? el('SourceIdentity', sourceIdentity) : '');
}

async function getSessionToken(ctx: RequestContext, params: QueryParams): Promise<string> {
  const caller = ctx.principal;
  if (caller.kind === 'AssumedRole' || caller.accessKey?.sessionToken !== undefined) {
    throw new S3Error('AccessDenied', 'Cannot call GetSessionToken with session credentials');
  }
  const max = caller.kind === 'Root' ? limits.rootSessionTokenSecondsMax : limits.sessionTokenSecondsMax;
  const duration = parseDuration(params, 43_200, max, `The requested DurationSeconds exceeds the ${max} seconds allowed for this caller.`);
  const nowMs = ctx.services.clock.nowMs();
  const source = caller.accessKey!;
  const key: AccessKeyRecord = {
    accessKeyId: newAccessKeyId('ASIA'),
    secretAccessKey: newSecretAccessKey(),
    accountId: source.accountId,
    principalKind: source.principalKind,
    principalArn: source.principalArn,
    userId: source.userId,
    status: 'Active',
    createdMs: nowMs,
    sessionToken: newSessionToken(),
    expiresMs: nowMs + duration * 1000,
    issuedMs: nowMs,
  };
  await ctx.services.meta.putAccessKey(key);
  return credentialsXml(key);
}

function credentialsXml(key: AccessKeyRecord): string {
  return wrap('Credentials',
    el('AccessKeyId', key.accessKeyId) + el('SecretAccessKey', key.secretAccessKey) + el('SessionToken', key.sessionToken) +
    el('Expiration', new Date(key.expiresMs!).toISOString().replace(/\.\d{3}Z$/, 'Z')));
}

/** Opaque, long and unguessable, as AWS's session tokens are. */
function newSessionToken(): string {
  return 'IQoJb3JpZ2luX2VjE' + newToken(240);
}

export const stsApi: QueryApi = {
  namespace: STS_NAMESPACE,
  actions: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    GetSessionToken: getSessionToken,
  },
};
