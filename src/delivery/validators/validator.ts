// Shared types of the delivery validators (object, reader, context, result) and their bounded-read helpers.
import assert from 'node:assert';
import { performance } from 'node:perf_hooks';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Bounds every validator shares. Per-partner configs choose values under these; they are here rather
 * than in core/limits.ts because only the validators use them (see the validators' report).
 */
export const validatorLimits = {
  /** The largest single read a validator asks the reader for (hashing reads in steps of this). */
  readChunkBytesMax: 8 * MiB,
  /** Issues kept per result; the rest are counted in details.issuesOmitted. */
  issuesPerResultMax: 100,
  /** Longest value put into an issue's cause or fix (keys can be 1,024 bytes). */
  issueValueCharsMax: 200,
} as const;

export type ChecksumName = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256' | 'MD5';

/** Random access to the delivered object's bytes (the pipeline implements it over the blob store). */
export interface ObjectReader {
  readonly sizeBytes: number;
  /** Bytes [start, endExclusive); fewer only when the range runs past the end of the object. */
  read(start: number, endExclusive: number, signal?: AbortSignal): Promise<Buffer>;
}

export interface DeliveredObject {
  key: string;
  sizeBytes: number;
  etag: string;
  contentType?: string | undefined;
  /**
   * What the server verified at write, as stored: S3 checksums in base64 (composite ones end in `-N`),
   * MD5 as hex or base64. The MD5 of a single-part object is its ETag.
   */
  checksums: Partial<Record<ChecksumName, string>>;
  reader: ObjectReader;
}

/** Where the object sits: the partner, the delivery account it was delivered for, and that account's root. */
export interface DeliveryScope {
  partner: string;
  deliveryAccount: string;
  /** Key prefix of the delivery account's root folder, ending in '/' (e.g. `acme/` or `acme/acme_uk/`). */
  rootPrefix: string;
}

/** What a validator may look up besides the object: its scope and sibling objects (sidecars, manifests). */
export interface ValidationContext {
  scope: DeliveryScope;
  getObject(key: string): Promise<DeliveredObject | undefined>;
  /** Keys under the prefix, at most `limit` of them (in key order). */
  listKeys(prefix: string, limit: number): Promise<string[]>;
}

/** One problem, for the partner: a stable code from the error catalogue, what happened, what to do. */
export interface ValidationIssue {
  code: string;
  cause: string;
  fix: string;
}

export type ValidationOutcome = 'passed' | 'failed' | 'skipped';

export interface ValidatorResult {
  validator: string;
  outcome: ValidationOutcome;
  issues: ValidationIssue[];
  details?: Record<string, unknown>;
  durationMs: number;
}

/**
 * A validator: pure apart from reading the object and its context. It throws only for programmer errors,
 * reader failures and `signal` aborts (the pipeline records those as an error and may retry); everything
 * about the delivered file itself is an outcome with issues.
 */
export interface Validator<Config> {
  readonly name: string;
  appliesTo(object: DeliveredObject, config: Config, context: ValidationContext): boolean;
  validate(object: DeliveredObject, config: Config, context: ValidationContext, signal: AbortSignal): Promise<ValidatorResult>;
}

/** Starts timing a validation; `done` builds the result with its duration and capped issue list. */
export function startResult(validator: string): {
  done(outcome: ValidationOutcome, issues?: ValidationIssue[], details?: Record<string, unknown>): ValidatorResult;
} {
  const startedMs = performance.now();
  return {
    done(outcome, issues = [], details) {
      assert(outcome !== 'failed' || issues.length > 0, 'a failed result needs at least one issue');
      const max = validatorLimits.issuesPerResultMax;
      const kept = issues.slice(0, max);
      const extra = issues.length > max ? { issuesOmitted: issues.length - max } : {};
      const allDetails = details || issues.length > max ? { ...details, ...extra } : undefined;
      return {
        validator,
        outcome,
        issues: kept,
        ...(allDetails ? { details: allDetails } : {}),
        durationMs: Math.round((performance.now() - startedMs) * 1000) / 1000,
      };
    },
  };
}

/** Reads through an ObjectReader, checking the signal before each read and counting bytes. */
export class MeteredReader {
  bytesRead = 0;
  constructor(private readonly reader: ObjectReader, private readonly signal: AbortSignal) {}

  get sizeBytes(): number {
    return this.reader.sizeBytes;
  }

  async read(start: number, endExclusive: number): Promise<Buffer> {
    const end = Math.min(endExclusive, this.reader.sizeBytes);
    assert(start >= 0 && start <= end, `bad range ${start}-${endExclusive}`);
    assert(end - start <= validatorLimits.readChunkBytesMax, `read of ${end - start} bytes is over the chunk limit`);
    this.signal.throwIfAborted();
    if (start === end) return Buffer.alloc(0);
    const bytes = await this.reader.read(start, end, this.signal);
    if (bytes.length !== end - start) throw new Error(`reader returned ${bytes.length} bytes for range ${start}-${end}`);
    this.bytesRead += bytes.length;
    return bytes;
  }

  /** The first `maxBytes` of the object (all of it when smaller). */
  head(maxBytes: number): Promise<Buffer> {
    return this.read(0, Math.min(maxBytes, this.reader.sizeBytes));
  }

  /** Every byte in order, `chunkBytes` at a time, for hashing. */
  async *chunks(chunkBytes: number = validatorLimits.readChunkBytesMax): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < this.reader.sizeBytes; offset += chunkBytes) {
      yield await this.read(offset, Math.min(offset + chunkBytes, this.reader.sizeBytes));
    }
  }
}

/** The key below the delivery account root (the part the partner chose). */
export function relativeKey(key: string, scope: DeliveryScope): string {
  return scope.rootPrefix && key.startsWith(scope.rootPrefix) ? key.slice(scope.rootPrefix.length) : key;
}

/** The last path segment of a key. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The folder of a key, with its trailing '/' ('' at the top). */
export function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** The lower-case extension after the last dot of the file name ('' when there is none or it is a dotfile). */
export function extensionOf(key: string): string {
  const name = baseName(key);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Lower-case hex of a digest given as hex or base64 of `digestBytes` bytes; undefined for anything else. */
export function digestHex(value: string | undefined, digestBytes: number): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().replace(/^"|"$/g, '');
  if (trimmed.length === digestBytes * 2 && /^[0-9a-fA-F]+$/.test(trimmed)) return trimmed.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === digestBytes) return bytes.toString('hex');
  }
  return undefined;
}
