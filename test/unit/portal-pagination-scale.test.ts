// Deliveries at 100,000 rows: seeds them through the DeliveryStore, then pages through Slate (JSON API and the
// rendered page) with the store's keyset cursor. Checks the pages are right; measures and prints the times
// (never asserted: the machine is shared).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { approveOnboarding, requestOnboarding } from '../../src/delivery/onboarding.js';
import type { DeliveryRecord, DeliveryStatus } from '../../src/storage/delivery-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { bootstrapLogin } from '../browser/slate-browser.js';

const rows = 100_000;
const batch = 2_000;
const statuses: DeliveryStatus[] = ['Ingested', 'Ingested', 'Ingested', 'Ingested', 'Ingested', 'Ingested', 'Ingested', 'Accepted', 'Rejected', 'Validating'];

describe(`Slate with ${rows.toLocaleString('en-US')} deliveries`, () => {
  let server: TestServer;
  let portal: string;
  let bearer: string;
  const timings: [string, number][] = [];

  async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    const value = await work();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    timings.push([label, ms]);
    return value;
  }

  async function get(path: string): Promise<Response> {
    const response = await fetch(`${portal}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    assert.equal(response.status, 200, path);
    return response;
  }

  before(async () => {
    server = await startTestServer({ portalPort: 0 });
    portal = server.server.portalUrl!;
    const context = server.server.delivery.context;
    const request = await requestOnboarding(context, { partnerName: 'Big Studio', roleArns: ['arn:aws:iam::111122223333:role/Delivery'], deliveryAccounts: ['main', 'trailers'], region: 'us-east-1', requestedBy: 'test' });
    await approveOnboarding(context, request.id, 'operator');
    const partner = (await context.deliveries.getPartnerByName('Big Studio'))!;
    const baseMs = Date.parse('2025-01-01T00:00:00Z');
    await timed('seed 100,000 records (DeliveryStore.recordIngested, 2,000 per transaction)', async () => {
      for (let start = 0; start < rows; start += batch) {
        const records: DeliveryRecord[] = [];
        for (let i = start; i < start + batch; i++) {
          const status = statuses[i % statuses.length]!;
          records.push({
            id: `dlv-${String(i).padStart(7, '0')}`, partnerId: partner.id, partnerName: partner.name, deliveryAccount: i % 3 === 0 ? 'trailers' : 'main',
            bucket: server.server.platform.deliveryBucket, key: `${partner.prefix}/Title_${i % 5000}/Feature_${i}_R${i % 3}.mov`, versionId: `v${i}`,
            sizeBytes: (i * 7919) % 5_000_000_000, etag: `"${i.toString(16)}"`, checksums: { CRC64NVME: 'AAAAAAAAAAA=' },
            deliveredBy: 'arn:aws:sts::111122223333:assumed-role/Delivery/bulk', sessionName: 'bulk', method: 'CopyObject',
            deliveredMs: baseMs + i * 60_000, status, validations: [{ validator: 'naming', outcome: status === 'Rejected' ? 'failed' : 'passed', issues: [], durationMs: i % 97 }],
            ...(status === 'Rejected' ? { rejection: { code: 'NAMING_SPACES', cause: 'c', fix: 'f' } } : {}),
            media: { container: 'MPEG-4', video: [{ codec: 'ProRes', width: 3840, height: 2160, frameRate: 23.976 }], audio: [], images: [], truncated: false, textTrackCount: 0 },
            redelivery: 0, eventSequence: i + 1, updatedMs: baseMs + i * 60_000,
          });
        }
        await context.deliveries.recordIngested('scale-seed', start + batch, records);
      }
    });
    const login = await bootstrapLogin(server.dataDir);
    const session = await fetch(`${portal}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
    bearer = (await session.json() as { token: string }).token;
  });

  after(async () => {
    const width = Math.max(...timings.map(([l]) => l.length));
    console.log(`# Slate at ${rows.toLocaleString('en-US')} deliveries (ms, this machine, one run):`);
    for (const [label, ms] of timings) console.log(`#   ${label.padEnd(width)}  ${ms.toFixed(1).padStart(9)}`);
    await server.stop();
  });

  test('the first page, then the next by keyset cursor, with no overlap and the right total', async () => {
    type Page = { deliveries: { id: string; deliveredAt: string }[]; total: number; nextCursor: string | null };
    await get('/api/v1/deliveries?limit=50'); // warm the statement cache and the page cache once
    const first = await timed('API page 1 (newest first, 50 rows)', async () => (await get('/api/v1/deliveries?limit=50')).json() as Promise<Page>);
    assert.equal(first.total, rows);
    assert.equal(first.deliveries.length, 50);
    assert.equal(first.deliveries[0]!.id, `dlv-${String(rows - 1).padStart(7, '0')}`);
    const second = await timed('API page 2 by cursor', async () => (await get(`/api/v1/deliveries?limit=50&cursor=${first.nextCursor}`)).json() as Promise<Page>);
    assert.equal(second.deliveries[0]!.id, `dlv-${String(rows - 51).padStart(7, '0')}`);
    assert.equal(new Set([...first.deliveries, ...second.deliveries].map((d) => d.id)).size, 100);
    let page = second;
    for (let i = 0; i < 20; i++) page = await (await get(`/api/v1/deliveries?limit=100&cursor=${page.nextCursor}`)).json() as Page;
    const deep = await timed('API page after 22 pages (cursor deep in the list)', async () => (await get(`/api/v1/deliveries?limit=50&cursor=${page.nextCursor}`)).json() as Promise<Page>);
    assert.equal(deep.deliveries.length, 50);
    assert.ok(deep.deliveries[0]!.deliveredAt < page.deliveries[page.deliveries.length - 1]!.deliveredAt);
  });

  test('a partner user pages through its own deliveries the same way', async () => {
    const created = await fetch(`${portal}/api/v1/users`, {
      method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'big-user', role: 'partner', partner: 'Big Studio' }),
    });
    const { password } = await created.json() as { password: string };
    const session = await fetch(`${portal}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'big-user', password }) });
    const token = (await session.json() as { token: string }).token;
    const partnerGet = async (path: string) => {
      const response = await fetch(`${portal}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200, path);
      return response;
    };
    type Page = { deliveries: { id: string }[]; total: number; nextCursor: string | null };
    const first = await timed('partner API page 1 (scoped to its partner)', async () => (await partnerGet('/api/v1/deliveries?limit=50')).json() as Promise<Page>);
    assert.equal(first.total, rows);
    const next = await timed('partner API page 2 by cursor', async () => (await partnerGet(`/api/v1/deliveries?limit=50&cursor=${first.nextCursor}`)).json() as Promise<Page>);
    assert.equal(next.deliveries.length, 50);
    const html = await timed('partner HTML /deliveries (full page)', async () => (await partnerGet('/deliveries')).text());
    assert.equal(html.match(/<tr data-id=/g)?.length, 50);
  });

  test('filters, search and other sort orders', async () => {
    type Page = { deliveries: { status: string; key: string; size: number; deliveryAccount: string }[]; total: number };
    const rejected = await timed('API status=Rejected', async () => (await get('/api/v1/deliveries?status=Rejected&limit=50')).json() as Promise<Page>);
    assert.equal(rejected.total, rows / 10);
    assert.ok(rejected.deliveries.every((d) => d.status === 'Rejected'));
    const account = await timed('API account=trailers', async () => (await get('/api/v1/deliveries?account=trailers&limit=50')).json() as Promise<Page>);
    assert.equal(account.total, Math.ceil(rows / 3));
    const search = await timed('API search "Feature_4242_" (substring of the key)', async () => (await get('/api/v1/deliveries?search=Feature_4242_&limit=50')).json() as Promise<Page>);
    assert.equal(search.total, 1);
    // Few matches (sorted after a key-index scan), paged by cursor: Title_42/ is deliveries 42, 5042, … 95042.
    type Paged = { deliveries: { id: string }[]; total: number; nextCursor: string | null };
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Paged = await (await get(`/api/v1/deliveries?search=Title_42/&limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json() as Paged;
      assert.equal(page.total, rows / 5000);
      found.push(...page.deliveries.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = Array.from({ length: rows / 5000 }, (_, n) => `dlv-${String(42 + 5000 * n).padStart(7, '0')}`).reverse();
    assert.deepEqual(found, expected, 'every match once, newest first, across pages');
    // Many matches (the sort order's index walked until the page is full).
    const many = await timed('API search "Feature_1" (11,111 matches)', async () => (await get('/api/v1/deliveries?search=Feature_1&limit=50')).json() as Promise<Paged>);
    assert.equal(many.total, 11_111);
    assert.equal(many.deliveries[0]!.id, 'dlv-0019999', 'the newest match first');
    const range = await timed('API from/to one day', async () => (await get('/api/v1/deliveries?from=2025-02-01T00:00:00Z&to=2025-02-02T00:00:00Z&limit=50')).json() as Promise<Page>);
    assert.equal(range.total, 24 * 60);
    const bySize = await timed('API sort=size desc', async () => (await get('/api/v1/deliveries?sort=size&order=desc&limit=50')).json() as Promise<Page>);
    assert.ok(bySize.deliveries.every((d, i, all) => i === 0 || all[i - 1]!.size >= d.size));
    const byKey = await timed('API sort=key asc', async () => (await get('/api/v1/deliveries?sort=key&order=asc&limit=50')).json() as Promise<Page>);
    assert.ok(byKey.deliveries.every((d, i, all) => i === 0 || all[i - 1]!.key <= d.key));
  });

  test('dashboard counts over every delivery: per day, per status, per rejection code', async () => {
    const context = server.server.delivery.context;
    const stats = await timed('DeliveryStore.deliveryStats over all 100,000 (the dashboard with a busy month)', () => context.deliveries.deliveryStats(undefined, 0));
    const perDay = 24 * 60; // one delivery a minute from 2025-01-01
    assert.equal(stats.days.length, Math.ceil(rows / perDay));
    assert.deepEqual(stats.days[0], { day: '2025-01-01', deliveries: perDay, bytes: Array.from({ length: perDay }, (_, i) => (i * 7919) % 5_000_000_000).reduce((a, b) => a + b, 0) });
    assert.equal(stats.days.reduce((n, d) => n + d.deliveries, 0), rows);
    const expected: Record<string, number> = {};
    for (let i = 0; i < rows; i++) expected[statuses[i % statuses.length]!] = (expected[statuses[i % statuses.length]!] ?? 0) + 1;
    assert.deepEqual(stats.byStatus, expected);
    assert.deepEqual(stats.byCode, { NAMING_SPACES: rows / 10 });
  });

  test('the rendered Deliveries page and its live-refresh fragment', async () => {
    const html = await timed('HTML /deliveries (operator, 50 rows, full page)', async () => (await get('/deliveries')).text());
    assert.equal(html.match(/<tr data-id=/g)?.length, 50);
    assert.match(html, /of <strong>100,000<\/strong> deliveries/);
    const hundred = await timed('HTML /deliveries?limit=100&status=Ingested', async () => (await get('/deliveries?limit=100&status=Ingested')).text());
    assert.equal(hundred.match(/<tr data-id=/g)?.length, 100);
    const fragment = await timed('HTML table fragment (live refresh)', async () => (await get('/deliveries?fragment=table')).text());
    assert.match(fragment, /^<section id="deliveries-table"/);
    const dashboard = await timed('HTML /dashboard (stats, storage, slowest of 500)', async () => (await get('/dashboard')).text());
    assert.match(dashboard, /Slowest validations/);
    const storage = (await timed('API /dashboard (storage per partner, slowest of 500)', async () => (await get('/api/v1/dashboard')).json()) as { storage: { deliveries: number; bytes: number } }).storage;
    let bytes = 0;
    for (let i = 0; i < rows; i++) bytes += (i * 7919) % 5_000_000_000;
    assert.deepEqual([storage.deliveries, storage.bytes], [rows, bytes]);
  });
});
