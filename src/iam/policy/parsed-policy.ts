// The typed, normalised form of a policy document: what parsePolicy returns and the evaluator reads.

import type { ArnPattern } from './arn-pattern.js';
import type { CompiledCondition } from './condition.js';
import type { Glob } from './glob.js';
import type { PrincipalSpec } from './principal-spec.js';

/**
 * identity: user/role policies, session policies, permissions boundaries (no Principal allowed).
 * resource: bucket and access point policies (Principal and Resource required).
 * trust: a role's trust policy (Principal required, no NotPrincipal, no Resource).
 */
export type PolicyKind = 'identity' | 'resource' | 'trust';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export interface ActionMatcher {
  /** The patterns as written. */
  readonly raw: readonly string[];
  /** Lower-cased exact action names (no wildcard), for a Set lookup. */
  readonly exact: ReadonlySet<string>;
  /** Lower-cased wildcard patterns (`s3:get*`, `*`). */
  readonly globs: readonly Glob[];
}

export interface ParsedStatement {
  /** Position in the Statement array (0-based), reported in decisions. */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  /** Principal or NotPrincipal (resource and trust policies); undefined in identity policies. */
  readonly principal: PrincipalSpec | undefined;
  readonly notPrincipal: boolean;
  readonly actions: ActionMatcher;
  readonly notAction: boolean;
  /** Resource or NotResource patterns; undefined in trust policies (they apply to their role). */
  readonly resources: readonly ArnPattern[] | undefined;
  readonly notResource: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface ParsedPolicy {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly statements: readonly ParsedStatement[];
  /** Size of the document as checked against maxBytes. */
  readonly sizeBytes: number;
}
