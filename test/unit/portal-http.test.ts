// Slate over HTTP on a real server: sign-in (with its pre-login CSRF token), session cookies, CSRF on every
// state change (forms and API), bearer tokens, partner scoping by URL guessing, security headers, the login
// rate limit, and the live events feed scoped to the actor with a bounded number of clients.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { limits } from '../../src/core/limits.js';
import { approveOnboarding, requestOnboarding } from '../../src/delivery/onboarding.js';
import { EventsFeed, type StatusSource } from '../../src/portal/events-feed.js';
import { bootstrapLogin } from '../browser/slate-browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { DeliveryRecord } from '../../src/storage/delivery-store.js';

interface Session { cookie: string; csrf: string }

function record(partnerId: string, partnerName: string, id: string): DeliveryRecord {
  return {
    id, partnerId, partnerName, deliveryAccount: 'main', bucket: 'b', key: `${partnerName.toLowerCase()}/x.txt`, versionId: 'v', sizeBytes: 1, etag: 'e',
    checksums: {}, deliveredBy: 'arn:aws:sts::111122223333:assumed-role/R/s', method: 'PutObject', deliveredMs: Date.now(), status: 'Received',
    validations: [], redelivery: 0, eventSequence: 1, updatedMs: Date.now(),
  };
}

