// The evaluation behind authorize(): every policy against every resource layer, then each layer's verdict.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html

import assert from 'node:assert';
import type { AuthorizeInput, ParsedPolicyRef, ResourceLayer } from '../authorize.js';
import type { Principal } from '../principal.js';
import { splitArn } from './arn-pattern.js';
import type { ContextValue } from './condition.js';
import { matchPolicy, type RequestFacts, type ResourceFacts } from './match-policy.js';
import type { ParsedStatement } from './parsed-policy.js';
import { callerIdentity, grantLevel, type GrantLevel } from './principal-spec.js';

export interface StatementHit {
  readonly ref: ParsedPolicyRef;
  readonly statement: ParsedStatement;
}

export interface LayerEvaluation {
  readonly layer: ResourceLayer;
  /** Caller's account owns the layer's resource (false for anonymous callers). */
  readonly sameAccount: boolean;
  /** A bucket layer reached through an access point layer of the same request. */
  readonly behindAccessPoint: boolean;
  readonly identityAllow: StatementHit | undefined;
  readonly sessionAllow: StatementHit | undefined;
  readonly boundaryAllow: StatementHit | undefined;
  readonly resourceAllow: StatementHit | undefined;
  readonly resourceLevel: GrantLevel;
  readonly denies: readonly StatementHit[];
}

export interface LayerVerdict {
  readonly allowed: boolean;
  /** For a denied layer: why, in AWS's words ("no identity-based policy allows the s3:PutObject action"). */
  readonly reason: string | undefined;
  /** The statements that made the layer allow. */
  readonly deciding: readonly StatementHit[];
}

export function evaluateLayers(input: AuthorizeInput): LayerEvaluation[] {
  const { principal, layers } = input;
  assert(layers.length > 0, 'authorize needs at least one resource layer');
  assert(principal.kind === 'Anonymous' || principal.accountId, 'a non-anonymous principal needs accountId');
  checkPolicyKinds(input);
  const context = requestContext(input.context, principal);
  const request: RequestFacts = {
    actionLower: input.action.toLowerCase(),
    context,
    lookup: (key) => {
      const v = context.get(key);
      return typeof v === 'string' ? v : undefined;
    },
    caller: callerIdentity(principal),
    hasPermissionsBoundary: input.permissionsBoundary !== undefined,
  };
  const sessionPolicies = input.sessionPolicies ?? [];
  const boundary = input.permissionsBoundary ? [input.permissionsBoundary] : [];
  let accessPointSeen = false;
  return layers.map((layer): LayerEvaluation => {
    const resource: ResourceFacts = { arn: layer.resourceArn, segments: splitArn(layer.resourceArn) };
    const denies: StatementHit[] = [];
    const identityAllow = firstAllow(input.identityPolicies, request, resource, denies);
    const sessionAllow = firstAllow(sessionPolicies, request, resource, denies);
    const boundaryAllow = firstAllow(boundary, request, resource, denies);
    let resourceAllow: StatementHit | undefined;
    let resourceLevel: GrantLevel = grantLevel.none;
    if (layer.policy) {
      const match = matchPolicy(layer.policy.policy, request, resource);
      for (const statement of match.denies ?? []) denies.push({ ref: layer.policy, statement });
      if (match.allow) {
        resourceAllow = { ref: layer.policy, statement: match.allow };
        resourceLevel = match.allowLevel;
      }
    }
    const behindAccessPoint = layer.kind === 'bucket' && accessPointSeen;
    if (layer.kind === 'accessPoint') accessPointSeen = true;
    return {
      layer, sameAccount: principal.accountId !== undefined && principal.accountId === layer.ownerAccountId, behindAccessPoint,
      identityAllow, sessionAllow, boundaryAllow, resourceAllow, resourceLevel, denies,
    };
  });
}

/**
 * A bucket policy parsed as an identity policy would have no Principal and so apply to everyone;
 * an identity policy parsed as a resource policy would name principals. Both are programmer errors.
 */
function checkPolicyKinds(input: AuthorizeInput): void {
  const identityLike = (ref: ParsedPolicyRef): void => assert(ref.policy.kind === 'identity', `${ref.source}: ${ref.kind} policies must be parsed with kind 'identity'`);
  for (const ref of input.identityPolicies) identityLike(ref);
  if (input.sessionPolicies) for (const ref of input.sessionPolicies) identityLike(ref);
  if (input.permissionsBoundary) identityLike(input.permissionsBoundary);
  for (const layer of input.layers) {
    const ref = layer.policy;
    if (!ref) continue;
    const expected = ref.kind === 'trust' ? 'trust' : 'resource';
    assert(ref.kind !== 'identity' && ref.kind !== 'session' && ref.kind !== 'permissionsBoundary', `${ref.source}: a layer needs a resource or trust policy`);
    assert(ref.policy.kind === expected, `${ref.source}: ${ref.kind} policies must be parsed with kind '${expected}'`);
  }
}

function firstAllow(refs: readonly ParsedPolicyRef[], request: RequestFacts, resource: ResourceFacts, denies: StatementHit[]): StatementHit | undefined {
  let allow: StatementHit | undefined;
  for (const ref of refs) {
    const match = matchPolicy(ref.policy, request, resource);
    for (const statement of match.denies ?? []) denies.push({ ref, statement });
    if (!allow && match.allow) allow = { ref, statement: match.allow };
  }
  return allow;
}

