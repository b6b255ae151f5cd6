// parsePolicy: JSON policy text → validated ParsedPolicy, once per document (callers cache the result).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

import assert from 'node:assert';
import { compileArnPattern, type ArnPattern } from './arn-pattern.js';
import { compileCondition, parseOperator, type CompiledCondition } from './condition.js';
import { compileGlob, type Glob } from './glob.js';
import type { ActionMatcher, ParsedPolicy, ParsedStatement, PolicyKind, PolicyVersion } from './parsed-policy.js';
import { PolicyError, policyMessages, type PolicyMessages } from './policy-error.js';
import { parsePrincipalSpec, type PrincipalSpec } from './principal-spec.js';

export interface ParsePolicyOptions {
  kind: PolicyKind;
  /** Size limit of the document in UTF-8 bytes. */
  maxBytes: number;
  /** IAM does not count whitespace against its policy size quotas; S3 counts the document as sent. */
  sizeIgnoresWhitespace?: boolean;
}

const topLevelKeys = new Set(['Version', 'Id', 'Statement']);
const statementKeys = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const actionPattern = /^[A-Za-z0-9-]+:\S+$/;
// Tag keys may contain spaces (aws:RequestTag/Cost Center), so only the service prefix is checked.
const conditionKeyPattern = /^[A-Za-z0-9-]+:.+$/;
const iamSidPattern = /^[0-9A-Za-z]*$/;

/** Throws PolicyError with AWS's message (IAM wording for identity/trust, S3 wording for resource policies). */
export function parsePolicy(text: string, options: ParsePolicyOptions): ParsedPolicy {
  assert(options.maxBytes > 0, 'maxBytes must be positive');
  const m: PolicyMessages = options.kind === 'resource' ? policyMessages.s3 : policyMessages.iam;
  const sizeBytes = Buffer.byteLength(options.sizeIgnoresWhitespace ? text.replace(/\s+/g, '') : text, 'utf8');
  if (sizeBytes > options.maxBytes) {
    throw new PolicyError(m.size(options.maxBytes), `policy is ${sizeBytes} bytes; the limit is ${options.maxBytes}`, 'size');
  }
  if (text.trimStart()[0] !== '{') throw new PolicyError(m.notJson, 'the document must be a JSON object');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new PolicyError(m.syntax, `invalid JSON: ${(err as Error).message}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) throw new PolicyError(m.syntax, `duplicate key "${duplicate}" in one JSON object`);
  const root = document as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!topLevelKeys.has(key)) throw new PolicyError(m.unknownField(key), `unknown top-level element "${key}"`);

  const version = parseVersion(root.Version, m);
  if (root.Id !== undefined && typeof root.Id !== 'string') throw new PolicyError(m.syntax, 'Id must be a string');
  if (!has(root, 'Statement')) throw new PolicyError(m.missingStatement, 'the policy has no Statement');
  const rawStatements = Array.isArray(root.Statement) ? root.Statement : [root.Statement];
  if (rawStatements.length === 0) throw new PolicyError(m.emptyStatement, 'Statement is an empty list');

  const context: StatementContext = { kind: options.kind, m, variables: version === '2012-10-17' };
  const statements = rawStatements.map((raw, index) => parseStatement(raw, index, context));
  if (options.kind !== 'resource') checkSids(statements, m);
  return { kind: options.kind, version, id: root.Id as string | undefined, statements, sizeBytes };
}

function parseVersion(value: unknown, m: PolicyMessages): PolicyVersion {
  // Without a Version, AWS applies the 2008-10-17 language: no policy variables.
  if (value === undefined) return '2008-10-17';
  if (value === '2012-10-17' || value === '2008-10-17') return value;
  throw new PolicyError(m.version, `Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(value)}`);
}

interface StatementContext {
  kind: PolicyKind;
  m: PolicyMessages;
  variables: boolean;
}

function parseStatement(raw: unknown, index: number, ctx: StatementContext): ParsedStatement {
  const { m, kind } = ctx;
  const at = `Statement[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PolicyError(m.syntax, `${at} must be an object`);
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!statementKeys.has(key)) throw new PolicyError(m.unknownField(key), `${at}: unknown element "${key}"`);

  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyError(m.syntax, `${at}.Sid must be a string`);
  if (!has(s, 'Effect')) throw new PolicyError(m.missingEffect, `${at} has no Effect`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError(m.effect(String(s.Effect)), `${at}.Effect must be "Allow" or "Deny", not ${JSON.stringify(s.Effect)}`);

  const { principal, notPrincipal } = parsePrincipalElement(s, at, ctx);
  const both = (a: string, b: string): PolicyError => new PolicyError(m.syntax, `${at} has both ${a} and ${b}`);
  if (has(s, 'Action') && has(s, 'NotAction')) throw both('Action', 'NotAction');
  if (!has(s, 'Action') && !has(s, 'NotAction')) throw new PolicyError(m.missingAction, `${at} has neither Action nor NotAction`);
  const notAction = has(s, 'NotAction');
  const actions = parseActions(notAction ? s.NotAction : s.Action, `${at}.${notAction ? 'NotAction' : 'Action'}`, m);

  if (has(s, 'Resource') && has(s, 'NotResource')) throw both('Resource', 'NotResource');
  const notResource = has(s, 'NotResource');
  let resources: ArnPattern[] | undefined;
  if (kind === 'trust') {
    if (has(s, 'Resource') || notResource) throw new PolicyError(m.prohibitedResource, `${at}: a trust policy applies to its role and must not name resources`);
  } else {
    if (!has(s, 'Resource') && !notResource) throw new PolicyError(m.missingResource, `${at} has neither Resource nor NotResource`);
    resources = parseResources(notResource ? s.NotResource : s.Resource, `${at}.${notResource ? 'NotResource' : 'Resource'}`, ctx);
  }
  const conditions = has(s, 'Condition') ? parseConditions(s.Condition, `${at}.Condition`, ctx) : [];
  return {
    index, sid: s.Sid as string | undefined, effect: s.Effect, principal, notPrincipal,
    actions, notAction, resources, notResource, conditions,
  };
}

function parsePrincipalElement(s: Record<string, unknown>, at: string, ctx: StatementContext): { principal: PrincipalSpec | undefined; notPrincipal: boolean } {
  const { m, kind } = ctx;
  const hasPrincipal = has(s, 'Principal');
  const hasNot = has(s, 'NotPrincipal');
  if (kind === 'identity') {
    if (hasPrincipal || hasNot) throw new PolicyError(m.principalNotAllowed, `${at}: identity-based policies apply to the identity they are attached to`);
    return { principal: undefined, notPrincipal: false };
  }
  if (hasPrincipal && hasNot) throw new PolicyError(m.syntax, `${at} has both Principal and NotPrincipal`);
  if (!hasPrincipal && !hasNot) throw new PolicyError(m.missingPrincipal, `${at} has no Principal`);
  if (hasNot && kind === 'trust') throw new PolicyError(m.notPrincipalInTrust, `${at}: NotPrincipal cannot be used in a role trust policy`);
  const element = hasPrincipal ? 'Principal' : 'NotPrincipal';
  return { principal: parsePrincipalSpec(s[element], m, `${at}.${element}`), notPrincipal: hasNot };
}

function parseActions(value: unknown, at: string, m: PolicyMessages): ActionMatcher {
  const list = stringList(value, at, m);
  const exact = new Set<string>();
  const globs: Glob[] = [];
  for (const action of list) {
    if (action !== '*' && !actionPattern.test(action)) {
      throw new PolicyError(m.invalidAction(action), `${at}: "${action}" must be "*" or service:ActionName (e.g. s3:GetObject)`);
    }
    const lower = action.toLowerCase();
    if (lower.includes('*') || lower.includes('?')) globs.push(compileGlob(lower));
    else exact.add(lower);
  }
  return { raw: list, exact, globs };
}

function parseResources(value: unknown, at: string, ctx: StatementContext): ArnPattern[] {
  const list = stringList(value, at, ctx.m);
  return list.map((resource) => {
    if (resource !== '*' && !resource.startsWith('arn:')) {
      throw new PolicyError(ctx.m.invalidResource(resource), `${at}: "${resource}" must be an ARN or "*"`);
    }
    return compileArnPattern(resource, ctx.variables);
  });
}

function parseConditions(value: unknown, at: string, ctx: StatementContext): CompiledCondition[] {
  const { m } = ctx;
  if (!isPlainObject(value)) throw new PolicyError(m.syntax, `${at} must be an object of operator → {key: values}`);
  const out: CompiledCondition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const parsed = parseOperator(operator);
    if (!parsed) throw new PolicyError(m.conditionOperator(operator), `${at}: unknown condition operator "${operator}"`);
    if (!isPlainObject(block)) throw new PolicyError(m.syntax, `${at}.${operator} must be an object of key → values`);
    for (const [key, raw] of Object.entries(block)) {
      if (!conditionKeyPattern.test(key)) throw new PolicyError(m.conditionKey(key), `${at}.${operator}: condition key "${key}" needs a service prefix (e.g. aws:SourceIp)`);
      const values = Array.isArray(raw) ? raw : [raw];
      const texts = values.map((v) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean') return String(v);
        throw new PolicyError(m.syntax, `${at}.${operator}.${key}: values must be strings, numbers or booleans`);
      });
      out.push(compileCondition(operator, parsed, key, texts, ctx.variables));
    }
  }
  return out;
}

