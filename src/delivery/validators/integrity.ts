// Checksum sidecars: `<file>.md5` / `<file>.sha256` compared with the delivered bytes (or with the digest the
// server already verified at write, when it has one), plus which client checksums were verified at write.
import { createHash, type Hash } from 'node:crypto';
import { issue } from './error-catalogue.js';
import {
  MeteredReader, baseName, digestHex, startResult, validatorLimits,
  type ChecksumName, type DeliveredObject, type ValidationContext, type ValidationIssue, type Validator, type ValidatorResult,
} from './validator.js';

export type SidecarAlgorithm = 'MD5' | 'SHA256';

export interface IntegrityConfig {
  /** Sidecar extensions looked for next to the file (`<file>.<extension>`) and the digest each holds. */
  sidecars: Array<{ extension: string; algorithm: SidecarAlgorithm }>;
  /** When true a file without any sidecar fails with CHECKSUM_SIDECAR_MISSING; otherwise it is skipped. Default false. */
  requireSidecar: boolean;
  /** Use the ETag of a single-part object and full-object checksums stored at write instead of re-reading. Default true. */
  trustStoredDigests: boolean;
  /** Objects larger than this are not hashed (the check is skipped, details say why). Default 5 TiB (S3's maximum). */
  hashSizeBytesMax: number;
  /** A sidecar larger than this is CHECKSUM_SIDECAR_INVALID. Default 64 KiB (md5sum output for ~700 files). */
  sidecarBytesMax: number;
}

export const defaultIntegrityConfig: IntegrityConfig = {
  sidecars: [
    { extension: 'md5', algorithm: 'MD5' },
    { extension: 'sha256', algorithm: 'SHA256' },
  ],
  requireSidecar: false,
  trustStoredDigests: true,
  hashSizeBytesMax: 5 * 1024 ** 4,
  sidecarBytesMax: 64 * 1024,
};

const digestBytes: Record<SidecarAlgorithm, number> = { MD5: 16, SHA256: 32 };
const nodeHashName: Record<SidecarAlgorithm, string> = { MD5: 'md5', SHA256: 'sha256' };

interface Expectation {
  algorithm: SidecarAlgorithm;
  sidecar: string;
  expected: string;
}

/** The file a sidecar key describes (`a.mov.md5` → `a.mov`), or undefined when the key is no sidecar. */
export function sidecarSubjectKey(key: string, config: IntegrityConfig): string | undefined {
  const match = config.sidecars.find((s) => key.toLowerCase().endsWith(`.${s.extension}`));
  return match ? key.slice(0, -(match.extension.length + 1)) : undefined;
}

/**
 * One line of md5sum/sha256sum output (`hex  name`, `hex *name`), a bare hex digest, or the BSD form
 * `MD5 (name) = hex`. Returns the entries, or the reason the text is unusable.
 */
export function parseSidecar(text: string): Array<{ hex: string; name?: string }> | string {
  const entries: Array<{ hex: string; name?: string }> = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const bsd = /^(?:MD5|SHA256|SHA2-256)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)$/i.exec(line);
    const gnu = /^\\?([0-9a-fA-F]+)(?:\s+\*?(.+))?$/.exec(line);
    if (bsd) entries.push({ hex: bsd[2]!.toLowerCase(), name: bsd[1]! });
    else if (gnu) entries.push({ hex: gnu[1]!.toLowerCase(), ...(gnu[2] ? { name: gnu[2].trim() } : {}) });
    else return `line "${line.slice(0, 80)}" is not "<hex digest>  <file name>"`;
  }
  return entries.length > 0 ? entries : 'it is empty';
}

/** Picks the sidecar entry for the file and checks its digest length. */
function expectationFrom(text: string, sidecar: string, algorithm: SidecarAlgorithm, fileName: string): Expectation | ValidationIssue {
  const entries = parseSidecar(text);
  if (typeof entries === 'string') return issue('CHECKSUM_SIDECAR_INVALID', { sidecar, algorithm, reason: entries });
  const named = entries.filter((e) => e.name !== undefined);
  let entry = entries[0]!;
  if (named.length > 0) {
    const mine = named.find((e) => baseName(e.name!.replace(/\\/g, '/')) === fileName);
    if (!mine) return issue('CHECKSUM_SIDECAR_WRONG_FILE', { sidecar, named: named.map((e) => e.name).join(', '), fileName });
    entry = mine;
  } else if (entries.length > 1) {
    return issue('CHECKSUM_SIDECAR_INVALID', { sidecar, algorithm, reason: `it has ${entries.length} digests and no file names` });
  }
  const hexLength = digestBytes[algorithm] * 2;
  if (entry.hex.length !== hexLength) {
    return issue('CHECKSUM_SIDECAR_INVALID', { sidecar, algorithm, reason: `the digest has ${entry.hex.length} hex digits; ${algorithm} has ${hexLength}` });
  }
  return { algorithm, sidecar, expected: entry.hex };
}

