// ARN patterns for Resource/NotResource and the Arn* condition operators: matched per colon-separated segment.
//
// AWS: "You can use wildcard characters (* and ?) within any ARN segment (the parts separated by
// colons)" and the `*` in the resource part (everything after the fifth colon) "can expand to
// replace everything within a segment, including characters like a forward slash".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html

import { compileGlob, globMatches, type Glob } from './glob.js';
import { parseTemplate, resolveTemplateGlob, type TemplatePart, type VariableLookup } from './policy-template.js';

const arnSegments = 6;

type SegmentPattern = { glob: Glob; template?: undefined } | { glob?: undefined; template: TemplatePart[] };

export interface ArnPattern {
  readonly raw: string;
  /** `*`: matches every resource. */
  readonly any: boolean;
  /** Six segment patterns (partition…resource); undefined for the fallback below. */
  readonly segments: SegmentPattern[] | undefined;
  /**
   * Patterns with fewer than six segments (`arn:aws:s3*`) are matched as one string in which `*` also
   * crosses colons. AWS documents no behaviour for them; this is the lenient reading.
   */
  readonly whole: SegmentPattern | undefined;
}

export function compileArnPattern(raw: string, variablesEnabled: boolean): ArnPattern {
  if (raw === '*') return { raw, any: true, segments: undefined, whole: undefined };
  const parts = parseTemplate(raw, variablesEnabled);
  const segmentTexts = parts ? splitTemplate(parts) : splitArn(raw);
  if (!segmentTexts) {
    return { raw, any: false, segments: undefined, whole: parts ? { template: parts } : { glob: compileGlob(raw) } };
  }
  const segments = segmentTexts.map((segment): SegmentPattern =>
    typeof segment === 'string' ? { glob: compileGlob(segment) } : toSegment(segment),
  );
  return { raw, any: false, segments, whole: undefined };
}

function toSegment(parts: TemplatePart[]): SegmentPattern {
  if (parts.every((p) => p.kind === 'text')) return { glob: compileGlob(parts.map((p) => (p as { text: string }).text).join('')) };
  return { template: parts };
}

/** Splits a value into its six segments (the last keeps any further colons); undefined if not an ARN. */
export function splitArn(value: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < arnSegments - 1; i++) {
    const colon = value.indexOf(':', start);
    if (colon < 0) return undefined;
    out.push(value.slice(start, colon));
    start = colon + 1;
  }
  out.push(value.slice(start));
  return out;
}

/** Like splitArn, but over template parts: only colons written in the policy text separate segments. */
function splitTemplate(parts: TemplatePart[]): TemplatePart[][] | undefined {
  const segments: TemplatePart[][] = [[]];
  for (const part of parts) {
    if (part.kind !== 'text' || segments.length === arnSegments) {
      segments[segments.length - 1]!.push(part);
      continue;
    }
    let rest = part.text;
    let colon = rest.indexOf(':');
    while (colon >= 0 && segments.length < arnSegments) {
      if (colon > 0) segments[segments.length - 1]!.push({ kind: 'text', text: rest.slice(0, colon) });
      segments.push([]);
      rest = rest.slice(colon + 1);
      colon = rest.indexOf(':');
    }
    if (rest) segments[segments.length - 1]!.push({ kind: 'text', text: rest });
  }
  return segments.length === arnSegments ? segments : undefined;
}

/**
 * Whether `value` matches. `valueSegments` is splitArn(value), passed in so a resource ARN is split
 * once per request rather than once per pattern. An unresolvable policy variable never matches.
 */
export function arnMatches(pattern: ArnPattern, value: string, valueSegments: readonly string[] | undefined, lookup: VariableLookup): boolean {
  if (pattern.any) return true;
  if (pattern.whole) return segmentMatches(pattern.whole, value, lookup);
  if (!valueSegments) return false;
  const segments = pattern.segments!;
  // Check the resource segment first: it is the one that usually differs.
  for (let i = arnSegments - 1; i >= 0; i--) {
    if (!segmentMatches(segments[i]!, valueSegments[i]!, lookup)) return false;
  }
  return true;
}

function segmentMatches(segment: SegmentPattern, value: string, lookup: VariableLookup): boolean {
  if (segment.glob) return globMatches(segment.glob, value);
  const glob = resolveTemplateGlob(segment.template, lookup);
  return glob !== undefined && globMatches(glob, value);
}
