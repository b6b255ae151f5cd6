// Whether a bucket or access point policy is "public" as S3 Block Public Access defines it.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
//
// S3 starts from "public" and looks for reasons to call a policy non-public: every Allow statement must
// either name fixed principals or be confined by a condition that fixes one of a few keys to values
// without wildcards or policy variables (aws:SourceIp to CIDRs no broader than /8 for IPv4, /32 for IPv6).
import { parseCidr } from './ip-address.js';
import type { CompiledCondition } from './condition.js';
import type { ParsedPolicy, ParsedStatement } from './parsed-policy.js';

export type PublicPolicyKind = 'bucket' | 'accessPoint';

/**
 * Condition keys that confine a statement to fixed callers or sources. The first group is AWS's
 * "an AWS principal, user, role, or service principal (e.g. aws:PrincipalOrgID)"; the rest are listed
 * by name on the page above.
 */
const confiningKeys = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalservicename',
  'aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount',
  'aws:sourceorgid', 'aws:sourceorgpaths', 's3:x-amz-server-side-encryption-aws-kms-key-id', 'aws:userid',
  's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);

/** IPv4 blocks broader than /8 and IPv6 blocks broader than /32 count as public. */
const narrowestPublicPrefixBits = { 4: 8, 16: 32 } as const;

export function isPublicPolicy(policy: ParsedPolicy, kind: PublicPolicyKind = 'bucket'): boolean {
  return policy.statements.some((statement) => isPublicStatement(statement, kind));
}

export function isPublicStatement(statement: ParsedStatement, kind: PublicPolicyKind): boolean {
  if (statement.effect !== 'Allow' || !grantsBroadly(statement)) return false;
  return !statement.conditions.some((condition) => confines(condition, kind));
}

/** `*`, NotPrincipal (everyone but a few) and federated identities (anyone the provider vouches for). */
function grantsBroadly(statement: ParsedStatement): boolean {
  const principal = statement.principal;
  if (!principal) return false;
  return statement.notPrincipal || principal.everyone || principal.federated.length > 0;
}

function confines(condition: CompiledCondition, kind: PublicPolicyKind): boolean {
  const key = condition.keyLower;
  // A negated operator, IfExists or ForAllValues is satisfied by a request without the key.
  if (!confiningKeys.has(key) || condition.negated || condition.ifExists || condition.set === 'all') return false;
  if (condition.rawValues.length === 0) return false;
  if (key === 'aws:sourceip') return condition.family === 'IpAddress' && condition.rawValues.every(isNarrowCidr);
  if (condition.family !== 'String' && condition.family !== 'StringIgnoreCase' && condition.family !== 'StringLike' && condition.family !== 'Arn') return false;
  return condition.rawValues.every((value) => isFixed(value) || (key === 's3:dataaccesspointarn' && kind === 'bucket' && isAccountAccessPoints(value)));
}

function isFixed(value: string): boolean {
  return !/[*?]/.test(value) && !value.includes('${');
}

/**
 * In a bucket policy (not in an access point policy), `arn:aws:s3:REGION:ACCOUNT:accesspoint/*` stays
 * non-public: the wildcard may stand for access point names as long as the account is fixed.
 */
function isAccountAccessPoints(value: string): boolean {
  const m = /^(arn:[^:]+:s3:[^:]*:\d{12}:accesspoint\/)(.*)$/.exec(value);
  return m !== null && isFixed(m[1]!) && !m[2]!.includes('${');
}

function isNarrowCidr(value: string): boolean {
  const cidr = parseCidr(value);
  if (!cidr) return false;
  const narrowest = cidr.bytes.length === 4 ? narrowestPublicPrefixBits[4] : narrowestPublicPrefixBits[16];
  return cidr.prefixBits >= narrowest;
}