describe('Slate over HTTP', () => {
  let server: TestServer;
  let portal: string;
  let operator: Session;
  let partnerA: Session;
  let partnerB: Session;
  let partnerAId: string;
  let partnerBId: string;

  async function formLogin(user: string, password: string): Promise<Session> {
    const page = await fetch(`${portal}/login`);
    const loginCookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const response = await fetch(`${portal}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, user, password }),
    });
    assert.equal(response.status, 303, `login of ${user}`);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('slate_session='))!.split(';')[0]!;
    const me = await (await fetch(`${portal}/api/v1/me`, { headers: { cookie } })).json() as { csrfToken: string };
    return { cookie, csrf: me.csrfToken };
  }

  async function api(session: Session, method: string, path: string, body?: unknown, csrf = true): Promise<Response> {
    return fetch(`${portal}/api/v1${path}`, {
      method,
      headers: { cookie: session.cookie, ...(csrf ? { 'x-csrf-token': session.csrf } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  before(async () => {
    server = await startTestServer({ portalPort: 0 });
    portal = server.server.portalUrl!;
    const context = server.server.delivery.context;
    for (const [name, account] of [['Studio A', '111122223333'], ['Studio B', '444455556666']] as const) {
      const r = await requestOnboarding(context, { partnerName: name, roleArns: [`arn:aws:iam::${account}:role/Delivery`], deliveryAccounts: ['main'], region: 'us-east-1', requestedBy: 'test' });
      await approveOnboarding(context, r.id, 'operator');
    }
    partnerAId = (await context.deliveries.getPartnerByName('Studio A'))!.id;
    partnerBId = (await context.deliveries.getPartnerByName('Studio B'))!.id;
    const login = await bootstrapLogin(server.dataDir);
    operator = await formLogin(login.user, login.password);
    const created: Record<string, string> = {};
    for (const [user, partner] of [['alice', 'Studio A'], ['bob', 'Studio B']] as const) {
      const response = await api(operator, 'POST', '/users', { name: user, role: 'partner', partner });
      assert.equal(response.status, 201);
      created[user] = (await response.json() as { password: string }).password;
    }
    partnerA = await formLogin('alice', created['alice']!);
    partnerB = await formLogin('bob', created['bob']!);
    await context.deliveries.recordIngested('portal-http-test', 1, [record(partnerAId, 'Studio A', 'dlv-a1')]);
  });
  after(async () => server.stop());

  test('the API needs a session; pages send signed-out visitors to sign in', async () => {
    const response = await fetch(`${portal}/api/v1/deliveries`);
    assert.equal(response.status, 401);
    assert.equal((await response.json() as { error: { code: string } }).error.code, 'Unauthenticated');
    const page = await fetch(`${portal}/deliveries?status=Rejected`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?next=%2Fdeliveries%3Fstatus%3DRejected');
  });

  test('every response carries a strict Content-Security-Policy and friends', async () => {
    const page = await fetch(`${portal}/deliveries`, { headers: { cookie: partnerA.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(await page.text(), /<script>|style="/, 'no inline script or style');
  });

  test('sign-in needs the pre-login CSRF token; the session cookie is HttpOnly and SameSite=Strict', async () => {
    const login = await bootstrapLogin(server.dataDir);
    const noToken = await fetch(`${portal}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user: login.user, password: login.password }) });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.headers.getSetCookie().some((c) => c.startsWith('slate_session=')), false);
    const page = await fetch(`${portal}/login`);
    const loginCookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const ok = await fetch(`${portal}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, user: login.user, password: login.password, next: '//evil.example/' }),
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/', 'no open redirect');
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('slate_session='))!;
    assert.match(cookie, /; HttpOnly; SameSite=Strict; Max-Age=\d+/);
  });

  test('state changes with a session cookie need the CSRF token, from this origin', async () => {
    const pending = await requestOnboarding(server.server.delivery.context, { partnerName: 'Studio C', roleArns: ['arn:aws:iam::777788889999:role/D'], deliveryAccounts: ['c'], region: 'us-east-1', requestedBy: 'test' });
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => fetch(`${portal}/onboarding/${pending.id}/reject`, {
      method: 'POST', redirect: 'manual', headers: { cookie: operator.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields),
    });
    assert.equal((await form({ reason: 'no token' })).status, 403);
    assert.equal((await form({ reason: 'wrong token', _csrf: partnerA.csrf })).status, 403, 'another session\'s token does not do');
    assert.equal((await form({ reason: 'cross-site', _csrf: operator.csrf }, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await api(operator, 'POST', `/onboarding-requests/${pending.id}/reject`, { reason: 'no header' }, false)).status, 403);
    assert.equal((await server.server.delivery.context.deliveries.getOnboardingRequest(pending.id))!.status, 'Pending');
    assert.equal((await form({ reason: 'Wrong account id in the role ARN.', _csrf: operator.csrf }, { origin: portal })).status, 200);
    assert.equal((await server.server.delivery.context.deliveries.getOnboardingRequest(pending.id))!.status, 'Rejected');
  });

  test('a bearer token from POST /api/v1/sessions needs no CSRF header (no cookie involved)', async () => {
    const login = await bootstrapLogin(server.dataDir);
    const created = await fetch(`${portal}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: login.user, password: login.password }) });
    assert.equal(created.status, 201);
    const { token } = await created.json() as { token: string };
    const users = await fetch(`${portal}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(users.status, 200);
    const made = await fetch(`${portal}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ops2', role: 'operator' }) });
    assert.equal(made.status, 201);
    const body = await made.json() as { name: string; role: string; password: string; passwordHash?: string };
    assert.equal(body.role, 'operator');
    assert.ok(body.password.length >= 12);
    assert.equal(body.passwordHash, undefined, 'hashes never leave the server');
    const formEncoded = await fetch(`${portal}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    assert.equal(formEncoded.status, 415, 'API bodies are JSON only');
    const out = await fetch(`${portal}/api/v1/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(out.status, 200);
    assert.equal((await fetch(`${portal}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
  });

  test('a partner user sees only its own partner, whatever URL it guesses', async () => {
    assert.equal((await api(partnerA, 'GET', '/deliveries/dlv-a1')).status, 200);
    assert.equal((await api(partnerB, 'GET', '/deliveries/dlv-a1')).status, 404);
    assert.equal((await fetch(`${portal}/deliveries/dlv-a1`, { headers: { cookie: partnerB.cookie } })).status, 404);
    assert.equal((await fetch(`${portal}/deliveries/dlv-a1?fragment=detail`, { headers: { cookie: partnerB.cookie } })).status, 404);
    assert.equal((await api(partnerB, 'GET', '/partners/Studio%20A')).status, 404);
    assert.equal((await api(partnerB, 'GET', '/deliveries?partner=Studio%20A')).status, 404);
    const own = await (await api(partnerB, 'GET', '/deliveries')).json() as { total: number };
    assert.equal(own.total, 0);
    assert.equal((await api(partnerB, 'GET', '/users')).status, 403, 'operator-only API');
    assert.equal((await api(partnerB, 'POST', '/onboarding-requests/x/approve', {})).status, 403);
    assert.equal((await fetch(`${portal}/partners`, { headers: { cookie: partnerB.cookie } })).status, 403, 'operator-only page');
    assert.equal((await fetch(`${portal}/dashboard`, { headers: { cookie: partnerB.cookie } })).status, 403);
    type Dashboard = { storage: { deliveries: number; bytes: number; byPartner: { partner: string; deliveries: number; bytes: number }[] }; slowestValidations: { id: string }[] };
    const partnerView = await (await api(partnerB, 'GET', '/dashboard')).json() as Dashboard;
    assert.deepEqual(partnerView.storage, { deliveries: 0, bytes: 0, byPartner: [{ partner: 'Studio B', deliveries: 0, bytes: 0 }] }, "the dashboard API shows a partner its own storage only");
    assert.deepEqual(partnerView.slowestValidations, []);
    const operatorView = await (await api(operator, 'GET', '/dashboard')).json() as Dashboard;
    assert.deepEqual(operatorView.storage.byPartner.map((p) => [p.partner, p.deliveries, p.bytes]).sort(), [['Studio A', 1, 1], ['Studio B', 0, 0]]);
  });

  test('failed sign-ins are limited per user name with a named limit (429 and Retry-After)', async () => {
    let last: Response | undefined;
    for (let i = 0; i <= limits.portalLoginFailuresPerUserMax; i++) {
      last = await fetch(`${portal}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bob', password: `guess-${i}` }) });
    }
    assert.equal(last!.status, 429);
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
  });

  test('the events feed streams status changes to the right actors only', async () => {
    const open = (session: Session) => new Promise<{ res: IncomingMessage; text: () => string }>((resolve, reject) => {
      const req = httpRequest(`${portal}/api/v1/events`, { headers: { cookie: session.cookie } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        resolve({ res, text: () => text });
      });
      req.on('error', reject);
      req.end();
    });
    const [op, a, b] = await Promise.all([open(operator), open(partnerA), open(partnerB)]);
    assert.equal(op.res.headers['content-type'], 'text/event-stream; charset=utf-8');
    const feed = server.server.portal!.feed;
    await new Promise((r) => setTimeout(r, 50));
    feed.publish(record(partnerAId, 'Studio A', 'dlv-live-a'));
    feed.publish(record(partnerBId, 'Studio B', 'dlv-live-b'));
    await new Promise((r) => setTimeout(r, 200));
    assert.match(op.text(), /event: delivery\ndata: \{"id":"dlv-live-a"[\s\S]*"id":"dlv-live-b"/);
    assert.match(a.text(), /dlv-live-a/);
    assert.doesNotMatch(a.text(), /dlv-live-b/);
    assert.match(b.text(), /dlv-live-b/);
    assert.doesNotMatch(b.text(), /dlv-live-a/);
    for (const s of [op, a, b]) s.res.destroy();
  });
});

describe('EventsFeed', () => {
  test('refuses clients past its bound and sends heartbeats', async () => {
    const listeners: ((r: DeliveryRecord) => void)[] = [];
    const source: StatusSource = { onStatus: (l) => { listeners.push(l); return () => listeners.splice(listeners.indexOf(l), 1); } };
    const feed = new EventsFeed(source, { clientsMax: 1, heartbeatMs: 20, bufferedBytesMax: 1024 * 1024 });
    feed.start();
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      if (!feed.open(res, { actor: { kind: 'operator', label: 'op' } })) { res.writeHead(503); res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    let text = '';
    const first = await new Promise<IncomingMessage>((resolve) => httpRequest(url, (res) => { res.on('data', (c: Buffer) => { text += c.toString(); }); resolve(res); }).end());
    assert.equal(first.statusCode, 200);
    const second = await new Promise<IncomingMessage>((resolve) => httpRequest(url, (res) => { res.resume(); resolve(res); }).end());
    assert.equal(second.statusCode, 503, 'the feed is full');
    await new Promise((r) => setTimeout(r, 80));
    assert.match(text, /: heartbeat/);
    assert.equal(feed.size, 1);
    first.destroy();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(feed.size, 0, 'a closed stream frees its place');
    feed.close();
    assert.equal(listeners.length, 0, 'unsubscribed');
    await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  });
});
