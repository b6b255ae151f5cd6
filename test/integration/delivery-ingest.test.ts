// The delivery platform end to end with the real SDK through the partner's access point: onboarding, the
// connection test file, media probing, checksum sidecars, naming rules, redelivery and package manifests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CreateBucketCommand, CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { assumeRoleAs } from '../helpers/iam-setup.js';
import { mediaFixtures, type MediaFiles } from '../fixtures/media.js';
import { approveOnboarding, requestOnboarding, type OnboardingGrant } from '../../src/delivery/onboarding.js';
import type { DeliveryRecord } from '../../src/storage/delivery-store.js';

describe('delivery ingest through the partner access point', () => {
  let server: TestServer;
  let grant: OnboardingGrant;
  let role: S3Client;
  let partnerId: string;
  let media: MediaFiles | string;
  const partnerAccount = '222233334444';

  before(async () => {
    server = await startTestServer();
    const root = await server.createAccount('studio', partnerAccount);
    const partnerS3 = s3Client(server.endpoint, root);
    await partnerS3.send(new CreateBucketCommand({ Bucket: 'studio-source' }));
    await partnerS3.send(new PutObjectCommand({ Bucket: 'studio-source', Key: 'test.txt', Body: 'hello from the studio\n' }));
    partnerS3.destroy();
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerAccount}:root` }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Delivery', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const context = server.server.delivery.context;
    const request = await requestOnboarding(context, { partnerName: 'Studio', roleArns: [roleArn], deliveryAccounts: ['studio_main'], region: 'us-east-1', sourceBucket: 'studio-source', requestedBy: 'test' });
    grant = await approveOnboarding(context, request.id, 'operator');
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Delivery', PolicyName: 'delivery', PolicyDocument: JSON.stringify(grant.policy) }));
    iam.destroy();
    role = s3Client(server.endpoint, await assumeRoleAs(server, root, roleArn, 'ingest-test') as Credentials);
    partnerId = (await context.deliveries.getPartnerByName('Studio'))!.id;
    media = await mediaFixtures();
  });
  after(async () => {
    role.destroy();
    await server.stop();
  });

  /** Waits until the delivery of `key` has finished validation (Ingested or Rejected). */
  async function settled(key: string): Promise<DeliveryRecord> {
    const { deliveries } = server.server.delivery.context;
    const deadline = Date.now() + 20_000;
    for (;;) {
      await server.server.delivery.ingest.idle();
      await server.server.delivery.validation.idle();
      const current = await deliveries.findCurrentDelivery(partnerId, key);
      if (current && (current.status === 'Ingested' || current.status === 'Rejected')) return current;
      if (Date.now() > deadline) throw new Error(`delivery of ${key} did not settle: ${current?.status ?? 'no record'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const key = (name: string) => `${grant.prefix}/${name}`;

  test('test.txt copied from the partner bucket verifies the connection and is recorded with who and how', async () => {
    await role.send(new CopyObjectCommand({ Bucket: grant.alias, Key: key('test.txt'), CopySource: 'studio-source/test.txt' }));
    const record = await settled(key('test.txt'));
    assert.equal(record.status, 'Ingested');
    assert.equal(record.method, 'CopyObject');
    assert.equal(record.deliveredBy, `arn:aws:sts::${partnerAccount}:assumed-role/Delivery/ingest-test`);
    assert.equal(record.sessionName, 'ingest-test');
    assert.equal(record.deliveryAccount, 'studio_main');
    assert.deepEqual(record.copySource?.bucket, 'studio-source');
    const accounts = await server.server.delivery.context.deliveries.listDeliveryAccounts(partnerId);
    assert.ok(accounts.find((a) => a.name === 'studio_main')?.verifiedMs, 'the connection is verified');
    const history = await server.server.delivery.context.deliveries.deliveryHistory(record.id);
    assert.deepEqual(history.map((h) => h.status), ['Received', 'Validating', 'Accepted', 'Ingested']);
  });

  test('a small real video gets a media summary', async (t) => {
    if (typeof media === 'string') return t.skip(media);
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Trailer.mp4'), Body: await readFile(media.mp4), ContentType: 'video/mp4' }));
    const record = await settled(key('Title_Trailer.mp4'));
    assert.equal(record.status, 'Ingested', JSON.stringify(record.rejection));
    const summary = record.media as { container?: string; durationSeconds?: number; video: { codec?: string; width?: number; height?: number }[]; audio: { channels?: number }[] } | undefined;
    assert.equal(summary?.container, 'MPEG-4');
    assert.equal(summary?.video[0]?.width, 320);
    assert.equal(summary?.video[0]?.height, 240);
    assert.match(summary?.video[0]?.codec ?? '', /AVC|H\.?264/i);
    assert.equal(summary?.audio[0]?.channels, 2);
    assert.ok(Math.abs((summary?.durationSeconds ?? 0) - 2) < 0.2);
  });

  test('a checksum sidecar that does not match rejects the file with CHECKSUM_MISMATCH', async () => {
    const body = Buffer.from('the feature, bit for bit');
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Feature.xml'), Body: '<feature/>' }));
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Notes.txt.md5'), Body: `${'0'.repeat(32)}  Title_Notes.txt\n` }));
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Notes.txt'), Body: body }));
    await settled(key('Title_Notes.txt.md5'));
    const record = await settled(key('Title_Notes.txt'));
    assert.equal(record.status, 'Rejected');
    assert.equal(record.rejection?.code, 'CHECKSUM_MISMATCH');
    assert.ok(record.rejection?.fix);
    // With the right sidecar a redelivery passes.
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Notes_R1.txt.md5'), Body: `${createHash('md5').update(body).digest('hex')}  Title_Notes_R1.txt\n` }));
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Notes_R1.txt'), Body: body }));
    const redelivered = await settled(key('Title_Notes_R1.txt'));
    assert.equal(redelivered.status, 'Ingested', JSON.stringify(redelivered.rejection));
    assert.equal(redelivered.redelivery, 1);
    assert.equal(redelivered.supersedes, record.id, 'the _R1 delivery supersedes the first one');
    const first = await server.server.delivery.context.deliveries.getDelivery(record.id);
    assert.equal(first?.supersededBy, redelivered.id);
  });

  test('a bad name is rejected with its naming code', async () => {
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title Feature.final.txt'), Body: 'x' }));
    const record = await settled(key('Title Feature.final.txt'));
    assert.equal(record.status, 'Rejected');
    assert.match(record.rejection!.code, /^NAMING_/);
  });

  test('delivering the same key again supersedes the earlier version and keeps its history', async () => {
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Poster.txt'), Body: 'v1' }));
    const first = await settled(key('Title_Poster.txt'));
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('Title_Poster.txt'), Body: 'v2' }));
    const second = await settled(key('Title_Poster.txt'));
    assert.notEqual(second.id, first.id);
    assert.notEqual(second.versionId, first.versionId);
    assert.equal(second.supersedes, first.id);
    const versions = await server.server.delivery.context.deliveries.deliveriesOfKey(partnerId, key('Title_Poster.txt'));
    assert.deepEqual(versions.map((v) => v.id), [second.id, first.id]);
    const history = await server.server.delivery.context.deliveries.deliveryHistory(first.id);
    assert.equal(history[history.length - 1]?.status, 'Superseded');
  });

  test('a manifest delivered after its files completes the package; a missing file rejects it', async () => {
    const files = { 'pkg/Title_Episode1.txt': 'episode one', 'pkg/Title_Episode2.txt': 'episode two' };
    for (const [name, body] of Object.entries(files)) await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key(name), Body: body }));
    const manifest = {
      package: 'Title',
      files: Object.entries(files).map(([name, body]) => ({ path: name.slice('pkg/'.length), size: body.length, md5: createHash('md5').update(body).digest('hex') })),
    };
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('pkg/manifest.json'), Body: JSON.stringify(manifest) }));
    const complete = await settled(key('pkg/manifest.json'));
    assert.equal(complete.status, 'Ingested', JSON.stringify(complete.rejection));
    const details = complete.validations.find((v) => v.validator === 'manifest')?.details as { status?: string; presentCount?: number } | undefined;
    assert.equal(details?.status, 'complete');
    assert.equal(details?.presentCount, 2);

    const incomplete = { package: 'Other', files: [...manifest.files, { path: 'Title_Episode3.txt', size: 3, md5: '0'.repeat(32) }] };
    await role.send(new PutObjectCommand({ Bucket: grant.alias, Key: key('pkg/Other_manifest.json'), Body: JSON.stringify(incomplete) }));
    const missing = await settled(key('pkg/Other_manifest.json'));
    assert.equal(missing.status, 'Rejected');
    assert.equal(missing.rejection?.code, 'MANIFEST_FILE_MISSING');
  });
});
