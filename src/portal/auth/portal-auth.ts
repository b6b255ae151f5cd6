// Slate's authentication: local users with scrypt password hashes, random session tokens held by the browser
// in an HttpOnly SameSite=Strict cookie (or sent as a bearer token by scripts) and stored only as their SHA-256,
// per-session CSRF tokens derived from the session token, and the first operator from the bootstrap login.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { hashPassword, verifyPassword } from '../../core/password-hash.js';
import type { Actor } from '../../api/json-api.js';
import type { PortalSession, PortalStore, PortalUser } from '../../storage/portal-store.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

export const sessionCookieName = 'slate_session';
/** A pre-login CSRF token (double submit) so another site cannot log a browser into an account of its choosing. */
export const loginCsrfCookieName = 'slate_login';
/** The setting bootstrap writes with the first operator's password hash. */
export const operatorPasswordSetting = 'portal.operatorPasswordHash';
export const bootstrapOperatorName = 'operator';

export interface AuthenticatedSession {
  user: PortalUser;
  session: PortalSession;
  /** The token as presented (cookie or bearer); the CSRF token derives from it. */
  token: string;
  /** True for `Authorization: Bearer`: no cookie is involved, so no CSRF check applies. */
  bearer: boolean;
}

export type LoginResult =
  | { kind: 'ok'; user: PortalUser; token: string; expiresMs: number }
  | { kind: 'invalid' }
  | { kind: 'rate-limited'; retryAfterMs: number };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The CSRF token of a session: an HMAC keyed by the session token, so it is never stored and cannot be guessed. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('slate-csrf-v1').digest('base64url');
}

/** Constant-time comparison of two tokens (different lengths compare unequal). */
export function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function actorOf(user: PortalUser): Actor {
  return user.role === 'operator'
    ? { kind: 'operator', label: `user ${user.name}` }
    : { kind: 'partner', partnerId: user.partnerId!, label: `user ${user.name}` };
}

/** A strong random password for new users (shown once). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < limits.portalPasswordLengthMin) return `A password has at least ${limits.portalPasswordLengthMin} characters.`;
  if (password.length > limits.portalPasswordLengthMax) return `A password has at most ${limits.portalPasswordLengthMax} characters.`;
  return undefined;
}

export class PortalAuth {
  readonly limiter: LoginRateLimiter;
  /** Hash verified when a login names no existing user, so timing does not reveal which names exist. */
  private readonly decoyHash = hashPassword(newSecretToken());

  constructor(private readonly store: PortalStore, private readonly clock: Clock, limiter?: LoginRateLimiter) {
    this.limiter = limiter ?? new LoginRateLimiter(clock);
  }

  /** Creates the first operator from the bootstrap login's hash, once; later starts keep the user as changed. */
  async ensureBootstrapOperator(passwordHash: string | undefined): Promise<void> {
    if (!passwordHash) return;
    const operators = (await this.store.listUsers()).filter((u) => u.role === 'operator');
    if (operators.length > 0 || (await this.store.getUserByName(bootstrapOperatorName))) return;
    const nowMs = this.clock.nowMs();
    await this.store.createUser({
      id: `usr-${randomBytes(8).toString('hex')}`, name: bootstrapOperatorName, role: 'operator', passwordHash, createdMs: nowMs, updatedMs: nowMs, createdBy: 'bootstrap',
    });
  }

  async login(name: string, password: string, sourceIp: string): Promise<LoginResult> {
    const retryAfterMs = this.limiter.retryAfterMs(sourceIp, name);
    if (retryAfterMs > 0) return { kind: 'rate-limited', retryAfterMs };
    const user = name ? await this.store.getUserByName(name) : undefined;
    const valid = (await verifyPassword(password, user?.passwordHash ?? this.decoyHash)) && user !== undefined;
    if (!valid) {
      this.limiter.recordFailure(sourceIp, name);
      return { kind: 'invalid' };
    }
    this.limiter.recordSuccess(name);
    const token = newSecretToken();
    const nowMs = this.clock.nowMs();
    const expiresMs = nowMs + limits.portalSessionLifetimeMs;
    await this.store.createSession({ tokenHash: sha256Hex(token), userId: user.id, createdMs: nowMs, lastSeenMs: nowMs, expiresMs, sourceIp });
    return { kind: 'ok', user, token, expiresMs };
  }

  /** The session a token belongs to, if it is still live; refreshes its last-seen time now and then. */
  async authenticate(token: string | undefined, bearer: boolean): Promise<AuthenticatedSession | undefined> {
    if (!token || token.length > 128) return undefined;
    const tokenHash = sha256Hex(token);
    const session = await this.store.getSession(tokenHash);
    if (!session) return undefined;
    const nowMs = this.clock.nowMs();
    if (nowMs >= session.expiresMs || nowMs - session.lastSeenMs >= limits.portalSessionIdleMs) {
      await this.store.deleteSession(tokenHash);
      return undefined;
    }
    const user = await this.store.getUser(session.userId);
    if (!user) return undefined;
    if (nowMs - session.lastSeenMs >= limits.portalSessionTouchIntervalMs) {
      await this.store.touchSession(tokenHash, nowMs);
      session.lastSeenMs = nowMs;
    }
    return { user, session, token, bearer };
  }

  /** Whether a session (by token) is still usable — the events feed checks this on each heartbeat. */
  async stillValid(token: string): Promise<boolean> {
    const session = await this.store.getSession(sha256Hex(token));
    const nowMs = this.clock.nowMs();
    return session !== undefined && nowMs < session.expiresMs && nowMs - session.lastSeenMs < limits.portalSessionIdleMs;
  }

  async logout(token: string): Promise<void> {
    await this.store.deleteSession(sha256Hex(token));
  }

  /** Checks the current password, stores the new one and ends the user's other sessions. */
  async changePassword(auth: AuthenticatedSession, current: string, next: string): Promise<string | undefined> {
    if (!(await verifyPassword(current, auth.user.passwordHash))) return 'The current password is not correct.';
    const problem = passwordProblem(next);
    if (problem) return problem;
    await this.store.updateUser({ ...auth.user, passwordHash: hashPassword(next), updatedMs: this.clock.nowMs() });
    await this.store.deleteUserSessions(auth.user.id);
    const nowMs = this.clock.nowMs();
    await this.store.createSession({ ...auth.session, tokenHash: sha256Hex(auth.token), lastSeenMs: nowMs });
    return undefined;
  }

  async sweepSessions(): Promise<number> {
    const nowMs = this.clock.nowMs();
    return this.store.deleteStaleSessions(nowMs, nowMs - limits.portalSessionIdleMs);
  }
}
