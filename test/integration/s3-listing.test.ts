// Listing through the AWS SDK v3, asserting AWS's answers: ListObjectsV2 and ListObjects (prefix, delimiter,
// CommonPrefixes, max-keys, KeyCount, continuation tokens, start-after, markers, fetch-owner, encoding-type=url),
// ListObjectVersions (order, IsLatest, delete markers, markers) and ListMultipartUploads.
// AWS answers quoted here come from the API reference and from localstack's AWS-validated snapshots
// (tests/aws/services/s3/test_s3_list_operations.snapshot.json, recorded against real S3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, ListMultipartUploadsCommand,
  ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand,
  type ListObjectsCommandOutput, type ListObjectsV2CommandOutput, type ListObjectVersionsCommandOutput, type S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { startTmpfsServer } from '../helpers/tmpfs-server.js';
import { serverWithRawClient, stopServerWithRawClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { type RawS3, xmlAll, xmlOne } from '../helpers/raw-s3.js';

/** S3 orders keys by their UTF-8 bytes. */
const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** What a delimiter listing must return, computed by a plain scan: keys and common prefixes in one sorted list. */
function expectedEntries(keys: string[], prefix: string, delimiter?: string, after?: string): string[] {
  const entries = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    entries.add(at < 0 ? key : key.slice(0, at + delimiter!.length));
  }
  return [...entries].sort(byUtf8).filter((e) => after === undefined || byUtf8(e, after) > 0);
}

/** One page's keys and prefixes merged back into listing order. */
function pageEntries(page: { Contents?: { Key?: string }[]; CommonPrefixes?: { Prefix?: string }[] }): string[] {
  return [...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!)].sort(byUtf8);
}

/** botocore's decoding of encoding-type=url fields: urllib.parse.unquote_plus. */
const unquotePlus = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

