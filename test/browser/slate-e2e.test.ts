// Slate end to end in real Chromium: an operator approves an onboarding request, the partner finds its IAM
// policy on Access, a test.txt copied with the JS SDK appears live in Deliveries and turns the connection
// green, filters, search, detail and CSV export work, another partner cannot see it, and forms without their
// CSRF token are refused. Screenshots of every page go to test-output/browser/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { assumeRoleAs } from '../helpers/iam-setup.js';
import { mediaFixtures } from '../fixtures/media.js';
import { approveOnboarding, requestOnboarding } from '../../src/delivery/onboarding.js';
import type { DeliveryRecord } from '../../src/storage/delivery-store.js';
import { bootstrapLogin, chromiumMissing, launchChromium, newContext, screenshot, signIn } from './slate-browser.js';

const skip = chromiumMissing();

describe('Slate in Chromium', { skip }, () => {
  let server: TestServer;
  let portal: string;
  let browser: Browser;
  let operator: BrowserContext;
  let operatorPage: Page;
  let partner: BrowserContext;
  let partnerRoot: Credentials & { accountId: string };
  let roleArn: string;
  let partnerLogin: { user: string; password: string };
  let testDeliveryId: string;
  const partnerAccount = '222233334444';

  async function settled(partnerName: string, key: string): Promise<DeliveryRecord> {
    const { deliveries } = server.server.delivery.context;
    const partnerId = (await deliveries.getPartnerByName(partnerName))!.id;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const current = await deliveries.findCurrentDelivery(partnerId, key);
      if (current && (current.status === 'Ingested' || current.status === 'Rejected')) return current;
      if (Date.now() > deadline) throw new Error(`delivery of ${key} did not settle: ${current?.status ?? 'no record'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    server = await startTestServer({ portalPort: 0 });
    portal = server.server.portalUrl!;
    partnerRoot = await server.createAccount('studio-a', partnerAccount);
    const source = s3Client(server.endpoint, partnerRoot);
    await source.send(new CreateBucketCommand({ Bucket: 'studio-a-source' }));
    await source.send(new PutObjectCommand({ Bucket: 'studio-a-source', Key: 'test.txt', Body: 'hello from Studio A\n' }));
    source.destroy();
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: partnerRoot });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerAccount}:root` }, Action: 'sts:AssumeRole' }] });
    roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Delivery', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    iam.destroy();
    // The partner files its request the way the CLI does (s3push onboard request).
    await requestOnboarding(server.server.delivery.context, {
      partnerName: 'Studio A', roleArns: [roleArn], deliveryAccounts: ['studio_a_main'], region: 'us-east-1', sourceBucket: 'studio-a-source',
      contacts: [{ email: 'delivery@studio-a.example' }], requestedBy: `arn:aws:iam::${partnerAccount}:root`,
    });
    browser = await launchChromium();
    operator = await newContext(browser);
    operatorPage = await operator.newPage();
    partner = await newContext(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the first operator signs in with the bootstrap login from <data>/portal-login', async () => {
    await operatorPage.goto(`${portal}/deliveries`);
    assert.match(new URL(operatorPage.url()).pathname, /^\/login/, 'signed-out visitors are sent to the sign-in page');
    await screenshot(operatorPage, '01-login');
    await operatorPage.getByLabel('User name').fill('operator');
    await operatorPage.getByLabel('Password').fill('not-the-password');
    await operatorPage.getByRole('button', { name: 'Sign in' }).click();
    await operatorPage.getByText('The user name or password is not correct.').waitFor();
    const login = await bootstrapLogin(server.dataDir);
    assert.equal(login.user, 'operator');
    await signIn(operatorPage, portal, login.user, login.password);
    assert.equal(new URL(operatorPage.url()).pathname, '/dashboard');
    const cookies = await operator.cookies(portal);
    const session = cookies.find((c) => c.name === 'slate_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
  });

  test('the operator approves the onboarding request with one click and creates a partner login', async () => {
    await operatorPage.getByRole('link', { name: /Onboarding/ }).click();
    await operatorPage.getByRole('heading', { name: 'Pending requests' }).waitFor();
    await screenshot(operatorPage, '02-operator-onboarding');
    await operatorPage.getByRole('button', { name: 'Approve Studio A' }).click();
    await operatorPage.waitForURL(/\/partners\/Studio%20A\?approved=1/);
    await operatorPage.getByText('Approved. Studio A has its access point').waitFor();
    await operatorPage.getByLabel('New user name').fill('ana@studio-a.example');
    await operatorPage.getByRole('button', { name: 'Create login' }).click();
    const password = (await operatorPage.locator('#new-password').textContent())?.trim() ?? '';
    assert.ok(password.length >= 12, 'a generated password is shown once');
    partnerLogin = { user: 'ana@studio-a.example', password };
    await screenshot(operatorPage, '03-operator-partner');
  });

  test('the partner signs in and finds its access point, IAM policy and commands on Access', async () => {
    const page = await partner.newPage();
    await signIn(page, portal, partnerLogin.user, partnerLogin.password);
    assert.equal(new URL(page.url()).pathname, '/deliveries');
    await page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
    const p = await server.server.delivery.context.deliveries.getPartnerByName('Studio A');
    assert.equal(await page.locator('#ap-arn').textContent(), p!.accessPointArn);
    assert.equal(await page.locator('#ap-alias').textContent(), p!.alias);
    const policy = JSON.parse((await page.locator('#iam-policy').textContent())!) as { Statement: { Resource: string | string[] }[] };
    assert.ok(policy.Statement.some((s) => JSON.stringify(s.Resource).includes(`${p!.accessPointArn}/object/${p!.prefix}/*`)), 'the policy grants the prefix through the access point');
    assert.match((await page.locator('#cmd-js').textContent())!, /CopyObjectCommand/);
    await page.locator('.conn.waiting').waitFor();
    await screenshot(page, '04-partner-access-waiting');
    // The copy button puts the exact policy on the clipboard.
    await partner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal });
    await page.getByRole('button', { name: 'Copy IAM policy for your delivery role' }).click();
    await page.getByRole('button', { name: 'Copy IAM policy for your delivery role' }).filter({ hasText: 'Copied' }).waitFor();
    const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    assert.deepEqual(JSON.parse(clipboard), policy);
    // The partner attaches exactly the policy it was shown.
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: partnerRoot });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Delivery', PolicyName: 's3push-delivery', PolicyDocument: JSON.stringify(policy) }));
    iam.destroy();
    await page.close();
  });

  test('test.txt copied with the JS SDK appears live in Deliveries and turns the connection green', async () => {
    const deliveries = await partner.newPage();
    await deliveries.goto(`${portal}/deliveries`);
    await deliveries.locator('#live-status.live').waitFor();
    const access = await partner.newPage();
    await access.goto(`${portal}/access`);
    await access.locator('#live-status.live').waitFor();
    await deliveries.evaluate(() => { (globalThis as Record<string, unknown>)['slateMarker'] = 'not reloaded'; });

    const p = (await server.server.delivery.context.deliveries.getPartnerByName('Studio A'))!;
    const role: S3Client = s3Client(server.endpoint, await assumeRoleAs(server, partnerRoot, roleArn, 'ana-laptop'));
    await role.send(new CopyObjectCommand({ Bucket: p.alias, Key: `${p.prefix}/test.txt`, CopySource: 'studio-a-source/test.txt' }));

    const row = deliveries.locator('tr[data-status="Ingested"]', { hasText: 'test.txt' });
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await deliveries.evaluate(() => (globalThis as Record<string, unknown>)['slateMarker']), 'not reloaded', 'the row arrived without a reload');
    assert.match((await row.textContent())!, /Delivery\s*session ana-laptop/);
    assert.match((await row.textContent())!, /CopyObject/);
    await access.locator('.conn.verified', { hasText: 'studio_a_main: connection verified' }).waitFor({ timeout: 20_000 });
    await screenshot(access, '05-partner-access-verified');
    // "Explain access" runs the policy explainer for the partner's role: allowed, then a denied action.
    await access.getByRole('button', { name: 'Explain' }).click();
    await access.locator('#explain .notice.ok', { hasText: 'Allowed' }).waitFor();
    await access.getByLabel('Action').selectOption('s3:DeleteObject');
    await access.getByRole('button', { name: 'Explain' }).click();
    await access.locator('#explain .notice.warn', { hasText: 'Denied: no policy allows it' }).waitFor();
    assert.match((await access.locator('#explain pre').textContent())!, /What to change:/);
    await screenshot(access, '05b-partner-explain-denied');
    testDeliveryId = (await row.getAttribute('data-id'))!;

    // More deliveries: a checksummed text file, a badly named one, and (with ffmpeg) a real video.
    await role.send(new PutObjectCommand({ Bucket: p.alias, Key: `${p.prefix}/Title_Notes.txt`, Body: 'notes for the feature\n', ChecksumAlgorithm: 'CRC32' }));
    await role.send(new PutObjectCommand({ Bucket: p.alias, Key: `${p.prefix}/Bad Name final.txt`, Body: 'x' }));
    const media = await mediaFixtures();
    const mediaFiles = typeof media === 'string' ? [] : [
      ['Title_Trailer.mp4', media.mp4, 'video/mp4'], ['Feature_Main.mov', media.mov, 'video/quicktime'],
      ['Feature_Main_Stereo.wav', media.wav, 'audio/wav'], ['Feature_KeyArt.png', media.png, 'image/png'],
    ] as const;
    for (const [name, file, type] of mediaFiles) {
      await role.send(new PutObjectCommand({ Bucket: p.alias, Key: `${p.prefix}/${name}`, Body: await readFile(file), ContentType: type, ChecksumAlgorithm: 'CRC64NVME' }));
    }
    role.destroy();
    await settled('Studio A', `${p.prefix}/Title_Notes.txt`);
    await settled('Studio A', `${p.prefix}/Bad Name final.txt`);
    for (const [name] of mediaFiles) await settled('Studio A', `${p.prefix}/${name}`);
    await deliveries.locator('tr[data-status="Rejected"]', { hasText: 'Bad Name final.txt' }).waitFor({ timeout: 20_000 });
    await deliveries.locator('tr[data-status="Ingested"]', { hasText: 'Title_Notes.txt' }).waitFor({ timeout: 20_000 });
    await deliveries.waitForTimeout(2600); // let the new-row highlight fade before the picture
    const shot = await screenshot(deliveries, '06-partner-deliveries');
    if (process.env['S3PUSH_UPDATE_SCREENSHOTS'] === '1') {
      await mkdir(join(process.cwd(), 'docs', 'images'), { recursive: true });
      await copyFile(shot, join(process.cwd(), 'docs', 'images', 'deliveries.png'));
    }
    await access.close();
    await deliveries.close();
  });

  test('filter by status, search by name, open the detail', async () => {
    const page = await partner.newPage();
    await page.goto(`${portal}/deliveries`);
    await page.getByLabel('Status').selectOption('Rejected');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=Rejected/);
    const rejected = page.locator('tbody tr[data-id]');
    assert.equal(await rejected.count(), 1);
    assert.match((await rejected.first().textContent())!, /Bad Name final\.txt[\s\S]*Rejected[\s\S]*NAMING_/);
    await screenshot(page, '07-partner-deliveries-rejected');

    await page.getByRole('link', { name: 'Reset' }).click();
    await page.getByLabel('Search file names').fill('test');
    await page.getByLabel('Search file names').press('Enter');
    await page.waitForURL(/q=test/);
    const found = page.locator('tbody tr[data-id]');
    assert.equal(await found.count(), 1);
    assert.equal(await found.first().getAttribute('data-id'), testDeliveryId);

    // Sorting by size is a link (keyboard-usable), and it says how the table is sorted.
    await page.getByRole('link', { name: /^Size/ }).click();
    await page.waitForURL(/sort=size/);
    assert.equal(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');

    await page.getByRole('link', { name: 'test.txt' }).click();
    await page.getByRole('heading', { name: 'test.txt', level: 1 }).waitFor();
    const timeline = await page.locator('ol.timeline .badge').allTextContents();
    assert.deepEqual(timeline.map((t) => t.replace(/^\W+/, '')), ['Received', 'Validating', 'Accepted', 'Ingested']);
    assert.match((await page.locator('dl.kv').first().textContent())!, /studio-a-source\/test\.txt/);
    assert.match((await page.getByRole('heading', { name: 'Validation results' }).locator('..').locator('..').textContent())!, /test-file/);
    await screenshot(page, '08-partner-delivery-detail');

    const rejectedRecord = await settled('Studio A', 'studio-a/Bad Name final.txt');
    await page.goto(`${portal}/deliveries/${rejectedRecord.id}`);
    await page.getByRole('heading', { name: 'Why this file was rejected' }).waitFor();
    assert.match((await page.locator('.issue').first().textContent())!, /NAMING_[\s\S]*Cause[\s\S]*Fix/);
    await screenshot(page, '09-partner-delivery-rejected');
    await page.close();
  });

  test('CSV export downloads the filtered list', async () => {
    const page = await partner.newPage();
    await page.goto(`${portal}/deliveries?status=Ingested`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Export CSV/ }).click()]);
    assert.equal(download.suggestedFilename(), 'deliveries.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'id,partner,deliveryAccount,key,versionId,size,status,rejectionCode,deliveredAt,deliveredBy,method,etag');
    assert.ok(lines.some((l) => l.startsWith(`${testDeliveryId},Studio A,studio_a_main,studio-a/test.txt,`)));
    assert.ok(lines.slice(1).every((l) => l.includes(',Ingested,')), 'only the filtered status is exported');
    await page.goto(`${portal}/tasks`);
    await page.getByRole('heading', { name: 'No transfer tasks yet' }).waitFor();
    assert.match((await page.locator('main').textContent())!, /arrive with the bulk delivery tool/);
    await screenshot(page, '10-partner-tasks');
    await page.close();
  });

  test('partner B gets 404/403 for partner A\'s delivery, by page, API and guessing', async () => {
    const context = server.server.delivery.context;
    const request = await requestOnboarding(context, {
      partnerName: 'Studio B', roleArns: ['arn:aws:iam::555566667777:role/Delivery'], deliveryAccounts: ['studio_b'], region: 'us-east-1', requestedBy: 'test',
    });
    await approveOnboarding(context, request.id, 'operator');
    const me = await (await operatorPage.request.get(`${portal}/api/v1/me`)).json() as { csrfToken: string };
    const created = await operatorPage.request.post(`${portal}/api/v1/users`, {
      data: { name: 'bo@studio-b.example', role: 'partner', partner: 'Studio B' }, headers: { 'x-csrf-token': me.csrfToken },
    });
    assert.equal(created.status(), 201);
    const { password } = await created.json() as { password: string };
    const b = await newContext(browser);
    const page = await b.newPage();
    await signIn(page, portal, 'bo@studio-b.example', password);
    const detail = await page.goto(`${portal}/deliveries/${testDeliveryId}`);
    assert.equal(detail!.status(), 404);
    assert.doesNotMatch((await page.locator('main').textContent())!, /test\.txt|Studio A/);
    await screenshot(page, '11-partner-b-not-found');
    assert.equal((await page.request.get(`${portal}/api/v1/deliveries/${testDeliveryId}`)).status(), 404);
    assert.equal((await page.request.get(`${portal}/api/v1/partners/Studio%20A`)).status(), 404);
    assert.equal((await page.goto(`${portal}/partners/Studio%20A`))!.status(), 403);
    assert.equal((await page.goto(`${portal}/deliveries/${testDeliveryId}?fragment=detail`))!.status(), 404);
    const list = await (await page.request.get(`${portal}/api/v1/deliveries`)).json() as { total: number };
    assert.equal(list.total, 0, 'partner B sees none of partner A\'s deliveries');
    const csv = await (await page.request.get(`${portal}/api/v1/deliveries.csv`)).text();
    assert.doesNotMatch(csv, /studio-a/);
    await page.goto(`${portal}/deliveries?partner=Studio%20A`);
    assert.equal(await page.locator('tbody tr[data-id]').count(), 0);
    await b.close();
  });

  test('a form or API call without its CSRF token is refused', async () => {
    const pending = await requestOnboarding(server.server.delivery.context, {
      partnerName: 'Studio C', roleArns: ['arn:aws:iam::888899990000:role/Delivery'], deliveryAccounts: ['studio_c'], region: 'eu-west-1', requestedBy: 'test',
    });
    const noToken = await operatorPage.request.post(`${portal}/onboarding/${pending.id}/approve`, { form: { anything: 'x' } });
    assert.equal(noToken.status(), 403);
    const wrongToken = await operatorPage.request.post(`${portal}/onboarding/${pending.id}/approve`, { form: { _csrf: 'forged' } });
    assert.equal(wrongToken.status(), 403);
    const api = await operatorPage.request.post(`${portal}/api/v1/onboarding-requests/${pending.id}/approve`, { data: {} });
    assert.equal(api.status(), 403);
    assert.equal((await api.json() as { error: { code: string } }).error.code, 'InvalidCsrfToken');
    assert.equal((await server.server.delivery.context.deliveries.getOnboardingRequest(pending.id))!.status, 'Pending', 'nothing changed');

    // The same decision through the page (which carries the token) works: reject with a reason.
    await operatorPage.goto(`${portal}/onboarding`);
    await operatorPage.getByLabel('Reason to reject Studio C').fill('Use your production delivery role, not a test role.');
    await operatorPage.getByRole('button', { name: 'Reject Studio C' }).click();
    await operatorPage.getByText('Rejected the request from Studio C').waitFor();
    assert.equal((await server.server.delivery.context.deliveries.getOnboardingRequest(pending.id))!.status, 'Rejected');
    await screenshot(operatorPage, '12-operator-onboarding-decided');
  });

  test('operator views: all deliveries, partners, dashboard with a real chart', async () => {
    await operatorPage.goto(`${portal}/deliveries`);
    assert.ok(await operatorPage.locator('tbody tr[data-id]').count() >= 3);
    await operatorPage.getByRole('columnheader', { name: 'Partner' }).waitFor();
    await screenshot(operatorPage, '13-operator-deliveries');
    await operatorPage.goto(`${portal}/partners`);
    await operatorPage.getByRole('link', { name: 'Studio A' }).waitFor();
    await screenshot(operatorPage, '14-operator-partners');
    await operatorPage.goto(`${portal}/dashboard`);
    assert.ok(await operatorPage.locator('svg.chart rect.bar').count() >= 28, 'one bar per day');
    assert.match((await operatorPage.locator('#codes-title').locator('../..').textContent())!, /NAMING_/);
    await screenshot(operatorPage, '15-operator-dashboard');
  });

  test('keyboard: the skip link comes first and the pages fit a 1280 px and a laptop screen', async () => {
    const page = await partner.newPage();
    await page.goto(`${portal}/deliveries`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent), 'Skip to content');
    for (const [width, height] of [[1280, 800], [1366, 768]] as const) {
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
        return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
      });
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (overflow ${overflow} px)`);
    }
    await screenshot(page, '16-partner-deliveries-laptop', false);
    await page.close();
  });
});
