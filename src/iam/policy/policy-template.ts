// Policy variables (`${aws:username}`, `${s3:prefix}`, `${key, 'default'}`, escapes `${*}` `${?}` `${$}`) in
// Resource and condition values: split once at parse time, resolved per request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

import { globFromPieces, type Glob, type GlobPiece } from './glob.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `key` is lower-cased (condition key names are case-insensitive); `fallback` is the `'default'` text. */
  | { kind: 'variable'; key: string; name: string; fallback: string | undefined }
  /** `${*}`, `${?}`, `${$}`: the literal character, never a wildcard. */
  | { kind: 'char'; char: string };

/** Returns the request value of a single-valued key (lower-cased name), undefined when absent. */
export type VariableLookup = (keyLower: string) => string | undefined;

const variablePattern = /^([A-Za-z0-9_.-]+:[^,'\s}]+)(?:\s*,\s*'([^']*)')?$/;

/**
 * Splits text into template parts, or returns undefined when it holds no variable or escape
 * (the common case, so callers keep a precompiled static form). Only policies with
 * Version 2012-10-17 have variables; callers pass `enabled` = false for 2008-10-17.
 */
export function parseTemplate(text: string, enabled: boolean): TemplatePart[] | undefined {
  if (!enabled || !text.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    const inner = text.slice(open + 2, close).trim();
    let part: TemplatePart | undefined;
    if (inner === '*' || inner === '?' || inner === '$') {
      part = { kind: 'char', char: inner };
    } else {
      const m = variablePattern.exec(inner);
      if (m) part = { kind: 'variable', key: m[1]!.toLowerCase(), name: m[1]!, fallback: m[2] };
    }
    if (!part) {
      // Not a variable (e.g. `${foo}` without a service prefix): keep the text as written.
      plain += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    plain += text.slice(i, open);
    if (plain) parts.push({ kind: 'text', text: plain });
    plain = '';
    parts.push(part);
    i = close + 1;
  }
  plain += text.slice(i);
  if (plain) parts.push({ kind: 'text', text: plain });
  return parts.some((p) => p.kind !== 'text') ? parts : undefined;
}

/** The resolved string (wildcards not special), or undefined when a variable cannot be resolved. */
export function resolveTemplate(parts: readonly TemplatePart[], lookup: VariableLookup): string | undefined {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'char') out += part.char;
    else {
      const value = lookup(part.key) ?? part.fallback;
      if (value === undefined) return undefined;
      out += value;
    }
  }
  return out;
}

/**
 * Resolves to a glob where `*`/`?` written in the policy are wildcards and everything substituted
 * (variable values, escapes) is literal. Undefined when a variable cannot be resolved.
 */
export function resolveTemplateGlob(parts: readonly TemplatePart[], lookup: VariableLookup, caseFold = false): Glob | undefined {
  const pieces: GlobPiece[] = [];
  for (const part of parts) {
    if (part.kind === 'text') pieces.push({ text: caseFold ? part.text.toLowerCase() : part.text, wildcards: true });
    else if (part.kind === 'char') pieces.push({ text: part.char, wildcards: false });
    else {
      const value = lookup(part.key) ?? part.fallback;
      if (value === undefined) return undefined;
      pieces.push({ text: caseFold ? value.toLowerCase() : value, wildcards: false });
    }
  }
  return globFromPieces(pieces);
}