function checkSids(statements: readonly ParsedStatement[], m: PolicyMessages): void {
  const seen = new Set<string>();
  for (const st of statements) {
    if (st.sid === undefined || st.sid === '') continue;
    if (!iamSidPattern.test(st.sid)) throw new PolicyError(m.sid, `Statement[${st.index}].Sid "${st.sid}" has characters other than A-Z, a-z, 0-9`);
    if (seen.has(st.sid)) throw new PolicyError(m.duplicateSid, `Sid "${st.sid}" is used by more than one statement`);
    seen.add(st.sid);
  }
}

function stringList(value: unknown, at: string, m: PolicyMessages): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new PolicyError(m.syntax, `${at} is an empty list`);
  for (const item of list) {
    if (typeof item !== 'string' || item === '') throw new PolicyError(m.syntax, `${at} must be a string or a list of non-empty strings`);
  }
  return list as string[];
}

function has(o: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The first key that appears twice in one JSON object, if any. JSON.parse silently keeps the last
 * one; AWS rejects such documents ("Individual elements must not contain multiple instances of the
 * same key"), and accepting them would let two readers of one policy disagree. `text` is valid JSON.
 */
export function findDuplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectingKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectingKey = false;
      }
      i = j;
    } else if (c === 123 /* { */) {
      stack.push(new Set());
      expectingKey = true;
    } else if (c === 91 /* [ */) {
      stack.push(null);
      expectingKey = false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectingKey = false;
    } else if (c === 44 /* , */) {
      expectingKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}
