// IamStore contract: long-term access keys of users and root, and S3 access points.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AccessPointRecord } from '../../../src/storage/iam-store.js';
import { accountA, accountB, iamTest, plain, rejectsWith, rootKey, t0, userKey, userRecord, type OpenIamStore } from './fixtures.js';

function accessPoint(name: string, bucket: string, accountId = accountA): AccessPointRecord {
  return {
    accountId, name, region: 'us-east-1', bucket, bucketAccountId: accountId,
    // Any 34 lower-case alphanumerics are a valid alias middle; derive them from the account and name so they are unique.
    alias: `${name.slice(0, 20)}-${(accountId + name.replace(/[^a-z0-9]/g, '')).padEnd(34, '0').slice(0, 34)}-s3alias`,
    arn: `arn:aws:s3:us-east-1:${accountId}:accesspoint/${name}`, networkOrigin: 'Internet',
    blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true, createdMs: t0,
  };
}

export function keyAndAccessPointTests(open: OpenIamStore): void {
  describe('access keys', () => {
    iamTest(open, 'a user has at most two long-term keys, listed oldest first with their status', async (store) => {
      const user = userRecord('kim', '/ops/');
      await store.createUser(user);
      await store.createAccessKey(userKey('AKIAKIM0000000000002', user, t0 + 2));
      await store.createAccessKey(userKey('AKIAKIM0000000000001', user, t0 + 1));
      await rejectsWith(store.createAccessKey(userKey('AKIAKIM0000000000003', user, t0 + 3)), 'LimitExceeded', /AccessKeysPerUser: 2/);
      assert.deepEqual(await store.listAccessKeysOf(accountA, user.arn), [
        { accessKeyId: 'AKIAKIM0000000000001', status: 'Active', createdMs: t0 + 1 },
        { accessKeyId: 'AKIAKIM0000000000002', status: 'Active', createdMs: t0 + 2 },
      ]);
      await store.updateAccessKeyStatus(accountA, user.arn, 'AKIAKIM0000000000001', 'Inactive');
      assert.equal((await store.listAccessKeysOf(accountA, user.arn))[0]?.status, 'Inactive');
      await store.deleteAccessKey(accountA, user.arn, 'AKIAKIM0000000000002');
      await store.createAccessKey(userKey('AKIAKIM0000000000003', user, t0 + 3));
      assert.deepEqual((await store.listAccessKeysOf(accountA, user.arn)).map((k) => k.accessKeyId), ['AKIAKIM0000000000001', 'AKIAKIM0000000000003']);
    });

    iamTest(open, 'a key is created only for an existing user; root keys need no user', async (store) => {
      const ghost = userRecord('ghost');
      await rejectsWith(store.createAccessKey(userKey('AKIAGHOST00000000001', ghost)), 'NoSuchEntity', /user with name ghost/);
      const moved = userRecord('moved', '/a/');
      await store.createUser(moved);
      await rejectsWith(store.createAccessKey(userKey('AKIAMOVED00000000001', { ...moved, arn: `arn:aws:iam::${accountA}:user/b/moved` })), 'NoSuchEntity');
      await store.createAccessKey(rootKey('AKIAROOT000000000001'));
      await store.createAccessKey(rootKey('AKIAROOT000000000002'));
      await rejectsWith(store.createAccessKey(rootKey('AKIAROOT000000000003')), 'LimitExceeded');
      assert.equal((await store.listAccessKeysOf(accountA, `arn:aws:iam::${accountA}:root`)).length, 2);
      assert.deepEqual(await store.listAccessKeysOf(accountB, `arn:aws:iam::${accountB}:root`), []);
    });

    iamTest(open, 'keys are changed only through their own principal', async (store) => {
      const a = userRecord('a');
      const b = userRecord('b');
      await store.createUser(a);
      await store.createUser(b);
      await store.createAccessKey(userKey('AKIAUSERA00000000001', a));
      await rejectsWith(store.updateAccessKeyStatus(accountA, b.arn, 'AKIAUSERA00000000001', 'Inactive'), 'NoSuchEntity', /Access Key with id AKIAUSERA00000000001 cannot be found/);
      await rejectsWith(store.deleteAccessKey(accountA, b.arn, 'AKIAUSERA00000000001'), 'NoSuchEntity');
      await rejectsWith(store.deleteAccessKey(accountB, a.arn, 'AKIAUSERA00000000001'), 'NoSuchEntity');
      await rejectsWith(store.deleteAccessKey(accountA, a.arn, 'AKIANOSUCHKEY0000001'), 'NoSuchEntity');
      assert.equal((await store.listAccessKeysOf(accountA, a.arn))[0]?.status, 'Active');
    });
  });

  describe('access points', () => {
    iamTest(open, 'created once per account and name, found by alias, listed by bucket', async (store) => {
      const media = accessPoint('media-ap', 'media');
      await store.createAccessPoint(media);
      await store.createAccessPoint(accessPoint('other-ap', 'other'));
      await store.createAccessPoint(accessPoint('media-b', 'media', accountB));
      assert.deepEqual(plain(await store.getAccessPoint(accountA, 'media-ap')), plain(media));
      assert.deepEqual(plain(await store.getAccessPointByAlias(media.alias)), plain(media));
      assert.equal(await store.getAccessPoint(accountB, 'media-ap'), undefined);
      assert.deepEqual((await store.listAccessPoints(accountA)).map((p) => p.name), ['media-ap', 'other-ap']);
      assert.deepEqual((await store.listAccessPoints(accountA, 'media')).map((p) => p.name), ['media-ap']);
      assert.equal(await store.countAccessPointsOfBucket('media'), 2);
      await rejectsWith(store.createAccessPoint({ ...media, alias: 'another-alias-s3alias' }), 'EntityAlreadyExists');
      await rejectsWith(store.createAccessPoint({ ...accessPoint('fresh', 'media'), alias: media.alias }), 'EntityAlreadyExists', /alias/);
    });

    iamTest(open, 'the policy is set, replaced and removed; delete needs the access point', async (store) => {
      await store.createAccessPoint(accessPoint('ap', 'b'));
      await store.putAccessPointPolicy(accountA, 'ap', '{"v":1}');
      await store.putAccessPointPolicy(accountA, 'ap', '{"v":2}');
      assert.equal((await store.getAccessPoint(accountA, 'ap'))?.policy, '{"v":2}');
      await store.putAccessPointPolicy(accountA, 'ap', undefined);
      assert.equal((await store.getAccessPoint(accountA, 'ap'))?.policy, undefined);
      await rejectsWith(store.putAccessPointPolicy(accountA, 'none', '{}'), 'NoSuchEntity');
      await store.deleteAccessPoint(accountA, 'ap');
      assert.equal(await store.getAccessPoint(accountA, 'ap'), undefined);
      assert.equal(await store.countAccessPointsOfBucket('b'), 0);
      await rejectsWith(store.deleteAccessPoint(accountA, 'ap'), 'NoSuchEntity');
    });
  });
}
