// Webhook building blocks: the signature scheme (known answer from Python's hmac), verification, the back-off
// schedule, which targets a hook may reach, and payloads cut to the size limit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeaderValue, signatureOf, verifyWebhookSignature } from '../../src/delivery/webhooks/webhook-signature.js';
import { retryDelayMs } from '../../src/delivery/webhooks/webhook-dispatcher.js';
import { WebhookTargetPolicy } from '../../src/delivery/webhooks/webhook-target.js';
import { deliveryStatusPayload, previousStatusOf } from '../../src/delivery/webhooks/webhook-payload.js';
import { deliveryView } from '../../src/portal/json-api/views.js';
import type { DeliveryRecord } from '../../src/storage/delivery-store.js';
import { S3Error } from '../../src/core/errors.js';

describe('webhook signatures', () => {
  // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.{\"event\":\"ping\"}', hashlib.sha256).hexdigest())"
  const known = 'aa8efe37b751e71157c508c5ac4acb1e9fe5225db98355dfc00f4b680afbc447';

  test('HMAC-SHA256 of "t.body" with the secret, as t=…,v1=…', () => {
    assert.equal(signatureOf('whsec_test', 1_700_000_000, '{"event":"ping"}'), known);
    assert.equal(signatureHeaderValue('whsec_test', 1_700_000_000, '{"event":"ping"}'), `t=1700000000,v1=${known}`);
  });

  test('verification accepts the signature and refuses changes, other secrets, replays and malformed headers', () => {
    const body = '{"event":"ping"}';
    const header = signatureHeaderValue('whsec_test', 1_700_000_000, body);
    assert.deepEqual(verifyWebhookSignature(header, body, 'whsec_test', 1_700_000_100), { ok: true });
    assert.deepEqual(verifyWebhookSignature(header, body.replace('ping', 'pong'), 'whsec_test', 1_700_000_100), { ok: false, reason: 'signature mismatch' });
    assert.deepEqual(verifyWebhookSignature(header, body, 'whsec_other', 1_700_000_100), { ok: false, reason: 'signature mismatch' });
    assert.deepEqual(verifyWebhookSignature(header, body, 'whsec_test', 1_700_000_301), { ok: false, reason: 'timestamp outside the tolerance' });
    assert.deepEqual(verifyWebhookSignature(`t=1700000001,v1=${known}`, body, 'whsec_test', 1_700_000_000), { ok: false, reason: 'signature mismatch' }, 'the timestamp is signed');
    for (const bad of [undefined, '', `v1=${known}`, 't=1700000000', `t=abc,v1=${known}`, `t=1700000000,v1=${known.slice(1)}`]) {
      assert.equal(verifyWebhookSignature(bad, body, 'whsec_test', 1_700_000_000).ok, false, String(bad));
    }
    assert.deepEqual(verifyWebhookSignature(`t=1700000000,v1=${'0'.repeat(64)},v1=${known}`, body, 'whsec_test', 1_700_000_000), { ok: true }, 'any v1 may match (secret rotation)');
  });
});

describe('retry back-off', () => {
  test('doubles from the base, is capped, and jitters within the upper half', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, 1_000, 60_000, () => 0)), [500, 1_000, 2_000, 4_000]);
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, 1_000, 60_000, () => 0.999999)), [1_000, 2_000, 4_000, 8_000]);
    assert.equal(retryDelayMs(30, 1_000, 60_000, () => 0.999999), 60_000);
    assert.equal(retryDelayMs(1_000, 1_000, 60_000, () => 0), 30_000, 'huge attempt numbers do not overflow');
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(3, 1_000, 60_000);
      assert.ok(delay >= 2_000 && delay <= 4_000, String(delay));
    }
    assert.throws(() => retryDelayMs(0, 1_000, 60_000));
  });
});

