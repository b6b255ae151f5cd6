// The POST Object policy document: parsed from base64 JSON, then checked against the form's fields.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html#HTTPPOSTConstructPolicy
import { S3Error } from '../core/errors.js';

export type PostCondition =
  | {
    kind: 'eq' | 'starts-with';
    /** Lower-case field name without the `$` (form field names are case-insensitive). */
    field: string;
    value: string;
    /** How AWS names the condition in "Policy Condition failed: …". */
    shown: string;
  }
  | { kind: 'content-length-range'; min: number; max: number; shown: string };

export interface PostPolicy {
  expirationMs: number;
  conditions: PostCondition[];
}

/** One form field as the policy sees it: the name as sent and the value after `${filename}` expansion. */
export interface PolicyField {
  name: string;
  value: string;
}

/** Fields no condition has to name (the policy, the signature, the file, `x-ignore-*`). */
const exemptFields = new Set(['policy', 'file', 'x-amz-signature', 'signature', 'awsaccesskeyid']);

const expirationPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Decodes and validates the policy; every structural problem is InvalidPolicyDocument (400), as on AWS. */
export function parsePostPolicy(base64: string): PostPolicy {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalid('Invalid JSON.');
  const { expiration, conditions } = document as Record<string, unknown>;
  // Element names are case-sensitive: "EXPIRATION" is no expiration.
  if (expiration === undefined) throw invalid('Policy missing expiration.');
  const expirationMs = typeof expiration === 'string' ? parseExpiration(expiration) : undefined;
  if (expirationMs === undefined) throw invalid(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) throw invalid('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalid("Invalid 'conditions' value: must be a List.");
  return { expirationMs, conditions: conditions.map(parseCondition) };
}

function parseExpiration(text: string): number | undefined {
  const m = expirationPattern.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(text);
  // Date.parse accepts 2026-02-30; a round trip of the date part does not.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text.slice(0, 10) ? undefined : ms;
}

function parseCondition(condition: unknown): PostCondition {
  if (typeof condition === 'object' && condition !== null && !Array.isArray(condition)) {
    const entries = Object.entries(condition);
    if (entries.length !== 1) throw invalid('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0]!;
    if (typeof value !== 'string') throw invalid(`Invalid Simple-Condition: the value of "${name}" must be a string.`);
    return { kind: 'eq', field: name.toLowerCase(), value, shown: show(['eq', `$${name}`, value]) };
  }
  if (!Array.isArray(condition) || typeof condition[0] !== 'string') throw invalid('Invalid Condition: a condition is an object or a list that starts with its operator.');
  const operator = condition[0].toLowerCase();
  if (operator === 'eq' || operator === 'starts-with') {
    const [, field, value] = condition as unknown[];
    if (condition.length !== 3 || typeof field !== 'string' || !field.startsWith('$') || typeof value !== 'string') {
      throw invalid(`Invalid Condition: "${condition[0]}" takes a "$field" and a string value.`);
    }
    return { kind: operator, field: field.slice(1).toLowerCase(), value, shown: show([condition[0], field, value]) };
  }
  if (operator === 'content-length-range') {
    const [, min, max] = condition as unknown[];
    const low = lengthBound(min);
    const high = lengthBound(max);
    if (condition.length !== 3 || low === undefined || high === undefined || low > high) {
      throw invalid('Invalid content-length-range: give a minimum and a maximum, whole numbers of bytes, minimum first.');
    }
    return { kind: 'content-length-range', min: low, max: high, shown: show([condition[0], low, high]) };
  }
  throw invalid(`Invalid Condition: unknown operator "${condition[0]}".`);
}

/** A non-negative whole number, given as a JSON number or a string of digits. */
function lengthBound(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** `["starts-with", "$key", "user/"]`: AWS's rendering of a condition in its messages. */
function show(parts: readonly (string | number)[]): string {
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

/**
 * Checks expiration, every condition and that each field is named by a condition. `fields` are keyed by
 * lower-case name. Returns the allowed size range (the intersection of content-length-range conditions),
 * which the caller enforces while the file streams.
 */
export function checkPostPolicy(policy: PostPolicy, fields: ReadonlyMap<string, PolicyField>, bucket: string, nowMs: number): { sizeBytesMin: number; sizeBytesMax: number } {
  if (nowMs > policy.expirationMs) throw denied('Policy expired.');
  let sizeBytesMin = 0;
  let sizeBytesMax = Number.MAX_SAFE_INTEGER;
  const named = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      sizeBytesMin = Math.max(sizeBytesMin, condition.min);
      sizeBytesMax = Math.min(sizeBytesMax, condition.max);
      continue;
    }
    named.add(condition.field);
    // The bucket is the one the form was posted to; an absent field compares as empty.
    const actual = condition.field === 'bucket' ? bucket : (fields.get(condition.field)?.value ?? '');
    const holds = condition.kind === 'eq' ? actual === condition.value : actual.startsWith(condition.value);
    if (!holds) throw denied(`Policy Condition failed: ${condition.shown}`);
  }
  for (const [lower, field] of fields) {
    if (exemptFields.has(lower) || lower.startsWith('x-ignore-') || named.has(lower)) continue;
    throw denied(`Extra input fields: ${field.name}`);
  }
  return { sizeBytesMin, sizeBytesMax };
}

function invalid(detail: string): S3Error {
  return new S3Error('InvalidPolicyDocument', `Invalid Policy: ${detail}`);
}

function denied(detail: string): S3Error {
  return new S3Error('AccessDenied', `Invalid according to Policy: ${detail}`);
}
