// Time source, injectable so tests can move it (SigV4 skew, STS expiry).

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** ISO-8601 with milliseconds, as S3 prints LastModified in XML. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** RFC 7231 date, as S3 prints Last-Modified headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Parses an HTTP date (RFC 7231, RFC 850 or asctime) or ISO-8601; undefined if invalid. */
export function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
