// MetaStore contract: S3 versioning (Unversioned, Enabled, Suspended), delete markers, version deletes, tags.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newBlobId } from '../../../src/core/ids.js';
import type { ObjectVersion } from '../../../src/storage/types.js';
import {
  accountA,
  allVersions,
  eventsSince,
  makeBucket,
  newVersion,
  plain,
  putNew,
  rejectsWith,
  storeTest,
  takeAllGarbage,
  writer,
  type OpenStore,
} from './fixtures.js';

const versionIdShape = /^[A-Za-z0-9]{32}$/;

function summary(versions: ObjectVersion[]): string[] {
  return versions.map((v) => `${v.key}@${v.isDeleteMarker ? 'marker' : v.etag.slice(0, 6)}${v.isLatest ? '*' : ''}`);
}

function tag(v: ObjectVersion): string {
  return `${v.key}@${v.etag.slice(0, 6)}`;
}

export function versioningTests(open: OpenStore): void {
  describe('versioning', () => {
    storeTest(open, 'a version round-trips every field', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const blobId = newBlobId();
      const input = newVersion('media', 'dir/clip.mov', [
        { blobId, offsetBytes: 0, lengthBytes: 6 },
        { blobId, offsetBytes: 10, lengthBytes: 4 },
      ]);
      Object.assign(input, {
        headers: {
          contentType: 'video/quicktime',
          contentEncoding: 'identity',
          contentDisposition: 'attachment',
          contentLanguage: 'en',
          cacheControl: 'no-cache',
          expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
          websiteRedirectLocation: '/other',
        },
        userMetadata: { 'source-system': 'vendor', empty: '' },
        tags: [{ key: 'k', value: 'v' }],
        checksum: { algorithm: 'CRC32C', value: 'AAAAAA==-2', type: 'COMPOSITE' },
        partSizes: [6, 4],
        partChecksums: ['AAAAAA==', 'BBBBBB=='],
        storageClass: 'STANDARD_IA',
        ownerAccountId: '444455556666',
        writer: { ...writer, accessPointArn: `arn:aws:s3:us-east-1:${accountA}:accesspoint/partner` },
        method: 'CompleteMultipartUpload',
        copySource: { bucket: 'src', key: 'a', versionId: 'null' },
      });
      const stored = await store.putObjectVersion({ version: input, newBlobs: [{ blobId, sizeBytes: 14 }], event: 'ObjectCreated:Put' });
      assert.match(stored.versionId, versionIdShape);
      assert.equal(stored.isLatest, true);
      assert.equal(stored.isDeleteMarker, false);
      assert.deepEqual(plain(stored), plain({ ...input, versionId: stored.versionId, sequence: stored.sequence, isLatest: true, isDeleteMarker: false }));
      assert.deepEqual(plain(await store.getObjectVersion('media', 'dir/clip.mov')), plain(stored));
      assert.deepEqual(plain(await store.getObjectVersion('media', 'dir/clip.mov', stored.versionId)), plain(stored));
      assert.equal(await store.getObjectVersion('media', 'dir/clip.mov', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), undefined);
      assert.equal(await store.getObjectVersion('media', 'dir/clip.mo'), undefined);
      assert.equal(await store.getObjectVersion('media', 'dir/clip.mov', 'null'), undefined);
    });

    storeTest(open, 'Unversioned: a write replaces the null version and releases its extents', async (store) => {
      await makeBucket(store, 'plain');
      const first = await putNew(store, 'plain', 'a.txt');
      const second = await putNew(store, 'plain', 'a.txt');
      assert.equal(first.version.versionId, 'null');
      assert.equal(second.version.versionId, 'null');
      assert(second.version.sequence > first.version.sequence);
      const versions = await allVersions(store, 'plain');
      assert.equal(versions.length, 1);
      assert.equal(versions[0]!.etag, second.version.etag);
      assert.equal((await store.getObjectVersion('plain', 'a.txt', 'null'))?.etag, second.version.etag);
      const garbage = await takeAllGarbage(store);
      assert(garbage.has(first.blobId), 'the replaced version released its blob');
      assert(!garbage.has(second.blobId));
    });

    storeTest(open, 'Enabled: every write gets a fresh id and all versions are kept', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const writes = [];
      for (let i = 0; i < 3; i++) writes.push(await putNew(store, 'media', 'a.txt'));
      const ids = writes.map((w) => w.version.versionId);
      for (const id of ids) assert.match(id, versionIdShape);
      assert.equal(new Set(ids).size, 3);
      assert(writes[0]!.version.sequence < writes[1]!.version.sequence && writes[1]!.version.sequence < writes[2]!.version.sequence);
      const versions = await allVersions(store, 'media', 'a.txt');
      assert.deepEqual(versions.map((v) => v.versionId), [...ids].reverse(), 'newest first');
      assert.deepEqual(versions.map((v) => v.isLatest), [true, false, false]);
      for (const w of writes) assert.equal((await store.getObjectVersion('media', 'a.txt', w.version.versionId))?.etag, w.version.etag);
      assert.equal((await store.getObjectVersion('media', 'a.txt'))?.versionId, ids[2]);
      assert.equal((await takeAllGarbage(store)).size, 0);
    });

    storeTest(open, 'Suspended: writes the null version, replacing only the null version', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const v2 = await putNew(store, 'media', 'a.txt');
      await store.updateBucket('media', { versioning: 'Suspended' });
      const n1 = await putNew(store, 'media', 'a.txt');
      assert.equal(n1.version.versionId, 'null');
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(n1.version)}*`, tag(v2.version), tag(v1.version)]);
      const n2 = await putNew(store, 'media', 'a.txt');
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(n2.version)}*`, tag(v2.version), tag(v1.version)]);
      const garbage = await takeAllGarbage(store);
      assert.deepEqual([...garbage], [n1.blobId]);
    });

    storeTest(open, 'Suspended: a noncurrent null version is replaced and the latest demoted', async (store) => {
      await makeBucket(store, 'media');
      const n0 = await putNew(store, 'media', 'a.txt');
      await store.updateBucket('media', { versioning: 'Enabled' });
      const v1 = await putNew(store, 'media', 'a.txt');
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(v1.version)}*`, tag(n0.version)]);
      await store.updateBucket('media', { versioning: 'Suspended' });
      const n1 = await putNew(store, 'media', 'a.txt');
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(n1.version)}*`, tag(v1.version)]);
      assert.deepEqual([...(await takeAllGarbage(store))], [n0.blobId]);
    });

    storeTest(open, 'Enabled: a simple delete stacks delete markers and hides the key', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const before = await store.latestEventSequence();
      const deleted = await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      assert.equal(deleted.deleteMarker, true);
      assert.equal(deleted.noop, false);
      assert.match(deleted.versionId!, versionIdShape);
      const latest = await store.getObjectVersion('media', 'a.txt');
      assert.equal(latest?.isDeleteMarker, true);
      assert.equal(latest?.versionId, deleted.versionId);
      assert.equal(latest?.isLatest, true);
      assert.deepEqual(latest?.extents, []);
      assert.equal((await store.listObjects('media', { prefix: '', maxKeys: 10 })).objects.length, 0);
      const again = await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      assert.notEqual(again.versionId, deleted.versionId);
      const versions = await allVersions(store, 'media');
      assert.deepEqual(summary(versions), ['a.txt@marker*', 'a.txt@marker', tag(v1.version)]);
      const events = await eventsSince(store, before);
      assert.deepEqual(events.map((e) => [e.name, e.versionId]), [
        ['ObjectRemoved:DeleteMarkerCreated', deleted.versionId],
        ['ObjectRemoved:DeleteMarkerCreated', again.versionId],
      ]);
      assert.equal((await takeAllGarbage(store)).size, 0, 'markers release nothing');
      // A key that never existed still gets a marker, as S3 does.
      const ghost = await store.deleteObject({ bucket: 'media', key: 'never.txt', writer });
      assert.equal(ghost.deleteMarker, true);
      assert.equal((await store.getObjectVersion('media', 'never.txt'))?.isDeleteMarker, true);
    });

    storeTest(open, 'Suspended: a simple delete writes a null marker replacing the null version', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      await store.updateBucket('media', { versioning: 'Suspended' });
      const n1 = await putNew(store, 'media', 'a.txt');
      const deleted = await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      assert.deepEqual(deleted, { versionId: 'null', deleteMarker: true, noop: false });
      assert.deepEqual(summary(await allVersions(store, 'media')), ['a.txt@marker*', tag(v1.version)]);
      assert.equal((await store.getObjectVersion('media', 'a.txt', 'null'))?.isDeleteMarker, true);
      assert.deepEqual([...(await takeAllGarbage(store))], [n1.blobId]);
    });

    storeTest(open, 'Unversioned: a simple delete removes the object; a second one is a noop', async (store) => {
      await makeBucket(store, 'plain');
      const { version, blobId } = await putNew(store, 'plain', 'a.txt', { sizeBytes: 5 });
      const before = await store.latestEventSequence();
      const deleted = await store.deleteObject({ bucket: 'plain', key: 'a.txt', writer });
      assert.equal(deleted.noop, false);
      assert.equal(deleted.deleteMarker, false);
      assert.equal(await store.getObjectVersion('plain', 'a.txt'), undefined);
      assert.deepEqual(await allVersions(store, 'plain'), []);
      const events = await eventsSince(store, before);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.name, 'ObjectRemoved:Delete');
      assert.equal(events[0]!.versionId, 'null');
      assert.equal(events[0]!.etag, version.etag);
      assert.equal(events[0]!.sizeBytes, 5);
      assert.deepEqual([...(await takeAllGarbage(store))], [blobId]);

      const again = await store.deleteObject({ bucket: 'plain', key: 'a.txt', writer });
      assert.equal(again.noop, true);
      assert.equal(again.deleteMarker, false);
      assert.equal(await store.latestEventSequence(), events[0]!.sequence, 'a noop writes no event');
    });

    storeTest(open, 'deleting the latest version promotes the next newest', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const v2 = await putNew(store, 'media', 'a.txt');
      const v3 = await putNew(store, 'media', 'a.txt');
      const removed = await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: v3.version.versionId, writer });
      assert.deepEqual(removed, { versionId: v3.version.versionId, deleteMarker: false, noop: false });
      assert.equal((await store.getObjectVersion('media', 'a.txt'))?.versionId, v2.version.versionId);
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(v2.version)}*`, tag(v1.version)]);
      assert.equal(await store.getObjectVersion('media', 'a.txt', v3.version.versionId), undefined);
      // A noncurrent version goes without touching the latest.
      await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: v1.version.versionId, writer });
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(v2.version)}*`]);
      assert.deepEqual(new Set(await takeAllGarbage(store)), new Set([v3.blobId, v1.blobId]));
      const last = await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: v2.version.versionId, writer });
      assert.equal(last.noop, false);
      assert.equal(await store.getObjectVersion('media', 'a.txt'), undefined);
    });

    storeTest(open, 'deleting a delete marker by id restores the object beneath', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const marker = await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      const before = await store.latestEventSequence();
      const removed = await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: marker.versionId, writer });
      assert.deepEqual(removed, { versionId: marker.versionId, deleteMarker: true, noop: false });
      const latest = await store.getObjectVersion('media', 'a.txt');
      assert.equal(latest?.versionId, v1.version.versionId);
      assert.equal(latest?.isLatest, true);
      assert.deepEqual((await store.listObjects('media', { prefix: '', maxKeys: 10 })).objects.map((o) => o.key), ['a.txt']);
      const events = await eventsSince(store, before);
      assert.deepEqual(events.map((e) => [e.name, e.versionId]), [['ObjectRemoved:Delete', marker.versionId]]);
    });

    storeTest(open, "the 'null' version can be deleted by id in a versioned bucket", async (store) => {
      await makeBucket(store, 'media');
      const n0 = await putNew(store, 'media', 'a.txt');
      await store.updateBucket('media', { versioning: 'Enabled' });
      const v1 = await putNew(store, 'media', 'a.txt');
      const removed = await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: 'null', writer });
      assert.deepEqual(removed, { versionId: 'null', deleteMarker: false, noop: false });
      assert.deepEqual(summary(await allVersions(store, 'media')), [`${tag(v1.version)}*`]);
      assert.deepEqual([...(await takeAllGarbage(store))], [n0.blobId]);
      // And when it is the latest, in an unversioned bucket.
      await makeBucket(store, 'plain');
      await putNew(store, 'plain', 'b.txt');
      await store.deleteObject({ bucket: 'plain', key: 'b.txt', versionId: 'null', writer });
      assert.equal(await store.getObjectVersion('plain', 'b.txt'), undefined);
    });

    storeTest(open, 'deleting an unknown version is a noop without event', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const before = await store.latestEventSequence();
      const result = await store.deleteObject({ bucket: 'media', key: 'a.txt', versionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', writer });
      assert.equal(result.noop, true);
      assert.equal(result.deleteMarker, false);
      const other = await store.deleteObject({ bucket: 'media', key: 'b.txt', versionId: v1.version.versionId, writer });
      assert.equal(other.noop, true, 'a version id of another key does not match');
      assert.equal(await store.latestEventSequence(), before);
      assert.equal((await store.getObjectVersion('media', 'a.txt'))?.versionId, v1.version.versionId);
    });

    storeTest(open, 'putObjectTags replaces the tags of the latest or a named version', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const v1 = await putNew(store, 'media', 'a.txt');
      const v2 = await putNew(store, 'media', 'a.txt');
      const before = await store.latestEventSequence();
      const tagged = await store.putObjectTags('media', 'a.txt', undefined, [{ key: 'state', value: 'new' }]);
      assert.equal(tagged.versionId, v2.version.versionId);
      assert.deepEqual(tagged.tags, [{ key: 'state', value: 'new' }]);
      await store.putObjectTags('media', 'a.txt', v1.version.versionId, [{ key: 'state', value: 'old' }]);
      assert.deepEqual((await store.getObjectVersion('media', 'a.txt'))?.tags, [{ key: 'state', value: 'new' }]);
      const old = await store.getObjectVersion('media', 'a.txt', v1.version.versionId);
      assert.deepEqual(old?.tags, [{ key: 'state', value: 'old' }]);
      assert.equal(old?.sequence, v1.version.sequence, 'tagging does not create a version');
      assert.equal(old?.etag, v1.version.etag);
      await store.putObjectTags('media', 'a.txt', undefined, []);
      assert.deepEqual((await store.getObjectVersion('media', 'a.txt'))?.tags, []);
      assert.equal((await allVersions(store, 'media')).length, 2);
      assert.equal(await store.latestEventSequence(), before);

      await rejectsWith(store.putObjectTags('media', 'missing', undefined, []), 'NoSuchKey');
      await rejectsWith(store.putObjectTags('media', 'a.txt', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', []), 'NoSuchVersion');
      await rejectsWith(store.putObjectTags('nobucket', 'a.txt', undefined, []), 'NoSuchBucket');
      await store.deleteObject({ bucket: 'media', key: 'a.txt', writer });
      await rejectsWith(store.putObjectTags('media', 'a.txt', undefined, []), 'NoSuchKey');
    });
  });
}
