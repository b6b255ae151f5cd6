// Package manifests to an expected file list: our JSON and CSV formats and MovieLabs MMC (Media Manifest) XML.
// Schemas are documented in docs/errors.md ("Manifest formats").
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseCsv } from './csv-records.js';
import { issue } from './error-catalogue.js';
import type { ExpectedFile } from './package-status.js';
import type { ValidationIssue } from './validator.js';

export type ManifestFormat = 'json' | 'csv' | 'mmc';

export interface ParsedManifest {
  format: ManifestFormat;
  packageName?: string | undefined;
  files: ExpectedFile[];
  /** Problems with single entries (bad paths, bad rows, conflicting duplicates); the other entries still count. */
  issues: ValidationIssue[];
}

/** JSON manifest: `{"package": "...", "files": [{"path": "...", "size": N, "md5": "hex", "sha256": "hex"}]}`. */
export interface JsonManifest {
  package?: string;
  files: Array<{ path: string; size?: number; md5?: string; sha256?: string }>;
}

type Fields = { path?: unknown; size?: unknown; md5?: unknown; sha256?: unknown };

/** A path relative to the manifest folder, or undefined when it is absolute, escapes, or is malformed. */
export function packagePath(raw: string): string | undefined {
  const path = raw.trim();
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
  const segments = path.replace(/^(\.\/)+/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return segments.join('/');
}

/** Collects entries, reporting bad fields and conflicting duplicates per entry. */
class EntryCollector {
  readonly files = new Map<string, ExpectedFile>();
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly key: string, private readonly format: string) {}

  invalid(reason: string): void {
    this.issues.push(issue('MANIFEST_INVALID', { key: this.key, format: this.format, reason }));
  }

  add(entry: string, fields: Fields, merge = false): void {
    if (typeof fields.path !== 'string') return this.invalid(`${entry} has no "path"`);
    const path = packagePath(fields.path);
    if (path === undefined) {
      this.issues.push(issue('MANIFEST_BAD_PATH', { entry, key: this.key, path: fields.path }));
      return;
    }
    const file: ExpectedFile = { path };
    const { size, md5, sha256 } = fields;
    if (size !== undefined && size !== '') {
      const n = typeof size === 'number' ? size : /^\d+$/.test(String(size).trim()) ? Number(String(size).trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) return this.invalid(`${entry}: size "${String(size)}" is not a whole number of bytes`);
      file.sizeBytes = n;
    }
    for (const [name, value, hexLength] of [['md5', md5, 32], ['sha256', sha256, 64]] as const) {
      if (value === undefined || value === '') continue;
      const hex = String(value).trim().toLowerCase();
      if (!new RegExp(`^[0-9a-f]{${hexLength}}$`).test(hex)) return this.invalid(`${entry}: ${name} "${String(value)}" is not ${hexLength} hex digits`);
      file[name] = hex;
    }
    const previous = this.files.get(path);
    if (previous) {
      const conflict = (['sizeBytes', 'md5', 'sha256'] as const).some((f) => previous[f] !== undefined && file[f] !== undefined && previous[f] !== file[f]);
      if (conflict || !merge) {
        if (conflict || JSON.stringify(previous) !== JSON.stringify(file)) this.issues.push(issue('MANIFEST_DUPLICATE_PATH', { path, key: this.key }));
        return;
      }
      this.files.set(path, { ...file, ...previous });
      return;
    }
    this.files.set(path, file);
  }

  result(format: ManifestFormat, packageName?: string): ParsedManifest {
    return { format, packageName, files: [...this.files.values()], issues: this.issues };
  }
}

export function parseJsonManifest(text: string, key: string): ParsedManifest {
  const out = new EntryCollector(key, 'JSON');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    out.invalid(`it is not valid JSON (${(error as Error).message})`);
    return out.result('json');
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as JsonManifest).files)) {
    out.invalid('it is not an object with a "files" array');
    return out.result('json');
  }
  const { package: packageName, files } = doc as JsonManifest;
  files.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) out.invalid(`files[${index}] is not an object`);
    else out.add(`files[${index}]`, entry as Fields);
  });
  return out.result('json', typeof packageName === 'string' ? packageName : undefined);
}

