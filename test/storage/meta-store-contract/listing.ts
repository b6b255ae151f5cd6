// MetaStore contract: ListObjects (prefix, delimiter, max-keys, markers, byte order) and ListObjectVersions.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { MetaStore } from '../../../src/storage/meta-store.js';
import type { ListVersionsQuery, ObjectVersion } from '../../../src/storage/types.js';
import { byteSorted, makeBucket, putNew, storeTest, writer, type OpenStore } from './fixtures.js';

/** What a correct listing returns, computed from the key set alone: 'K:key' or 'P:prefix' entries. */
function expectedEntries(keys: Iterable<string>, prefix: string, delimiter?: string): string[] {
  const entries: string[] = [];
  for (const key of byteSorted([...keys].filter((k) => k.startsWith(prefix)))) {
    const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
    const entry = at < 0 ? `K:${key}` : `P:${key.slice(0, at + delimiter!.length)}`;
    if (entries[entries.length - 1] !== entry) entries.push(entry);
  }
  return entries;
}

async function listPage(store: MetaStore, bucket: string, prefix: string, delimiter: string | undefined, maxKeys: number, after?: string) {
  const page = await store.listObjects(bucket, { prefix, delimiter, after, maxKeys });
  // Objects and prefixes interleave in key order; rebuild that order to compare with the oracle.
  const entries = [...page.objects.map((o) => `K:${o.key}`), ...page.commonPrefixes.map((p) => `P:${p}`)];
  const ordered = entries.sort((a, b) => Buffer.compare(Buffer.from(a.slice(2)), Buffer.from(b.slice(2))));
  return { page, entries: ordered };
}

/** Lists to the end in pages of `pageSize`, continuing after lastReturned like NextMarker. */
async function listAll(store: MetaStore, bucket: string, prefix: string, delimiter: string | undefined, pageSize: number) {
  const all: string[] = [];
  let after: string | undefined;
  for (let pages = 0; ; pages++) {
    assert(pages < 100_000, 'listing does not terminate');
    const { page, entries } = await listPage(store, bucket, prefix, delimiter, pageSize, after);
    assert(entries.length <= pageSize);
    all.push(...entries);
    if (!page.isTruncated) return all;
    assert.equal(entries.length, pageSize, 'a truncated page is full');
    assert.equal(page.lastReturned, entries[entries.length - 1]!.slice(2));
    after = page.lastReturned;
  }
}

async function putKeys(store: MetaStore, bucket: string, keys: Iterable<string>): Promise<void> {
  for (const key of keys) await putNew(store, bucket, key);
}

// Keys whose bytes sort around '/' (0x2F): '-' 0x2D, '.' 0x2E, '0' 0x30; and beyond ASCII, where
// UTF-16 order (U+E000, U+FFFD before surrogate pairs) differs from UTF-8 byte order.
const trickyKeys = ['a', 'a-b', 'a.b', 'a/', 'a/b', 'a/c/d', 'a/c/e', 'a0', 'a0/x', 'b', 'Z', 'é/1', 'é', '\uE000', '\uFFFD', '😀', '😀/x'];

function versionsOf(versions: ObjectVersion[]): string[] {
  return versions.map((v) => `${v.key}#${v.versionId}`);
}

