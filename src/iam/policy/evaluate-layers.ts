// The evaluation behind authorize(): every policy against every resource layer, then each layer's verdict.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html

import assert from 'node:assert';
import type { AclGrantRef, AuthorizeInput, ParsedPolicyRef, ResourceLayer } from '../authorize.js';
import type { Principal } from '../principal.js';
import { splitArn } from './arn-pattern.js';
import type { ContextValue } from './condition.js';
import { matchPolicy, type RequestFacts, type ResourceFacts } from './match-policy.js';
import type { ParsedStatement } from './parsed-policy.js';
import { accountRootArn } from '../../core/arn.js';
import { callerIdentity, grantLevel, type CallerIdentity, type GrantLevel } from './principal-spec.js';

export interface StatementHit {
  readonly ref: ParsedPolicyRef;
  readonly statement: ParsedStatement;
}

/** An ACL grant that names the caller. */
export interface AclHit {
  readonly acl: AclGrantRef;
}

/** What allowed on the resource side: a resource-policy statement or an ACL grant. */
export type GrantHit = StatementHit | AclHit;

export interface LayerEvaluation {
  readonly layer: ResourceLayer;
  /** Caller's account owns the layer's resource (false for anonymous callers). */
  readonly sameAccount: boolean;
  /** A bucket layer reached through an access point layer of the same request. */
  readonly behindAccessPoint: boolean;
  readonly identityAllow: StatementHit | undefined;
  readonly sessionAllow: StatementHit | undefined;
  readonly boundaryAllow: StatementHit | undefined;
  /** The resource policy's Allow that names the caller most specifically, and how specifically. */
  readonly resourceAllow: StatementHit | undefined;
  readonly resourceLevel: GrantLevel;
  /** The ACL grant that names the caller most specifically, and how specifically. */
  readonly aclAllow: AclHit | undefined;
  readonly aclLevel: GrantLevel;
  readonly denies: readonly StatementHit[];
}

export interface LayerVerdict {
  readonly allowed: boolean;
  /** For a denied layer: why, in AWS's words ("no identity-based policy allows the s3:PutObject action"). */
  readonly reason: string | undefined;
  /** The statements (and ACL grants) that made the layer allow. */
  readonly deciding: readonly GrantHit[];
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
    const { hit: aclAllow, level: aclLevel } = matchAclGrants(layer.aclGrants, request.caller);
    const behindAccessPoint = layer.kind === 'bucket' && accessPointSeen;
    if (layer.kind === 'accessPoint') accessPointSeen = true;
    return {
      layer, sameAccount: principal.accountId !== undefined && principal.accountId === layer.ownerAccountId, behindAccessPoint,
      identityAllow, sessionAllow, boundaryAllow, resourceAllow, resourceLevel, aclAllow, aclLevel, denies,
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

/**
 * The ACL grant naming the caller most specifically. AllUsers names everyone (anonymous callers included)
 * and AuthenticatedUsers every signed caller, as `"Principal": "*"` would; a canonical user names that
 * account's root directly and its users and roles as `"Principal": {"AWS": "ACCOUNT"}` does (a delegation
 * to their identity policies). LogDelivery names no caller of this server.
 */
function matchAclGrants(grants: readonly AclGrantRef[] | undefined, caller: CallerIdentity): { hit: AclHit | undefined; level: GrantLevel } {
  let best: { hit: AclHit | undefined; level: GrantLevel } = { hit: undefined, level: grantLevel.none };
  for (const acl of grants ?? []) {
    const level = aclGranteeLevel(acl, caller);
    if (level > best.level) best = { hit: { acl }, level };
  }
  return best;
}

function aclGranteeLevel({ grant }: AclGrantRef, caller: CallerIdentity): GrantLevel {
  const grantee = grant.grantee;
  if (grantee.type === 'Group') {
    if (grantee.group === 'AllUsers') return grantLevel.direct;
    return grantee.group === 'AuthenticatedUsers' && !caller.anonymous ? grantLevel.direct : grantLevel.none;
  }
  if (grantee.accountId === undefined || caller.anonymous) return grantLevel.none;
  const root = accountRootArn(grantee.accountId);
  if (caller.exact.includes(root)) return grantLevel.direct;
  return caller.accountRoot === root ? grantLevel.account : grantLevel.none;
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
 * - "Resource-policy grant" below means a resource-policy Allow or an S3 ACL grant (the one naming the
 *   caller more specifically); ACL grants never deny.
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
  // The resource side's best grant: a resource-policy statement, or an ACL grant that names the caller more specifically.
  const { grant, level } = resourceGrant(ev);
  if (principal.kind === 'Anonymous') {
    if (ev.layer.kind === 'accessPoint') return denied('access points do not accept anonymous requests');
    return level === grantLevel.direct && ev.layer.kind !== 'role' ? allowed(grant) : denied(noResource);
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

/** The resource policy's grant, unless an ACL grant names the caller more specifically. */
export function resourceGrant(ev: LayerEvaluation): { grant: GrantHit[]; level: GrantLevel } {
  if (ev.aclAllow && ev.aclLevel > ev.resourceLevel) return { grant: [ev.aclAllow], level: ev.aclLevel };
  return { grant: ev.resourceAllow ? [ev.resourceAllow] : [], level: ev.resourceLevel };
}

function allowed(deciding: GrantHit[]): LayerVerdict {
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
