// MetaStore contract: blob reference counts and garbage, write conditions, and the event outbox.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newBlobId } from '../../../src/core/ids.js';
import {
  copyTo,
  eventsSince,
  makeBucket,
  newVersion,
  putNew,
  rejectsWith,
  sleep,
  storeTest,
  takeAllGarbage,
  writer,
  type OpenStore,
} from './fixtures.js';

export function blobTests(open: OpenStore): void {
  describe('blob references and garbage', () => {
    storeTest(open, 'a copy adds a reference: the blob lives until the last holder goes', async (store) => {
      await makeBucket(store, 'src');
      await makeBucket(store, 'dst', 'Enabled');
      const { version, blobId } = await putNew(store, 'src', 'a');
      const copy = await copyTo(store, version, 'dst', 'a-copy');
      assert.deepEqual(copy.extents, version.extents);
      assert.deepEqual(copy.copySource, { bucket: 'src', key: 'a', versionId: 'null' });
      await store.deleteObject({ bucket: 'src', key: 'a', writer });
      assert.equal((await takeAllGarbage(store)).size, 0, 'the copy still holds the blob');
      assert.equal(await store.hasBlob(blobId), true);
      await store.deleteObject({ bucket: 'dst', key: 'a-copy', versionId: copy.versionId, writer });
      assert.deepEqual([...(await takeAllGarbage(store))], [blobId]);
    });

    storeTest(open, 'copying an object onto itself keeps its blob (unversioned and suspended)', async (store) => {
      for (const versioning of ['Unversioned', 'Suspended'] as const) {
        const bucket = await makeBucket(store, `self-${versioning.toLowerCase()}`, versioning);
        const { version, blobId } = await putNew(store, bucket, 'a');
        const copy = await copyTo(store, version, bucket, 'a');
        assert.equal(copy.versionId, 'null');
        assert.deepEqual(copy.extents, version.extents);
        assert.equal((await takeAllGarbage(store)).size, 0, `${versioning}: the blob is still referenced`);
        assert.equal(await store.hasBlob(blobId), true);
      }
    });

    storeTest(open, 'references count extents, not versions', async (store) => {
      await makeBucket(store, 'media');
      const blobId = newBlobId();
      const twice = newVersion('media', 'twice', [
        { blobId, offsetBytes: 0, lengthBytes: 4 },
        { blobId, offsetBytes: 4, lengthBytes: 4 },
      ]);
      await store.putObjectVersion({ version: twice, newBlobs: [{ blobId, sizeBytes: 8 }], event: 'ObjectCreated:Put' });
      const once = newVersion('media', 'once', [{ blobId, offsetBytes: 2, lengthBytes: 2 }]);
      await store.putObjectVersion({ version: once, newBlobs: [], event: 'ObjectCreated:Copy' });
      await store.deleteObject({ bucket: 'media', key: 'twice', writer });
      assert.equal((await takeAllGarbage(store)).size, 0);
      await store.deleteObject({ bucket: 'media', key: 'once', writer });
      assert.deepEqual([...(await takeAllGarbage(store))], [blobId]);
    });

    storeTest(open, 'referencing an unknown blob fails with NoSuchKey and writes nothing', async (store) => {
      await makeBucket(store, 'media');
      const known = newBlobId();
      const version = newVersion('media', 'a', [
        { blobId: known, offsetBytes: 0, lengthBytes: 1 },
        { blobId: 'f'.repeat(32), offsetBytes: 0, lengthBytes: 1 },
      ]);
      await rejectsWith(
        store.putObjectVersion({ version, newBlobs: [{ blobId: known, sizeBytes: 1 }], event: 'ObjectCreated:Put' }),
        'NoSuchKey',
      );
      assert.equal(await store.getObjectVersion('media', 'a'), undefined);
      assert.equal(await store.hasBlob(known), false, 'the new blob registration rolled back too');
      assert.equal(await store.latestEventSequence(), 0);
    });

    storeTest(open, 'a registered blob nobody references is garbage', async (store) => {
      await makeBucket(store, 'media');
      const stray = newBlobId();
      const used = newBlobId();
      await store.putObjectVersion({
        version: newVersion('media', 'a', [{ blobId: used, offsetBytes: 0, lengthBytes: 3 }]),
        newBlobs: [
          { blobId: used, sizeBytes: 3 },
          { blobId: stray, sizeBytes: 9 },
        ],
        event: 'ObjectCreated:Put',
      });
      assert.equal(await store.hasBlob(stray), true);
      assert.deepEqual([...(await takeAllGarbage(store))], [stray]);
    });

    storeTest(open, 'garbage waits out the grace period and is handed out once, oldest first', async (store) => {
      await makeBucket(store, 'media');
      const released: string[] = [];
      for (let i = 0; i < 6; i++) released.push((await putNew(store, 'media', `k${i}`)).blobId);
      // Release in an order unrelated to creation (and to the random blob ids).
      for (const i of [3, 0, 5, 1, 4, 2]) {
        await store.deleteObject({ bucket: 'media', key: `k${i}`, writer });
        await sleep(3);
      }
      const oldestFirst = [3, 0, 5, 1, 4, 2].map((i) => released[i]!);
      assert.deepEqual(await store.takeGarbage(10, 60_000), [], 'too young to collect');
      await sleep(60);
      assert.deepEqual(await store.takeGarbage(4, 50), oldestFirst.slice(0, 4));
      assert.deepEqual(await store.takeGarbage(10, 0), oldestFirst.slice(4));
      assert.deepEqual(await store.takeGarbage(10, 0), [], 'handed out once');
      assert.equal(await store.hasBlob(oldestFirst[0]!), true, 'known until forgotten');
      await store.forgetBlobs(oldestFirst.slice(0, 2));
      assert.equal(await store.hasBlob(oldestFirst[0]!), false);
      assert.equal(await store.hasBlob(oldestFirst[1]!), false);
      assert.equal(await store.hasBlob(oldestFirst[2]!), true);
      assert.equal(await store.hasBlob(newBlobId()), false);
    });

    storeTest(open, 'a blob being collected cannot be referenced again (copy racing a delete)', async (store) => {
      await makeBucket(store, 'media');
      const { version, blobId } = await putNew(store, 'media', 'a');
      await store.deleteObject({ bucket: 'media', key: 'a', writer });
      assert.deepEqual(await store.takeGarbage(10, 0), [blobId]);
      const before = await store.latestEventSequence();
      await rejectsWith(copyTo(store, version, 'media', 'copy'), 'NoSuchKey');
      assert.equal(await store.getObjectVersion('media', 'copy'), undefined);
      assert.equal(await store.latestEventSequence(), before);
      // A blob that regained a reference before collection is not garbage any more.
      const other = await putNew(store, 'media', 'b');
      await store.deleteObject({ bucket: 'media', key: 'b', writer });
      await copyTo(store, other.version, 'media', 'b-again');
      assert.deepEqual(await store.takeGarbage(10, 0), []);
    });
  });
}