describe('S3 listing', () => {
  let server: TestServer;
  let s3: S3Client;
  let raw: RawS3;

  before(async () => ({ server, s3, raw } = await serverWithRawClient(startTmpfsServer)));
  after(() => stopServerWithRawClient({ server, s3, raw }));

  async function putAll(bucket: string, keys: string[]): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  }

  describe('prefix, delimiter and key order', () => {
    // Keys that sort around '/' (0x2F): '-' 0x2D, '.' 0x2E, '0' 0x30, '~' 0x7E, then multi-byte UTF-8.
    // U+FF5E sorts before U+1F600 by UTF-8 bytes but after it by UTF-16 units: only a byte order gets both right.
    const keys = ['a', 'a-', 'a-b', 'a.', 'a.b', 'a/', 'a/b', 'a/c/d', 'a/c/e', 'a0', 'a~', 'aé', 'a\uFF5E', 'a\u{1F600}', 'b/x', 'z', 'é/1'];
    before(async () => putAll('order', keys));

    test('keys come back in UTF-8 byte order', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'order' }));
      assert.deepEqual(out.Contents?.map((c) => c.Key), [...keys].sort(byUtf8));
      assert.deepEqual(out.Contents?.map((c) => c.Key), keys, 'the fixture is already in byte order');
      assert.equal(out.KeyCount, keys.length);
      assert.equal(out.IsTruncated, false);
      assert.equal(out.NextContinuationToken, undefined);
    });

    test('delimiter "/" rolls keys up into CommonPrefixes; KeyCount counts both', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'order', Delimiter: '/' }));
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/', 'é/']);
      assert.deepEqual(out.Contents?.map((c) => c.Key), ['a', 'a-', 'a-b', 'a.', 'a.b', 'a0', 'a~', 'aé', 'a\uFF5E', 'a\u{1F600}', 'z']);
      assert.equal(out.KeyCount, 14);
      assert.equal(out.Delimiter, '/');
    });

    test('max-keys 1 pages through keys and prefixes interleaved in byte order', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: 'order', Delimiter: '/', Prefix: 'a', MaxKeys: 1, ContinuationToken: token }));
        assert.equal(page.KeyCount, 1);
        seen.push(...pageEntries(page));
        token = page.NextContinuationToken;
        assert.equal(page.IsTruncated, token !== undefined);
      } while (token);
      assert.deepEqual(seen, ['a', 'a-', 'a-b', 'a.', 'a.b', 'a/', 'a0', 'a~', 'aé', 'a\uFF5E', 'a\u{1F600}']);
    });

    test('nested prefix with delimiter', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'order', Prefix: 'a/', Delimiter: '/' }));
      assert.deepEqual(out.Contents?.map((c) => c.Key), ['a/', 'a/b']);
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['a/c/']);
      const deeper = await s3.send(new ListObjectsV2Command({ Bucket: 'order', Prefix: 'a/c/', Delimiter: '/' }));
      assert.deepEqual(deeper.Contents?.map((c) => c.Key), ['a/c/d', 'a/c/e']);
      assert.equal(deeper.CommonPrefixes, undefined);
      assert.equal(deeper.Prefix, 'a/c/');
    });

    test('a prefix matching nothing lists nothing, not truncated', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'order', Prefix: 'nothing/', Delimiter: '/' }));
      assert.equal(out.KeyCount, 0);
      assert.equal(out.Contents, undefined);
      assert.equal(out.IsTruncated, false);
    });

    test('an empty delimiter is no delimiter and is not echoed', async () => {
      const { output, raw: response } = await raw.send<ListObjectsV2CommandOutput>(new ListObjectsV2Command({ Bucket: 'order', Delimiter: '' }));
      assert.equal(output!.KeyCount, keys.length);
      assert.equal(xmlOne(response.body, 'Delimiter'), undefined);
    });
  });

  describe('delimiters other than "/"', () => {
    const keys = ['photo.jpg', 'photo.png', 'readme', 'x--w', 'x--y--z', 'x--y--zz', 'xy', 'logs|2024|a', 'logs|2025|b'];
    before(async () => putAll('delims', keys));

    test('a multi-character delimiter', async () => {
      const top = await s3.send(new ListObjectsV2Command({ Bucket: 'delims', Prefix: 'x', Delimiter: '--' }));
      assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['x--']);
      assert.deepEqual(top.Contents?.map((c) => c.Key), ['xy']);
      const nested = await s3.send(new ListObjectsV2Command({ Bucket: 'delims', Prefix: 'x--', Delimiter: '--' }));
      assert.deepEqual(nested.CommonPrefixes?.map((p) => p.Prefix), ['x--y--']);
      assert.deepEqual(nested.Contents?.map((c) => c.Key), ['x--w']);
    });

    test('"." and "|" as delimiters', async () => {
      const dot = await s3.send(new ListObjectsV2Command({ Bucket: 'delims', Delimiter: '.' }));
      assert.deepEqual(dot.CommonPrefixes?.map((p) => p.Prefix), ['photo.']);
      assert.deepEqual(dot.Contents?.map((c) => c.Key), ['logs|2024|a', 'logs|2025|b', 'readme', 'x--w', 'x--y--z', 'x--y--zz', 'xy']);
      const pipe = await s3.send(new ListObjectsV2Command({ Bucket: 'delims', Prefix: 'logs|', Delimiter: '|' }));
      assert.deepEqual(pipe.CommonPrefixes?.map((p) => p.Prefix), ['logs|2024|', 'logs|2025|']);
    });

    test('a delimiter that occurs nowhere returns every key', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'delims', Delimiter: '#' }));
      assert.deepEqual(out.Contents?.map((c) => c.Key), [...keys].sort(byUtf8));
      assert.equal(out.CommonPrefixes, undefined);
    });

    test('v1 with a delimiter agrees', async () => {
      const out = await s3.send(new ListObjectsCommand({ Bucket: 'delims', Prefix: 'x--', Delimiter: '--' }));
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['x--y--']);
      assert.deepEqual(out.Contents?.map((c) => c.Key), ['x--w']);
    });
  });

  describe('thousands of keys', () => {
    const bucket = 'big';
    const keys: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = String(i).padStart(4, '0');
      switch (i % 6) {
        case 0: keys.push(`flat-${n}`); break;
        case 1: keys.push(`dir${i % 13}/sub${i % 5}/file-${n}`); break;
        case 2: keys.push(`dir${i % 13}/top-${n}`); break;
        case 3: keys.push(`a${['-', '.', '/', '0', '~'][i % 5]}${n}`); break;
        case 4: keys.push(`ü/${n}`); break;
        default: keys.push(`\u{1F600}${n} space`); break;
      }
    }
    const sorted = [...keys].sort(byUtf8);

    before(async () => {
      // Seeded through the server's own MetaStore: 3000 PutObjects over HTTP take ~10 s on a shared
      // 2-core machine, and what is under test here is the listing, which goes through the SDK.
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const meta = server.server.services.meta;
      const owner = (await meta.getBucket(bucket))!.accountId;
      for (const key of keys) {
        await meta.putObjectVersion({
          version: {
            bucket, key, sizeBytes: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e', lastModifiedMs: Date.now(), headers: {},
            userMetadata: {}, tags: [], extents: [], storageClass: 'STANDARD', ownerAccountId: owner,
          },
          newBlobs: [],
          event: 'ObjectCreated:Put',
        });
      }
    });

    async function walkV2(options: { MaxKeys?: number; Prefix?: string; Delimiter?: string; StartAfter?: string }): Promise<{ entries: string[]; pages: number }> {
      const entries: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...options, ContinuationToken: token }));
        const got = pageEntries(page);
        assert.equal(page.KeyCount, got.length);
        assert.ok(got.length <= (options.MaxKeys ?? 1000));
        if (entries.length > 0 && got.length > 0) assert.ok(byUtf8(got[0]!, entries[entries.length - 1]!) > 0, 'pages advance');
        entries.push(...got);
        token = page.NextContinuationToken;
        assert.equal(page.IsTruncated, token !== undefined);
        if (token !== undefined) assert.equal(got.length, options.MaxKeys ?? 1000, 'only the last page is short');
        pages++;
      } while (token);
      return { entries, pages };
    }

    test('ListObjectsV2 with the default max-keys walks 3000 keys in three pages, no gaps or duplicates', async () => {
      const { entries, pages } = await walkV2({});
      assert.equal(pages, 3);
      assert.deepEqual(entries, sorted);
    });

    test('ListObjectsV2 with max-keys 97 walks the same keys', async () => {
      const { entries, pages } = await walkV2({ MaxKeys: 97 });
      assert.equal(pages, Math.ceil(3000 / 97));
      assert.deepEqual(entries, sorted);
    });

    test('with a delimiter, pages of keys and common prefixes match a plain scan', async () => {
      for (const [prefix, maxKeys] of [['', 61], ['dir1', 3], ['dir12/', 7], ['a', 29]] as const) {
        const { entries } = await walkV2({ Prefix: prefix, Delimiter: '/', MaxKeys: maxKeys });
        assert.deepEqual(entries, expectedEntries(keys, prefix, '/'), `prefix ${prefix}`);
      }
    });

    test('start-after starts strictly after the key, with or without a delimiter', async () => {
      const startAfter = sorted[1234]!;
      const plain = await walkV2({ StartAfter: startAfter, MaxKeys: 500 });
      assert.deepEqual(plain.entries, sorted.slice(1235));
      const grouped = await walkV2({ StartAfter: 'dir3/', Delimiter: '/', MaxKeys: 50 });
      assert.deepEqual(grouped.entries, expectedEntries(keys, '', '/', 'dir3/'));
      const inside = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'dir3/sub1/file-0001', Delimiter: '/', MaxKeys: 1 }));
      // A marker inside a group: the group was listed already (AWS: list-objects-manual-first-file).
      assert.deepEqual(pageEntries(inside), ['dir4/']);
    });

    test('ListObjects (v1) walks with Marker: NextMarker only with a delimiter, else the last key', async () => {
      const entries: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const { output, raw: response } = await raw.send<{ Contents?: { Key?: string }[]; IsTruncated?: boolean; NextMarker?: string; Marker?: string }>(
          new ListObjectsCommand({ Bucket: bucket, Marker: marker, MaxKeys: 400 }));
        assert.equal(output!.NextMarker, undefined);
        assert.equal(xmlOne(response.body, 'NextMarker'), undefined);
        assert.equal(xmlOne(response.body, 'Marker'), marker ?? '');
        const got = output!.Contents?.map((c) => c.Key!) ?? [];
        entries.push(...got);
        if (!output!.IsTruncated) break;
        marker = got[got.length - 1];
      }
      assert.deepEqual(entries, sorted);

      const grouped: string[] = [];
      marker = undefined;
      for (;;) {
        const page: ListObjectsCommandOutput = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Marker: marker, MaxKeys: 70 }));
        const got = pageEntries(page);
        grouped.push(...got);
        if (!page.IsTruncated) {
          assert.equal(page.NextMarker, undefined);
          break;
        }
        assert.equal(page.NextMarker, got[got.length - 1], 'NextMarker is the last key or common prefix');
        marker = page.NextMarker;
      }
      assert.deepEqual(grouped, expectedEntries(keys, '', '/'));
    });

    test('max-keys 1000 and above return 1000 keys, truncated', async () => {
      for (const maxKeys of [1000, 1001, 5000, 2147483647]) {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: maxKeys }));
        assert.equal(out.KeyCount, 1000, String(maxKeys));
        assert.equal(out.Contents?.length, 1000);
        assert.equal(out.IsTruncated, true);
      }
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3000 }));
      assert.equal(v1.Contents?.length, 1000);
      assert.equal(v1.IsTruncated, true);
    });
  });

  describe('max-keys edge values', () => {
    before(async () => putAll('maxkeys', ['k1', 'k2', 'k3']));

    test('0: no keys, KeyCount 0, not truncated, no token', async () => {
      const { output, raw: response } = await raw.send<ListObjectsV2CommandOutput>(new ListObjectsV2Command({ Bucket: 'maxkeys', MaxKeys: 0 }));
      assert.equal(output!.KeyCount, 0);
      assert.equal(output!.MaxKeys, 0);
      assert.equal(output!.Contents, undefined);
      assert.equal(output!.IsTruncated, false);
      assert.equal(xmlOne(response.body, 'NextContinuationToken'), undefined);
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'maxkeys', MaxKeys: 0, Delimiter: '/' }));
      assert.equal(v1.IsTruncated, false);
      assert.equal(v1.NextMarker, undefined);
    });

    test('1: one key, truncated, with a token that continues', async () => {
      const first = await s3.send(new ListObjectsV2Command({ Bucket: 'maxkeys', MaxKeys: 1 }));
      assert.deepEqual(first.Contents?.map((c) => c.Key), ['k1']);
      assert.equal(first.MaxKeys, 1);
      assert.equal(first.IsTruncated, true);
      const second = await s3.send(new ListObjectsV2Command({ Bucket: 'maxkeys', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
      assert.deepEqual(second.Contents?.map((c) => c.Key), ['k2', 'k3']);
      assert.equal(second.ContinuationToken, first.NextContinuationToken);
      assert.equal(second.IsTruncated, false, 'exactly the remaining keys: not truncated');
    });

    test('exactly as many keys as max-keys is not truncated', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'maxkeys', MaxKeys: 3 }));
      assert.equal(out.KeyCount, 3);
      assert.equal(out.IsTruncated, false);
      assert.equal(out.NextContinuationToken, undefined);
    });

    for (const value of ['-1', 'abc', '1.5', '', '2147483648', '99999999999999999999']) {
      test(`max-keys "${value}" is InvalidArgument (v2 and v1)`, async () => {
        for (const query of [{ 'list-type': '2', 'max-keys': value }, { 'max-keys': value }] as Record<string, string>[]) {
          const response = await raw.request({ method: 'GET', path: '/maxkeys', query });
          assert.equal(response.status, 400);
          assert.equal(xmlOne(response.body, 'Code'), 'InvalidArgument');
          assert.equal(xmlOne(response.body, 'Message'), 'Provided max-keys not an integer or within integer range');
          assert.equal(xmlOne(response.body, 'ArgumentName'), 'max-keys');
          assert.equal(xmlOne(response.body, 'ArgumentValue'), value);
        }
      });
    }

    test('a continuation token that is not ours is InvalidArgument', async () => {
      const { error, raw: response } = await raw.send(new ListObjectsV2Command({ Bucket: 'maxkeys', ContinuationToken: 'not-a-token' }));
      assert.equal(error?.name, 'InvalidArgument');
      assert.equal(xmlOne(response.body, 'Message'), 'The continuation token provided is incorrect');
      assert.equal(xmlOne(response.body, 'ArgumentName'), 'continuation-token');
    });

    test('a continuation token wins over start-after, which is still echoed', async () => {
      const first = await s3.send(new ListObjectsV2Command({ Bucket: 'maxkeys', MaxKeys: 1 }));
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'maxkeys', ContinuationToken: first.NextContinuationToken, StartAfter: 'k2' }));
      assert.deepEqual(out.Contents?.map((c) => c.Key), ['k2', 'k3']);
      assert.equal(out.StartAfter, 'k2');
    });
  });

  describe('owners', () => {
    before(async () => putAll('owners', ['o1']));

    test('v2 lists owners only with fetch-owner=true; v1 always does', async () => {
      const { raw: plain } = await raw.send(new ListObjectsV2Command({ Bucket: 'owners' }));
      assert.equal(xmlAll(plain.body, 'Owner').length, 0);
      const fetched = await s3.send(new ListObjectsV2Command({ Bucket: 'owners', FetchOwner: true }));
      assert.match(fetched.Contents![0]!.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.equal(fetched.Contents![0]!.Owner?.DisplayName, 'platform');
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'owners' }));
      assert.equal(v1.Contents![0]!.Owner?.ID, fetched.Contents![0]!.Owner?.ID);
    });

    test('list entries carry ETag, Size, LastModified and StorageClass', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'owners' }));
      const entry = out.Contents![0]!;
      assert.equal(entry.ETag, `"${createHash('md5').update('o1').digest('hex')}"`);
      assert.equal(entry.Size, 2);
      assert.equal(entry.StorageClass, 'STANDARD');
      assert.ok(entry.LastModified instanceof Date);
      assert.equal(out.Name, 'owners');
    });
  });

  describe('encoding-type=url', () => {
    const keys = ['enc/a b', 'enc/a+b', 'enc/100%', 'enc/ü', 'enc/x=y&z', 'enc/~t', 'enc/*s', 'enc/(p)!\'', 'enc/sub dir/k', 'enc/tab\there', 'enc/<lt>'];
    /** AWS's form: '/' and * - . _ kept, a space as %20 (Ceph s3-tests test_bucket_list_encoding_basic), all else %XX. */
    const encoded: Record<string, string> = {
      'enc/a b': 'enc/a%20b', 'enc/a+b': 'enc/a%2Bb', 'enc/100%': 'enc/100%25', 'enc/ü': 'enc/%C3%BC', 'enc/x=y&z': 'enc/x%3Dy%26z',
      'enc/~t': 'enc/%7Et', 'enc/*s': 'enc/*s', 'enc/(p)!\'': 'enc/%28p%29%21%27', 'enc/tab\there': 'enc/tab%09here', 'enc/<lt>': 'enc/%3Clt%3E',
    };
    before(async () => putAll('enc', keys));

    test('ListObjectsV2 (SDK): Key, Prefix, Delimiter, StartAfter and CommonPrefixes come back encoded', async () => {
      const { output, raw: response } = await raw.send<ListObjectsV2CommandOutput>(new ListObjectsV2Command({
        Bucket: 'enc', Prefix: 'enc/', Delimiter: ' ', StartAfter: 'enc/(', EncodingType: 'url',
      }));
      assert.equal(output!.EncodingType, 'url');
      assert.equal(output!.Prefix, 'enc/');
      assert.equal(output!.Delimiter, '%20');
      assert.equal(output!.StartAfter, 'enc/%28');
      assert.deepEqual(output!.CommonPrefixes?.map((p) => p.Prefix), ['enc/a%20', 'enc/sub%20']);
      const listed = output!.Contents!.map((c) => c.Key!);
      const expected = keys.filter((k) => byUtf8(k, 'enc/(') > 0 && !k.includes(' ', 4)).sort(byUtf8).map((k) => encoded[k]!);
      assert.deepEqual(listed, expected);
      // botocore decodes exactly these fields with unquote_plus; every value must come back intact.
      for (const value of listed) assert.ok(keys.includes(unquotePlus(value)), value);
      assert.equal(xmlOne(response.body, 'EncodingType'), 'url');
      assert.ok(!/<Key>[^<]* /.test(response.body), 'no raw spaces in keys');
    });

    test('ListObjectsV2: the continuation token is opaque and not encoded; pages still join up', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: 'enc', EncodingType: 'url', MaxKeys: 4, ContinuationToken: token }));
        seen.push(...page.Contents!.map((c) => unquotePlus(c.Key!)));
        token = page.NextContinuationToken;
        if (token) assert.doesNotMatch(token, /%/);
      } while (token);
      assert.deepEqual(seen, [...keys].sort(byUtf8));
    });

    test('ListObjects (v1): Marker and NextMarker are encoded too', async () => {
      const { output, raw: response } = await raw.send<{ Marker?: string; NextMarker?: string; Contents?: { Key?: string }[] }>(new ListObjectsCommand({
        Bucket: 'enc', Marker: 'enc/a b', Delimiter: '/', Prefix: 'enc/', MaxKeys: 1, EncodingType: 'url',
      }));
      assert.equal(output!.Marker, 'enc/a%20b');
      assert.equal(output!.NextMarker, 'enc/a%2Bb');
      assert.deepEqual(output!.Contents?.map((c) => c.Key), ['enc/a%2Bb']);
      assert.equal(xmlOne(response.body, 'EncodingType'), 'url');
    });

    test('raw: without encoding-type names are sent as they are, with no EncodingType element', async () => {
      const response = await raw.request({ method: 'GET', path: '/enc', query: { 'list-type': '2', prefix: 'enc/a' } });
      assert.equal(xmlOne(response.body, 'EncodingType'), undefined);
      assert.deepEqual(xmlAll(response.body, 'Key'), ['enc/a b', 'enc/a+b']);
      const encodedResponse = await raw.request({ method: 'GET', path: '/enc', query: { 'list-type': '2', prefix: 'enc/a', 'encoding-type': 'url' } });
      assert.deepEqual(xmlAll(encodedResponse.body, 'Key'), ['enc/a%20b', 'enc/a%2Bb']);
      assert.equal(xmlOne(encodedResponse.body, 'Prefix'), 'enc/a');
    });

    test('an invalid encoding-type is InvalidArgument for every list operation', async () => {
      for (const query of [{ 'list-type': '2' }, {}, { versions: '' }, { uploads: '' }] as Record<string, string>[]) {
        for (const value of ['xml', 'URL', '']) {
          const response = await raw.request({ method: 'GET', path: '/enc', query: { ...query, 'encoding-type': value } });
          assert.equal(response.status, 400, `${JSON.stringify(query)} ${value}`);
          assert.equal(xmlOne(response.body, 'Code'), 'InvalidArgument');
          assert.equal(xmlOne(response.body, 'Message'), 'Invalid Encoding Method specified in Request');
          assert.equal(xmlOne(response.body, 'ArgumentName'), 'encoding-type');
        }
      }
    });
  });

  describe('ListObjectVersions', () => {
    const bucket = 'versions';
    const ids: Record<string, string[]> = {};
    let nullKeyMarker: string | undefined;

    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: 'null version' }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      const put = async (key: string): Promise<void> => {
        const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${key}${(ids[key] ?? []).length}` }));
        (ids[key] ??= []).unshift(out.VersionId!);
      };
      const remove = async (key: string): Promise<void> => {
        const out = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        (ids[key] ??= []).unshift(out.VersionId!);
      };
      await put('a'); await put('a'); await put('c/1'); await put('b'); await remove('a'); await put('c/2'); await remove('d'); await put('a');
      ids['b']!.push('null');
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'c/1' }));
      ids['c/1']!.unshift(marker.VersionId!);
      nullKeyMarker = marker.VersionId;
    });

    /** [key, versionId, isLatest, kind] in document order, from the raw XML (the SDK splits the kinds apart). */
    function entriesOf(body: string): [string, string, boolean, 'Version' | 'DeleteMarker'][] {
      return [...body.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)].map((m) => [
        xmlOne(m[2]!, 'Key')!, xmlOne(m[2]!, 'VersionId')!, xmlOne(m[2]!, 'IsLatest') === 'true', m[1] as 'Version' | 'DeleteMarker',
      ]);
    }

    test('versions and delete markers interleave: key ascending, newest first, one IsLatest per key', async () => {
      const { output, raw: response } = await raw.send<ListObjectVersionsCommandOutput>(new ListObjectVersionsCommand({ Bucket: bucket }));
      const entries = entriesOf(response.body);
      const expected = ['a', 'b', 'c/1', 'c/2', 'd'].flatMap((key) => ids[key]!.map((id) => [key, id] as const));
      assert.deepEqual(entries.map(([k, v]) => [k, v]), expected);
      for (const key of Object.keys(ids)) assert.equal(entries.filter(([k, , latest]) => k === key && latest).length, 1, key);
      assert.deepEqual(entries.filter(([, , , kind]) => kind === 'DeleteMarker').map(([k, v]) => [k, v]),
        [['a', ids['a']![1]], ['c/1', ids['c/1']![0]], ['d', ids['d']![0]]]);
      assert.deepEqual(entries.find(([k, v]) => k === 'b' && v === 'null'), ['b', 'null', false, 'Version']);
      assert.equal(output!.Versions!.length + output!.DeleteMarkers!.length, entries.length);
      assert.equal(output!.IsTruncated, false);
      assert.equal(output!.KeyMarker, '');
      assert.equal(output!.VersionIdMarker, '');
      assert.ok(nullKeyMarker);
    });

    test('pages of every size join up with NextKeyMarker and NextVersionIdMarker', async () => {
      const all = entriesOf((await raw.send(new ListObjectVersionsCommand({ Bucket: bucket }))).raw.body).map(([k, v]) => `${k}@${v}`);
      for (const maxKeys of [1, 2, 3, 5]) {
        const seen: string[] = [];
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        for (;;) {
          const { output, raw: response } = await raw.send<ListObjectVersionsCommandOutput>(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: maxKeys, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
          const page = entriesOf(response.body).map(([k, v]) => `${k}@${v}`);
          assert.ok(page.length <= maxKeys);
          seen.push(...page);
          if (!output!.IsTruncated) {
            assert.equal(output!.NextKeyMarker, undefined);
            break;
          }
          assert.equal(`${output!.NextKeyMarker}@${output!.NextVersionIdMarker}`, page[page.length - 1]);
          keyMarker = output!.NextKeyMarker;
          versionIdMarker = output!.NextVersionIdMarker;
        }
        assert.deepEqual(seen, all, `max-keys ${maxKeys}`);
      }
    });

    test('key-marker alone starts after that key; a version-id-marker needs a key-marker', async () => {
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'b' }));
      assert.deepEqual([...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key).sort(), ['c/1', 'c/1', 'c/2', 'd']);
      assert.equal(out.KeyMarker, 'b');
      const { error, raw: response } = await raw.send(new ListObjectVersionsCommand({ Bucket: bucket, VersionIdMarker: ids['a']![0] }));
      assert.equal(error?.name, 'InvalidArgument');
      assert.equal(xmlOne(response.body, 'Message'), 'A version-id marker cannot be specified without a key marker.');
      assert.equal(xmlOne(response.body, 'ArgumentName'), 'version-id-marker');
    });

    test('prefix and delimiter group versions into CommonPrefixes', async () => {
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/' }));
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['c/']);
      assert.equal([...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].some((v) => v.Key!.startsWith('c/')), false);
      const inside = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'c/', Delimiter: '/' }));
      assert.equal(inside.CommonPrefixes, undefined);
      assert.equal(inside.Versions?.length, 2);
      assert.equal(inside.DeleteMarkers?.length, 1);
    });

    test('an unversioned bucket lists each object once as the null version, latest', async () => {
      await putAll('unversioned-list', ['x', 'y']);
      await s3.send(new PutObjectCommand({ Bucket: 'unversioned-list', Key: 'x', Body: 'again' }));
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'unversioned-list' }));
      assert.deepEqual(out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]), [['x', 'null', true, 5], ['y', 'null', true, 1]]);
      assert.equal(out.DeleteMarkers, undefined);
    });

    test('encoding-type=url encodes Key, KeyMarker and NextKeyMarker but not version ids', async () => {
      await putAll('versions-enc', ['v a', 'v+b']);
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versions-enc', EncodingType: 'url', KeyMarker: 'v ', MaxKeys: 1 }));
      assert.equal(out.KeyMarker, 'v%20');
      assert.deepEqual(out.Versions?.map((v) => [v.Key, v.VersionId]), [['v%20a', 'null']]);
      assert.equal(out.NextKeyMarker, 'v%20a');
      assert.equal(out.NextVersionIdMarker, 'null');
    });
  });

  describe('ListMultipartUploads', () => {
    const bucket = 'uploads';
    const uploads: [string, string][] = [];

    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const key of ['u/a', 'u/b/c', 'u/a', 'v w', 'u/b/d', 'u/a']) {
        const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
        uploads.push([key, out.UploadId!]);
      }
    });
    after(async () => {
      for (const [key, id] of uploads) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }));
    });

    /** Uploads sort by key, then by initiation (creation order here). */
    const inOrder = (): [string, string][] => [...uploads].sort((x, y) => byUtf8(x[0], y[0]));

    test('uploads are listed by key, then in the order they were initiated; the initiator is the account', async () => {
      const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(out.Uploads?.map((u) => [u.Key, u.UploadId]), inOrder());
      assert.equal(out.IsTruncated, false);
      const first = out.Uploads![0]!;
      assert.match(first.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.equal(first.Initiator?.ID, first.Owner?.ID, 'a root initiator is named by its canonical id');
      assert.equal(first.Initiator?.DisplayName, 'platform');
      assert.equal(first.StorageClass, 'STANDARD');
      assert.ok(first.Initiated instanceof Date);
    });

    test('prefix and delimiter', async () => {
      const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'u/', Delimiter: '/' }));
      assert.deepEqual(out.Uploads?.map((u) => u.Key), ['u/a', 'u/a', 'u/a']);
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['u/b/']);
      assert.equal(out.Prefix, 'u/');
      assert.equal(out.Delimiter, '/');
    });

    test('max-uploads pages join up with NextKeyMarker and NextUploadIdMarker', async () => {
      for (const maxUploads of [1, 2, 4]) {
        const seen: [string, string][] = [];
        let keyMarker: string | undefined;
        let uploadIdMarker: string | undefined;
        for (;;) {
          const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: maxUploads, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
          assert.ok((page.Uploads ?? []).length <= maxUploads);
          seen.push(...(page.Uploads ?? []).map((u) => [u.Key!, u.UploadId!] as [string, string]));
          if (!page.IsTruncated) break;
          assert.deepEqual([page.NextKeyMarker, page.NextUploadIdMarker], seen[seen.length - 1]);
          keyMarker = page.NextKeyMarker;
          uploadIdMarker = page.NextUploadIdMarker;
        }
        assert.deepEqual(seen, inOrder(), `max-uploads ${maxUploads}`);
      }
    });

    test('key-marker alone skips that key; upload-id-marker without key-marker is ignored', async () => {
      const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: 'u/a' }));
      assert.deepEqual(after.Uploads?.map((u) => u.Key), ['u/b/c', 'u/b/d', 'v w']);
      const ignored = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, UploadIdMarker: uploads[0]![1] }));
      assert.equal(ignored.Uploads?.length, uploads.length);
    });

    test('encoding-type=url encodes the keys; invalid max-uploads is InvalidArgument', async () => {
      const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'v', EncodingType: 'url' }));
      assert.deepEqual(out.Uploads?.map((u) => u.Key), ['v%20w']);
      assert.equal(out.EncodingType, 'url');
      const response = await raw.request({ method: 'GET', path: `/${bucket}`, query: { uploads: '', 'max-uploads': '-1' } });
      assert.equal(response.status, 400);
      assert.equal(xmlOne(response.body, 'ArgumentName'), 'max-uploads');
    });
  });

  test('listing a bucket that does not exist is NoSuchBucket naming it', async () => {
    const { error, raw: response } = await raw.send(new ListObjectsV2Command({ Bucket: 'no-such-listing' }));
    assert.equal(error?.name, 'NoSuchBucket');
    assert.equal(response.status, 404);
    assert.equal(xmlOne(response.body, 'BucketName'), 'no-such-listing');
    await expectS3Error(s3.send(new ListObjectVersionsCommand({ Bucket: 'no-such-listing' })), { code: 'NoSuchBucket', status: 404 });
    await expectS3Error(s3.send(new ListMultipartUploadsCommand({ Bucket: 'no-such-listing' })), { code: 'NoSuchBucket', status: 404 });
  });
});
