// MetaStore contract: accounts, access keys, settings and buckets.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AccessKeyRecord, AccountRecord, PublicAccessBlock } from '../../../src/storage/types.js';
import {
  accountA,
  accountB,
  bucketRecord,
  makeBucket,
  putNew,
  rejectsWith,
  storeTest,
  writer,
  type OpenStore,
} from './fixtures.js';

function account(accountId: string, name: string, createdMs: number): AccountRecord {
  return { accountId, name, createdMs, canonicalUserId: accountId.padEnd(64, 'a') };
}

function accessKey(accessKeyId: string, accountId = accountA): AccessKeyRecord {
  return {
    accessKeyId,
    secretAccessKey: 'secret/' + accessKeyId,
    accountId,
    principalKind: 'Root',
    principalArn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
    status: 'Active',
    createdMs: 1_700_000_000_000,
  };
}

export function identityAndBucketTests(open: OpenStore): void {
  describe('accounts, keys and settings', () => {
    storeTest(open, 'accounts are created once, read back and listed', async (store) => {
      assert.equal(await store.getAccount(accountA), undefined);
      await store.createAccount(account(accountA, 'platform', 1));
      await store.createAccount(account(accountB, 'partner', 2));
      assert.deepEqual(await store.getAccount(accountA), account(accountA, 'platform', 1));
      await rejectsWith(store.createAccount(account(accountA, 'again', 3)), 'AccountExists');
      const listed = await store.listAccounts();
      assert.deepEqual(listed.map((a) => a.accountId).sort(), [accountA, accountB]);
      assert.equal((await store.getAccount(accountA))?.name, 'platform');
    });

    storeTest(open, 'access keys round-trip, update for the same principal, and are deleted', async (store) => {
      const temporary: AccessKeyRecord = {
        ...accessKey('ASIAEXAMPLE000000001'),
        principalKind: 'AssumedRole',
        principalArn: `arn:aws:sts::${accountA}:assumed-role/delivery/session-1`,
        userId: 'AROAEXAMPLE:session-1',
        sessionToken: 'token-1',
        expiresMs: 1_700_000_900_000,
        roleArn: `arn:aws:iam::${accountA}:role/delivery`,
        sessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
        sessionName: 'session-1',
        issuedMs: 1_700_000_000_000,
        chained: false,
      };
      await store.putAccessKey(temporary);
      assert.deepEqual(await store.getAccessKey(temporary.accessKeyId), temporary);
      assert.equal(await store.getAccessKey('AKIANOSUCHKEY0000000'), undefined);

      const key = accessKey('AKIAEXAMPLE000000001');
      await store.putAccessKey(key);
      await store.putAccessKey({ ...key, status: 'Inactive' });
      assert.equal((await store.getAccessKey(key.accessKeyId))?.status, 'Inactive');
      await rejectsWith(store.putAccessKey(accessKey(key.accessKeyId, accountB)), 'AccessKeyExists');
      assert.equal((await store.getAccessKey(key.accessKeyId))?.accountId, accountA);

      await store.deleteAccessKey(key.accessKeyId);
      assert.equal(await store.getAccessKey(key.accessKeyId), undefined);
      assert.deepEqual(await store.getAccessKey(temporary.accessKeyId), temporary);
      await store.deleteAccessKey(key.accessKeyId);
    });

    storeTest(open, 'settings are absent until put, then overwritten', async (store) => {
      assert.equal(await store.getSetting('ingest.cursor'), undefined);
      await store.putSetting('ingest.cursor', '0');
      await store.putSetting('ingest.cursor', '42');
      await store.putSetting('bootstrap.done', 'yes');
      assert.equal(await store.getSetting('ingest.cursor'), '42');
      assert.equal(await store.getSetting('bootstrap.done'), 'yes');
      await store.putSetting('empty', '');
      assert.equal(await store.getSetting('empty'), '');
    });
  });

  describe('buckets', () => {
    storeTest(open, 'a bucket is created once, whoever asks again', async (store) => {
      const record = bucketRecord('media', 'Enabled');
      await store.createBucket(record);
      assert.deepEqual(await store.getBucket('media'), record);
      assert.equal(await store.getBucket('other'), undefined);
      await rejectsWith(store.createBucket(bucketRecord('media')), 'BucketExists');
      await rejectsWith(store.createBucket(bucketRecord('media', 'Unversioned', accountB)), 'BucketExists');
      assert.deepEqual(await store.getBucket('media'), record);
    });

    storeTest(open, 'buckets are listed per account in name order', async (store) => {
      for (const name of ['zeta', 'alpha', 'mid-1']) await store.createBucket(bucketRecord(name));
      await store.createBucket(bucketRecord('partner-bucket', 'Unversioned', accountB));
      assert.deepEqual((await store.listBuckets(accountA)).map((b) => b.name), ['alpha', 'mid-1', 'zeta']);
      assert.deepEqual((await store.listBuckets(accountB)).map((b) => b.name), ['partner-bucket']);
      assert.deepEqual(await store.listBuckets('999999999999'), []);
    });

    storeTest(open, 'updateBucket patches versioning, ownership, policy and tags', async (store) => {
      await makeBucket(store, 'media');
      const policy = '{"Version":"2012-10-17","Statement":[]}';
      const tags = [{ key: 'team', value: 'ingest' }, { key: 'cost', value: '42' }];
      let updated = await store.updateBucket('media', { versioning: 'Enabled', policy, tags });
      assert.equal(updated.versioning, 'Enabled');
      assert.equal(updated.policy, policy);
      assert.deepEqual(updated.tags, tags);
      assert.deepEqual(await store.getBucket('media'), updated);

      updated = await store.updateBucket('media', { versioning: 'Suspended', ownership: 'BucketOwnerPreferred' });
      assert.equal(updated.policy, policy, 'untouched fields stay');
      assert.equal(updated.ownership, 'BucketOwnerPreferred');
      assert.equal((await store.getBucket('media'))?.versioning, 'Suspended');

      updated = await store.updateBucket('media', { deletePolicy: true, deleteTags: true });
      assert.equal(updated.policy, undefined);
      assert.equal(updated.tags, undefined);
      const read = await store.getBucket('media');
      assert.equal(read?.policy, undefined);
      assert.equal(read?.tags, undefined);
      assert.equal(read?.versioning, 'Suspended');
      await rejectsWith(store.updateBucket('missing', { versioning: 'Enabled' }), 'NoSuchBucket');
    });

    storeTest(open, 'a public access block is stored with its bucket, patched, removed, and goes with the bucket', async (store) => {
      const strict: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false };
      const loose: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true };
      await store.createBucket({ ...bucketRecord('with-block'), publicAccessBlock: strict });
      await makeBucket(store, 'without');
      assert.deepEqual((await store.getBucket('with-block'))?.publicAccessBlock, strict);
      assert.equal((await store.getBucket('without'))?.publicAccessBlock, undefined);
      assert.deepEqual((await store.listBuckets(accountA)).map((b) => [b.name, b.publicAccessBlock]), [['with-block', strict], ['without', undefined]]);

      let updated = await store.updateBucket('without', { publicAccessBlock: loose });
      assert.deepEqual(updated.publicAccessBlock, loose);
      updated = await store.updateBucket('without', { versioning: 'Enabled' });
      assert.deepEqual(updated.publicAccessBlock, loose, 'untouched by other patches');
      assert.deepEqual(await store.getBucket('without'), updated);
      updated = await store.updateBucket('with-block', { publicAccessBlock: loose });
      assert.deepEqual((await store.getBucket('with-block'))?.publicAccessBlock, loose, 'replaced whole');
      updated = await store.updateBucket('with-block', { deletePublicAccessBlock: true, publicAccessBlock: strict });
      assert.equal(updated.publicAccessBlock, undefined, 'delete wins over a value');
      assert.equal((await store.getBucket('with-block'))?.publicAccessBlock, undefined);

      await store.deleteBucket('without');
      await makeBucket(store, 'without');
      assert.equal((await store.getBucket('without'))?.publicAccessBlock, undefined, 'a new bucket of the same name starts without one');
    });

    storeTest(open, 'deleteBucket refuses while versions or markers remain, and aborts in-progress uploads', async (store) => {
      await rejectsWith(store.deleteBucket('missing'), 'NoSuchBucket');
      await makeBucket(store, 'media', 'Enabled');
      const { version } = await putNew(store, 'media', 'a.txt');
      await rejectsWith(store.deleteBucket('media'), 'BucketNotEmpty');

      // Only a delete marker left.
      await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: version.versionId, writer });
      await rejectsWith(store.deleteBucket('media'), 'BucketNotEmpty');
      const [marker] = (await store.listObjectVersions('media', { prefix: '', maxKeys: 10 })).versions;
      assert.equal(marker?.isDeleteMarker, true);
      await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: marker!.versionId, writer });

      // Only an upload left: the bucket goes, the upload with it (as on AWS).
      await store.createUpload({
        uploadId: 'upload-1',
        bucket: 'media',
        key: 'big.mov',
        initiatedMs: 1,
        headers: {},
        userMetadata: {},
        tags: [],
        storageClass: 'STANDARD',
        ownerAccountId: accountA,
        initiator: writer,
      });
      await store.deleteBucket('media');
      assert.equal(await store.getUpload('media', 'big.mov', 'upload-1'), undefined);
      assert.equal(await store.getBucket('media'), undefined);
      assert.deepEqual(await store.listBuckets(accountA), []);
      await makeBucket(store, 'media');
      assert.equal((await store.getBucket('media'))?.versioning, 'Unversioned');
    });

    storeTest(open, 'writes into a missing bucket fail with NoSuchBucket', async (store) => {
      await rejectsWith(putNew(store, 'missing', 'a.txt'), 'NoSuchBucket');
      await rejectsWith(store.deleteObject({ bucket: 'missing', key: 'a.txt', writer }), 'NoSuchBucket');
      await rejectsWith(
        store.createUpload({
          uploadId: 'u',
          bucket: 'missing',
          key: 'k',
          initiatedMs: 1,
          headers: {},
          userMetadata: {},
          tags: [],
          storageClass: 'STANDARD',
          ownerAccountId: accountA,
          initiator: writer,
        }),
        'NoSuchBucket',
      );
      assert.equal(await store.getObjectVersion('missing', 'a.txt'), undefined);
      assert.equal(await store.latestEventSequence(), 0);
    });
  });
}
