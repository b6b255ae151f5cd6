// Condition operators: compiled once from the policy's Condition block, evaluated against the request context.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html

import { compileArnPattern, arnMatches, splitArn, type ArnPattern } from './arn-pattern.js';
import { compileGlob, globMatches, type Glob } from './glob.js';
import { cidrContains, parseCidr, parseIpAddress, type Cidr } from './ip-address.js';
import { parseTemplate, resolveTemplate, resolveTemplateGlob, type TemplatePart, type VariableLookup } from './policy-template.js';

type Family = 'String' | 'StringIgnoreCase' | 'StringLike' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';
type Comparison = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

interface OperatorSpec {
  family: Family;
  negated: boolean;
  comparison: Comparison;
}

/** Lower-cased operator name → spec. A Map, so names like "constructor" are not found on Object.prototype. */
const operatorSpecs: ReadonlyMap<string, OperatorSpec> = (() => {
  const specs = new Map<string, OperatorSpec>();
  const define = (name: string, family: Family, negated = false, comparison: Comparison = 'eq'): void => {
    specs.set(name.toLowerCase(), { family, negated, comparison });
  };
  define('StringEquals', 'String');
  define('StringNotEquals', 'String', true);
  define('StringEqualsIgnoreCase', 'StringIgnoreCase');
  define('StringNotEqualsIgnoreCase', 'StringIgnoreCase', true);
  define('StringLike', 'StringLike');
  define('StringNotLike', 'StringLike', true);
  for (const family of ['Numeric', 'Date'] as const) {
    define(`${family}Equals`, family);
    define(`${family}NotEquals`, family, true);
    define(`${family}LessThan`, family, false, 'lt');
    define(`${family}LessThanEquals`, family, false, 'lte');
    define(`${family}GreaterThan`, family, false, 'gt');
    define(`${family}GreaterThanEquals`, family, false, 'gte');
  }
  define('Bool', 'Bool');
  define('BinaryEquals', 'Binary');
  define('IpAddress', 'IpAddress');
  define('NotIpAddress', 'IpAddress', true);
  define('ArnEquals', 'Arn');
  define('ArnLike', 'Arn');
  define('ArnNotEquals', 'Arn', true);
  define('ArnNotLike', 'Arn', true);
  define('Null', 'Null');
  return specs;
})();

/** Families whose values may hold policy variables (AWS: string, ARN and Boolean operators). */
const variableFamilies: ReadonlySet<Family> = new Set(['String', 'StringIgnoreCase', 'StringLike', 'Bool', 'Arn']);

/** One compiled value of a condition; which field is set depends on the operator family. */
interface CompiledValue {
  text?: string;
  template?: TemplatePart[];
  glob?: Glob;
  arn?: ArnPattern;
  number?: number;
  cidr?: Cidr;
  bytes?: Buffer;
  nullIsTrue?: boolean;
}

export interface CompiledCondition {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Condition key as written, and lower-cased for lookup (key names are case-insensitive). */
  readonly key: string;
  readonly keyLower: string;
  readonly family: Family;
  readonly negated: boolean;
  readonly comparison: Comparison;
  readonly set: 'any' | 'all' | undefined;
  readonly ifExists: boolean;
  readonly values: readonly CompiledValue[];
  /** The policy values as written, for explanations. */
  readonly rawValues: readonly string[];
}

export interface ParsedOperator {
  spec: OperatorSpec;
  set: 'any' | 'all' | undefined;
  ifExists: boolean;
}

/** Parses `ForAllValues:StringLikeIfExists` etc.; undefined for an unknown operator. Case-insensitive. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let name = operator.toLowerCase();
  let set: ParsedOperator['set'];
  if (name.startsWith('forallvalues:')) {
    set = 'all';
    name = name.slice('forallvalues:'.length);
  } else if (name.startsWith('foranyvalue:')) {
    set = 'any';
    name = name.slice('foranyvalue:'.length);
  }
  let ifExists = false;
  if (name.endsWith('ifexists')) {
    ifExists = true;
    name = name.slice(0, -'ifexists'.length);
  }
  const spec = operatorSpecs.get(name);
  if (!spec || (ifExists && spec.family === 'Null') || (set && spec.family === 'Null')) return undefined;
  return { spec, set, ifExists };
}

/** Compiles one `operator: { key: values }` entry. Values the operator cannot use (bad number, bad CIDR) never match. */
export function compileCondition(operator: string, parsed: ParsedOperator, key: string, rawValues: readonly string[], variablesEnabled: boolean): CompiledCondition {
  const { spec } = parsed;
  const variables = variablesEnabled && variableFamilies.has(spec.family);
  const values = rawValues.map((raw) => compileValue(spec.family, raw, variables));
  return {
    operator, key, keyLower: key.toLowerCase(), family: spec.family, negated: spec.negated, comparison: spec.comparison,
    set: parsed.set, ifExists: parsed.ifExists, values, rawValues,
  };
}

