// IAM request parameters checked against the botocore IAM model's constraints, with AWS's ValidationError wording.
import { S3Error } from '../../core/errors.js';
import { memberStructs, type QueryParams } from '../../protocol/query-protocol.js';
import type { IamTag } from '../../storage/iam-store.js';

/** A string shape of the model: length bounds and the pattern AWS prints in its message. */
export interface StringShape {
  min: number;
  max: number;
  /** The model's pattern, matched against the whole value. */
  pattern?: string;
  /** Flags for the compiled pattern ('u' for \p{…}). */
  flags?: string;
}

const namePattern = '[\\w+=,.@-]+';

/** Shapes from botocore's data/iam/2010-05-08/service-2.json. */
export const shapes = {
  userName: { min: 1, max: 64, pattern: namePattern },
  existingUserName: { min: 1, max: 128, pattern: namePattern },
  roleName: { min: 1, max: 64, pattern: namePattern },
  groupName: { min: 1, max: 128, pattern: namePattern },
  policyName: { min: 1, max: 128, pattern: namePattern },
  path: { min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
  pathPrefix: { min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' },
  policyPath: { min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' },
  policyDocument: { min: 1, max: 131_072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' },
  roleDescription: { min: 0, max: 1000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' },
  policyDescription: { min: 0, max: 1000 },
  arn: { min: 20, max: 2048 },
  accessKeyId: { min: 16, max: 128, pattern: '[\\w]+' },
  policyVersionId: { min: 1, max: 128, pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
  marker: { min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' },
  tagKey: { min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+', flags: 'u' },
  tagValue: { min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*', flags: 'u' },
} as const satisfies Record<string, StringShape>;

const compiled = new Map<string, RegExp>();

function matches(shape: StringShape, value: string): boolean {
  if (shape.pattern === undefined) return true;
  const id = `${shape.flags ?? ''}/${shape.pattern}`;
  let re = compiled.get(id);
  if (!re) {
    re = new RegExp(`^(?:${shape.pattern})$`, shape.flags);
    compiled.set(id, re);
  }
  return re.test(value);
}

/** The member name AWS puts in validation messages: `UserName` → `userName`. */
function fieldOf(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function validationError(detail: string): S3Error {
  return new S3Error('ValidationError', `1 validation error detected: ${detail}`);
}

/** Checks a value against a shape; `field` is the member name shown in the message. */
export function checkString(value: string, field: string, shape: StringShape): string {
  if (value.length < shape.min || value.length > shape.max) {
    const bound = value.length < shape.min ? `greater than or equal to ${shape.min}` : `less than or equal to ${shape.max}`;
    throw validationError(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length ${bound}`);
  }
  if (!matches(shape, value)) {
    throw validationError(`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  return value;
}

export function optionalString(params: QueryParams, name: string, shape: StringShape): string | undefined {
  const value = params.get(name);
  return value === null ? undefined : checkString(value, fieldOf(name), shape);
}

export function requiredString(params: QueryParams, name: string, shape: StringShape): string {
  const value = params.get(name);
  if (value === null) throw validationError(`Value null at '${fieldOf(name)}' failed to satisfy constraint: Member must not be null`);
  return checkString(value, fieldOf(name), shape);
}

export function optionalInteger(params: QueryParams, name: string, bounds: { min: number; max: number }): number | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  const field = fieldOf(name);
  if (!/^-?\d{1,15}$/.test(text)) throw validationError(`Value '${text}' at '${field}' failed to satisfy constraint: Member must be an integer`);
  const value = Number(text);
  if (value < bounds.min) throw validationError(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${bounds.min}`);
  if (value > bounds.max) throw validationError(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${bounds.max}`);
  return value;
}

export function optionalBoolean(params: QueryParams, name: string): boolean | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw validationError(`Value '${text}' at '${fieldOf(name)}' failed to satisfy constraint: Member must be a boolean`);
}

export function optionalEnum<T extends string>(params: QueryParams, name: string, values: readonly T[]): T | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  if (!(values as readonly string[]).includes(text)) {
    throw validationError(`Value '${text}' at '${fieldOf(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return text as T;
}

/** `Tags.member.N.Key/Value`: at most 50, keys unique regardless of case (InvalidInput otherwise). */
export function tagsParam(params: QueryParams): IamTag[] {
  const raw = memberStructs(params, 'Tags', ['Key', 'Value']);
  if (raw.length > 50) throw validationError(`Value '[…]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
  const seen = new Set<string>();
  return raw.map((tag, i) => {
    if (tag['Key'] === undefined) throw validationError(`Value null at 'tags.${i + 1}.member.key' failed to satisfy constraint: Member must not be null`);
    if (tag['Value'] === undefined) throw validationError(`Value null at 'tags.${i + 1}.member.value' failed to satisfy constraint: Member must not be null`);
    const key = checkString(tag['Key'], `tags.${i + 1}.member.key`, shapes.tagKey);
    const value = checkString(tag['Value'], `tags.${i + 1}.member.value`, shapes.tagValue);
    if (key.toLowerCase().startsWith('aws:')) throw new S3Error('InvalidInput', 'User-defined tag keys can\'t start with "aws:". This prefix is reserved for AWS tags.');
    if (seen.has(key.toLowerCase())) throw new S3Error('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    return { key, value };
  });
}

const maxItemsDefault = 100;

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** Opaque continuation: give it back as Marker. */
  marker: string | undefined;
}

/**
 * Marker/MaxItems paging over a list already in order, where `keyOf` gives each item a unique key
 * that grows along the list. The marker is the last returned key, so entities created or deleted
 * between pages neither repeat nor shift the rest.
 */
export function paginate<T>(params: QueryParams, items: readonly T[], keyOf: (item: T) => string): Page<T> {
  const maxItems = optionalInteger(params, 'MaxItems', { min: 1, max: 1000 }) ?? maxItemsDefault;
  const marker = optionalString(params, 'Marker', shapes.marker);
  let start = 0;
  if (marker !== undefined) {
    const after = Buffer.from(marker, 'base64url').toString('utf8');
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + maxItems);
  const isTruncated = start + page.length < items.length;
  return {
    items: page,
    isTruncated,
    marker: isTruncated ? Buffer.from(keyOf(page[page.length - 1]!), 'utf8').toString('base64url') : undefined,
  };
}

/** Orders entities as IAM lists them (by name, letter case ignored) and gives the matching paging key. */
export function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareKeys(nameKey(a), nameKey(b)));
}

export function nameKey(item: { name: string }): string {
  return `${item.name.toLowerCase()}\0${item.name}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
