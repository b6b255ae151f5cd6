// authorize: the one authorization decision. Principal × action × resource layers × policies → Allow | ImplicitDeny | ExplicitDeny.
//
// Rules: aws-semantics §2.1 (decision order), §1.6 (access point = two layers), §4.3 (role trust);
// AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// Pure: no I/O. Policies arrive parsed (parsePolicy), so a decision costs a few microseconds.

import assert from 'node:assert';
import type { AclGrant } from '../storage/types.js';
import { describeGrant } from './acl-permissions.js';
import type { ParsedPolicy } from './policy/parsed-policy.js';
import { evaluateLayers, explicitDenyReason, layerVerdict, type GrantHit } from './policy/evaluate-layers.js';
import type { Principal } from './principal.js';

export type { Principal } from './principal.js';
export { explainDecision } from './policy/explain-decision.js';

export interface ParsedPolicyRef {
  /** Human label shown in decisions and explanations, e.g. "inline policy s3push-delivery of role R". */
  source: string;
  kind: 'identity' | 'session' | 'permissionsBoundary' | 'bucket' | 'accessPoint' | 'trust';
  policy: ParsedPolicy;
}

/**
 * One grant of an S3 ACL (bucket or object) that gives the request's action on a layer's resource. ACL
 * grants sit on the resource side beside the resource policy: a grant to AllUsers or AuthenticatedUsers names
 * the caller as `"Principal": "*"` would, a grant to a canonical user names that account as
 * `"Principal": {"AWS": "ACCOUNT"}` would. They never deny. (iam/acl-permissions.ts maps permissions to actions.)
 */
export interface AclGrantRef {
  /** Human label, e.g. "bucket ACL of media" or "object ACL of media/a.txt". */
  source: string;
  /** 0-based position of the grant in the ACL. */
  index: number;
  grant: AclGrant;
}

/**
 * One resource the request needs permission on. Plain requests have one layer (a bucket, a role's
 * trust policy, …); requests through an access point have two, in this order: the access point
 * (`arn:aws:s3:R:A:accesspoint/NAME[/object/KEY]`, its policy) then the bucket (`arn:aws:s3:::B[/KEY]`,
 * the bucket policy). A 'bucket' layer that follows an 'accessPoint' layer is evaluated as the bucket
 * behind that access point (aws-semantics §1.6).
 */
export interface ResourceLayer {
  resourceArn: string;
  ownerAccountId: string;
  policy?: ParsedPolicyRef;
  /** ACL grants that give the action on this resource (S3 buckets and objects that take ACLs); an empty list or none: no ACL grants it. */
  aclGrants?: AclGrantRef[];
  kind: 'bucket' | 'accessPoint' | 'role' | 'other';
}

export interface AuthorizeInput {
  principal: Principal;
  /** e.g. 's3:PutObject'. */
  action: string;
  /** The caller's own policies: a user's inline + attached (+ groups'), or the assumed role's. */
  identityPolicies: ParsedPolicyRef[];
  /** Session policies of a role session (inline Policy + PolicyArns). Non-empty ⇒ the identity side is intersected with them. */
  sessionPolicies?: ParsedPolicyRef[];
  permissionsBoundary?: ParsedPolicyRef;
  /** Every layer must allow. */
  layers: ResourceLayer[];
  /** Condition keys (any case): aws:SourceIp, aws:SecureTransport, aws:CurrentTime, s3:prefix, … aws:Principal*, aws:userid and aws:username are filled from `principal` when absent. */
  context: Record<string, string | string[] | undefined>;
}

export interface DecidingStatement {
  source: string;
  /** 'acl' when an ACL grant decided (then `index` is the grant's position and `grant` says what it grants). */
  kind: ParsedPolicyRef['kind'] | 'acl';
  sid?: string;
  /** 0-based position in the policy's Statement list (or the grant's in the ACL). */
  index: number;
  effect: 'Allow' | 'Deny';
  /** For ACL grants: "READ for group AllUsers". */
  grant?: string;
}

export interface Decision {
  effect: 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';
  /** AWS's wording: "no identity-based policy allows the s3:PutObject action", "an explicit deny in a resource-based policy"; '' for Allow. */
  reason: string;
  /** The statements that decided: every matching Deny, or the Allows that granted each layer. */
  statements: DecidingStatement[];
  /** Resource ARN of the layer that denied. */
  layer?: string;
  /** Whether that layer belongs to another account than the caller (AWS then answers a plain "Access Denied"). */
  crossAccount?: boolean;
}

export function authorize(input: AuthorizeInput): Decision {
  const evaluations = evaluateLayers(input);
  // An explicit Deny anywhere wins, whatever the layer.
  for (const ev of evaluations) {
    if (ev.denies.length === 0) continue;
    const denies = evaluations.flatMap((e) => e.denies);
    return {
      effect: 'ExplicitDeny',
      reason: explicitDenyReason(ev.denies[0]!.ref.kind),
      statements: decidingStatements(denies),
      layer: ev.layer.resourceArn,
      crossAccount: !ev.sameAccount,
    };
  }
  const deciding: GrantHit[] = [];
  for (const ev of evaluations) {
    const verdict = layerVerdict(input, ev);
    if (!verdict.allowed) {
      return { effect: 'ImplicitDeny', reason: verdict.reason!, statements: [], layer: ev.layer.resourceArn, crossAccount: !ev.sameAccount };
    }
    deciding.push(...verdict.deciding);
  }
  return { effect: 'Allow', reason: '', statements: decidingStatements(deciding) };
}

/** De-duplicated (one identity statement can decide for both layers), in evaluation order. */
function decidingStatements(hits: readonly GrantHit[]): DecidingStatement[] {
  const out: DecidingStatement[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    if (hits.slice(0, i).some((earlier) => sameHit(earlier, hit))) continue;
    if ('acl' in hit) {
      out.push({ source: hit.acl.source, kind: 'acl', index: hit.acl.index, effect: 'Allow', grant: describeGrant(hit.acl.grant) });
      continue;
    }
    const { ref, statement } = hit;
    const s: DecidingStatement = { source: ref.source, kind: ref.kind, index: statement.index, effect: statement.effect };
    if (statement.sid !== undefined) s.sid = statement.sid;
    out.push(s);
  }
  return out;
}

function sameHit(a: GrantHit, b: GrantHit): boolean {
  if ('acl' in a || 'acl' in b) return 'acl' in a && 'acl' in b && a.acl === b.acl;
  return a.ref === b.ref && a.statement === b.statement;
}

/**
 * AWS's detailed AccessDenied message: `User: ARN is not authorized to perform: ACTION on resource: "ARN"
 * because no identity-based policy allows the ACTION action` (or `with an explicit deny in …`).
 * Pass 'anonymous' as principalArn for anonymous callers.
 */
/** AWS's wording; S3 quotes the resource ARN, IAM and STS do not (`quoteResource: false`). */
export function accessDeniedMessage(principalArn: string, action: string, resourceArn: string, decision: Decision, quoteResource = true): string {
  assert(decision.effect !== 'Allow', 'accessDeniedMessage called for an allowed request');
  const joiner = decision.effect === 'ExplicitDeny' ? 'with' : 'because';
  const resource = quoteResource ? `"${resourceArn}"` : resourceArn;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${joiner} ${decision.reason}`;
}