function compileValue(family: Family, raw: string, variables: boolean): CompiledValue {
  const template = variables ? parseTemplate(raw, true) : undefined;
  switch (family) {
    case 'String':
      return template ? { template } : { text: raw };
    case 'StringIgnoreCase':
      return template ? { template } : { text: raw.toLowerCase() };
    case 'Bool':
      return template ? { template } : { text: raw.toLowerCase() };
    case 'StringLike':
      return template ? { template } : { glob: compileGlob(raw) };
    case 'Arn':
      return { arn: compileArnPattern(raw, variables) };
    case 'Numeric':
      return { number: parseNumber(raw) };
    case 'Date':
      return { number: parseDate(raw) };
    case 'IpAddress':
      return { cidr: parseCidr(raw.trim()) };
    case 'Binary':
      return { bytes: Buffer.from(raw, 'base64') };
    case 'Null':
      return { nullIsTrue: raw.toLowerCase() === 'true' ? true : raw.toLowerCase() === 'false' ? false : undefined };
  }
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(text: string): number {
  return numberPattern.test(text) ? Number(text) : NaN;
}

/** ISO-8601 (W3C profile) or epoch seconds, as AWS documents for Date operators; NaN when invalid. */
export function parseDate(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  return /^\d{4}(-\d\d(-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?)?)?$/.test(text) ? Date.parse(text) : NaN;
}

export type ContextValue = string | readonly string[];

/** The context the conditions read: lower-cased key → value(s). */
export type ConditionContext = ReadonlyMap<string, ContextValue>;

export function conditionHolds(condition: CompiledCondition, context: ConditionContext, lookup: VariableLookup): boolean {
  const raw = context.get(condition.keyLower);
  const values: readonly string[] = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (condition.family === 'Null') {
    const absent = values.length === 0;
    return condition.values.some((v) => v.nullIsTrue === absent);
  }
  const missing = values.length === 0;
  if (missing && condition.ifExists) return true;
  if (condition.set) {
    // AWS: ForAllValues is true when the key is missing or resolves to an empty data set (such as an
    // empty string); ForAnyValue is false then.
    const empty = missing || (values.length === 1 && values[0] === '');
    if (empty) return condition.set === 'all';
    const matchOne = (v: string): boolean => valueMatches(condition, v, lookup) !== condition.negated;
    return condition.set === 'all' ? values.every(matchOne) : values.some(matchOne);
  }
  // Missing key: false, except for negated operators, which are true.
  if (missing) return condition.negated;
  const positive = values.some((v) => valueMatches(condition, v, lookup));
  return positive !== condition.negated;
}

/** Whether one request value matches any of the condition's policy values (before negation). */
function valueMatches(condition: CompiledCondition, value: string, lookup: VariableLookup): boolean {
  switch (condition.family) {
    case 'String':
    case 'StringIgnoreCase':
    case 'Bool': {
      const folded = condition.family === 'String' ? value : value.toLowerCase();
      for (const v of condition.values) {
        let expected = v.text;
        if (v.template) {
          expected = resolveTemplate(v.template, lookup);
          if (expected !== undefined && condition.family !== 'String') expected = expected.toLowerCase();
        }
        if (expected !== undefined && expected === folded) return true;
      }
      return false;
    }
    case 'StringLike':
      for (const v of condition.values) {
        const glob = v.glob ?? resolveTemplateGlob(v.template!, lookup);
        if (glob && globMatches(glob, value)) return true;
      }
      return false;
    case 'Arn': {
      const segments = splitArn(value);
      return condition.values.some((v) => arnMatches(v.arn!, value, segments, lookup));
    }
    case 'Numeric':
    case 'Date': {
      const actual = condition.family === 'Numeric' ? parseNumber(value) : parseDate(value);
      if (Number.isNaN(actual)) return false;
      return condition.values.some((v) => compare(actual, v.number!, condition.comparison));
    }
    case 'IpAddress': {
      const address = parseIpAddress(value.trim());
      if (!address) return false;
      return condition.values.some((v) => v.cidr !== undefined && cidrContains(v.cidr, address));
    }
    case 'Binary': {
      const actual = Buffer.from(value, 'base64');
      return condition.values.some((v) => v.bytes!.equals(actual));
    }
    case 'Null':
      return false;
  }
}

function compare(actual: number, expected: number, comparison: Comparison): boolean {
  if (Number.isNaN(expected)) return false;
  switch (comparison) {
    case 'eq':
      return actual === expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
  }
}
