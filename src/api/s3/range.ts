// Range requests: one `bytes=` range per request, as S3 serves them; partNumber reads map to a range too.
import { S3Error } from '../../core/errors.js';
import type { ByteRange } from '../../storage/blob-store.js';
import type { ObjectVersion } from '../../storage/types.js';

/**
 * Parses a Range header against an object size. Returns undefined when the header is absent
 * or not a single well-formed byte range (S3 then serves the whole object, as RFC 7233 allows).
 */
export function parseRange(value: string | undefined, sizeBytes: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || sizeBytes === 0) throw invalidRange(sizeBytes);
    return { start: Math.max(0, sizeBytes - suffix), end: sizeBytes };
  }
  const start = Number(m[1]);
  // `first-last` with last < first is syntactically invalid (ignored); an open end is checked against the size only.
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= sizeBytes) throw invalidRange(sizeBytes);
  const last = m[2] === '' ? sizeBytes - 1 : Math.min(Number(m[2]), sizeBytes - 1);
  return { start, end: last + 1 };
}

function invalidRange(sizeBytes: number): S3Error {
  return new S3Error('InvalidRange', undefined, { ActualObjectSize: sizeBytes }, { 'content-range': `bytes */${sizeBytes}` });
}

/** The byte range of part N (1-based); a single-part object has exactly one part. */
export function partRange(version: ObjectVersion, partNumber: number): ByteRange {
  const sizes = version.partSizes ?? [version.sizeBytes];
  if (partNumber < 1 || partNumber > sizes.length) throw new S3Error('InvalidPartNumber', undefined, { PartNumberRequested: partNumber, ActualPartCount: sizes.length });
  let start = 0;
  for (let i = 0; i < partNumber - 1; i++) start += sizes[i]!;
  return { start, end: start + sizes[partNumber - 1]! };
}

export function parsePartNumber(value: string | null, fieldName = 'partNumber'): number | undefined {
  if (value === null) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10_000) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: fieldName, ArgumentValue: value });
  }
  return Number(value);
}
