// The AWS Query protocol (IAM, STS): form-encoded parameters in, <ActionResponse><ActionResult> XML out.
import { S3Error } from '../core/errors.js';
import { el, escapeXml } from './xml.js';

export type QueryParams = URLSearchParams;

export function parseQueryParams(formBody: string, rawQuery: string): QueryParams {
  const params = new URLSearchParams(rawQuery);
  for (const [name, value] of new URLSearchParams(formBody)) params.set(name, value);
  return params;
}

/** `Name.member.1`, `Name.member.2`, … in order. */
export function memberList(params: QueryParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) out.push(params.get(`${name}.member.${i}`)!);
  return out;
}

/** `Name.member.1.Field`, … as records (e.g. Tags.member.N.Key / .Value, PolicyArns.member.N.arn). */
export function memberStructs(params: QueryParams, name: string, fields: string[]): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 1; fields.some((f) => params.has(`${name}.member.${i}.${f}`)); i++) {
    const record: Record<string, string> = {};
    for (const field of fields) {
      const value = params.get(`${name}.member.${i}.${field}`);
      if (value !== null) record[field] = value;
    }
    out.push(record);
  }
  return out;
}

export function requiredParam(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new S3Error('ValidationError', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** Checks a parameter against AWS's documented length and pattern constraints. */
export function constrainedParam(params: QueryParams, name: string, rule: { min: number; max: number; pattern?: RegExp }, required: boolean): string | undefined {
  const value = params.get(name);
  if (value === null) {
    if (required) requiredParam(params, name);
    return undefined;
  }
  const field = name.charAt(0).toLowerCase() + name.slice(1);
  if (value.length < rule.min || value.length > rule.max) {
    throw new S3Error('ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length ${value.length < rule.min ? 'greater than or equal to ' + rule.min : 'less than or equal to ' + rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw new S3Error('ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  }
  return value;
}

export function queryResponse(action: string, namespace: string, resultXml: string | undefined, requestId: string): string {
  const result = resultXml === undefined ? '' : `<${action}Result>${resultXml}</${action}Result>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${escapeXml(namespace)}">${result}<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`;
}
