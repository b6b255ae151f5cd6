// Runs the IamStore contract against SQLite, plus what only the shared SQLite database shows: keys seen by the
// MetaStore, temporary keys kept out of IAM listings, aliases against bucket names, and reopening.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/sqlite-meta-store.js';
import { runIamStoreContract } from './iam-store.contract.js';
import { accountA, createManaged, document, rejectsWith, t0, userKey, userOwner, userRecord } from './iam-store-contract/fixtures.js';

async function tempStores(): Promise<{ stores: SqliteStores; dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 's3push-iam-'));
  const path = join(dir, 'meta', 'meta.sqlite');
  return { stores: openSqliteStores({ path }), dir, path };
}

runIamStoreContract('sqlite', async () => {
  const { stores, dir } = await tempStores();
  return {
    store: stores.iam,
    async cleanup() {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite iam store: one database with the MetaStore', () => {
  async function withStores(body: (stores: SqliteStores, path: string) => Promise<void>): Promise<void> {
    const { stores, dir, path } = await tempStores();
    try {
      await body(stores, path);
    } finally {
      await stores.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('a key created through IAM is what SigV4 resolves, with its status', async () => {
    await withStores(async ({ meta, iam }) => {
      const user = userRecord('signer');
      await iam.createUser(user);
      await iam.createAccessKey(userKey('AKIASIGNER0000000001', user));
      assert.equal((await meta.getAccessKey('AKIASIGNER0000000001'))?.principalArn, user.arn);
      await iam.updateAccessKeyStatus(accountA, user.arn, 'AKIASIGNER0000000001', 'Inactive');
      assert.equal((await meta.getAccessKey('AKIASIGNER0000000001'))?.status, 'Inactive');
      await iam.deleteAccessKey(accountA, user.arn, 'AKIASIGNER0000000001');
      assert.equal(await meta.getAccessKey('AKIASIGNER0000000001'), undefined);
    });
  });

  test('temporary keys of a user are neither listed, counted, changed nor deleted as access keys', async () => {
    await withStores(async ({ meta, iam }) => {
      const user = userRecord('temp');
      await iam.createUser(user);
      const session = { ...userKey('ASIATEMP000000000001', user), sessionToken: 'token', expiresMs: t0 + 3_600_000 };
      await meta.putAccessKey(session);
      await meta.putAccessKey({ ...session, accessKeyId: 'ASIATEMP000000000002' });
      assert.deepEqual(await iam.listAccessKeysOf(accountA, user.arn), []);
      await iam.createAccessKey(userKey('AKIATEMP000000000001', user));
      await iam.createAccessKey(userKey('AKIATEMP000000000002', user));
      await rejectsWith(iam.updateAccessKeyStatus(accountA, user.arn, 'ASIATEMP000000000001', 'Inactive'), 'NoSuchEntity');
      await rejectsWith(iam.deleteAccessKey(accountA, user.arn, 'ASIATEMP000000000001'), 'NoSuchEntity');
      assert.equal((await meta.getAccessKey('ASIATEMP000000000001'))?.status, 'Active');
    });
  });

  test('an access point alias cannot take an existing bucket name', async () => {
    await withStores(async ({ meta, iam }) => {
      const alias = `taken-${'0'.repeat(34)}-s3alias`;
      await meta.createBucket({ name: alias, accountId: accountA, region: 'us-east-1', createdMs: t0, versioning: 'Unversioned', ownership: 'BucketOwnerEnforced' });
      await rejectsWith(iam.createAccessPoint({
        accountId: accountA, name: 'taken', region: 'us-east-1', bucket: 'b', bucketAccountId: accountA, alias,
        arn: `arn:aws:s3:us-east-1:${accountA}:accesspoint/taken`, networkOrigin: 'Internet',
        blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true, createdMs: t0,
      }), 'EntityAlreadyExists');
    });
  });

  test('IAM data and the generation survive close and reopen', async () => {
    await withStores(async (first, path) => {
      await first.iam.createUser(userRecord('kept'));
      await first.iam.putInlinePolicy({ owner: userOwner('kept'), policyName: 'p', document: document('s3:GetObject') });
      const arn = await createManaged(first.iam, 'm');
      await first.iam.attachPolicy(userOwner('kept'), arn);
      const generation = await first.iam.iamGeneration();
      await first.close();
      const second = openSqliteStores({ path });
      try {
        assert.equal(await second.iam.iamGeneration(), generation);
        assert.equal((await second.iam.getUser(accountA, 'kept'))?.name, 'kept');
        assert.deepEqual((await second.iam.attachedPolicyDocuments(userOwner('kept'))).map((d) => d.arn), [arn]);
        assert.equal((await second.iam.getInlinePolicy(userOwner('kept'), 'p'))?.document, document('s3:GetObject'));
      } finally {
        await second.close();
      }
    });
  });
});
