// Webhooks end to end against a real local receiver: signed status changes (HMAC checked here independently),
// retries with back-off after 500s, Failed at the attempt limit, the delivery log, pings, partner scoping, and
// pending deliveries surviving a restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { apiRequest } from '../helpers/api-request.js';
import { Receiver, type Received } from '../helpers/webhook-receiver.js';
import { deliverAsPartner, deliverAsPlatform, onboardPartner, settled, type OnboardedPartner } from '../helpers/partner-setup.js';
import { approveOnboarding, requestOnboarding } from '../../src/delivery/onboarding.js';
import type { WebhookSettings } from '../../src/delivery/webhooks/webhook-dispatcher.js';

const fastRetries: WebhookSettings = { backoffBaseMs: 20, backoffMaxMs: 200, attemptsMax: 3, timeoutMs: 5_000, pollIntervalMs: 100, allowPartnerPrivateTargets: true };

/** Verifies X-S3push-Signature the way docs/webhooks.md tells receivers to (written out here, not imported). */
function signatureValid(received: Received, secret: string): boolean {
  const header = String(received.headers['x-s3push-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${received.body}`).digest('hex');
  return expected === m[2] && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

interface Hook { id: string; partner: string | null; url: string; statuses: string[]; secret: string }
interface LogEntry { id: string; event: string; deliveryId: string | null; deliveryStatus: string | null; status: string; attempts: number; lastResponse: string | null; nextAttemptAt: string | null; attemptLog: { statusCode: number | null; error: string | null }[] }

describe('webhooks', () => {
  let server: TestServer;
  let receiver: Receiver;
  let alpha: OnboardedPartner;
  let bravo: OnboardedPartner;

  const api = async (credentials: Credentials, method: string, path: string, body?: unknown) => apiRequest(server.endpoint, credentials, method, `/api/v1${path}`, body);
  async function createHook(credentials: Credentials, body: Record<string, unknown>): Promise<Hook> {
    const res = await api(credentials, 'POST', '/webhooks', body);
    assert.equal(res.status, 201, res.text);
    return res.json as Hook;
  }
  /** The hook's log once nothing in it is Pending any more. */
  async function settledLog(hookId: string): Promise<LogEntry[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const log = (await api(server.platform, 'GET', `/webhooks/${hookId}/deliveries`)).json as LogEntry[];
      if (!log.some((d) => d.status === 'Pending')) return log;
      if (Date.now() > deadline) throw new Error(`webhook ${hookId} still has pending deliveries: ${JSON.stringify(log)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  before(async () => {
    receiver = new Receiver();
    await receiver.start();
    server = await startTestServer({ webhooks: fastRetries });
    alpha = await onboardPartner(server, 'Alpha', '222233334444');
    bravo = await onboardPartner(server, 'Bravo', '333344445555');
  });
  after(async () => {
    await server.stop();
    await receiver.stop();
  });

  test('every status change of a delivery arrives signed, with the status it left', async () => {
    const hook = await createHook(server.platform, { url: receiver.url('/all') });
    assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{32}$/);
    assert.equal(hook.partner, null);
    assert.deepEqual(hook.statuses, []);
    const key = await deliverAsPartner(server, alpha, 'Title_Feature.txt', 'the feature');
    const record = await settled(server, alpha.partnerId, key);
    assert.equal(record.status, 'Ingested');
    const arrived = (await receiver.waitFor('/all', 4)).map((r) => ({ r, body: JSON.parse(r.body) as { event: string; delivery: { id: string; key: string; status: string; partner: string; size: number; updatedAt: string }; previousStatus: string | null; at: string } }));
    const mine = arrived.filter((a) => a.body.delivery.id === record.id);
    const order = ['Received', 'Validating', 'Accepted', 'Ingested'];
    mine.sort((a, b) => order.indexOf(a.body.delivery.status) - order.indexOf(b.body.delivery.status));
    assert.deepEqual(mine.map((a) => a.body.delivery.status), order);
    assert.deepEqual(mine.map((a) => a.body.previousStatus), [null, 'Received', 'Validating', 'Accepted']);
    for (const { r, body } of mine) {
      assert.ok(signatureValid(r, hook.secret), `signature of the ${body.delivery.status} event verifies`);
      assert.ok(!signatureValid({ ...r, body: r.body.replace('Title_Feature', 'Title_Featurf') }, hook.secret), 'a changed body does not verify');
      assert.ok(!signatureValid(r, `${hook.secret}x`), 'another secret does not verify');
      assert.equal(r.headers['x-s3push-event'], 'delivery.status');
      assert.match(String(r.headers['x-s3push-delivery']), /^whd-[a-z0-9]{20}$/);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(body.event, 'delivery.status');
      assert.equal(body.delivery.key, key);
      assert.equal(body.delivery.partner, 'Alpha');
      assert.equal(body.delivery.size, 'the feature'.length);
      assert.equal(body.at, body.delivery.updatedAt, 'at is when the status changed');
    }
    assert.equal(new Set(mine.map((a) => a.r.headers['x-s3push-delivery'])).size, 4, 'one webhook delivery id per event');
    const log = await settledLog(hook.id);
    assert.deepEqual(log.filter((d) => d.deliveryId === record.id).map((d) => [d.status, d.attempts, d.lastResponse]).sort(), Array(4).fill(['Delivered', 1, 'HTTP 200']));
    assert.equal((await api(server.platform, 'DELETE', `/webhooks/${hook.id}`)).status, 204);
  });

  test('a receiver answering 500 then 200 gets the same event again, and the log shows both attempts', async () => {
    const hook = await createHook(server.platform, { url: receiver.url('/flaky'), statuses: ['Ingested'] });
    const seen = new Set<string>();
    receiver.respond = (r, res) => {
      const id = String(r.headers['x-s3push-delivery']);
      if (r.path === '/flaky' && !seen.has(id)) {
        seen.add(id);
        res.writeHead(500).end('try later');
      } else res.writeHead(200).end();
    };
    const key = await deliverAsPartner(server, alpha, 'Title_Trailer.txt', 'the trailer');
    const record = await settled(server, alpha.partnerId, key);
    const [first, second] = await receiver.waitFor('/flaky', 2);
    assert.equal(first!.headers['x-s3push-delivery'], second!.headers['x-s3push-delivery'], 'a retry keeps the delivery id');
    assert.equal(first!.body, second!.body, 'and the body');
    assert.ok(signatureValid(second!, hook.secret));
    const log = await settledLog(hook.id);
    assert.equal(log.length, 1);
    assert.equal(log[0]!.deliveryId, record.id);
    assert.equal(log[0]!.deliveryStatus, 'Ingested');
    assert.equal(log[0]!.status, 'Delivered');
    assert.equal(log[0]!.attempts, 2);
    assert.deepEqual(log[0]!.attemptLog.map((a) => a.statusCode), [500, 200]);
    assert.equal(log[0]!.nextAttemptAt, null);
    assert.equal(receiver.at('/flaky').length, 2, 'nothing more once delivered');
    receiver.respond = (_r, res) => res.writeHead(200).end();
  });

  test('after the attempt limit a delivery is Failed, with every attempt logged (HTTP errors and refused connections)', async () => {
    const failing = await createHook(server.platform, { url: receiver.url('/down'), statuses: ['Rejected'] });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await createHook(server.platform, { url: `http://127.0.0.1:${closedPort}/hook`, statuses: ['Rejected'] });
    receiver.respond = (r, res) => res.writeHead(r.path === '/down' ? 503 : 200).end();
    const key = await deliverAsPartner(server, alpha, 'Bad Name.final.txt', 'x');
    assert.equal((await settled(server, alpha.partnerId, key)).status, 'Rejected');
    const log = await settledLog(failing.id);
    assert.equal(log.length, 1);
    assert.equal(log[0]!.status, 'Failed');
    assert.equal(log[0]!.attempts, 3);
    assert.deepEqual(log[0]!.attemptLog.map((a) => a.statusCode), [503, 503, 503]);
    assert.equal(log[0]!.lastResponse, 'HTTP 503');
    assert.equal(receiver.at('/down').length, 3, 'exactly attemptsMax requests');
    const refused = await settledLog(unreachable.id);
    assert.equal(refused[0]!.status, 'Failed');
    assert.equal(refused[0]!.attempts, 3);
    for (const attempt of refused[0]!.attemptLog) {
      assert.equal(attempt.statusCode, null);
      assert.match(attempt.error ?? '', /ECONNREFUSED/);
    }
    receiver.respond = (_r, res) => res.writeHead(200).end();
  });

  test('a ping is sent at once, signed, and logged; a failing one says why', async () => {
    const hook = await createHook(server.platform, { url: receiver.url('/ping') });
    const res = await api(server.platform, 'POST', `/webhooks/${hook.id}/test`);
    assert.equal(res.status, 200, res.text);
    const sent = res.json as LogEntry;
    assert.equal(sent.event, 'ping');
    assert.equal(sent.status, 'Delivered');
    assert.equal(sent.deliveryId, null);
    const [ping] = receiver.at('/ping');
    assert.ok(ping && signatureValid(ping, hook.secret));
    assert.equal(ping.headers['x-s3push-event'], 'ping');
    assert.equal(ping.headers['x-s3push-delivery'], sent.id);
    assert.equal((JSON.parse(ping.body) as { webhook: { id: string } }).webhook.id, hook.id);
    receiver.respond = (_r, r2) => r2.writeHead(410).end();
    const failed = (await api(server.platform, 'POST', `/webhooks/${hook.id}/test`)).json as LogEntry;
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.attempts, 1, 'a ping is not retried');
    assert.deepEqual(failed.attemptLog.map((a) => a.statusCode), [410]);
    const log = (await api(server.platform, 'GET', `/webhooks/${hook.id}/deliveries`)).json as LogEntry[];
    assert.deepEqual(log.map((d) => d.id).sort(), [sent.id, failed.id].sort());
    receiver.respond = (_r, r2) => r2.writeHead(200).end();
    await api(server.platform, 'DELETE', `/webhooks/${hook.id}`);
  });

  test('partner hooks get only their partner\'s deliveries; operator hooks get all; partners manage only their own hooks', async () => {
    const alphaHook = await createHook(alpha.role, { url: receiver.url('/alpha'), statuses: ['Ingested', 'Rejected'] });
    assert.equal(alphaHook.partner, 'Alpha', 'a partner\'s hook is bound to it');
    const bravoHook = await createHook(server.platform, { url: receiver.url('/bravo'), partner: 'Bravo', statuses: ['Ingested'] });
    const operatorHook = await createHook(server.platform, { url: receiver.url('/operator'), statuses: ['Ingested'] });

    const alphaKey = await deliverAsPartner(server, alpha, 'Title_Poster.txt', 'poster');
    const bravoKey = await deliverAsPlatform(server, bravo.grant.prefix, 'Title_Episode.txt', 'episode');
    const alphaRecord = await settled(server, alpha.partnerId, alphaKey);
    const bravoRecord = await settled(server, bravo.partnerId, bravoKey);
    for (const hook of [alphaHook, bravoHook, operatorHook]) await settledLog(hook.id);
    const deliveryIds = (path: string) => receiver.at(path).map((r) => (JSON.parse(r.body) as { delivery: { id: string } }).delivery.id).sort();
    assert.deepEqual(deliveryIds('/alpha'), [alphaRecord.id]);
    assert.deepEqual(deliveryIds('/bravo'), [bravoRecord.id]);
    assert.deepEqual(deliveryIds('/operator'), [alphaRecord.id, bravoRecord.id].sort());

    const listed = (await api(alpha.role, 'GET', '/webhooks')).json as Hook[];
    assert.deepEqual(listed.map((h) => h.id), [alphaHook.id], 'a partner lists only its own hooks');
    assert.ok(listed.every((h) => !('secret' in h)), 'secrets are never listed');
    const all = ((await api(server.platform, 'GET', '/webhooks')).json as Hook[]).map((h) => h.id);
    for (const id of [alphaHook.id, bravoHook.id, operatorHook.id]) assert.ok(all.includes(id));
    const onlyBravo = ((await api(server.platform, 'GET', '/webhooks?partner=Bravo')).json as Hook[]).map((h) => h.id);
    assert.deepEqual(onlyBravo, [bravoHook.id]);
    for (const [method, path] of [['DELETE', `/webhooks/${bravoHook.id}`], ['GET', `/webhooks/${operatorHook.id}/deliveries`], ['POST', `/webhooks/${bravoHook.id}/test`]] as const) {
      const res = await api(alpha.role, method, path);
      assert.equal(res.status, 404, `${method} ${path} as Alpha`);
      assert.equal((res.json as { error: { code: string } }).error.code, 'NotFound');
    }
    const forBravo = await api(alpha.role, 'POST', '/webhooks', { url: receiver.url('/x'), partner: 'Bravo' });
    assert.equal(forBravo.status, 404, 'a partner cannot register a hook for another partner');
    assert.equal((await api(alpha.role, 'DELETE', `/webhooks/${alphaHook.id}`)).status, 204);
    assert.equal(((await api(alpha.role, 'GET', '/webhooks')).json as Hook[]).length, 0);
    for (const hook of [bravoHook, operatorHook]) await api(server.platform, 'DELETE', `/webhooks/${hook.id}`);
  });

  test('registrations are validated: http(s) only, no link-local targets, known statuses', async () => {
    const hookCount = async () => ((await api(server.platform, 'GET', '/webhooks')).json as Hook[]).length;
    const before = await hookCount();
    const cases: [unknown, string][] = [
      [{ url: 'ftp://127.0.0.1/hook' }, 'http:// or https://'],
      [{ url: 'file:///etc/passwd' }, 'http:// or https://'],
      [{ url: 'not a url' }, 'Not a URL'],
      [{}, 'url is required'],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, 'link-local'],
      [{ url: 'http://[fe80::1]/hook' }, 'link-local'],
      [{ url: receiver.url('/x'), statuses: ['Delivered'] }, 'statuses must be'],
      [{ url: receiver.url('/x'), partner: 'Nobody' }, 'No partner Nobody'],
    ];
    for (const [body, message] of cases) {
      const res = await api(server.platform, 'POST', '/webhooks', body);
      const error = (res.json as { error: { code: string; message: string } }).error;
      assert.ok(res.status === 400 || res.status === 404, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(error.code, res.status === 400 ? 'InvalidArgument' : 'NotFound');
      assert.ok(error.message.includes(message), `${JSON.stringify(body)}: ${error.message}`);
    }
    assert.equal(await hookCount(), before, 'nothing was registered');
  });
});

describe('webhook deliveries survive a restart', () => {
  test('an attempt cut short by shutdown is sent again by the next server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 's3push-webhook-restart-'));
    const receiver = new Receiver();
    await receiver.start();
    let held: ServerResponse | undefined;
    receiver.respond = (_r, res) => { held = res; };
    let server = await startTestServer({ dataDir, webhooks: fastRetries });
    try {
      const context = server.server.delivery.context;
      const request = await requestOnboarding(context, { partnerName: 'Charlie', roleArns: ['arn:aws:iam::444455556666:role/Delivery'], deliveryAccounts: ['charlie_main'], region: 'us-east-1', requestedBy: 'test' });
      const grant = await approveOnboarding(context, request.id, 'test');
      const partnerId = (await context.deliveries.getPartnerByName('Charlie'))!.id;
      const hook = (await apiRequest(server.endpoint, server.platform, 'POST', '/api/v1/webhooks', { url: receiver.url('/hold'), statuses: ['Ingested'] })).json as Hook;
      const key = await deliverAsPlatform(server, grant.prefix, 'Title_Extra.txt', 'extra');
      const record = await settled(server, partnerId, key);
      await receiver.waitFor('/hold', 1);
      await server.server.close(); // aborts the held attempt; the record stays Pending
      held?.destroy();
      receiver.respond = (_r, res) => res.writeHead(200).end();
      server = await startTestServer({ dataDir, webhooks: fastRetries });
      const [first, second] = await receiver.waitFor('/hold', 2);
      assert.equal(second!.headers['x-s3push-delivery'], first!.headers['x-s3push-delivery']);
      assert.equal((JSON.parse(second!.body) as { delivery: { id: string } }).delivery.id, record.id);
      assert.ok(signatureValid(second!, hook.secret));
      const deadline = Date.now() + 10_000;
      let log: LogEntry[];
      do {
        log = (await apiRequest(server.endpoint, server.platform, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`)).json as LogEntry[];
        if (log[0]?.status !== 'Pending') break;
        await new Promise((r) => setTimeout(r, 25));
      } while (Date.now() < deadline);
      assert.equal(log.length, 1);
      assert.equal(log[0]!.status, 'Delivered');
      assert.equal(log[0]!.attempts, 1, 'the attempt cut short by shutdown does not count');
    } finally {
      await server.stop();
      await receiver.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
