// Principal / NotPrincipal: validated and normalised at parse time, matched against the caller per request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html

import { accountRootArn } from '../../core/arn.js';
import type { Principal } from '../principal.js';
import { PolicyError, type PolicyMessages } from './policy-error.js';

export interface PrincipalSpec {
  /** `"*"` or `{"AWS":"*"}`: everyone, anonymous callers included. */
  readonly everyone: boolean;
  /** AWS principals, account ids normalised to `arn:aws:iam::ACCOUNT:root`. */
  readonly aws: ReadonlySet<string>;
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** How specifically a resource-policy statement names the caller; decides which implicit denies it overrides. */
export const grantLevel = {
  none: 0,
  /** The caller's account (`"AWS":"111122223333"`): delegation to that account's IAM policies. */
  account: 1,
  /** The role of a role session: still limited by the session policy and permissions boundary. */
  role: 2,
  /** The caller itself (user ARN, session ARN, root of the account) or everyone (`*`). */
  direct: 3,
} as const;
export type GrantLevel = (typeof grantLevel)[keyof typeof grantLevel];

const principalKeys = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const accountIdPattern = /^\d{12}$/;
const awsArnPattern = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}|cloudfront):(.+)$/;
const uniqueIdPattern = /^(AIDA|AROA)[A-Z0-9]{12,124}$/;

/** Validates a Principal/NotPrincipal value. `where` names the element for the error detail. */
export function parsePrincipalSpec(value: unknown, messages: PolicyMessages, where: string): PrincipalSpec {
  const invalid = (entry: string, why: string): PolicyError => new PolicyError(messages.invalidPrincipal(entry), `${where}: ${why}`);
  if (value === '*') return { everyone: true, aws: new Set(), service: [], federated: [], canonicalUser: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(JSON.stringify(value), 'must be "*" or an object such as {"AWS": "..."}');
  }
  const aws = new Set<string>();
  const service: string[] = [];
  const federated: string[] = [];
  const canonicalUser: string[] = [];
  let everyone = false;
  for (const [type, raw] of Object.entries(value)) {
    if (!principalKeys.has(type)) throw invalid(`"${type}"`, `unknown principal type "${type}" (use AWS, Service, Federated or CanonicalUser)`);
    const entries = Array.isArray(raw) ? raw : [raw];
    if (entries.length === 0) throw invalid(`"${type}":[]`, `empty ${type} list`);
    for (const entry of entries) {
      const shown = `"${type}":${JSON.stringify(entry)}`;
      if (typeof entry !== 'string' || entry === '') throw invalid(shown, `${type} entries must be non-empty strings`);
      if (type === 'AWS' && entry === '*') {
        everyone = true;
        continue;
      }
      if (entry.includes('*') || entry.includes('?')) {
        throw invalid(shown, `partial wildcard "${entry}": a Principal names exact principals (use aws:PrincipalArn with ArnLike instead)`);
      }
      if (type === 'AWS') aws.add(normaliseAwsPrincipal(entry, () => invalid(shown, `"${entry}" is not an account id, an IAM/STS principal ARN or a unique id`)));
      else if (type === 'Service') service.push(entry);
      else if (type === 'Federated') federated.push(entry);
      else canonicalUser.push(entry);
    }
  }
  return { everyone, aws, service, federated, canonicalUser };
}

function normaliseAwsPrincipal(entry: string, fail: () => PolicyError): string {
  if (accountIdPattern.test(entry)) return accountRootArn(entry);
  if (uniqueIdPattern.test(entry)) return entry;
  const m = awsArnPattern.exec(entry);
  if (!m) throw fail();
  const [, service, account, resource] = m as unknown as [string, string, string, string];
  const valid = service === 'iam'
    ? resource === 'root' ? account !== 'cloudfront' : /^(user|role)\/./.test(resource)
    : account !== 'cloudfront' && /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(resource);
  if (!valid) throw fail();
  return entry;
}

/** The caller as the Principal element sees it, computed once per request. */
export interface CallerIdentity {
  readonly anonymous: boolean;
  /** Names that designate exactly this caller: user ARN and unique id, session ARN, or the root ARN for Root. */
  readonly exact: readonly string[];
  /** For role sessions: the role ARN and the role's unique id (from aws:userid `AROA…:session`). */
  readonly role: readonly string[];
  /** The caller's account as a principal (`arn:aws:iam::A:root`); undefined for Root (exact) and anonymous. */
  readonly accountRoot: string | undefined;
  /**
   * For NotPrincipal: AWS checks the account, then the role, then the session or user, so each of these
   * must be listed for the caller to be exempt. Each facet lists the names that cover it.
   */
  readonly facets: readonly (readonly string[])[];
}

export function callerIdentity(principal: Principal): CallerIdentity {
  switch (principal.kind) {
    case 'Anonymous':
      return { anonymous: true, exact: [], role: [], accountRoot: undefined, facets: [[]] };
    case 'Root': {
      const root = accountRootArn(principal.accountId!);
      return { anonymous: false, exact: [root], role: [], accountRoot: undefined, facets: [[root]] };
    }
    case 'User': {
      const root = accountRootArn(principal.accountId!);
      const exact = [principal.arn, principal.userId];
      return { anonymous: false, exact, role: [], accountRoot: root, facets: [[root], exact] };
    }
    case 'AssumedRole': {
      const root = accountRootArn(principal.accountId!);
      const colon = principal.userId.indexOf(':');
      const role = colon > 0 ? [principal.principalArn, principal.userId.slice(0, colon)] : [principal.principalArn];
      return { anonymous: false, exact: [principal.arn], role, accountRoot: root, facets: [[root], role, [principal.arn]] };
    }
  }
}

/** How specifically a Principal element names the caller (0 = not at all). */
export function principalGrantLevel(spec: PrincipalSpec, caller: CallerIdentity): GrantLevel {
  if (spec.everyone) return grantLevel.direct;
  if (caller.anonymous || spec.aws.size === 0) return grantLevel.none;
  for (const name of caller.exact) if (spec.aws.has(name)) return grantLevel.direct;
  for (const name of caller.role) if (spec.aws.has(name)) return grantLevel.role;
  if (caller.accountRoot !== undefined && spec.aws.has(caller.accountRoot)) return grantLevel.account;
  return grantLevel.none;
}

/** Whether a NotPrincipal element leaves the caller in scope (i.e. the statement applies to the caller). */
export function notPrincipalApplies(spec: PrincipalSpec, caller: CallerIdentity): boolean {
  if (spec.everyone) return false;
  return !caller.facets.every((facet) => facet.some((name) => spec.aws.has(name)));
}
