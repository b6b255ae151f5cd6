// File naming rules (ASCII, no spaces, one period before the extension, a safe character set) or a
// per-partner pattern, and the `_R<n>` redelivery suffix parsed from the name.
import { issue } from './error-catalogue.js';
import { baseName, folderOf, relativeKey, startResult, type ValidationIssue, type Validator, type ValidatorResult } from './validator.js';

export interface NamingConfig {
  /**
   * A regular expression (JavaScript syntax, matched against the whole key below the account root)
   * that replaces the default character and period rules. Check it with `compileNamingPattern` when
   * the partner's settings are saved. Default: none.
   */
  pattern?: string | undefined;
  /** How the pattern reads to a person, shown in NAMING_PATTERN (e.g. `TITLE_ASSET_LANG.ext`). */
  patternDescription?: string | undefined;
  /** Longest file or folder name, in characters. Default 255 (common file system limit). */
  segmentLengthMax: number;
  /** Extensions of sidecar files whose extra period is allowed (`a.mov.md5`). Default md5, sha256. */
  sidecarExtensions: string[];
}

export const defaultNamingConfig: NamingConfig = {
  segmentLengthMax: 255,
  sidecarExtensions: ['md5', 'sha256'],
};

/** Compiles a partner's pattern to a whole-key match; throws a readable error when it is not a valid regex. */
export function compileNamingPattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    throw new Error(`naming pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`);
  }
}

/**
 * The redelivery convention (Prime Video asks for R1, R2, … suffixes): `Title_Feature_R2.mov` is
 * redelivery 2 of `Title_Feature.mov`; `_R0` or no suffix is a first delivery (0).
 */
export function parseRedelivery(name: string): { baseName: string; redelivery: number } {
  const match = /^(.*)_R(\d{1,3})(\.[^./]+)?$/.exec(name);
  if (!match || Number(match[2]) === 0) return { baseName: name, redelivery: 0 };
  return { baseName: `${match[1]}${match[3] ?? ''}`, redelivery: Number(match[2]) };
}

function describeCharacters(chars: Iterable<string>): string {
  return [...new Set(chars)]
    .slice(0, 10)
    .map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
    .join(', ');
}

/** The default rules on a key below the account root; one issue per kind of violation. */
export function defaultNamingIssues(name: string, config: NamingConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const chars = [...name];
  const nonAscii = chars.filter((c) => c.codePointAt(0)! > 0x7f);
  if (nonAscii.length > 0) issues.push(issue('NAMING_NON_ASCII', { name, characters: describeCharacters(nonAscii) }));
  const spaces = chars.filter((c) => /\s/.test(c) && c.codePointAt(0)! <= 0x7f);
  if (spaces.length > 0) issues.push(issue('NAMING_SPACES', { name, count: spaces.length }));
  const bad = chars.filter((c) => c.codePointAt(0)! <= 0x7f && !/[A-Za-z0-9._\-/\s]/.test(c));
  if (bad.length > 0) issues.push(issue('NAMING_BAD_CHARACTERS', { name, characters: describeCharacters(bad) }));

  // A sidecar (`a.mov.md5`) is judged by the name of the file it describes (`a.md5` is a plain file).
  const sidecar = config.sidecarExtensions.find((ext) => name.toLowerCase().endsWith(`.${ext}`) && baseName(name.slice(0, -(ext.length + 1))).includes('.'));
  const subject = sidecar ? name.slice(0, -(sidecar.length + 1)) : name;
  const file = baseName(subject);
  const folders = folderOf(subject);
  const hidden = subject.split('/').some((segment) => segment.startsWith('.'));
  if (hidden) issues.push(issue('NAMING_HIDDEN_FILE', { name }));
  const fileDots = (file.match(/\./g) ?? []).length;
  const folderDots = (folders.match(/\./g) ?? []).length;
  if (!hidden && fileDots > 1) issues.push(issue('NAMING_MULTIPLE_DOTS', { name, count: fileDots + folderDots }));
  else if (folderDots > 0) issues.push(issue('NAMING_MULTIPLE_DOTS', { name, count: fileDots + folderDots }));
  if (!hidden && (fileDots === 0 || file.endsWith('.'))) issues.push(issue('NAMING_NO_EXTENSION', { name }));
  return issues;
}

/** Rules that hold whatever the convention: no empty folder names, bounded name lengths. */
function structuralIssues(name: string, config: NamingConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const segments = name.split('/');
  if (segments.some((s) => s === '')) issues.push(issue('NAMING_EMPTY_SEGMENT', { name }));
  const long = segments.find((s) => [...s].length > config.segmentLengthMax);
  if (long) issues.push(issue('NAMING_TOO_LONG', { segment: long, length: [...long].length, maxLength: config.segmentLengthMax }));
  return issues;
}

export const namingValidator: Validator<NamingConfig> = {
  name: 'naming',

  appliesTo(): boolean {
    return true;
  },

  async validate(object, config, context, signal): Promise<ValidatorResult> {
    signal.throwIfAborted();
    const result = startResult(this.name);
    const name = relativeKey(object.key, context.scope);
    const issues = structuralIssues(name, config);
    if (config.pattern !== undefined) {
      if (!compileNamingPattern(config.pattern).test(name)) {
        issues.push(issue('NAMING_PATTERN', { name, description: config.patternDescription ?? `the pattern ${config.pattern}` }));
      }
    } else {
      issues.push(...defaultNamingIssues(name, config));
    }
    const redelivery = parseRedelivery(baseName(name));
    const details = {
      rules: config.pattern !== undefined ? 'pattern' : 'default',
      relativeKey: name,
      baseName: redelivery.baseName,
      baseKey: `${folderOf(object.key)}${redelivery.baseName}`,
      redelivery: redelivery.redelivery,
    };
    return result.done(issues.length > 0 ? 'failed' : 'passed', issues, details);
  },
};
