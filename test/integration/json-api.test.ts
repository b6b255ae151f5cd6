// The JSON API (/api/v1) over SigV4 on the AWS port: onboarding, partners, deliveries (filters, sort, cursor
// pages, CSV), statistics, explain, webhooks, errors as JSON with codes, partner scoping, and the OpenAPI
// document — every route described, and real responses valid against its schemas.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminCall, CliError } from '../../src/cli/admin-client.js';
import { jsonApiRoutes } from '../../src/portal/json-api/json-api.js';
import { webhookRoutes } from '../../src/portal/json-api/webhook-routes.js';
import { openApiPath, openApiRoute, operationDocs } from '../../src/portal/json-api/openapi.js';
import type { Route } from '../../src/portal/json-api/router.js';
import { sessionCookieName } from '../../src/portal/auth/portal-auth.js';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { apiRequest, type ApiResponse } from '../helpers/api-request.js';
import { schemaProblems } from '../helpers/json-schema.js';
import { deliverAsPartner, deliverAsPlatform, onboardPartner, settled, type OnboardedPartner } from '../helpers/partner-setup.js';

type Json = Record<string, unknown>;
interface DeliveryView { id: string; partner: string; deliveryAccount: string; key: string; size: number; status: string; rejection: { code: string } | null }
interface Page { deliveries: DeliveryView[]; total: number; nextCursor: string | null }