/**
 * One layer's verdict, Denies aside (they are checked first, across all layers, by the caller).
 *
 * - Anonymous callers get only what a resource policy grants to "*" (and never through an access point).
 * - The identity side is identity ∩ permissions boundary ∩ session policies; the root user's is everything.
 * - Same account: identity side OR a resource-policy grant. A grant naming the user, the session or "*"
 *   is not limited by implicit denies elsewhere; one naming the role is still limited by the boundary and
 *   the session policy; one naming only the account delegates to IAM and grants nothing by itself.
 * - Cross account: identity side AND a resource-policy grant naming the caller at any level. For the
 *   bucket layer behind an access point, only the bucket policy is asked: the caller's identity policy was
 *   evaluated against the access point ARN (aws-semantics §1.6).
 * - Role trust policies must always name the caller. Unlike AWS, an account's root user may assume
 *   the account's roles when the trust policy allows it: the partner guide's flow (and its acceptance
 *   test) does exactly that with an emulated account's root key (see docs/compatibility.md).
 */
export function layerVerdict(input: AuthorizeInput, ev: LayerEvaluation): LayerVerdict {
  const { principal, action } = input;
  const noIdentity = `no identity-based policy allows the ${action} action`;
  const noResource = `no resource-based policy allows the ${action} action`;
  const grant = ev.resourceAllow ? [ev.resourceAllow] : [];
  if (principal.kind === 'Anonymous') {
    if (ev.layer.kind === 'accessPoint') return denied('access points do not accept anonymous requests');
    return ev.resourceLevel === grantLevel.direct && ev.layer.kind !== 'role' ? allowed(grant) : denied(noResource);
  }

  const hasBoundary = input.permissionsBoundary !== undefined;
  const hasSession = (input.sessionPolicies?.length ?? 0) > 0;
  const boundaryOk = !hasBoundary || ev.boundaryAllow !== undefined;
  const sessionOk = !hasSession || ev.sessionAllow !== undefined;
  const identityOk = principal.kind === 'Root' || (ev.identityAllow !== undefined && boundaryOk && sessionOk);
  const identityReason = ev.identityAllow === undefined && principal.kind !== 'Root' ? noIdentity
    : !boundaryOk ? `no permissions boundary allows the ${action} action`
      : `no session policy allows the ${action} action`;
  const identityHits = [ev.identityAllow, ev.boundaryAllow, ev.sessionAllow].filter((h): h is StatementHit => h !== undefined);
  const level = ev.resourceLevel;
  const grantOverrides = level === grantLevel.direct || (level === grantLevel.role && boundaryOk && sessionOk);

  if (ev.layer.kind === 'role') {
    if (level === grantLevel.none) return denied(noResource);
    if (ev.sameAccount && grantOverrides) return allowed(grant);
    return identityOk ? allowed([...identityHits, ...grant]) : denied(identityReason);
  }
  if (ev.sameAccount) {
    if (principal.kind === 'Root') return allowed([]);
    if (identityOk) return allowed(identityHits);
    if (grantOverrides) return allowed(grant);
    return denied(identityReason);
  }
  if (ev.behindAccessPoint) return level > grantLevel.none ? allowed(grant) : denied(noResource);
  if (!identityOk) return denied(identityReason);
  return level > grantLevel.none ? allowed([...identityHits, ...grant]) : denied(noResource);
}

function allowed(deciding: StatementHit[]): LayerVerdict {
  return { allowed: true, reason: undefined, deciding };
}

function denied(reason: string): LayerVerdict {
  return { allowed: false, reason, deciding: [] };
}

export function explicitDenyReason(kind: ParsedPolicyRef['kind']): string {
  switch (kind) {
    case 'identity':
      return 'an explicit deny in an identity-based policy';
    case 'session':
      return 'an explicit deny in a session policy';
    case 'permissionsBoundary':
      return 'an explicit deny in a permissions boundary';
    case 'bucket':
    case 'accessPoint':
    case 'trust':
      return 'an explicit deny in a resource-based policy';
  }
}

const principalTypes: Record<Principal['kind'], string> = { Root: 'Account', User: 'User', AssumedRole: 'AssumedRole', Anonymous: 'Anonymous' };

/** The condition context with lower-cased keys, aws:Principal* keys filled from the principal when absent. */
function requestContext(context: AuthorizeInput['context'], principal: Principal): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  for (const key in context) {
    const value = context[key];
    if (value !== undefined) map.set(key.toLowerCase(), value);
  }
  // Filled only when absent, so callers cannot forget them (and tests can override them).
  if (!map.has('aws:principaltype')) map.set('aws:principaltype', principalTypes[principal.kind]);
  if (!map.has('aws:userid')) map.set('aws:userid', principal.userId);
  if (principal.kind !== 'Anonymous') {
    if (!map.has('aws:principalarn')) map.set('aws:principalarn', principal.principalArn);
    if (principal.accountId !== undefined && !map.has('aws:principalaccount')) map.set('aws:principalaccount', principal.accountId);
  }
  if (principal.kind === 'User' && principal.username !== undefined && !map.has('aws:username')) map.set('aws:username', principal.username);
  return map;
}
