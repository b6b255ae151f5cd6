// Continuation tokens of ListObjectsV2 and ListBuckets: opaque to clients, ours carry the last name returned
// behind a tag per listing ('1:' objects, 'b:' buckets), so a token of one listing is refused by the other.
import { S3Error } from '../../core/errors.js';

export type TokenKind = 'objects' | 'buckets';

const tags: Record<TokenKind, string> = { objects: '1:', buckets: 'b:' };

export function encodeContinuationToken(kind: TokenKind, lastName: string): string {
  return Buffer.from(tags[kind] + lastName).toString('base64url');
}

/** The last name the token carries; InvalidArgument for anything this server did not write for this listing. */
export function decodeContinuationToken(kind: TokenKind, token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(tags[kind]) || Buffer.from(text).toString('base64url') !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  }
  return text.slice(tags[kind].length);
}
