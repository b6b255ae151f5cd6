// Slate's authentication against the real SQLite PortalStore: the bootstrap operator, scrypt logins, sessions
// stored only as hashes with idle and absolute expiry, CSRF tokens, cookies and the login rate limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/core/password-hash.js';
import { limits } from '../../src/core/limits.js';
import type { Clock } from '../../src/core/clock.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/sqlite-meta-store.js';
import { actorOf, csrfTokenFor, PortalAuth, sha256Hex, tokensEqual } from '../../src/portal/auth/portal-auth.js';
import { LoginRateLimiter } from '../../src/portal/auth/login-rate-limiter.js';
import { parseCookies, serializeCookie } from '../../src/portal/auth/cookies.js';

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  constructor(public ms = Date.parse('2025-06-01T00:00:00Z')) {}
  nowMs(): number { return this.ms; }
  advance(ms: number): void { this.ms += ms; }
}

describe('PortalAuth', () => {
  let dir: string;
  let stores: SqliteStores;
  let clock: ManualClock;
  let auth: PortalAuth;
  const operatorPassword = 'correct horse battery staple';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3push-portal-auth-'));
    stores = openSqliteStores({ path: join(dir, 'meta.sqlite') });
    clock = new ManualClock();
    auth = new PortalAuth(stores.portal, clock);
    await auth.ensureBootstrapOperator(hashPassword(operatorPassword));
  });
  after(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the bootstrap operator is created once and keeps later password changes', async () => {
    await auth.ensureBootstrapOperator(hashPassword('another password entirely'));
    const users = await stores.portal.listUsers();
    assert.equal(users.length, 1);
    assert.equal(users[0]!.name, 'operator');
    assert.equal(users[0]!.role, 'operator');
    assert.deepEqual(actorOf(users[0]!), { kind: 'operator', label: 'user operator' });
    assert.equal((await auth.login('operator', 'another password entirely', '10.0.0.1')).kind, 'invalid');
  });

  test('a login gives a random token that is stored only as its SHA-256', async () => {
    const result = await auth.login('Operator', operatorPassword, '127.0.0.1');
    assert.equal(result.kind, 'ok');
    if (result.kind !== 'ok') return;
    assert.ok(result.token.length >= 43);
    assert.equal(await stores.portal.getSession(result.token), undefined, 'the token itself is not a key');
    assert.ok(await stores.portal.getSession(sha256Hex(result.token)));
    const session = await auth.authenticate(result.token, false);
    assert.equal(session?.user.name, 'operator');
    assert.equal(await auth.authenticate(`${result.token}x`, false), undefined);
    assert.equal(await auth.authenticate(undefined, false), undefined);
    const second = await auth.login('operator', operatorPassword, '127.0.0.1');
    assert.ok(second.kind === 'ok' && second.token !== result.token);
  });

  test('wrong passwords and unknown users are refused alike', async () => {
    assert.equal((await auth.login('operator', 'wrong', '127.0.0.2')).kind, 'invalid');
    assert.equal((await auth.login('nobody', operatorPassword, '127.0.0.2')).kind, 'invalid');
    assert.equal((await auth.login('', '', '127.0.0.2')).kind, 'invalid');
  });

  test('sessions end when idle too long, and after their lifetime whatever the activity', async () => {
    const login = await auth.login('operator', operatorPassword, '127.0.0.3');
    assert.ok(login.kind === 'ok');
    clock.advance(limits.portalSessionIdleMs - 1000);
    assert.ok(await auth.authenticate(login.token, false), 'still live just before the idle limit');
    clock.advance(limits.portalSessionIdleMs - 1000);
    assert.ok(await auth.authenticate(login.token, false), 'activity moved the idle deadline');
    clock.advance(limits.portalSessionIdleMs + 1);
    assert.equal(await auth.authenticate(login.token, false), undefined, 'idle past the limit');
    assert.equal(await stores.portal.getSession(sha256Hex(login.token)), undefined, 'and deleted');

    const lasting = await auth.login('operator', operatorPassword, '127.0.0.3');
    assert.ok(lasting.kind === 'ok');
    for (let spent = 0; spent < limits.portalSessionLifetimeMs; spent += limits.portalSessionIdleMs / 2) {
      clock.advance(limits.portalSessionIdleMs / 2);
      if (spent + limits.portalSessionIdleMs / 2 < limits.portalSessionLifetimeMs) assert.ok(await auth.authenticate(lasting.token, false));
    }
    assert.equal(await auth.authenticate(lasting.token, false), undefined, 'past the absolute lifetime');
  });

  test('logout and a password change end sessions', async () => {
    const a = await auth.login('operator', operatorPassword, '127.0.0.4');
    const b = await auth.login('operator', operatorPassword, '127.0.0.4');
    assert.ok(a.kind === 'ok' && b.kind === 'ok');
    await auth.logout(a.token);
    assert.equal(await auth.authenticate(a.token, false), undefined);
    const current = (await auth.authenticate(b.token, false))!;
    const c = await auth.login('operator', operatorPassword, '127.0.0.4');
    assert.ok(c.kind === 'ok');
    assert.equal(await auth.changePassword(current, 'wrong current', 'a brand new password'), 'The current password is not correct.');
    assert.match((await auth.changePassword(current, operatorPassword, 'short'))!, /at least 12/);
    assert.equal(await auth.changePassword(current, operatorPassword, 'a brand new password'), undefined);
    assert.ok(await auth.authenticate(b.token, false), 'the session that changed it stays');
    assert.equal(await auth.authenticate(c.token, false), undefined, 'other sessions end');
    assert.equal((await auth.login('operator', operatorPassword, '127.0.0.4')).kind, 'invalid');
    assert.equal((await auth.login('operator', 'a brand new password', '127.0.0.4')).kind, 'ok');
  });

  test('login rate limiting: per user name, even with the right password, until the window ends', async () => {
    const password = 'a brand new password';
    for (let i = 0; i < limits.portalLoginFailuresPerUserMax; i++) assert.equal((await auth.login('operator', 'guess', `10.1.0.${i}`)).kind, 'invalid');
    const limited = await auth.login('operator', password, '10.1.1.1');
    assert.equal(limited.kind, 'rate-limited');
    assert.ok(limited.kind === 'rate-limited' && limited.retryAfterMs > 0 && limited.retryAfterMs <= limits.portalLoginWindowMs);
    clock.advance(limits.portalLoginWindowMs);
    assert.equal((await auth.login('operator', password, '10.1.1.1')).kind, 'ok');
  });

  test('login rate limiting: per source address across user names', async () => {
    for (let i = 0; i < limits.portalLoginFailuresPerIpMax; i++) await auth.login(`user${i}`, 'guess', '10.2.0.1');
    assert.equal((await auth.login('operator', 'a brand new password', '10.2.0.1')).kind, 'rate-limited');
    assert.equal((await auth.login('operator', 'a brand new password', '10.2.0.2')).kind, 'ok', 'another address is not affected');
    clock.advance(limits.portalLoginWindowMs);
  });
});

