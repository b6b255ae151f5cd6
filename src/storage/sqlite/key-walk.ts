// Walks rows in key order (UTF-8 bytes) under a prefix, rolling keys up into common prefixes.
//
// Bounds are byte strings so they can sit between valid UTF-8 keys: the walk seeks with
// `key >= lower AND key < upper`, and after a common prefix it seeks once to the first key past
// the whole group instead of reading every key under it.
import assert from 'node:assert';

/** Any valid UTF-8 key sorts below a lone 0xFF byte (it never occurs in UTF-8). */
const aboveEveryKey = Buffer.from([0xff]);

/** The smallest byte string greater than every string starting with `prefix` ('' → above all). */
export function prefixUpperBound(prefix: string): Buffer {
  if (prefix === '') return aboveEveryKey;
  const bytes = Buffer.from(prefix, 'utf8');
  // The last byte of valid UTF-8 is never 0xFF, so incrementing it cannot overflow.
  bytes[bytes.length - 1]! += 1;
  return bytes;
}

/** The smallest byte string greater than `key` itself: key followed by a 0x00 byte. */
export function justAfter(key: string): Buffer {
  return Buffer.concat([Buffer.from(key, 'utf8'), Buffer.from([0])]);
}

/** Compares keys by UTF-8 bytes (= code points), not by UTF-16 units as `<` would. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The common prefix `key` rolls up into, if the delimiter occurs after the prefix. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (delimiter === undefined || delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export interface WalkQuery {
  prefix: string;
  delimiter?: string | undefined;
  /** Exclusive lower bound on keys. */
  after?: string | undefined;
  /** Rows plus common prefixes to emit before stopping; 0 only asks whether anything remains. */
  maxEntries: number;
}

/** Rows with lower ≤ key < upper in walk order, at most `limit` of them; may be abandoned early. */
export type FetchRows<R> = (lower: Buffer, upper: Buffer, limit: number) => Iterable<R>;

export interface WalkSink<R> {
  row(row: R): void;
  commonPrefix(prefix: string): void;
}

export interface WalkResult {
  /** Something (a row or a common prefix) remains after the entries emitted. */
  truncated: boolean;
  /** The key or common prefix emitted last. */
  lastReturned?: string | undefined;
}

export function walkKeys<R>(
  query: WalkQuery,
  fetch: FetchRows<R>,
  keyOf: (row: R) => string,
  sink: WalkSink<R>,
): WalkResult {
  const upper = prefixUpperBound(query.prefix);
  let lower: Buffer = Buffer.from(query.prefix, 'utf8');
  if (query.after !== undefined) {
    const afterBound = justAfter(query.after);
    if (Buffer.compare(afterBound, lower) > 0) lower = afterBound;
  }
  let emitted = 0;
  let lastReturned: string | undefined;
  for (;;) {
    if (Buffer.compare(lower, upper) >= 0) return { truncated: false, lastReturned };
    const limit = query.maxEntries - emitted + 1;
    let next: Buffer | undefined;
    for (const row of fetch(lower, upper, limit)) {
      const key = keyOf(row);
      const prefix = commonPrefixOf(key, query.prefix, query.delimiter);
      // A marker inside (or equal to) a group means the group was already returned: skip it.
      const alreadyReturned = prefix !== undefined && query.after !== undefined && compareKeys(prefix, query.after) <= 0;
      if (!alreadyReturned && emitted === query.maxEntries) return { truncated: true, lastReturned };
      if (prefix === undefined) {
        sink.row(row);
        emitted++;
        lastReturned = key;
        continue;
      }
      if (!alreadyReturned) {
        sink.commonPrefix(prefix);
        emitted++;
        lastReturned = prefix;
      }
      next = prefixUpperBound(prefix);
      break;
    }
    if (next === undefined) {
      // Every fetched row was emitted, so fewer than `limit` came back: the range is exhausted.
      return { truncated: false, lastReturned };
    }
    assert(Buffer.compare(next, lower) > 0, 'the key walk must advance');
    lower = next;
  }
}
