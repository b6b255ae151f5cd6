// explainDecision: a multi-line, human-readable account of an authorization decision (for `s3push explain`).

import type { AuthorizeInput, Decision, ParsedPolicyRef } from '../authorize.js';
import { describeGrant } from '../acl-permissions.js';
import { evaluateLayers, layerVerdict, resourceGrant, type GrantHit, type LayerEvaluation } from './evaluate-layers.js';
import { grantLevel } from './principal-spec.js';

const layerNames: Record<string, string> = { accessPoint: 'access point', bucket: 'bucket', role: 'role (trust policy)', other: 'resource' };
const policyNames: Record<ParsedPolicyRef['kind'], string> = {
  identity: 'identity-based policy', session: 'session policy', permissionsBoundary: 'permissions boundary',
  bucket: 'bucket policy', accessPoint: 'access point policy', trust: 'trust policy',
};

export function explainDecision(input: AuthorizeInput, decision: Decision): string {
  const { principal } = input;
  const lines: string[] = [];
  const verdict = decision.effect === 'Allow' ? 'Allow' : `${decision.effect}: ${decision.reason}`;
  lines.push(`Decision: ${verdict}`);
  const who = principal.kind === 'Anonymous' ? 'anonymous caller'
    : `${principal.arn} (${principal.kind}, account ${principal.accountId}${principal.kind === 'AssumedRole' ? `, role ${principal.principalArn}` : ''})`;
  lines.push(`Caller: ${who}`);
  lines.push(`Action: ${input.action}`);
  lines.push(`Policies: ${input.identityPolicies.length} identity-based, ${input.sessionPolicies?.length ?? 0} session, permissions boundary: ${input.permissionsBoundary ? input.permissionsBoundary.source : 'none'}`);

  const evaluations = evaluateLayers(input);
  evaluations.forEach((ev, i) => {
    const where = [`owner ${ev.layer.ownerAccountId}`, principal.kind === 'Anonymous' ? 'anonymous' : ev.sameAccount ? 'same account' : 'cross-account'];
    if (ev.behindAccessPoint) where.push('reached through the access point');
    lines.push(`Layer ${i + 1}: ${layerNames[ev.layer.kind]} ${ev.layer.resourceArn} (${where.join(', ')})`);
    lines.push(...describeLayer(input, ev).map((l) => `  ${l}`));
  });

  const hint = nextStep(input, decision, evaluations);
  if (hint) lines.push(`What to change: ${hint}`);
  return lines.join('\n');
}

function describeLayer(input: AuthorizeInput, ev: LayerEvaluation): string[] {
  const out: string[] = [];
  if (ev.behindAccessPoint && !ev.sameAccount) {
    out.push('identity-based policies: not consulted here (they were checked against the access point ARN); the bucket policy decides');
  } else if (input.principal.kind !== 'Anonymous' && input.principal.kind !== 'Root') {
    out.push(`identity-based policies: ${ev.identityAllow ? `allowed by ${hit(ev.identityAllow)}` : input.identityPolicies.length ? 'no statement allows' : 'none attached'}`);
    if (input.sessionPolicies?.length) out.push(`session policies: ${ev.sessionAllow ? `allowed by ${hit(ev.sessionAllow)}` : 'no statement allows'}`);
    if (input.permissionsBoundary) out.push(`permissions boundary: ${ev.boundaryAllow ? `allowed by ${hit(ev.boundaryAllow)}` : 'no statement allows'}`);
  } else if (input.principal.kind === 'Root') {
    out.push('identity: the account root user is allowed everything in its own account');
  }
  const policy = ev.layer.policy;
  if (!policy) out.push(`${layerNames[ev.layer.kind]} policy: none`);
  else if (!ev.resourceAllow) out.push(`${policyNames[policy.kind]} (${policy.source}): no statement allows this caller`);
  else {
    const how = ev.resourceLevel === grantLevel.account ? 'names only the caller\'s account (delegates to the caller\'s IAM policies)'
      : ev.resourceLevel === grantLevel.role ? 'names the caller\'s role'
        : 'names the caller (or everyone)';
    out.push(`${policyNames[policy.kind]}: ${hit(ev.resourceAllow)} ${how}`);
  }
  if (ev.layer.aclGrants !== undefined) {
    const how = ev.aclLevel === grantLevel.account ? 'names only the caller\'s account (delegates to the caller\'s IAM policies)' : 'names the caller (or everyone)';
    out.push(ev.aclAllow ? `ACL: ${hit(ev.aclAllow)} ${how}` : `ACL: no grant gives ${input.action} to this caller`);
  }
  for (const deny of ev.denies) out.push(`explicit Deny: ${hit(deny)}`);
  if (ev.denies.length === 0) {
    const verdict = layerVerdict(input, ev);
    out.push(verdict.allowed ? '→ this layer allows' : `→ this layer denies: ${verdict.reason}`);
  } else {
    out.push('→ this layer denies (explicit Deny)');
  }
  return out;
}

function hit(found: GrantHit): string {
  if ('acl' in found) return `${found.acl.source}, grant ${found.acl.index} (${describeGrant(found.acl.grant)})`;
  const { ref, statement } = found;
  const sid = statement.sid ? ` (Sid ${statement.sid})` : '';
  return `${ref.source}, statement ${statement.index}${sid}`;
}

function nextStep(input: AuthorizeInput, decision: Decision, evaluations: LayerEvaluation[]): string | undefined {
  if (decision.effect === 'Allow') return undefined;
  const ev = evaluations.find((e) => e.layer.resourceArn === decision.layer) ?? evaluations[0]!;
  const resource = ev.layer.resourceArn;
  const { principal, action } = input;
  if (decision.effect === 'ExplicitDeny') {
    const deny = ev.denies[0]!;
    return `remove or narrow ${hit(deny)} in the ${policyNames[deny.ref.kind]}; a Deny overrides every Allow.`;
  }
  const caller = principal.kind === 'AssumedRole' ? principal.principalArn : principal.arn;
  const steps: string[] = [];
  const reason = decision.reason;
  if (reason.startsWith('no identity-based policy')) steps.push(`add an Allow for ${action} on "${resource}" to the caller's identity-based policy (the IAM policy of ${caller})`);
  if (reason.startsWith('no session policy')) steps.push(`the session policy passed to AssumeRole must also allow ${action} on "${resource}" (assume the role again without it, or with a wider one)`);
  if (reason.startsWith('no permissions boundary')) steps.push(`the permissions boundary must also allow ${action} on "${resource}"`);
  // A cross-account request (or a role's trust) needs the resource owner's grant as well: say so even
  // when the identity side is what failed first, so the partner sees everything that is missing.
  const needsGrant = ev.layer.kind === 'role' || (!ev.sameAccount && principal.kind !== 'Anonymous') || reason.startsWith('no resource-based policy');
  if (needsGrant && resourceGrant(ev).level === grantLevel.none && principal.kind !== 'Anonymous') {
    const what = ev.layer.kind === 'role' ? "role's trust policy" : `${layerNames[ev.layer.kind]} policy`;
    steps.push(`account ${ev.layer.ownerAccountId} must allow ${caller} to ${action} on "${resource}" in the ${what}`);
  } else if (principal.kind === 'Anonymous' && reason.startsWith('no resource-based policy')) {
    steps.push(`anonymous requests are allowed only by a ${layerNames[ev.layer.kind]} policy statement with Principal "*"`);
  }
  return steps.length ? `${steps.join('; and ')}.` : undefined;
}