describe('webhook targets', () => {
  const strict = new WebhookTargetPolicy(false);
  const lenient = new WebhookTargetPolicy(true);

  test('never unspecified or link-local addresses; partners not private networks unless allowed', () => {
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', '0.0.0.0', '::', 'fd00:ec2::254']) {
      assert.ok(strict.addressRefusal(address, 'operator'), address);
      assert.ok(lenient.addressRefusal(address, 'partner'), address);
    }
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '::1', 'fd12::1', '::ffff:10.0.0.1']) {
      assert.ok(strict.addressRefusal(address, 'partner'), address);
      assert.equal(strict.addressRefusal(address, 'operator'), undefined, address);
      assert.equal(lenient.addressRefusal(address, 'partner'), undefined, address);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '2001:db8::1', '100.128.0.1']) assert.equal(strict.addressRefusal(address, 'partner'), undefined, address);
  });

  test('URLs: http(s) only, literal addresses checked at registration', () => {
    assert.equal(strict.parseUrl('HTTPS://Hooks.Example.com/a?b=1', 'partner').href, 'https://hooks.example.com/a?b=1');
    const refused = (text: unknown, owner: 'operator' | 'partner', pattern: RegExp) =>
      assert.throws(() => strict.parseUrl(text, owner), (e: unknown) => e instanceof S3Error && e.code === 'InvalidArgument' && pattern.test(e.message), String(text));
    refused('javascript:alert(1)', 'operator', /http:\/\/ or https:\/\//);
    refused('ws://example.com/', 'operator', /http:\/\/ or https:\/\//);
    refused('http://[fe80::1]/', 'operator', /link-local/);
    refused('http://2852039166/', 'operator', /link-local/); // 169.254.169.254 written as one number
    refused('http://localhost:8080/', 'partner', /private network/);
    refused('http://app.localhost/', 'partner', /private network/);
    refused(`https://example.com/${'a'.repeat(2048)}`, 'operator', /longer than/);
    refused(42, 'operator', /url is required/);
    assert.equal(strict.parseUrl('http://localhost:8080/', 'operator').port, '8080');
  });

  test('the connect-time lookup refuses what DNS answers when the owner may not reach it', async () => {
    const lookup = (policy: WebhookTargetPolicy, owner: 'operator' | 'partner') => new Promise<string>((resolve) => {
      policy.lookupFor(owner)('localhost', { all: true }, (error, address) => resolve(error ? `refused: ${error.message}` : JSON.stringify(address)));
    });
    assert.match(await lookup(strict, 'partner'), /^refused: localhost resolves to .*private network/);
    assert.match(await lookup(strict, 'operator'), /127\.0\.0\.1|::1/);
    assert.match(await lookup(lenient, 'partner'), /127\.0\.0\.1|::1/);
  });
});

describe('webhook payloads', () => {
  const record: DeliveryRecord = {
    id: 'dlv-1', partnerId: 'ptn-1', partnerName: 'Studio', deliveryAccount: 'main', bucket: 'b', key: 'studio/Title_Feature.mov', versionId: 'v1',
    sizeBytes: 10, etag: '"e"', checksums: { MD5: 'e' }, deliveredBy: 'arn:aws:sts::222233334444:assumed-role/Delivery/s', method: 'CopyObject',
    deliveredMs: 1_700_000_000_000, status: 'Rejected', rejection: { code: 'NAMING_SPACES', cause: 'c', fix: 'f' }, validations: [], redelivery: 0,
    eventSequence: 1, updatedMs: 1_700_000_001_000,
  };

  test('the status it left follows the validation path', () => {
    assert.deepEqual((['Received', 'Validating', 'Accepted', 'Rejected', 'Ingested'] as const).map(previousStatusOf), [null, 'Received', 'Validating', 'Validating', 'Accepted']);
  });

  test('a whole delivery when it fits; without media, then only its identity, when it does not', () => {
    const whole = JSON.parse(deliveryStatusPayload(deliveryView, record, 1_700_000_002_000, 8192));
    assert.deepEqual(whole, { event: 'delivery.status', previousStatus: 'Validating', at: '2023-11-14T22:13:22.000Z', delivery: deliveryView(record) });
    const media = { tracks: 'x'.repeat(9000) };
    const withoutMedia = JSON.parse(deliveryStatusPayload(deliveryView, { ...record, media }, 0, 8192));
    assert.equal(withoutMedia.truncated, true);
    assert.equal(withoutMedia.delivery.media, null);
    assert.equal(withoutMedia.delivery.key, record.key);
    const huge = { ...record, media, checksums: { a: 'y'.repeat(9000) } };
    const body = deliveryStatusPayload(deliveryView, huge, 0, 8192);
    assert.ok(Buffer.byteLength(body) <= 8192);
    const minimal = JSON.parse(body);
    assert.equal(minimal.truncated, true);
    assert.deepEqual(minimal.delivery.rejection, { code: 'NAMING_SPACES' });
    assert.equal(minimal.delivery.id, 'dlv-1');
    assert.equal(minimal.delivery.checksums, undefined);
    assert.throws(() => deliveryStatusPayload(deliveryView, record, 0, 100), 'the limit must leave room for a delivery identity');
  });
});