describe('LoginRateLimiter', () => {
  test('tracks a bounded number of keys, forgetting the oldest', () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, { windowMs: 1000, failuresPerIpMax: 2, failuresPerUserMax: 2, trackedKeysMax: 10 });
    for (let i = 0; i < 50; i++) limiter.recordFailure(`10.0.0.${i}`, `user${i}`);
    assert.equal(limiter.trackedKeys, 10);
    limiter.recordFailure('10.9.9.9', 'alice');
    assert.equal(limiter.retryAfterMs('10.9.9.9', 'alice'), 0, 'one failure is under the limit');
    limiter.recordFailure('10.9.9.8', 'ALICE');
    assert.equal(limiter.retryAfterMs('10.9.9.7', 'alice'), 1000, 'user names compare without case');
    limiter.recordSuccess('alice');
    assert.equal(limiter.retryAfterMs('10.9.9.7', 'alice'), 0);
  });
});

describe('CSRF tokens and cookies', () => {
  test('a CSRF token belongs to one session token and reveals nothing of it', () => {
    const a = csrfTokenFor('token-a');
    assert.equal(csrfTokenFor('token-a'), a);
    assert.notEqual(csrfTokenFor('token-b'), a);
    assert.ok(!a.includes('token-a'));
    assert.ok(tokensEqual(a, csrfTokenFor('token-a')));
    assert.ok(!tokensEqual(a, a.slice(1)));
    assert.ok(!tokensEqual(a, ''));
  });

  test('session cookies are HttpOnly and SameSite=Strict; Secure when asked', () => {
    const cookie = serializeCookie('slate_session', 'abc=;', { secure: false, maxAgeSeconds: 60 });
    assert.equal(cookie, 'slate_session=abc%3D%3B; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    assert.match(serializeCookie('s', 'v', { secure: true }), /; Secure$/);
    assert.match(serializeCookie('s', '', { secure: false, maxAgeSeconds: 0 }), /Max-Age=0/);
  });

  test('cookie parsing takes the first of a repeated name and skips malformed values', () => {
    const cookies = parseCookies('a=1; b="two"; a=3; bad; c=%E0%A4%A; d=x%3Dy');
    assert.equal(cookies.get('a'), '1');
    assert.equal(cookies.get('b'), 'two');
    assert.equal(cookies.has('c'), false);
    assert.equal(cookies.get('d'), 'x=y');
    assert.equal(parseCookies(undefined).size, 0);
  });
});
