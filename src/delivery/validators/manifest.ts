// Package manifests: reads a JSON, CSV or MovieLabs MMC manifest, looks up every file it lists next to it,
// and reports whether the package is complete (missing files, size and checksum mismatches).
import { issue } from './error-catalogue.js';
import { parseCsvManifest, parseJsonManifest, parseMmcManifest, type ParsedManifest } from './manifest-parse.js';
import { packageStatus, type PresentFile } from './package-status.js';
import { decodeText } from './text-sniffers.js';
import {
  MeteredReader, baseName, digestHex, extensionOf, folderOf, startResult, validatorLimits,
  type DeliveredObject, type ValidationContext, type ValidationIssue, type Validator, type ValidatorResult,
} from './validator.js';

export interface ManifestConfig {
  /** File names (case-insensitive regex source) that are manifests. Default: `manifest.json|csv|xml`, `*_manifest.*`, `*_mmc.xml`. */
  namePattern: string;
  /** Larger manifests fail with MANIFEST_TOO_LARGE. Default 8 MiB (at most one bounded read). */
  manifestBytesMax: number;
  /** Most files one manifest may list. Default 10,000. */
  filesMax: number;
  /** Files in the package folder that the manifest does not list: 'ignore' (partial manifests are fine) or 'fail'. Default 'ignore'. */
  extraFiles: 'ignore' | 'fail';
  /** Extensions never counted as extra files (checksum sidecars). Default md5, sha256. */
  sidecarExtensions: string[];
  /** Lookups of listed files run this many at a time. Default 16. */
  lookupConcurrency: number;
}

export const defaultManifestConfig: ManifestConfig = {
  namePattern: '^(?:[^/]*[_-])?(?:manifest\\.(?:json|csv|xml)|mmc\\.xml)$',
  manifestBytesMax: 8 * 1024 * 1024,
  filesMax: 10_000,
  extraFiles: 'ignore',
  sidecarExtensions: ['md5', 'sha256'],
  lookupConcurrency: 16,
};

/** Parses manifest text by the file's extension (`.json`, `.csv`, `.xml` = MMC). */
export function parseManifest(text: string, key: string, filesMax: number): ParsedManifest {
  const extension = extensionOf(key);
  if (extension === 'json') return parseJsonManifest(text, key);
  if (extension === 'csv') return parseCsvManifest(text, key, filesMax + 1);
  return parseMmcManifest(text, key);
}

/** What the platform knows about a delivered file, for comparing with the manifest. */
export function presentFile(path: string, object: DeliveredObject): PresentFile {
  const md5 = digestHex(object.checksums.MD5, 16) ?? (/^"?[0-9a-fA-F]{32}"?$/.test(object.etag) ? digestHex(object.etag, 16) : undefined);
  const sha256 = object.checksums.SHA256?.includes('-') ? undefined : digestHex(object.checksums.SHA256, 32);
  return { path, sizeBytes: object.sizeBytes, md5, sha256 };
}

async function lookUp(paths: string[], folder: string, context: ValidationContext, concurrency: number, signal: AbortSignal): Promise<PresentFile[]> {
  const present: PresentFile[] = [];
  for (let i = 0; i < paths.length; i += concurrency) {
    signal.throwIfAborted();
    const batch = paths.slice(i, i + concurrency);
    const objects = await Promise.all(batch.map((path) => context.getObject(folder + path)));
    objects.forEach((object, j) => object && present.push(presentFile(batch[j]!, object)));
  }
  return present;
}

export const manifestValidator: Validator<ManifestConfig> = {
  name: 'manifest',

  appliesTo(object, config): boolean {
    return new RegExp(config.namePattern, 'i').test(baseName(object.key));
  },

  async validate(object, config, context, signal): Promise<ValidatorResult> {
    const result = startResult(this.name);
    const key = object.key;
    const bytesMax = Math.min(config.manifestBytesMax, validatorLimits.readChunkBytesMax);
    if (object.sizeBytes > bytesMax) {
      return result.done('failed', [issue('MANIFEST_TOO_LARGE', { key, reason: `it is ${object.sizeBytes} bytes, over ${bytesMax}` })]);
    }
    const reader = new MeteredReader(object.reader, signal);
    const text = decodeText(await reader.head(object.sizeBytes), true);
    if (typeof text !== 'string') {
      return result.done('failed', [issue('MANIFEST_INVALID', { key, format: extensionOf(key).toUpperCase(), reason: text.error })]);
    }
    const manifest = parseManifest(text, key, config.filesMax);
    if (manifest.files.length > config.filesMax) {
      return result.done('failed', [issue('MANIFEST_TOO_LARGE', { key, reason: `it lists ${manifest.files.length} files, over ${config.filesMax}` })]);
    }
    const issues: ValidationIssue[] = [...manifest.issues];
    if (manifest.files.length === 0) return result.done('failed', issues.length > 0 ? issues : [issue('MANIFEST_INVALID', { key, format: manifest.format.toUpperCase(), reason: 'it lists no files' })]);

    const folder = folderOf(key);
    const present = await lookUp(manifest.files.map((f) => f.path), folder, context, config.lookupConcurrency, signal);
    // Extra files are only looked for when they matter; a bounded listing of the package folder.
    if (config.extraFiles === 'fail') {
      const listed = await context.listKeys(folder, config.filesMax * 3);
      const known = new Set(present.map((p) => p.path));
      for (const k of listed) {
        const path = k.slice(folder.length);
        if (k !== key && !config.sidecarExtensions.includes(extensionOf(k)) && !known.has(path)) present.push({ path, sizeBytes: -1 });
      }
    }
    const status = packageStatus(manifest.files, present);
    const manifestName = baseName(key);
    for (const path of status.missing) issues.push(issue('MANIFEST_FILE_MISSING', { path, manifest: manifestName }));
    for (const m of status.sizeMismatches) issues.push(issue('MANIFEST_SIZE_MISMATCH', { path: m.path, actual: m.actualBytes, manifest: manifestName, expected: m.expectedBytes }));
    for (const m of status.checksumMismatches) {
      issues.push(issue('MANIFEST_CHECKSUM_MISMATCH', { path: m.path, algorithm: m.algorithm, actual: m.actual, manifest: manifestName, expected: m.expected }));
    }
    if (config.extraFiles === 'fail') for (const path of status.extra) issues.push(issue('MANIFEST_EXTRA_FILE', { path, manifest: manifestName }));
    const max = validatorLimits.issuesPerResultMax;
    const details = {
      format: manifest.format,
      ...(manifest.packageName !== undefined ? { package: manifest.packageName } : {}),
      status: status.status,
      expectedCount: status.expectedCount,
      presentCount: status.presentCount,
      missing: status.missing.slice(0, max),
      extra: status.extra.slice(0, max),
      unverified: status.unverified.slice(0, max),
      files: manifest.files.slice(0, max),
      bytesRead: reader.bytesRead,
    };
    return result.done(issues.length > 0 ? 'failed' : 'passed', issues, details);
  },
};
