// MetaStore contract: multipart uploads, parts, completion, abort and ListMultipartUploads.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newBlobId } from '../../../src/core/ids.js';
import { limits } from '../../../src/core/limits.js';
import type { MetaStore } from '../../../src/storage/meta-store.js';
import type { ListUploadsQuery, MultipartUpload, UploadPart } from '../../../src/storage/types.js';
import {
  accountA,
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

function upload(uploadId: string, bucket: string, key: string, initiatedMs = 1_700_000_000_000): MultipartUpload {
  return {
    uploadId,
    bucket,
    key,
    initiatedMs,
    headers: { contentType: 'video/mp4' },
    userMetadata: { origin: 'vendor' },
    tags: [{ key: 'k', value: 'v' }],
    storageClass: 'STANDARD',
    checksumAlgorithm: 'CRC32',
    checksumType: 'COMPOSITE',
    ownerAccountId: accountA,
    initiator: writer,
  };
}

/** Uploads a part backed by a fresh blob; returns the part and its blob id. */
async function putFreshPart(store: MetaStore, uploadId: string, partNumber: number, sizeBytes: number) {
  const blobId = newBlobId();
  const part: UploadPart = {
    uploadId,
    partNumber,
    sizeBytes,
    etag: `etag-${partNumber}-${blobId.slice(0, 6)}`,
    lastModifiedMs: 1_700_000_000_000 + partNumber,
    checksum: `crc-${partNumber}`,
    extents: [{ blobId, offsetBytes: 0, lengthBytes: sizeBytes }],
  };
  await store.putPart(part, [{ blobId, sizeBytes }]);
  return { part, blobId };
}

export function uploadTests(open: OpenStore): void {
  describe('multipart uploads', () => {
    storeTest(open, 'an upload round-trips and is found only under its bucket and key', async (store) => {
      await makeBucket(store, 'media');
      const record = upload('u1', 'media', 'big.mov');
      await store.createUpload(record);
      assert.deepEqual(await store.getUpload('media', 'big.mov', 'u1'), record);
      assert.equal(await store.getUpload('media', 'other.mov', 'u1'), undefined);
      assert.equal(await store.getUpload('media', 'big.mov', 'u2'), undefined);
      const noParts = await store.listParts('u1', 0, 1000);
      assert.deepEqual([noParts.parts, noParts.isTruncated], [[], false]);
    });

    storeTest(open, 'parts are stored, replaced (releasing the old blob) and listed in pages', async (store) => {
      await makeBucket(store, 'media');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      const parts = [];
      for (const n of [3, 1, 2, 10]) parts.push(await putFreshPart(store, 'u1', n, 100 + n));
      const replaced = parts[1]!;
      const replacement = await putFreshPart(store, 'u1', 1, 555);
      assert.deepEqual(await store.getParts('u1', [1]), [replacement.part]);
      assert.deepEqual([...(await takeAllGarbage(store))], [replaced.blobId]);

      const first = await store.listParts('u1', 0, 2);
      assert.deepEqual(first.parts.map((p) => p.partNumber), [1, 2]);
      assert.equal(first.isTruncated, true);
      assert.equal(first.nextPartNumberMarker, 2);
      const rest = await store.listParts('u1', 2, 2);
      assert.deepEqual(rest.parts.map((p) => p.partNumber), [3, 10]);
      assert.equal(rest.isTruncated, false);
      assert.deepEqual((await store.listParts('u1', 10, 5)).parts, []);
      assert.deepEqual(rest.parts[1], parts[3]!.part);

      const some = await store.getParts('u1', [2, 4, 10]);
      assert.deepEqual(some.map((p) => p.partNumber), [2, 10]);
      await rejectsWith(putFreshPart(store, 'nope', 1, 5), 'NoSuchUpload');
      await rejectsWith(store.listParts('nope', 0, 10), 'NoSuchUpload');
    });

    storeTest(open, 'completing moves the chosen parts, in order, and releases the rest', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      const p1 = await putFreshPart(store, 'u1', 1, 5);
      const p2 = await putFreshPart(store, 'u1', 2, 7);
      const p3 = await putFreshPart(store, 'u1', 3, 3);
      const before = await store.latestEventSequence();
      const version = newVersion('media', 'big.mov', [], 8);
      version.method = 'CompleteMultipartUpload';
      version.etag = 'abcdef-2';
      const stored = await store.completeUpload({ uploadId: 'u1', version, partNumbers: [1, 3], partsDigest: 'parts-1-3' });
      assert.deepEqual(stored.extents, [...p1.part.extents, ...p3.part.extents]);
      assert.deepEqual(stored.partSizes, [5, 3]);
      assert.equal(stored.sizeBytes, 8);
      assert.equal(stored.etag, 'abcdef-2');
      assert.equal(stored.isLatest, true);
      assert.deepEqual((await store.getObjectVersion('media', 'big.mov'))?.extents, stored.extents);
      assert.equal(await store.getUpload('media', 'big.mov', 'u1'), undefined);
      await rejectsWith(store.listParts('u1', 0, 10), 'NoSuchUpload');
      assert.deepEqual([...(await takeAllGarbage(store))], [p2.blobId]);
      const events = await eventsSince(store, before);
      assert.deepEqual(events.map((e) => [e.name, e.key, e.versionId, e.sizeBytes, e.etag]), [
        ['ObjectCreated:CompleteMultipartUpload', 'big.mov', stored.versionId, 8, 'abcdef-2'],
      ]);
      // The parts' references now belong to the version: deleting it frees them.
      await store.deleteObject({ bucket: 'media', key: 'big.mov', versionId: stored.versionId, writer });
      assert.deepEqual(new Set(await takeAllGarbage(store)), new Set([p1.blobId, p3.blobId]));
      await rejectsWith(store.completeUpload({ uploadId: 'u1', version, partNumbers: [1], partsDigest: 'parts-1' }), 'NoSuchUpload');
    });

    storeTest(open, 'completing with a part that does not exist fails and keeps the upload', async (store) => {
      await makeBucket(store, 'media');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      await putFreshPart(store, 'u1', 1, 5);
      const before = await store.latestEventSequence();
      await assert.rejects(store.completeUpload({ uploadId: 'u1', version: newVersion('media', 'big.mov', [], 10), partNumbers: [1, 2], partsDigest: 'parts-1-2' }));
      assert.equal(await store.getObjectVersion('media', 'big.mov'), undefined);
      assert.equal((await store.listParts('u1', 0, 10)).parts.length, 1);
      assert.equal(await store.latestEventSequence(), before);
    });

    storeTest(open, 'completing replaces the null version like any write', async (store) => {
      await makeBucket(store, 'plain');
      const old = await putNew(store, 'plain', 'big.mov');
      await store.createUpload(upload('u1', 'plain', 'big.mov'));
      await putFreshPart(store, 'u1', 1, 4);
      const stored = await store.completeUpload({ uploadId: 'u1', version: newVersion('plain', 'big.mov', [], 4), partNumbers: [1], partsDigest: 'parts-1' });
      assert.equal(stored.versionId, 'null');
      assert.deepEqual([...(await takeAllGarbage(store))], [old.blobId]);
      await rejectsWith(
        store.completeUpload({ uploadId: 'u1', version: newVersion('plain', 'other', [], 4), partNumbers: [1], partsDigest: 'parts-1' }),
        'NoSuchUpload',
      );
    });

    storeTest(open, 'a completion is remembered with its answer, under its own bucket and key', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      await makeBucket(store, 'plain');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      await putFreshPart(store, 'u1', 1, 5);
      const version = newVersion('media', 'big.mov', [], 5);
      version.etag = 'abcdef-1';
      version.lastModifiedMs = 1_700_000_100_000;
      version.checksum = { algorithm: 'CRC32', value: 'AAAAAA==-1', type: 'COMPOSITE' };
      const stored = await store.completeUpload({ uploadId: 'u1', version, partNumbers: [1], partsDigest: 'digest-1' });
      assert.deepEqual(plain(await store.getCompletedUpload('media', 'big.mov', 'u1')), {
        uploadId: 'u1', bucket: 'media', key: 'big.mov', completedMs: 1_700_000_100_000, versionId: stored.versionId,
        versionIdReported: true, etag: 'abcdef-1', checksum: { algorithm: 'CRC32', value: 'AAAAAA==-1', type: 'COMPOSITE' }, partsDigest: 'digest-1',
      });
      assert.equal(await store.getCompletedUpload('media', 'other.mov', 'u1'), undefined);
      assert.equal(await store.getCompletedUpload('plain', 'big.mov', 'u1'), undefined);
      assert.equal(await store.getCompletedUpload('media', 'big.mov', 'u2'), undefined);

      // An unversioned bucket's completion writes the null version, which the answer does not name.
      await store.createUpload(upload('u2', 'plain', 'small'));
      await putFreshPart(store, 'u2', 1, 3);
      await store.completeUpload({ uploadId: 'u2', version: newVersion('plain', 'small', [], 3), partNumbers: [1], partsDigest: 'digest-2' });
      const unversioned = await store.getCompletedUpload('plain', 'small', 'u2');
      assert.deepEqual([unversioned?.versionId, unversioned?.versionIdReported, unversioned?.checksum], ['null', false, undefined]);

      // A refused completion (a missing part) remembers nothing.
      await store.createUpload(upload('u3', 'plain', 'refused'));
      await assert.rejects(store.completeUpload({ uploadId: 'u3', version: newVersion('plain', 'refused', [], 3), partNumbers: [1], partsDigest: 'digest-3' }));
      assert.equal(await store.getCompletedUpload('plain', 'refused', 'u3'), undefined);
    });

    storeTest(open, 'completions older than the retention are forgotten when later uploads complete', async (store) => {
      await makeBucket(store, 'media');
      const completeAt = async (uploadId: string, atMs: number): Promise<void> => {
        await store.createUpload(upload(uploadId, 'media', uploadId));
        await putFreshPart(store, uploadId, 1, 1);
        const version = newVersion('media', uploadId, [], 1);
        version.lastModifiedMs = atMs;
        await store.completeUpload({ uploadId, version, partNumbers: [1], partsDigest: uploadId });
      };
      const t0 = 1_700_000_000_000;
      await completeAt('old', t0);
      await completeAt('edge', t0 + 1);
      assert.ok(await store.getCompletedUpload('media', 'old', 'old'), 'kept until a later completion prunes');
      await completeAt('new', t0 + 1 + limits.completedUploadRetentionMs);
      assert.equal(await store.getCompletedUpload('media', 'old', 'old'), undefined, 'older than the retention');
      assert.ok(await store.getCompletedUpload('media', 'edge', 'edge'), 'exactly the retention old is kept');
      assert.ok(await store.getCompletedUpload('media', 'new', 'new'));
    });

    storeTest(open, 'deleting a bucket forgets its completions', async (store) => {
      await makeBucket(store, 'media');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      await putFreshPart(store, 'u1', 1, 2);
      await store.completeUpload({ uploadId: 'u1', version: newVersion('media', 'big.mov', [], 2), partNumbers: [1], partsDigest: 'digest-1' });
      await store.deleteObject({ bucket: 'media', key: 'big.mov', writer });
      await store.deleteBucket('media');
      await makeBucket(store, 'media');
      assert.equal(await store.getCompletedUpload('media', 'big.mov', 'u1'), undefined);
    });

    storeTest(open, 'aborting releases every part and forgets the upload', async (store) => {
      await makeBucket(store, 'media');
      await store.createUpload(upload('u1', 'media', 'big.mov'));
      const p1 = await putFreshPart(store, 'u1', 1, 5);
      const p2 = await putFreshPart(store, 'u1', 2, 5);
      await rejectsWith(store.abortUpload('media', 'other', 'u1'), 'NoSuchUpload');
      const before = await store.latestEventSequence();
      await store.abortUpload('media', 'big.mov', 'u1');
      assert.equal(await store.getUpload('media', 'big.mov', 'u1'), undefined);
      assert.deepEqual(new Set(await takeAllGarbage(store)), new Set([p1.blobId, p2.blobId]));
      await rejectsWith(store.abortUpload('media', 'big.mov', 'u1'), 'NoSuchUpload');
      assert.equal(await store.latestEventSequence(), before, 'aborts write no event');
    });

    storeTest(open, 'uploads list by key then initiation, with markers and common prefixes', async (store) => {
      await makeBucket(store, 'media');
      const created: [string, string][] = [
        ['b', 'ub1'],
        ['a/x', 'ua1'],
        ['b', 'ub2'],
        ['c', 'uc1'],
        ['b', 'ub0'],
        ['a/y', 'ua2'],
      ];
      for (const [key, id] of created) await store.createUpload(upload(id, 'media', key));
      const expected = ['a/x:ua1', 'a/y:ua2', 'b:ub1', 'b:ub2', 'b:ub0', 'c:uc1'];
      const all = await store.listUploads('media', { prefix: '', maxUploads: 100 });
      assert.deepEqual(all.uploads.map((u) => `${u.key}:${u.uploadId}`), expected);
      assert.equal(all.isTruncated, false);

      for (const pageSize of [1, 2, 4]) {
        const seen: string[] = [];
        let query: ListUploadsQuery = { prefix: '', maxUploads: pageSize };
        for (let pages = 0; pages < 20; pages++) {
          const page = await store.listUploads('media', query);
          seen.push(...page.uploads.map((u) => `${u.key}:${u.uploadId}`));
          if (!page.isTruncated) break;
          const last = page.uploads[page.uploads.length - 1]!;
          assert.equal(page.nextKeyMarker, last.key);
          assert.equal(page.nextUploadIdMarker, last.uploadId);
          query = { prefix: '', maxUploads: pageSize, keyMarker: page.nextKeyMarker, uploadIdMarker: page.nextUploadIdMarker };
        }
        assert.deepEqual(seen, expected, `page size ${pageSize}`);
      }

      const afterKey = await store.listUploads('media', { prefix: '', maxUploads: 100, keyMarker: 'b' });
      assert.deepEqual(afterKey.uploads.map((u) => u.uploadId), ['uc1']);
      const grouped = await store.listUploads('media', { prefix: '', delimiter: '/', maxUploads: 2 });
      assert.deepEqual(grouped.commonPrefixes, ['a/']);
      assert.deepEqual(grouped.uploads.map((u) => u.uploadId), ['ub1']);
      assert.equal(grouped.isTruncated, true);
      const prefixed = await store.listUploads('media', { prefix: 'a/', maxUploads: 100 });
      assert.deepEqual(prefixed.uploads.map((u) => u.uploadId), ['ua1', 'ua2']);
      assert.deepEqual((await store.listUploads('media', { prefix: '', maxUploads: 0 })).uploads, []);
    });
  });
}