export function conditionTests(open: OpenStore): void {
  describe('write conditions', () => {
    storeTest(open, 'If-None-Match: * fails while a current object exists', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const created = await putNew(store, 'media', 'a', { conditions: { ifNoneMatchAny: true } });
      const before = await store.latestEventSequence();
      const blobId = newBlobId();
      await rejectsWith(
        store.putObjectVersion({
          version: newVersion('media', 'a', [{ blobId, offsetBytes: 0, lengthBytes: 1 }]),
          newBlobs: [{ blobId, sizeBytes: 1 }],
          conditions: { ifNoneMatchAny: true },
          event: 'ObjectCreated:Put',
        }),
        'PreconditionFailed',
      );
      assert.equal(await store.hasBlob(blobId), false);
      assert.equal(await store.latestEventSequence(), before);
      assert.equal((await store.getObjectVersion('media', 'a'))?.versionId, created.version.versionId);
      // A delete marker counts as absent.
      await store.deleteObject({ bucket: 'media', key: 'a', writer });
      await putNew(store, 'media', 'a', { conditions: { ifNoneMatchAny: true } });
    });

    storeTest(open, 'If-Match needs a current object with that ETag', async (store) => {
      await makeBucket(store, 'media');
      await rejectsWith(putNew(store, 'media', 'a', { conditions: { ifMatchEtag: 'abc' } }), 'PreconditionFailed');
      const first = await putNew(store, 'media', 'a');
      await rejectsWith(putNew(store, 'media', 'a', { conditions: { ifMatchEtag: 'not-the-etag' } }), 'PreconditionFailed');
      const second = await putNew(store, 'media', 'a', { conditions: { ifMatchEtag: first.version.etag } });
      assert.equal((await store.getObjectVersion('media', 'a'))?.etag, second.version.etag);
      await rejectsWith(putNew(store, 'media', 'a', { conditions: { ifMatchEtag: first.version.etag } }), 'PreconditionFailed');
    });

    storeTest(open, 'conditions apply to deletes and completions, which then change nothing', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const current = await putNew(store, 'media', 'a');
      await rejectsWith(
        store.deleteObject({ bucket: 'media', key: 'a', writer, conditions: { ifMatchEtag: 'other' } }),
        'PreconditionFailed',
      );
      assert.equal((await store.getObjectVersion('media', 'a'))?.isDeleteMarker, false);
      const deleted = await store.deleteObject({ bucket: 'media', key: 'a', writer, conditions: { ifMatchEtag: current.version.etag } });
      assert.equal(deleted.deleteMarker, true);

      await putNew(store, 'media', 'big');
      await store.createUpload({
        uploadId: 'u1',
        bucket: 'media',
        key: 'big',
        initiatedMs: 1,
        headers: {},
        userMetadata: {},
        tags: [],
        storageClass: 'STANDARD',
        ownerAccountId: writer.accountId,
        initiator: writer,
      });
      const partBlob = newBlobId();
      await store.putPart(
        { uploadId: 'u1', partNumber: 1, sizeBytes: 2, etag: 'p1', lastModifiedMs: 1, extents: [{ blobId: partBlob, offsetBytes: 0, lengthBytes: 2 }] },
        [{ blobId: partBlob, sizeBytes: 2 }],
      );
      const before = await store.latestEventSequence();
      await rejectsWith(
        store.completeUpload({ uploadId: 'u1', version: newVersion('media', 'big', [], 2), partNumbers: [1], partsDigest: 'parts-1', conditions: { ifNoneMatchAny: true } }),
        'PreconditionFailed',
      );
      assert.equal((await store.listParts('u1', 0, 10)).parts.length, 1, 'the upload survives a failed completion');
      assert.equal(await store.latestEventSequence(), before);
      assert.equal((await takeAllGarbage(store)).size, 0);
    });
  });
}