export function parseCsvManifest(text: string, key: string, rowsMax: number): ParsedManifest {
  const out = new EntryCollector(key, 'CSV');
  const parsed = parseCsv(text, rowsMax + 1);
  if ('error' in parsed) {
    out.invalid(`row ${parsed.row}: ${parsed.error}`);
    return out.result('csv');
  }
  const [header, ...rows] = parsed.rows;
  const columns = (header ?? []).map((name) => name.trim().toLowerCase());
  if (!columns.includes('path')) {
    out.invalid('the header row must name the columns, e.g. "path,size,md5" or "path,size,sha256"');
    return out.result('csv');
  }
  rows.forEach((row, index) => {
    const entry = `row ${index + 2}`;
    if (row.length !== columns.length) return out.invalid(`${entry} has ${row.length} columns, the header has ${columns.length}`);
    const fields: Record<string, string> = {};
    columns.forEach((column, i) => (fields[column] = row[i]!));
    out.add(entry, fields);
  });
  return out.result('csv');
}

const inventoryKinds = ['Video', 'Audio', 'Subtitle', 'Image', 'Metadata'] as const;
type XmlNode = Record<string, unknown>;

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'object' && value !== null && typeof (value as XmlNode)['#text'] === 'string' ? ((value as XmlNode)['#text'] as string) : undefined;

/** An MMC ContainerLocation as a package path: `file://` and a leading `/` refer to the package root. */
function mmcLocation(location: string): string {
  let path = location.trim();
  if (/^file:\/\//i.test(path)) {
    path = path.slice('file://'.length);
    try {
      path = decodeURI(path);
    } catch {
      // keep it as written
    }
  }
  return path.replace(/^\/+/, '');
}

/** MovieLabs Media Manifest (MMC): every Inventory asset's ContainerReference (location, Length, Hash). */
export function parseMmcManifest(text: string, key: string): ParsedManifest {
  const out = new EntryCollector(key, 'MovieLabs MMC');
  // No DTDs: entity expansion is a classic XML bomb, and MMC does not use them.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    out.invalid('it contains a DOCTYPE or ENTITY declaration');
    return out.result('mmc');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    out.invalid(`it is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
    return out.result('mmc');
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, htmlEntities: false });
  const root = (parser.parse(text) as XmlNode)['MediaManifest'] as XmlNode | undefined;
  if (!root || typeof root !== 'object') {
    out.invalid('its root element is not MediaManifest');
    return out.result('mmc');
  }
  const inventory = (root['Inventory'] ?? {}) as XmlNode;
  for (const kind of inventoryKinds) {
    asArray(inventory[kind]).forEach((asset, index) => {
      const reference = asArray((asset as XmlNode)?.['ContainerReference'])[0] as XmlNode | undefined;
      const location = textOf(asArray(reference?.['ContainerLocation'])[0]);
      const entry = `Inventory/${kind}[${index + 1}]`;
      if (location === undefined) return out.invalid(`${entry} has no ContainerReference/ContainerLocation`);
      const fields: Fields = { path: mmcLocation(location), size: textOf(reference?.['Length']) };
      for (const hash of asArray(reference?.['Hash'])) {
        const method = String((hash as XmlNode)?.['@method'] ?? '').toUpperCase().replace('-', '');
        if (method === 'MD5') fields.md5 = textOf(hash);
        if (method === 'SHA256') fields.sha256 = textOf(hash);
      }
      // One file often carries several assets (a .mov with its video and audio): merge them.
      out.add(entry, fields, true);
    });
  }
  if (out.files.size === 0 && out.issues.length === 0) out.invalid('its Inventory references no files');
  return out.result('mmc');
}
