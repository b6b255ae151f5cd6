// Conditional requests: If-Match/If-None-Match/If-(Un)Modified-Since on reads, the copy-source variants,
// and the write preconditions (If-None-Match: *, If-Match) checked atomically at commit.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
import { S3Error } from '../../core/errors.js';
import { parseHttpDate } from '../../core/clock.js';
import type { ObjectVersion, WriteConditions } from '../../storage/types.js';
import { header, type RequestContext } from '../context.js';
import { unquoteEtag } from './object-headers.js';

export type ReadConditionOutcome = 'proceed' | 'not-modified';

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((candidate) => {
    const c = candidate.trim();
    return c === '*' || unquoteEtag(c) === etag;
  });
}

/** RFC 7232 precedence as S3 applies it; throws PreconditionFailed or returns 'not-modified' (304). */
export function evaluateReadConditions(ctx: RequestContext, version: ObjectVersion, prefix = ''): ReadConditionOutcome {
  const ifMatch = header(ctx, `${prefix}if-match`);
  const ifNoneMatch = header(ctx, `${prefix}if-none-match`);
  const ifModifiedSince = header(ctx, `${prefix}if-modified-since`);
  const ifUnmodifiedSince = header(ctx, `${prefix}if-unmodified-since`);
  const lastModifiedSeconds = Math.floor(version.lastModifiedMs / 1000) * 1000;
  const copy = prefix !== '';
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, version.etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: copy ? 'x-amz-copy-source-If-Match' : 'If-Match' });
  } else if (ifUnmodifiedSince !== undefined) {
    const since = parseHttpDate(ifUnmodifiedSince);
    if (since !== undefined && lastModifiedSeconds > since) throw new S3Error('PreconditionFailed', undefined, { Condition: copy ? 'x-amz-copy-source-If-Unmodified-Since' : 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, version.etag)) {
      if (copy) throw new S3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-None-Match' });
      return 'not-modified';
    }
  } else if (ifModifiedSince !== undefined) {
    const since = parseHttpDate(ifModifiedSince);
    if (since !== undefined && since <= Date.now() && lastModifiedSeconds <= since) {
      if (copy) throw new S3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-Modified-Since' });
      return 'not-modified';
    }
  }
  return 'proceed';
}

/**
 * PutObject/CompleteMultipartUpload/CopyObject/DeleteObject destination preconditions. They are checked
 * here against the current version, before any body is read (If-Match naming no current object is
 * 404 NoSuchKey on AWS, which the store cannot tell from a mismatch), and again atomically at commit.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export async function readWriteConditions(ctx: RequestContext, bucket: string, key: string): Promise<WriteConditions> {
  const conditions: WriteConditions = {};
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw new S3Error('NotImplemented', 'If-None-Match on writes supports only *.', { Header: 'If-None-Match' });
    conditions.ifNoneMatchAny = true;
  }
  const ifMatch = header(ctx, 'if-match');
  if (ifMatch !== undefined) conditions.ifMatchEtag = unquoteEtag(ifMatch);
  if (ifMatch === undefined && ifNoneMatch === undefined) return conditions;
  const latest = await ctx.services.meta.getObjectVersion(bucket, key);
  const current = latest && !latest.isDeleteMarker ? latest : undefined;
  if (conditions.ifMatchEtag !== undefined) {
    if (!current) throw new S3Error('NoSuchKey', undefined, { Key: key });
    if (conditions.ifMatchEtag !== '*' && conditions.ifMatchEtag !== current.etag) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  }
  if (conditions.ifNoneMatchAny && current) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  return conditions;
}

/** The header a failed write precondition names in the 412 (a commit-time recheck can fail only on one of them). */
export function writeConditionName(conditions: WriteConditions): string {
  return conditions.ifMatchEtag !== undefined ? 'If-Match' : 'If-None-Match';
}
