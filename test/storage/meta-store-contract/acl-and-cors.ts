// MetaStore contract: bucket ACLs, object ACLs (per version, through putObjectAcl, versions and uploads), CORS
// configurations and the policy's confirm-remove-self flag: stored, patched, removed, and gone with their bucket.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newBlobId } from '../../../src/core/ids.js';
import type { AccessControlList, CorsConfiguration, MultipartUpload } from '../../../src/storage/types.js';
import {
  accountA,
  accountB,
  bucketRecord,
  makeBucket,
  newVersion,
  putNew,
  rejectsWith,
  storeTest,
  writer,
  type OpenStore,
} from './fixtures.js';

const publicRead: AccessControlList = { grants: [
  { grantee: { type: 'CanonicalUser', id: 'a'.repeat(64), accountId: accountA }, permission: 'FULL_CONTROL' },
  { grantee: { type: 'Group', group: 'AllUsers' }, permission: 'READ' },
] };
const toOther: AccessControlList = { grants: [
  { grantee: { type: 'CanonicalUser', id: 'b'.repeat(64), accountId: accountB }, permission: 'READ_ACP' },
  { grantee: { type: 'CanonicalUser', id: 'c'.repeat(64) }, permission: 'READ' },
] };
const cors: CorsConfiguration = { rules: [
  { id: 'r1', allowedOrigins: ['https://*.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 60 },
  { allowedOrigins: ['*'], allowedMethods: ['HEAD'], allowedHeaders: [], exposeHeaders: [] },
] };

export function aclAndCorsTests(open: OpenStore): void {
  describe('ACLs and CORS', () => {
    storeTest(open, 'a bucket ACL and CORS configuration are stored with the bucket, replaced, removed, and go with it', async (store) => {
      await store.createBucket({ ...bucketRecord('acl'), ownership: 'ObjectWriter', acl: publicRead, cors });
      await makeBucket(store, 'plain');
      const read = await store.getBucket('acl');
      assert.deepEqual(read?.acl, publicRead);
      assert.deepEqual(read?.cors, cors);
      assert.equal((await store.getBucket('plain'))?.acl, undefined);
      assert.deepEqual((await store.listBuckets(accountA)).map((b) => [b.name, b.acl?.grants.length, b.cors?.rules.length]), [['acl', 2, 2], ['plain', undefined, undefined]]);

      let updated = await store.updateBucket('acl', { acl: toOther });
      assert.deepEqual(updated.acl, toOther, 'replaced whole');
      assert.deepEqual(updated.cors, cors, 'untouched by other patches');
      updated = await store.updateBucket('acl', { deleteCors: true, cors });
      assert.equal(updated.cors, undefined, 'delete wins over a value');
      assert.deepEqual(await store.getBucket('acl'), updated);
      updated = await store.updateBucket('plain', { cors: { rules: [cors.rules[1]!] } });
      assert.deepEqual(updated.cors, { rules: [cors.rules[1]] });

      await store.deleteBucket('acl');
      await store.createBucket(bucketRecord('acl'));
      const fresh = await store.getBucket('acl');
      assert.equal(fresh?.acl, undefined, 'a new bucket of the same name starts without them');
      assert.equal(fresh?.cors, undefined);
    });

    storeTest(open, 'the policy\'s confirm-remove-self flag is set with a policy, cleared by a later one or by deleting it', async (store) => {
      await makeBucket(store, 'media');
      let updated = await store.updateBucket('media', { policy: '{"Statement":[]}', policyRemovesOwnerAccess: true });
      assert.equal(updated.policyRemovesOwnerAccess, true);
      assert.equal((await store.getBucket('media'))?.policyRemovesOwnerAccess, true);
      updated = await store.updateBucket('media', { versioning: 'Enabled' });
      assert.equal(updated.policyRemovesOwnerAccess, true, 'untouched by other patches');
      updated = await store.updateBucket('media', { policy: '{"Statement":[]}' });
      assert.equal(updated.policyRemovesOwnerAccess, undefined);
      await store.updateBucket('media', { policy: '{"Statement":[]}', policyRemovesOwnerAccess: true });
      updated = await store.updateBucket('media', { deletePolicy: true });
      assert.equal(updated.policy, undefined);
      assert.equal(updated.policyRemovesOwnerAccess, undefined);
    });

    storeTest(open, 'an object ACL is written with its version, replaced per version by putObjectAcl, and kept by tagging', async (store) => {
      await store.createBucket({ ...bucketRecord('media', 'Enabled'), ownership: 'ObjectWriter' });
      const blobId = newBlobId();
      const first = await store.putObjectVersion({
        version: { ...newVersion('media', 'a.txt', [{ blobId, offsetBytes: 0, lengthBytes: 4 }]), ownerAccountId: accountB, acl: publicRead },
        newBlobs: [{ blobId, sizeBytes: 4 }], event: 'ObjectCreated:Put',
      });
      assert.deepEqual(first.acl, publicRead);
      assert.equal(first.ownerAccountId, accountB);
      const second = (await putNew(store, 'media', 'a.txt')).version;
      assert.equal(second.acl, undefined, 'a version without an ACL has the default one');

      const before = await store.latestEventSequence();
      const changed = await store.putObjectAcl('media', 'a.txt', undefined, toOther);
      assert.equal(changed.versionId, second.versionId);
      assert.deepEqual(changed.acl, toOther);
      await store.putObjectAcl('media', 'a.txt', first.versionId, { grants: [] });
      assert.deepEqual((await store.getObjectVersion('media', 'a.txt', first.versionId))?.acl, { grants: [] });
      assert.deepEqual((await store.getObjectVersion('media', 'a.txt'))?.acl, toOther);
      await store.putObjectTags('media', 'a.txt', undefined, [{ key: 'k', value: 'v' }]);
      assert.deepEqual((await store.getObjectVersion('media', 'a.txt'))?.acl, toOther, 'tagging keeps the ACL');
      assert.equal(await store.latestEventSequence(), before, 'ACL changes are no object events');
      const listed = await store.listObjectVersions('media', { prefix: '', maxKeys: 10 });
      assert.deepEqual(listed.versions.map((v) => v.acl?.grants.length), [2, 0]);

      await rejectsWith(store.putObjectAcl('media', 'missing', undefined, toOther), 'NoSuchKey');
      await rejectsWith(store.putObjectAcl('media', 'a.txt', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', toOther), 'NoSuchVersion');
      await rejectsWith(store.putObjectAcl('nobucket', 'a.txt', undefined, toOther), 'NoSuchBucket');
      await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      await rejectsWith(store.putObjectAcl('media', 'a.txt', undefined, toOther), 'NoSuchKey');
    });

    storeTest(open, 'an upload keeps its owner and ACL for the completed object', async (store) => {
      await store.createBucket({ ...bucketRecord('media'), ownership: 'ObjectWriter' });
      const upload: MultipartUpload = {
        uploadId: 'u1', bucket: 'media', key: 'big.mov', initiatedMs: 1_700_000_000_000, headers: {}, userMetadata: {}, tags: [],
        storageClass: 'STANDARD', ownerAccountId: accountB, acl: publicRead, initiator: { ...writer, accountId: accountB },
      };
      await store.createUpload(upload);
      const read = await store.getUpload('media', 'big.mov', 'u1');
      assert.deepEqual(read?.acl, publicRead);
      assert.equal(read?.ownerAccountId, accountB);
      assert.deepEqual((await store.listUploads('media', { prefix: '', maxUploads: 10 })).uploads[0]?.acl, publicRead);
    });
  });
}
