// Login rate limiting: failed attempts are counted per source address and per user name in fixed windows;
// past either limit, logins are refused (without checking the password) until that window ends.
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';

export interface LoginLimits {
  windowMs: number;
  failuresPerIpMax: number;
  failuresPerUserMax: number;
  trackedKeysMax: number;
}

export const defaultLoginLimits: LoginLimits = {
  windowMs: limits.portalLoginWindowMs,
  failuresPerIpMax: limits.portalLoginFailuresPerIpMax,
  failuresPerUserMax: limits.portalLoginFailuresPerUserMax,
  trackedKeysMax: limits.portalLoginTrackedKeysMax,
};

interface Window {
  startMs: number;
  failures: number;
}

export class LoginRateLimiter {
  /** Insertion-ordered, so the first entries are the oldest (forgotten first when full). */
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock, private readonly config: LoginLimits = defaultLoginLimits) {}

  /** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
  retryAfterMs(sourceIp: string, userName: string): number {
    const nowMs = this.clock.nowMs();
    const waits = [this.wait(`ip:${sourceIp}`, this.config.failuresPerIpMax, nowMs), this.wait(`user:${userName.toLowerCase()}`, this.config.failuresPerUserMax, nowMs)];
    return Math.max(...waits);
  }

  recordFailure(sourceIp: string, userName: string): void {
    const nowMs = this.clock.nowMs();
    this.count(`ip:${sourceIp}`, nowMs);
    this.count(`user:${userName.toLowerCase()}`, nowMs);
  }

  /** A successful login clears the user's count (the address keeps its own). */
  recordSuccess(userName: string): void {
    this.windows.delete(`user:${userName.toLowerCase()}`);
  }

  get trackedKeys(): number {
    return this.windows.size;
  }

  private wait(key: string, max: number, nowMs: number): number {
    const window = this.windows.get(key);
    if (!window || nowMs - window.startMs >= this.config.windowMs) return 0;
    return window.failures >= max ? window.startMs + this.config.windowMs - nowMs : 0;
  }

  private count(key: string, nowMs: number): void {
    const current = this.windows.get(key);
    if (current && nowMs - current.startMs < this.config.windowMs) {
      current.failures++;
      return;
    }
    this.windows.delete(key);
    this.windows.set(key, { startMs: nowMs, failures: 1 });
    while (this.windows.size > this.config.trackedKeysMax) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
  }
}