/** The digest the server already knows for the object, and where it came from. */
function storedDigest(object: DeliveredObject, algorithm: SidecarAlgorithm): { hex: string; source: string } | undefined {
  const stored = object.checksums[algorithm];
  const fromChecksum = stored !== undefined && !stored.includes('-') ? digestHex(stored, digestBytes[algorithm]) : undefined;
  if (fromChecksum) return { hex: fromChecksum, source: `checksum verified at write` };
  // The ETag of a single-part object is its MD5; a multipart ETag (`…-N`) is not (a common pitfall).
  if (algorithm === 'MD5' && /^"?[0-9a-fA-F]{32}"?$/.test(object.etag)) return { hex: digestHex(object.etag, 16)!, source: 'single-part ETag' };
  return undefined;
}

/** Hashes the whole object once for every algorithm asked, in bounded chunks. */
async function computeDigests(reader: MeteredReader, algorithms: SidecarAlgorithm[]): Promise<Map<SidecarAlgorithm, string>> {
  const hashes = new Map<SidecarAlgorithm, Hash>(algorithms.map((a) => [a, createHash(nodeHashName[a])]));
  for await (const chunk of reader.chunks()) for (const hash of hashes.values()) hash.update(chunk);
  return new Map([...hashes].map(([a, hash]) => [a, hash.digest('hex')]));
}

/** Which checksums the server verified when the object was written (what the client sent, or computed). */
export function verifiedAtWrite(object: DeliveredObject): Array<{ algorithm: ChecksumName; type: 'full-object' | 'composite' }> {
  return (Object.entries(object.checksums) as Array<[ChecksumName, string]>)
    .filter(([, value]) => value !== undefined)
    .map(([algorithm, value]) => ({ algorithm, type: value.includes('-') ? 'composite' : 'full-object' }));
}

export const integrityValidator: Validator<IntegrityConfig> = {
  name: 'integrity',

  appliesTo(object, config): boolean {
    return sidecarSubjectKey(object.key, config) === undefined;
  },

  async validate(object, config, context: ValidationContext, signal): Promise<ValidatorResult> {
    const result = startResult(this.name);
    const atWrite = verifiedAtWrite(object);
    const issues: ValidationIssue[] = [];
    const expectations: Expectation[] = [];
    const fileName = baseName(object.key);
    for (const { extension, algorithm } of config.sidecars) {
      signal.throwIfAborted();
      const sidecar = await context.getObject(`${object.key}.${extension}`);
      if (!sidecar) continue;
      const sidecarBytesMax = Math.min(config.sidecarBytesMax, validatorLimits.readChunkBytesMax);
      if (sidecar.sizeBytes > sidecarBytesMax) {
        issues.push(issue('CHECKSUM_SIDECAR_INVALID', { sidecar: sidecar.key, algorithm, reason: `it is ${sidecar.sizeBytes} bytes, over ${sidecarBytesMax}` }));
        continue;
      }
      const text = (await new MeteredReader(sidecar.reader, signal).head(sidecar.sizeBytes)).toString('utf8');
      const found = expectationFrom(text, sidecar.key, algorithm, fileName);
      if ('code' in found) issues.push(found);
      else expectations.push(found);
    }
    if (expectations.length === 0 && issues.length === 0) {
      const expected = config.sidecars.map((s) => `${fileName}.${s.extension}`).join(' or ');
      if (config.requireSidecar) return result.done('failed', [issue('CHECKSUM_SIDECAR_MISSING', { key: object.key, expected })], { verifiedAtWrite: atWrite });
      return result.done('skipped', [], { reason: 'no checksum sidecar', verifiedAtWrite: atWrite });
    }

    const known = new Map<SidecarAlgorithm, { hex: string; source: string }>();
    if (config.trustStoredDigests) {
      for (const { algorithm } of expectations) {
        const stored = storedDigest(object, algorithm);
        if (stored) known.set(algorithm, stored);
      }
    }
    const toCompute = [...new Set(expectations.map((e) => e.algorithm).filter((a) => !known.has(a)))];
    const reader = new MeteredReader(object.reader, signal);
    let unverified: string | undefined;
    if (toCompute.length > 0 && object.sizeBytes > config.hashSizeBytesMax) {
      unverified = `object is ${object.sizeBytes} bytes, over the hashing limit of ${config.hashSizeBytesMax}`;
    } else if (toCompute.length > 0) {
      for (const [algorithm, hex] of await computeDigests(reader, toCompute)) known.set(algorithm, { hex, source: 'computed' });
    }

    const checks = [];
    for (const e of expectations) {
      const actual = known.get(e.algorithm);
      checks.push({ ...e, actual: actual?.hex, source: actual?.source ?? 'not computed' });
      if (actual && actual.hex !== e.expected) {
        issues.push(issue('CHECKSUM_MISMATCH', { sidecar: e.sidecar, algorithm: e.algorithm, expected: e.expected, key: object.key, actual: actual.hex }));
      }
    }
    const details = { checks, verifiedAtWrite: atWrite, bytesRead: reader.bytesRead, ...(unverified ? { unverified } : {}) };
    if (issues.length > 0) return result.done('failed', issues, details);
    return result.done(unverified ? 'skipped' : 'passed', [], details);
  },
};