export function eventTests(open: OpenStore): void {
  describe('event outbox', () => {
    storeTest(open, 'one event per mutation, in increasing sequence, none for failures or noops', async (store) => {
      assert.equal(await store.latestEventSequence(), 0);
      assert.deepEqual(await store.readEvents(0, 10), []);
      await makeBucket(store, 'media', 'Enabled');
      await store.updateBucket('media', { tags: [{ key: 'a', value: 'b' }] });
      assert.equal(await store.latestEventSequence(), 0, 'bucket changes are not object events');

      const put = await putNew(store, 'media', 'a', { sizeBytes: 12 });
      const copy = await copyTo(store, put.version, 'media', 'b');
      await rejectsWith(putNew(store, 'media', 'a', { conditions: { ifNoneMatchAny: true } }), 'PreconditionFailed');
      await store.putObjectTags('media', 'a', undefined, [{ key: 't', value: '1' }]);
      const marker = await store.deleteObject({ bucket: 'media', key: 'a', writer });
      await store.deleteObject({ bucket: 'media', key: 'a', versionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', writer });
      await store.deleteObject({ bucket: 'media', key: 'b', versionId: copy.versionId, writer });
      const post = await putNew(store, 'media', 'c', { event: 'ObjectCreated:Post' });

      const events = await store.readEvents(0, 100);
      assert.deepEqual(
        events.map((e) => [e.name, e.bucket, e.key, e.versionId]),
        [
          ['ObjectCreated:Put', 'media', 'a', put.version.versionId],
          ['ObjectCreated:Copy', 'media', 'b', copy.versionId],
          ['ObjectRemoved:DeleteMarkerCreated', 'media', 'a', marker.versionId],
          ['ObjectRemoved:Delete', 'media', 'b', copy.versionId],
          ['ObjectCreated:Post', 'media', 'c', post.version.versionId],
        ],
      );
      for (let i = 1; i < events.length; i++) assert(events[i]!.sequence > events[i - 1]!.sequence);
      assert.equal(events[0]!.sizeBytes, 12);
      assert.equal(events[0]!.etag, put.version.etag);
      assert.deepEqual(events[0]!.writer, writer);
      assert.equal(events[2]!.sizeBytes, 0);
      assert.equal(events[2]!.etag, '');
      assert(events.every((e) => Number.isFinite(e.timeMs) && e.timeMs > 0));
      assert.equal(await store.latestEventSequence(), events[4]!.sequence);

      // Paging by sequence, as a consumer with a cursor does.
      const firstTwo = await store.readEvents(0, 2);
      assert.deepEqual(firstTwo.map((e) => e.sequence), events.slice(0, 2).map((e) => e.sequence));
      const rest = await eventsSince(store, firstTwo[1]!.sequence);
      assert.deepEqual(rest.map((e) => e.sequence), events.slice(2).map((e) => e.sequence));
      assert.deepEqual(await store.readEvents(events[4]!.sequence, 10), []);
    });
  });
}