describe('JSON API over SigV4', () => {
  let server: TestServer;
  let target: { endpoint: string; dataDir: string };
  let alpha: OnboardedPartner;
  let bravo: OnboardedPartner;
  let doc: Json;
  const sizes = new Map<string, number>();

  const api = (credentials: Credentials, method: string, path: string, body?: unknown) => apiRequest(server.endpoint, credentials, method, `/api/v1${path}`, body);
  const get = <T>(path: string) => adminCall<T>(target, 'GET', `/api/v1${path}`);
  function conforms(value: unknown, schemaName: string): void {
    assert.deepEqual(schemaProblems(value, { $ref: `#/components/schemas/${schemaName}` }, doc), [], `${schemaName}: ${JSON.stringify(value).slice(0, 400)}`);
  }
  function isError(res: ApiResponse, status: number, code: string, message?: RegExp): void {
    assert.equal(res.status, status, res.text);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    conforms(res.json, 'Error');
    const error = (res.json as { error: { code: string; message: string } }).error;
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
  }

  before(async () => {
    server = await startTestServer();
    target = { endpoint: server.endpoint, dataDir: server.dataDir };
    doc = await get<Json>('/openapi.json');
    alpha = await onboardPartner(server, 'Alpha', '222233334444');
    bravo = await onboardPartner(server, 'Bravo', '333344445555');
    const keys: [OnboardedPartner, string][] = [];
    for (const [i, body] of ['a', 'bbbb', 'cc', 'ddddddd', 'eee'].entries()) {
      const key = await deliverAsPlatform(server, alpha.grant.prefix, `Title_A${i + 1}.txt`, body);
      sizes.set(key, body.length);
      keys.push([alpha, key]);
    }
    keys.push([alpha, await deliverAsPartner(server, alpha, 'Bad Name.txt', 'bad')]);
    for (const name of ['Title_B1.txt', 'Title_B2.txt']) keys.push([bravo, await deliverAsPlatform(server, bravo.grant.prefix, name, name)]);
    for (const [partner, key] of keys) await settled(server, partner.partnerId, key);
  });
  after(async () => {
    await server.stop();
  });

  test('onboarding: request, list, approve (twice: same grant), reject with a reason; conflicts and unknown ids are JSON errors', async () => {
    const created = await adminCall<Json>(target, 'POST', '/api/v1/onboarding-requests', {
      partner: 'Charlie', roleArns: ['arn:aws:iam::444455556666:role/Delivery'], deliveryAccounts: ['charlie_main'], region: 'us-east-1', contacts: [{ email: 'ops@charlie.example' }],
    });
    conforms(created, 'OnboardingRequest');
    assert.equal(created['status'], 'Pending');
    assert.equal(created['requestedBy'], 'operator');
    const pending = await get<Json[]>('/onboarding-requests?status=Pending');
    assert.ok(pending.some((r) => r['id'] === created['id']));
    assert.ok(!(await get<Json[]>('/onboarding-requests?status=Approved')).some((r) => r['id'] === created['id']));
    assert.deepEqual(await get<Json>(`/onboarding-requests/${created['id']}`), created);

    const grant = await adminCall<Json>(target, 'POST', `/api/v1/onboarding-requests/${created['id']}/approve`);
    conforms(grant, 'Grant');
    assert.equal(grant['partner'], 'Charlie');
    assert.match(String(grant['alias']), /-s3alias$/);
    const again = await adminCall<Json>(target, 'POST', `/api/v1/onboarding-requests/${created['id']}/approve`);
    assert.deepEqual([again['alias'], again['accessPointArn'], again['prefix']], [grant['alias'], grant['accessPointArn'], grant['prefix']]);
    assert.equal((await get<Json>(`/onboarding-requests/${created['id']}`))['status'], 'Approved');
    isError(await api(server.platform, 'POST', `/onboarding-requests/${created['id']}/reject`, { reason: 'late' }), 409, 'Conflict');

    const second = await adminCall<Json>(target, 'POST', '/api/v1/onboarding-requests', { partner: 'Delta', roleArns: ['arn:aws:iam::555566667777:role/Delivery'], deliveryAccounts: ['delta_main'], region: 'eu-west-1' });
    isError(await api(server.platform, 'POST', `/onboarding-requests/${second['id']}/reject`, { reason: '  ' }), 400, 'InvalidArgument', /reason/);
    const rejected = await adminCall<Json>(target, 'POST', `/api/v1/onboarding-requests/${second['id']}/reject`, { reason: 'Use your production role.' });
    conforms(rejected, 'OnboardingRequest');
    assert.equal(rejected['status'], 'Rejected');
    assert.equal(rejected['rejectionReason'], 'Use your production role.');
    isError(await api(server.platform, 'POST', `/onboarding-requests/${second['id']}/approve`), 409, 'Conflict', /rejected/);

    isError(await api(server.platform, 'POST', '/onboarding-requests/onb-nope/approve'), 404, 'NotFound', /onb-nope/);
    await assert.rejects(adminCall(target, 'GET', '/api/v1/onboarding-requests/onb-nope'), (e: unknown) => e instanceof CliError && /^NotFound: No onboarding request onb-nope/.test(e.message));
    isError(await api(server.platform, 'POST', '/onboarding-requests', { partner: 'Echo', roleArns: ['nope'], deliveryAccounts: ['e'], region: 'us-east-1' }), 400, 'InvalidArgument', /Not an IAM role ARN/);
  });

  test('partners: the list and one partner with its policy and commands', async () => {
    const partners = await get<Json[]>('/partners');
    for (const p of partners) conforms(p, 'Partner');
    const listedAlpha = partners.find((p) => p['name'] === 'Alpha')!;
    assert.deepEqual(listedAlpha['roleArns'], [alpha.roleArn]);
    assert.deepEqual((listedAlpha['deliveryAccounts'] as Json[]).map((a) => a['name']), ['alpha_main']);
    assert.ok(partners.some((p) => p['name'] === 'Bravo'));
    const detail = await get<Json>('/partners/Alpha');
    conforms(detail, 'PartnerDetail');
    assert.deepEqual(detail['policy'], alpha.grant.policy);
    assert.match(String((detail['commands'] as Json)['cli']), new RegExp(alpha.grant.alias));
    isError(await api(server.platform, 'GET', '/partners/Nobody'), 404, 'NotFound');
  });

  test('deliveries: filters, sorting and cursor pages that cover the list exactly once', async () => {
    const all = await get<Page>('/deliveries?limit=500');
    conforms(all, 'DeliveryPage');
    assert.equal(all.total, 8);
    assert.equal(all.deliveries.length, 8);
    assert.equal(all.nextCursor, null);
    assert.deepEqual(new Set(all.deliveries.map((d) => d.partner)), new Set(['Alpha', 'Bravo']));

    assert.equal((await get<Page>('/deliveries?partner=Alpha')).total, 6);
    const rejected = await get<Page>('/deliveries?status=Rejected');
    assert.deepEqual(rejected.deliveries.map((d) => d.key), ['alpha/Bad Name.txt']);
    assert.match(rejected.deliveries[0]!.rejection!.code, /^NAMING_/);
    assert.deepEqual((await get<Page>('/deliveries?search=A3')).deliveries.map((d) => d.key), ['alpha/Title_A3.txt']);
    assert.equal((await get<Page>('/deliveries?account=bravo_main')).total, 2);
    assert.equal((await get<Page>(`/deliveries?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).total, 0);
    assert.equal((await get<Page>(`/deliveries?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).total, 0);

    const byKey = (await get<Page>('/deliveries?sort=key&order=asc')).deliveries.map((d) => d.key);
    assert.deepEqual(byKey, [...byKey].sort());
    const bySize = (await get<Page>('/deliveries?partner=Alpha&sort=size&order=desc')).deliveries.map((d) => d.size);
    assert.deepEqual(bySize, [...bySize].sort((a, b) => b - a));
    assert.equal(bySize[0], 7);

    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await get<Page>(`/deliveries?sort=key&order=asc&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.total, 8);
      assert.ok(page.deliveries.length <= 3);
      paged.push(...page.deliveries.map((d) => d.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(paged, byKey, 'the pages hold every delivery once, in order');

    for (const query of ['status=Bogus', 'sort=colour', 'order=up', 'limit=0', 'limit=501', 'from=yesterday']) {
      isError(await api(server.platform, 'GET', `/deliveries?${query}`), 400, 'InvalidArgument');
    }
  });

  test('deliveries.csv: every matching delivery, spreadsheet-safe', async () => {
    const res = await api(server.platform, 'GET', '/deliveries.csv?partner=Alpha&sort=key&order=asc');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const lines = res.text.trimEnd().split('\n');
    assert.equal(lines[0], 'id,partner,deliveryAccount,key,versionId,size,status,rejectionCode,deliveredAt,deliveredBy,method,etag');
    assert.equal(lines.length, 7);
    const bad = lines.find((l) => l.includes('Bad Name.txt'))!.split(',');
    assert.equal(bad[6], 'Rejected');
    assert.match(bad[7]!, /^NAMING_/);
    assert.equal(lines.slice(1).filter((l) => l.split(',')[1] === 'Alpha').length, 6);
  });

  test('one delivery with history and versions; statistics agree with the list', async () => {
    const [first] = (await get<Page>('/deliveries?search=Title_A1')).deliveries;
    const detail = await get<Json>(`/deliveries/${first!.id}`);
    conforms(detail, 'DeliveryDetail');
    assert.deepEqual((detail['history'] as Json[]).map((h) => h['status']), ['Received', 'Validating', 'Accepted', 'Ingested']);
    assert.deepEqual((detail['versions'] as Json[]).map((v) => v['id']), [first!.id]);
    assert.equal(detail['bucket'], server.server.platform.deliveryBucket);
    isError(await api(server.platform, 'GET', '/deliveries/dlv-nope'), 404, 'NotFound');

    const stats = await get<{ days: { deliveries: number; bytes: number }[]; byStatus: Record<string, number>; byCode: Record<string, number> }>('/stats');
    conforms(stats, 'Stats');
    assert.deepEqual(stats.byStatus, { Ingested: 7, Rejected: 1 });
    assert.equal(stats.days.reduce((n, d) => n + d.deliveries, 0), 8);
    const list = await get<Page>('/deliveries');
    assert.equal(stats.days.reduce((n, d) => n + d.bytes, 0), list.deliveries.reduce((n, d) => n + d.size, 0));
    assert.equal(Object.values(stats.byCode).reduce((a, b) => a + b, 0), 1);
    assert.deepEqual((await get<typeof stats>('/stats?partner=Bravo')).byStatus, { Ingested: 2 });
    isError(await api(server.platform, 'GET', '/stats?days=0'), 400, 'InvalidArgument');
  });

  test('explain: the decision for a role on the access point, and partners only for their own roles', async () => {
    const ap = alpha.grant.accessPointArn;
    const allowed = await adminCall<Json>(target, 'POST', '/api/v1/explain', { principal: alpha.roleArn, action: 's3:PutObject', resource: `${ap}/object/${alpha.grant.prefix}/x.txt` });
    conforms(allowed, 'Explanation');
    assert.equal(allowed['decision'], 'Allow');
    const outside = await adminCall<Json>(target, 'POST', '/api/v1/explain', { principal: alpha.roleArn, action: 's3:PutObject', resource: `${ap}/object/elsewhere/x.txt` });
    assert.notEqual(outside['decision'], 'Allow');
    assert.ok(String(outside['explanation']).length > 0);
    const asPartner = await api(alpha.role, 'POST', '/explain', { principal: alpha.roleArn, action: 's3:PutObject', resource: `${ap}/object/${alpha.grant.prefix}/x.txt` });
    assert.equal(asPartner.status, 200);
    isError(await api(alpha.role, 'POST', '/explain', { principal: `arn:aws:iam::${bravo.accountId}:role/Uploader`, action: 's3:PutObject', resource: `${ap}/object/x` }), 403, 'AccessDenied');
    isError(await api(server.platform, 'POST', '/explain', { principal: 'someone', action: 's3:GetObject', resource: `${ap}/object/x` }), 400, 'InvalidArgument');
  });

  // platform-routes.ts compares only the role name for iam role ARNs (its regex captures the account for
  // assumed-role ARNs only), so any partner may explain another partner's role that has the same name.
  test('a partner cannot explain another partner\'s role of the same name', async () => {
    assert.equal(alpha.roleArn.split('/').pop(), bravo.roleArn.split('/').pop(), 'both roles are called Delivery');
    const ap = alpha.grant.accessPointArn;
    isError(await api(alpha.role, 'POST', '/explain', { principal: bravo.roleArn, action: 's3:PutObject', resource: `${ap}/object/x` }), 403, 'AccessDenied');
    isError(await api(alpha.role, 'POST', '/explain', { principal: `arn:aws:sts::${bravo.accountId}:assumed-role/Delivery/s`, action: 's3:PutObject', resource: `${ap}/object/x` }), 403, 'AccessDenied');
  });

  test('errors are JSON with stable codes', async () => {
    isError(await api(server.platform, 'GET', '/nope'), 404, 'NotFound', /No API route/);
    isError(await api(server.platform, 'DELETE', '/partners'), 405, 'MethodNotAllowed');
    isError(await api(server.platform, 'POST', '/onboarding-requests', '{not json'), 400, 'InvalidArgument', /JSON/);
    isError(await api(server.platform, 'POST', '/onboarding-requests', '[1]'), 400, 'InvalidArgument');
    isError(await api(alpha.role, 'GET', '/onboarding-requests'), 403, 'AccessDenied', /operators/);
    isError(await api(await server.rootOf(alpha.accountId), 'GET', '/deliveries'), 403, 'AccessDenied', /root credentials or a partner's delivery role/);
    const forged = await api({ ...server.platform, secretAccessKey: `${server.platform.secretAccessKey}x` }, 'GET', '/deliveries');
    assert.equal(forged.status, 403);
    assert.equal((forged.json as { error: { code: string } }).error.code, 'SignatureDoesNotMatch');
  });

  test('a partner\'s delivery role acts as that partner and sees only its own data', async () => {
    const page = (await api(alpha.role, 'GET', '/deliveries?limit=500')).json as Page;
    assert.equal(page.total, 6);
    assert.ok(page.deliveries.every((d) => d.partner === 'Alpha'));
    isError(await api(alpha.role, 'GET', '/deliveries?partner=Bravo'), 404, 'NotFound');
    const bravoDelivery = (await get<Page>('/deliveries?partner=Bravo')).deliveries[0]!;
    isError(await api(alpha.role, 'GET', `/deliveries/${bravoDelivery.id}`), 404, 'NotFound');
    assert.equal((await api(bravo.role, 'GET', `/deliveries/${bravoDelivery.id}`)).status, 200);
    assert.deepEqual(((await api(alpha.role, 'GET', '/partners')).json as Json[]).map((p) => p['name']), ['Alpha']);
    isError(await api(alpha.role, 'GET', '/partners/Bravo'), 404, 'NotFound');
    assert.deepEqual(((await api(alpha.role, 'GET', '/stats')).json as { byStatus: Json }).byStatus, { Ingested: 5, Rejected: 1 });
    isError(await api(alpha.role, 'GET', '/stats?partner=Bravo'), 404, 'NotFound');
    const csv = (await api(alpha.role, 'GET', '/deliveries.csv')).text.trimEnd().split('\n');
    assert.equal(csv.length, 7);
    assert.ok(csv.slice(1).every((l) => l.split(',')[1] === 'Alpha'));
    isError(await api(alpha.role, 'GET', '/accounts'), 403, 'AccessDenied');
    isError(await api(alpha.role, 'PUT', '/partners/Alpha/roles', { roleArns: [] }), 403, 'AccessDenied');
    // A partner files requests for itself only (say, another delivery account): never under another name.
    const request = await api(alpha.role, 'POST', '/onboarding-requests', { roleArns: [alpha.roleArn], deliveryAccounts: ['two'], region: 'us-east-1' });
    assert.equal(request.status, 201);
    assert.equal((request.json as Json)['partner'], alpha.name);
    assert.equal((request.json as Json)['requestedBy'], `arn:aws:sts::${alpha.accountId}:assumed-role/Delivery/delivery`);
    const spoofed = await api(alpha.role, 'POST', '/onboarding-requests', { partner: 'Beta', roleArns: [alpha.roleArn], deliveryAccounts: ['x'], region: 'us-east-1' });
    assert.equal(spoofed.status, 403);
  });

  test('webhooks through the API: shapes, and partners may not target private networks by default', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook', 'http://192.168.0.10/hook']) {
      isError(await api(alpha.role, 'POST', '/webhooks', { url }), 400, 'InvalidArgument', /private network/);
    }
    const partnerHook = await api(alpha.role, 'POST', '/webhooks', { url: 'https://hooks.alpha.example/s3push', statuses: ['Rejected'] });
    assert.equal(partnerHook.status, 201, partnerHook.text);
    conforms(partnerHook.json, 'WebhookCreated');
    const operatorHook = await api(server.platform, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/hook' });
    assert.equal(operatorHook.status, 201, 'operators may target their own network');
    const listed = await get<Json[]>('/webhooks');
    assert.equal(listed.length, 2);
    for (const hook of listed) conforms(hook, 'Webhook');
    const id = (operatorHook.json as Json)['id'];
    const log = await get<unknown[]>(`/webhooks/${id}/deliveries`);
    assert.deepEqual(log, []);
    const ping = await api(server.platform, 'POST', `/webhooks/${id}/test`);
    conforms(ping.json, 'WebhookDelivery');
    assert.equal((ping.json as Json)['status'], 'Failed', 'nothing listens on port 9');
    for (const hook of [operatorHook, partnerHook]) assert.equal((await api(server.platform, 'DELETE', `/webhooks/${(hook.json as Json)['id']}`)).status, 204);
    isError(await api(server.platform, 'DELETE', `/webhooks/${id}`), 404, 'NotFound');
    isError(await api(server.platform, 'GET', `/webhooks/${id}/deliveries?limit=1000`), 404, 'NotFound');
  });

  test('the OpenAPI document describes every route, and every operation it lists is served', async () => {
    assert.equal(doc['openapi'], '3.1.0');
    const components = doc['components'] as { securitySchemes: Record<string, Json>; schemas: Record<string, Json> };
    assert.match(String(components.securitySchemes['sigv4']!['description']), /service name `s3push`/);
    assert.equal(components.securitySchemes['bearerToken']!['scheme'], 'bearer');
    assert.deepEqual([components.securitySchemes['sessionCookie']!['in'], components.securitySchemes['sessionCookie']!['name']], ['cookie', sessionCookieName]);
    for (const name of ['OnboardingRequestInput', 'Grant', 'Partner', 'Delivery', 'DeliveryPage', 'Webhook']) assert.ok(components.schemas[name], name);

    const context = { services: server.server.services, delivery: server.server.delivery.context };
    const routes: Route[] = jsonApiRoutes(context, [...webhookRoutes(context, server.server.webhooks), openApiRoute(() => routes)]);
    const paths = doc['paths'] as Record<string, Record<string, Json>>;
    for (const route of routes) {
      const { path, names } = openApiPath(route.pattern);
      const operation = paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${route.pattern} is in the document`);
      assert.equal(operation['summary'], route.summary);
      assert.equal(operation['x-s3push-access'], route.access);
      const parameters = (operation['parameters'] ?? []) as { name: string; in: string }[];
      assert.deepEqual(parameters.filter((p) => p.in === 'path').map((p) => p.name), names);
    }
    for (const key of Object.keys(operationDocs)) {
      assert.ok(routes.some((r) => `${r.method} ${r.pattern}` === key), `operationDocs["${key}"] names a route`);
    }
    const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op['operationId']));
    assert.equal(new Set(ids).size, ids.length, 'operation ids are unique');
    const deliveriesQuery = ((paths['/deliveries']!['get']!['parameters']) as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
    assert.deepEqual(deliveriesQuery.sort(), ['account', 'cursor', 'from', 'limit', 'order', 'partner', 'search', 'sort', 'status', 'to']);
    const responseSchema = (path: string, method: string, status: string) =>
      ((paths[path]![method]!['responses'] as Record<string, { content?: Record<string, { schema: Json }> }>)[status]?.content?.['application/json']?.schema);
    assert.deepEqual(responseSchema('/deliveries', 'get', '200'), { $ref: '#/components/schemas/DeliveryPage' });
    assert.deepEqual(responseSchema('/deliveries/{id}', 'get', '200'), { $ref: '#/components/schemas/DeliveryDetail' });
    assert.deepEqual(responseSchema('/webhooks', 'post', '201'), { $ref: '#/components/schemas/WebhookCreated' });
    assert.deepEqual((paths['/onboarding-requests']!['post']!['requestBody'] as Json)['content'], { 'application/json': { schema: { $ref: '#/components/schemas/OnboardingRequestInput' } } });

    // The other direction: each documented operation reaches a real route (no "No API route", no 405).
    for (const [path, operations] of Object.entries(paths)) {
      for (const method of Object.keys(operations)) {
        const concrete = path.replace(/\{\w+\}/g, 'no-such-id');
        const res = await api(server.platform, method.toUpperCase(), concrete, method === 'get' || method === 'delete' ? undefined : {});
        const message = (res.json as { error?: { message?: string } } | undefined)?.error?.message ?? '';
        assert.ok(res.status !== 405 && !message.startsWith('No API route'), `${method.toUpperCase()} ${path}: ${res.status} ${message}`);
      }
    }
    assert.equal((await api(alpha.role, 'GET', '/openapi.json')).status, 200, 'partners may read the description too');
  });
});
