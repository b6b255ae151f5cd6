// matchPolicy: which statements of one parsed policy apply to a request (action, principal, resource, conditions).

import { arnMatches } from './arn-pattern.js';
import { conditionHolds, type ConditionContext } from './condition.js';
import { globMatches } from './glob.js';
import type { ActionMatcher, ParsedPolicy, ParsedStatement } from './parsed-policy.js';
import type { VariableLookup } from './policy-template.js';
import { grantLevel, notPrincipalApplies, principalGrantLevel, type CallerIdentity, type GrantLevel } from './principal-spec.js';

/** Everything about the request that does not change from one policy to the next. */
export interface RequestFacts {
  /** The action, lower-cased once (actions match case-insensitively). */
  readonly actionLower: string;
  readonly context: ConditionContext;
  readonly lookup: VariableLookup;
  readonly caller: CallerIdentity;
  /**
   * AWS: "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
   * permissions boundary policy attached, regardless of the values specified in the NotPrincipal element."
   */
  readonly hasPermissionsBoundary: boolean;
}

/** The resource a layer is about, split once. */
export interface ResourceFacts {
  readonly arn: string;
  readonly segments: readonly string[] | undefined;
}

export interface PolicyMatch {
  /** An applicable Allow; for resource policies the one that names the caller most specifically. */
  allow: ParsedStatement | undefined;
  allowLevel: GrantLevel;
  /** Every applicable Deny (usually none). */
  denies: ParsedStatement[] | undefined;
}

export function matchPolicy(policy: ParsedPolicy, request: RequestFacts, resource: ResourceFacts): PolicyMatch {
  const result: PolicyMatch = { allow: undefined, allowLevel: grantLevel.none, denies: undefined };
  for (const statement of policy.statements) {
    // An Allow cannot beat one already found at the highest level; Denies must all be found.
    if (statement.effect === 'Allow' && result.allowLevel === grantLevel.direct) continue;
    const level = statementLevel(statement, request, resource);
    if (level === grantLevel.none) continue;
    if (statement.effect === 'Deny') (result.denies ??= []).push(statement);
    else if (level > result.allowLevel) {
      result.allow = statement;
      result.allowLevel = level;
    }
  }
  return result;
}

/**
 * 0 when the statement does not apply; otherwise how specifically it names the caller (always
 * `direct` for statements without a Principal, i.e. identity policies).
 */
export function statementLevel(statement: ParsedStatement, request: RequestFacts, resource: ResourceFacts): GrantLevel {
  if (actionMatches(statement.actions, request.actionLower) === statement.notAction) return grantLevel.none;
  let level: GrantLevel = grantLevel.direct;
  const spec = statement.principal;
  if (spec) {
    if (statement.notPrincipal) {
      const applies = notPrincipalApplies(spec, request.caller) || (statement.effect === 'Deny' && request.hasPermissionsBoundary);
      if (!applies) return grantLevel.none;
    } else {
      level = principalGrantLevel(spec, request.caller);
      if (level === grantLevel.none) return grantLevel.none;
    }
  }
  const patterns = statement.resources;
  if (patterns) {
    let matched = false;
    for (const pattern of patterns) {
      if (arnMatches(pattern, resource.arn, resource.segments, request.lookup)) {
        matched = true;
        break;
      }
    }
    if (matched === statement.notResource) return grantLevel.none;
  }
  for (const condition of statement.conditions) {
    if (!conditionHolds(condition, request.context, request.lookup)) return grantLevel.none;
  }
  return level;
}

export function actionMatches(actions: ActionMatcher, actionLower: string): boolean {
  if (actions.exact.has(actionLower)) return true;
  for (const glob of actions.globs) if (globMatches(glob, actionLower)) return true;
  return false;
}