export function listingTests(open: OpenStore): void {
  describe('listObjects', () => {
    storeTest(open, 'keys come back in UTF-8 byte order', async (store) => {
      await makeBucket(store, 'media');
      await putKeys(store, 'media', trickyKeys);
      const page = await store.listObjects('media', { prefix: '', maxKeys: 1000 });
      assert.deepEqual(page.objects.map((o) => o.key), byteSorted(trickyKeys));
      assert.deepEqual(page.commonPrefixes, []);
      assert.equal(page.isTruncated, false);
      const keys = page.objects.map((o) => o.key);
      assert(keys.indexOf('\uFFFD') < keys.indexOf('😀'), 'U+FFFD sorts before U+1F600 in bytes');
      assert(keys.indexOf('a.b') < keys.indexOf('a/') && keys.indexOf('a/c/e') < keys.indexOf('a0'));
    });

    storeTest(open, 'prefix and delimiter roll keys up into common prefixes', async (store) => {
      await makeBucket(store, 'media');
      await putKeys(store, 'media', trickyKeys);
      const cases: [string, string | undefined][] = [
        ['', '/'],
        ['a', '/'],
        ['a/', '/'],
        ['a/c', '/'],
        ['a/c/', '/'],
        ['é', '/'],
        ['😀', '/'],
        ['a', '.'],
        ['', 'a'],
        ['a', undefined],
        ['nothing', '/'],
      ];
      for (const [prefix, delimiter] of cases) {
        const { page, entries } = await listPage(store, 'media', prefix, delimiter, 1000);
        assert.deepEqual(entries, expectedEntries(trickyKeys, prefix, delimiter), `prefix ${prefix} delimiter ${delimiter}`);
        assert.equal(page.isTruncated, false);
      }
      const top = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 1000 });
      assert.deepEqual(top.commonPrefixes, ['a/', 'a0/', 'é/', '😀/']);
      assert.deepEqual(top.objects.map((o) => o.key), byteSorted(['a', 'a-b', 'a.b', 'a0', 'b', 'Z', 'é', '\uE000', '\uFFFD', '😀']));
      const nested = await store.listObjects('media', { prefix: 'a/', delimiter: '/', maxKeys: 1000 });
      assert.deepEqual(nested.objects.map((o) => o.key), ['a/', 'a/b']);
      assert.deepEqual(nested.commonPrefixes, ['a/c/']);
    });

    storeTest(open, 'a multi-character delimiter groups like a single one', async (store) => {
      await makeBucket(store, 'media');
      const keys = ['x--1', 'x--2--a', 'x-y', 'x---z', 'y'];
      await putKeys(store, 'media', keys);
      const { entries } = await listPage(store, 'media', '', '--', 1000);
      assert.deepEqual(entries, expectedEntries(keys, '', '--'));
      assert.deepEqual(entries, ['P:x--', 'K:x-y', 'K:y']);
    });

    storeTest(open, 'max-keys counts keys and common prefixes together', async (store) => {
      await makeBucket(store, 'media');
      await putKeys(store, 'media', ['a/1', 'a/2', 'b', 'c/1', 'd']);
      const first = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 2 });
      assert.deepEqual(first.commonPrefixes, ['a/']);
      assert.deepEqual(first.objects.map((o) => o.key), ['b']);
      assert.equal(first.isTruncated, true);
      assert.equal(first.lastReturned, 'b');
      const second = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 2, after: 'b' });
      assert.deepEqual(second.commonPrefixes, ['c/']);
      assert.deepEqual(second.objects.map((o) => o.key), ['d']);
      assert.equal(second.isTruncated, false, 'nothing after the last entry');
      const exact = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 4 });
      assert.equal(exact.isTruncated, false);
      assert.equal(exact.lastReturned, 'd');
      const one = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 1 });
      assert.deepEqual(one.commonPrefixes, ['a/']);
      assert.equal(one.lastReturned, 'a/');
      assert.equal(one.isTruncated, true);
      const none = await store.listObjects('media', { prefix: '', maxKeys: 0 });
      assert.deepEqual([none.objects, none.commonPrefixes, none.isTruncated], [[], [], false]);
    });

    storeTest(open, '`after` is exclusive and never re-enters a returned common prefix', async (store) => {
      await makeBucket(store, 'media');
      await putKeys(store, 'media', ['a/1', 'a/2', 'b', 'c']);
      const afterB = await store.listObjects('media', { prefix: '', maxKeys: 10, after: 'b' });
      assert.deepEqual(afterB.objects.map((o) => o.key), ['c']);
      const afterPrefix = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 10, after: 'a/' });
      assert.deepEqual(afterPrefix.commonPrefixes, []);
      assert.deepEqual(afterPrefix.objects.map((o) => o.key), ['b', 'c']);
      const insideGroup = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 10, after: 'a/1' });
      assert.deepEqual(insideGroup.commonPrefixes, []);
      assert.deepEqual(insideGroup.objects.map((o) => o.key), ['b', 'c']);
      const noDelimiter = await store.listObjects('media', { prefix: '', maxKeys: 10, after: 'a/1' });
      assert.deepEqual(noDelimiter.objects.map((o) => o.key), ['a/2', 'b', 'c']);
      const beforePrefix = await store.listObjects('media', { prefix: 'b', maxKeys: 10, after: 'a' });
      assert.deepEqual(beforePrefix.objects.map((o) => o.key), ['b']);
      const pastEnd = await store.listObjects('media', { prefix: '', maxKeys: 10, after: 'c' });
      assert.deepEqual([pastEnd.objects, pastEnd.isTruncated], [[], false]);
    });

    storeTest(open, 'only current objects are listed: no delete markers, no noncurrent versions', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const a1 = await putNew(store, 'media', 'a');
      const a2 = await putNew(store, 'media', 'a');
      await putNew(store, 'media', 'b');
      await store.deleteObject({ bucket: 'media', key: 'b', writer });
      await putNew(store, 'media', 'c/1');
      await store.deleteObject({ bucket: 'media', key: 'c/1', writer });
      const page = await store.listObjects('media', { prefix: '', delimiter: '/', maxKeys: 10 });
      assert.deepEqual(page.objects.map((o) => [o.key, o.versionId]), [['a', a2.version.versionId]]);
      assert.deepEqual(page.commonPrefixes, [], 'a prefix holding only delete markers is not listed');
      assert.notEqual(a1.version.versionId, a2.version.versionId);
    });

    storeTest(open, 'paging through a few thousand keys yields each entry once, in order', async (store) => {
      await makeBucket(store, 'media');
      const keys = new Set<string>();
      const tops = ['a', 'a-b', 'a.b', 'a0', 'b', 'é', '😀', '\uFFFD'];
      for (let i = 0; i < 2400; i++) {
        const top = tops[i % tops.length]!;
        const shape = Math.floor(i / tops.length) % 4;
        keys.add(shape === 0 ? `${top}${i}` : shape === 1 ? `${top}/${i}` : shape === 2 ? `${top}/d${i % 7}/${i}` : `${top}/d${i % 7}/e/${i}`);
      }
      await putKeys(store, 'media', keys);
      for (const [prefix, delimiter, pageSize] of [
        ['', undefined, 997],
        ['', undefined, 7],
        ['', '/', 3],
        ['a/', '/', 5],
        ['a/d1/', '/', 11],
        ['é/', undefined, 50],
        ['', 'd', 13],
      ] as const) {
        const all = await listAll(store, 'media', prefix, delimiter, pageSize);
        const expected = expectedEntries(keys, prefix, delimiter);
        assert(expected.length > 0);
        assert.equal(new Set(all).size, all.length, `no duplicates for ${prefix}|${delimiter}|${pageSize}`);
        assert.deepEqual(all, expected, `prefix ${prefix} delimiter ${delimiter} page ${pageSize}`);
      }
    });
  });

  describe('listObjectVersions', () => {
    storeTest(open, 'versions come by key, newest first, with markers and latest flags', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const b1 = await putNew(store, 'media', 'b');
      const a1 = await putNew(store, 'media', 'a');
      const b2 = await putNew(store, 'media', 'b');
      const marker = await store.deleteObject({ bucket: 'media', key: 'a', writer });
      const a2 = await putNew(store, 'media', 'a');
      const page = await store.listObjectVersions('media', { prefix: '', maxKeys: 100 });
      assert.deepEqual(versionsOf(page.versions), [
        `a#${a2.version.versionId}`,
        `a#${marker.versionId}`,
        `a#${a1.version.versionId}`,
        `b#${b2.version.versionId}`,
        `b#${b1.version.versionId}`,
      ]);
      assert.deepEqual(page.versions.map((v) => [v.isLatest, v.isDeleteMarker]), [
        [true, false],
        [false, true],
        [false, false],
        [true, false],
        [false, false],
      ]);
      assert.equal(page.isTruncated, false);
      assert.equal(page.nextKeyMarker, undefined);
      assert.equal(page.nextVersionIdMarker, undefined);
    });

    storeTest(open, 'key and version-id markers page through every version exactly once', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      const expected: string[] = [];
      for (const key of ['k1', 'k2/x', 'k3']) {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await putNew(store, 'media', key)).version.versionId);
        expected.push(...ids.reverse().map((id) => `${key}#${id}`));
      }
      for (const pageSize of [1, 2, 4, 5, 7, 15, 16]) {
        const seen: string[] = [];
        let query: ListVersionsQuery = { prefix: '', maxKeys: pageSize };
        for (let pages = 0; pages < 100; pages++) {
          const page = await store.listObjectVersions('media', query);
          seen.push(...versionsOf(page.versions));
          if (!page.isTruncated) break;
          assert.equal(page.versions.length, pageSize);
          const last = page.versions[page.versions.length - 1]!;
          assert.equal(page.nextKeyMarker, last.key);
          assert.equal(page.nextVersionIdMarker, last.versionId);
          query = { prefix: '', maxKeys: pageSize, keyMarker: page.nextKeyMarker, versionIdMarker: page.nextVersionIdMarker };
        }
        assert.deepEqual(seen, expected, `page size ${pageSize}`);
      }
      const afterKey = await store.listObjectVersions('media', { prefix: '', maxKeys: 100, keyMarker: 'k2/x' });
      assert.deepEqual(versionsOf(afterKey.versions), expected.slice(10), 'a key marker alone starts after that key');
    });

    storeTest(open, "a 'null' version-id marker continues after the null version", async (store) => {
      await makeBucket(store, 'media');
      const n0 = await putNew(store, 'media', 'a');
      await store.updateBucket('media', { versioning: 'Enabled' });
      const v1 = await putNew(store, 'media', 'a');
      await store.updateBucket('media', { versioning: 'Suspended' });
      await store.deleteObject({ bucket: 'media', key: 'a', versionId: 'null', writer });
      const n1 = await putNew(store, 'media', 'a');
      const v = await putNew(store, 'media', 'b');
      const all = await store.listObjectVersions('media', { prefix: '', maxKeys: 100 });
      assert.deepEqual(versionsOf(all.versions), ['a#null', `a#${v1.version.versionId}`, 'b#null']);
      const after = await store.listObjectVersions('media', { prefix: '', maxKeys: 100, keyMarker: 'a', versionIdMarker: 'null' });
      assert.deepEqual(versionsOf(after.versions), [`a#${v1.version.versionId}`, 'b#null']);
      assert.notEqual(n0.blobId, n1.blobId);
      assert.equal(v.version.versionId, 'null');
    });

    storeTest(open, 'versions roll up into common prefixes, counted by max-keys', async (store) => {
      await makeBucket(store, 'media', 'Enabled');
      for (const key of ['a/1', 'a/1', 'a/2', 'b', 'b', 'c/x/y']) await putNew(store, 'media', key);
      const all = await store.listObjectVersions('media', { prefix: '', delimiter: '/', maxKeys: 100 });
      assert.deepEqual(all.commonPrefixes, ['a/', 'c/']);
      assert.deepEqual(all.versions.map((v) => v.key), ['b', 'b']);
      const first = await store.listObjectVersions('media', { prefix: '', delimiter: '/', maxKeys: 2 });
      assert.deepEqual(first.commonPrefixes, ['a/']);
      assert.equal(first.versions.length, 1);
      assert.equal(first.isTruncated, true);
      const second = await store.listObjectVersions('media', {
        prefix: '',
        delimiter: '/',
        maxKeys: 2,
        keyMarker: first.nextKeyMarker,
        versionIdMarker: first.nextVersionIdMarker,
      });
      assert.deepEqual(second.versions.map((v) => v.key), ['b']);
      assert.deepEqual(second.commonPrefixes, ['c/']);
      assert.equal(second.isTruncated, false);
      const nested = await store.listObjectVersions('media', { prefix: 'a/', delimiter: '/', maxKeys: 100 });
      assert.deepEqual(nested.versions.map((v) => v.key), ['a/1', 'a/1', 'a/2']);
      const afterPrefix = await store.listObjectVersions('media', { prefix: '', delimiter: '/', maxKeys: 100, keyMarker: 'a/' });
      assert.deepEqual(afterPrefix.commonPrefixes, ['c/']);
    });
  });
}
