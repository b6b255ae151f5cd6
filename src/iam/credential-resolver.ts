// Access key → principal, with the session-token and expiry checks SigV4 callers need; cached briefly.
import { createHash, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { MetaStore } from '../storage/meta-store.js';
import type { AccessKeyRecord } from '../storage/types.js';
import { principalFromKey, type Principal } from './principal.js';

const cacheTtlMs = 5_000;
const cacheEntriesMax = 10_000;

export class CredentialResolver {
  private readonly cache = new Map<string, { key: AccessKeyRecord | undefined; atMs: number }>();

  constructor(private readonly meta: MetaStore, private readonly clock: Clock) {}

  /** The key record, or InvalidAccessKeyId. */
  async lookup(accessKeyId: string): Promise<AccessKeyRecord> {
    const now = this.clock.nowMs();
    let entry = this.cache.get(accessKeyId);
    if (!entry || now - entry.atMs > cacheTtlMs) {
      entry = { key: await this.meta.getAccessKey(accessKeyId), atMs: now };
      if (this.cache.size >= cacheEntriesMax) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(accessKeyId, entry);
    }
    if (!entry.key || entry.key.status !== 'Active') throw new S3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKeyId });
    return entry.key;
  }

  /** Checks the session token rules for a verified key and returns its principal. */
  principalFor(key: AccessKeyRecord, securityToken: string | undefined): Principal {
    if (key.sessionToken !== undefined) {
      if (securityToken === undefined) throw new S3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
      if (!sameSecret(securityToken, key.sessionToken)) throw new S3Error('InvalidToken');
      if (key.expiresMs !== undefined && this.clock.nowMs() >= key.expiresMs) throw new S3Error('ExpiredToken');
    } else if (securityToken !== undefined && securityToken !== '') {
      throw new S3Error('InvalidToken');
    }
    return principalFromKey(key);
  }

  /** Forget a key at once (deleted or deactivated). */
  invalidate(accessKeyId: string): void {
    this.cache.delete(accessKeyId);
  }
}

/** Compares digests so that neither where the strings differ nor their lengths show in the timing. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
