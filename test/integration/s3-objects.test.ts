// PutObject, GetObject and HeadObject through the AWS SDK v3: metadata, system headers, response-* overrides,
// key encodings and limits, ranges, partNumber reads, versions and delete markers — each as AWS answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand,
  UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { md5Hex, multipartEtag } from '../helpers/reference-checksums.js';
import { rawRequest } from '../helpers/raw-request.js';

const MiB = 1024 * 1024;

let server: TestServer;
let s3: S3Client;
const bucket = 'objects';

before(async () => ({ server, s3 } = await serverWithBuckets(bucket)));
after(() => stopServerWithClient(server, s3));

async function bodyOf(out: { Body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('user metadata and system headers', () => {
  test('metadata names come back lower-cased, values verbatim', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta.txt', Body: 'm', Metadata: { 'Mixed-Case': 'Value With Spaces', plain: 'x=y;z' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta.txt' }));
    assert.deepEqual(head.Metadata, { 'mixed-case': 'Value With Spaces', plain: 'x=y;z' });
  });

  test('2 KB of metadata (names without x-amz-meta- plus values, in UTF-8 bytes) is the limit: MetadataTooLarge above', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html: "the user-defined metadata
    // is limited to 2 KB … the sum of the number of bytes in the UTF-8 encoding of each key and value".
    const name = 'big';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta-2048', Body: 'm', Metadata: { [name]: 'v'.repeat(2048 - name.length) } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta-2048' }));
    assert.equal(head.Metadata?.[name]?.length, 2048 - name.length);
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta-2049', Body: 'm', Metadata: { [name]: 'v'.repeat(2049 - name.length) } })),
      { code: 'MetadataTooLarge', status: 400 },
    );
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta-2049' })), { status: 404 });
  });

  test('without Content-Type the object is binary/octet-stream', async () => {
    const raw = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}/no-type`, body: 'abc', headers: { 'content-length': '3' } });
    assert.equal(raw.status, 200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no-type' }));
    assert.equal(head.ContentType, 'binary/octet-stream');
  });

  test('Content-Type, -Encoding, -Disposition, -Language, Cache-Control and Expires round-trip on GET and HEAD', async () => {
    const expires = new Date('2031-05-06T07:08:09Z');
    const put = {
      ContentType: 'text/csv; charset=utf-8', ContentEncoding: 'gzip', ContentDisposition: 'attachment; filename="r.csv"',
      ContentLanguage: 'fr-CA', CacheControl: 'max-age=60, private', Expires: expires,
    };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'headers.csv', Body: 'a,b', ...put }));
    for (const out of [
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'headers.csv' })),
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'headers.csv' })),
    ]) {
      assert.equal(out.ContentType, put.ContentType);
      assert.equal(out.ContentEncoding, put.ContentEncoding);
      assert.equal(out.ContentDisposition, put.ContentDisposition);
      assert.equal(out.ContentLanguage, put.ContentLanguage);
      assert.equal(out.CacheControl, put.CacheControl);
      assert.equal(out.ExpiresString, 'Tue, 06 May 2031 07:08:09 GMT');
      assert.equal(out.ServerSideEncryption, 'AES256');
      assert.equal(out.AcceptRanges, 'bytes');
      assert.equal(out.ContentLength, 3);
    }
  });

  test('response-* query parameters override the stored headers on GET', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'override.txt', Body: 'o', ContentType: 'text/plain' }));
    const got = await s3.send(new GetObjectCommand({
      Bucket: bucket, Key: 'override.txt',
      ResponseContentType: 'application/x-override', ResponseContentDisposition: 'inline; filename="x"',
      ResponseCacheControl: 'no-store', ResponseContentLanguage: 'de', ResponseContentEncoding: 'identity',
      ResponseExpires: new Date('2030-01-01T00:00:00Z'),
    }));
    assert.equal(got.ContentType, 'application/x-override');
    assert.equal(got.ContentDisposition, 'inline; filename="x"');
    assert.equal(got.CacheControl, 'no-store');
    assert.equal(got.ContentLanguage, 'de');
    assert.equal(got.ContentEncoding, 'identity');
    assert.equal(got.ExpiresString, 'Tue, 01 Jan 2030 00:00:00 GMT');
    assert.equal((await bodyOf(got)).toString(), 'o');
    const plain = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'override.txt' }));
    assert.equal(plain.ContentType, 'text/plain', 'overrides are not stored');
  });

  test('an empty object has length 0, the MD5 of nothing and an empty body', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: Buffer.alloc(0) }));
    assert.equal(put.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    assert.equal(got.ContentLength, 0);
    assert.equal((await bodyOf(got)).length, 0);
  });
});

describe('keys', () => {
  const keys = [
    'ünïcödé/文件 🎬.txt', 'with space.txt', 'a+b=c.txt', '100%.txt', '%41 not decoded twice', 'what?.txt', 'hash#tag.txt',
    'double//slash', 'trailing/', '/leading-slash', "quote'paren(1)*!~.txt", 'amp&semi;.txt',
  ];
  for (const style of ['path', 'virtual'] as const) {
    test(`keys with special characters round-trip exactly (${style} style)`, async () => {
      const client = style === 'path' ? s3 : s3Client(server.endpoint, server.platform, 'virtual');
      try {
        for (const key of keys) {
          const body = `body of ${key}`;
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${style}/${key}`, Body: body }));
          const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${style}/${key}` }));
          assert.equal((await bodyOf(got)).toString(), body, key);
        }
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${style}/` }));
        assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), keys.map((k) => `${style}/${k}`).sort());
      } finally {
        if (client !== s3) client.destroy();
      }
    });
  }

  test('a key of 1024 UTF-8 bytes is accepted; 1025 bytes is KeyTooLongError', async () => {
    const key1024 = 'é'.repeat(512);
    assert.equal(Buffer.byteLength(key1024), 1024);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key1024, Body: 'k' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key1024 }))).ContentLength, 1);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key1024 + 'x', Body: 'k' })), { code: 'KeyTooLongError', status: 400 });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'x'.repeat(1025) })), { code: 'KeyTooLongError', status: 400 });
  });
});

describe('ranges', () => {
  const body = randomBytes(1000);
  before(async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged', Body: body }));
  });

  const cases: [string, number, number][] = [
    ['bytes=0-0', 0, 0], ['bytes=10-19', 10, 19], ['bytes=990-', 990, 999], ['bytes=-10', 990, 999],
    ['bytes=-5000', 0, 999], ['bytes=500-5000', 500, 999], ['bytes=999-999', 999, 999],
  ];
  for (const [range, first, last] of cases) {
    test(`${range} → 206 bytes ${first}-${last}/1000`, async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: range }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ContentRange, `bytes ${first}-${last}/1000`);
      assert.equal(got.ContentLength, last - first + 1);
      assert.ok((await bodyOf(got)).equals(body.subarray(first, last + 1)));
    });
  }

  test('HEAD with a range answers 206 with the range length and no body', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ranged', Range: 'bytes=100-199' }));
    assert.equal(head.$metadata.httpStatusCode, 206);
    assert.equal(head.ContentLength, 100);
    assert.equal(head.ContentRange, 'bytes 100-199/1000');
  });

  for (const range of ['bytes=1000-', 'bytes=1000-2000', 'bytes=-0']) {
    test(`${range} is not satisfiable: 416 InvalidRange with Content-Range bytes */1000`, async () => {
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: range })), {
        code: 'InvalidRange', status: 416, headers: { 'content-range': 'bytes */1000' },
      });
    });
  }

  test('any range of an empty object is not satisfiable', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty-ranged', Body: Buffer.alloc(0) }));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty-ranged', Range: 'bytes=0-10' })), {
      code: 'InvalidRange', status: 416, headers: { 'content-range': 'bytes */0' },
    });
  });

  // RFC 9110 §14.2: a Range header that does not parse is ignored; S3 then serves the whole object.
  for (const range of ['bytes=20-10', 'bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=-']) {
    test(`an invalid Range (${range}) is ignored: 200 with the whole object`, async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: range }));
      assert.equal(got.$metadata.httpStatusCode, 200);
      assert.equal(got.ContentRange, undefined);
      assert.ok((await bodyOf(got)).equals(body));
    });
  }
});

describe('partNumber reads', () => {
  const part1 = randomBytes(5 * MiB);
  const part2 = randomBytes(1234);
  let single: Buffer;

  before(async () => {
    single = randomBytes(4096);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'single-part', Body: single }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'two-parts' }));
    const e1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'two-parts', UploadId, PartNumber: 1, Body: part1 }));
    const e2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'two-parts', UploadId, PartNumber: 2, Body: part2 }));
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: 'two-parts', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag! }, { PartNumber: 2, ETag: e2.ETag! }] },
    }));
    assert.equal(done.ETag, multipartEtag([part1, part2]));
  });

  test('part N of a multipart object: 206, its bytes, its Content-Range, x-amz-mp-parts-count and the object ETag', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 2 }));
    assert.equal(got.$metadata.httpStatusCode, 206);
    assert.equal(got.PartsCount, 2);
    assert.equal(got.ContentLength, part2.length);
    assert.equal(got.ContentRange, `bytes ${part1.length}-${part1.length + part2.length - 1}/${part1.length + part2.length}`);
    assert.equal(got.ETag, multipartEtag([part1, part2]));
    assert.ok((await bodyOf(got)).equals(part2));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 1 }));
    assert.equal(head.$metadata.httpStatusCode, 206);
    assert.equal(head.ContentLength, part1.length);
    assert.equal(head.PartsCount, 2);
  });

  test('part 1 of a single-part object is the whole object (206) without x-amz-mp-parts-count', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html: PartsCount "is only returned if you
    // specify partNumber in your request and the object was uploaded as a multipart upload".
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'single-part', PartNumber: 1 }));
    assert.equal(got.$metadata.httpStatusCode, 206);
    assert.equal(got.PartsCount, undefined);
    assert.equal(got.ContentRange, `bytes 0-4095/4096`);
    assert.equal(got.ETag, `"${md5Hex(single)}"`);
    assert.ok((await bodyOf(got)).equals(single));
  });

  test('a part number beyond the part count is 416 InvalidPartNumber', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 3 })), { code: 'InvalidPartNumber', status: 416 });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'single-part', PartNumber: 2 })), { code: 'InvalidPartNumber', status: 416 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 3 })), { status: 416 });
  });

  test('partNumber 0 or 10001 is InvalidArgument; partNumber with Range is InvalidRequest', async () => {
    const zero = await rawRequest(server.endpoint, server.platform, { method: 'GET', path: `/${bucket}/two-parts`, query: 'partNumber=0' });
    assert.equal(zero.status, 400);
    assert.match(zero.body, /<Code>InvalidArgument<\/Code>/);
    const big = await rawRequest(server.endpoint, server.platform, { method: 'GET', path: `/${bucket}/two-parts`, query: 'partNumber=10001' });
    assert.equal(big.status, 400);
    assert.match(big.body, /<Code>InvalidArgument<\/Code>/);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 1, Range: 'bytes=0-1' })), { code: 'InvalidRequest', status: 400 });
  });
});

describe('versions and delete markers', () => {
  const versioned = 'objects-versioned';
  let v1: string;
  let v2: string;
  let marker: string;

  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    v1 = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'one' }))).VersionId!;
    v2 = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'two!' }))).VersionId!;
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'doc' }));
    assert.equal(deleted.DeleteMarker, true);
    marker = deleted.VersionId!;
    assert.ok(v1 && v2 && marker && new Set([v1, v2, marker]).size === 3);
  });

  test('GET and HEAD by versionId read that version and name it', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: v1 }));
    assert.equal((await bodyOf(got)).toString(), 'one');
    assert.equal(got.VersionId, v1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: v2 }));
    assert.equal(head.ContentLength, 4);
    assert.equal(head.VersionId, v2);
    assert.equal(head.ETag, `"${md5Hex(Buffer.from('two!'))}"`);
  });

  test('a GET of a key whose latest version is a delete marker: 404 NoSuchKey, x-amz-delete-marker and the marker id', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc' })), {
      code: 'NoSuchKey', status: 404, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker },
    });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'doc' })), {
      status: 404, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker },
    });
  });

  test('GET or HEAD of the delete marker by its versionId is 405 MethodNotAllowed with x-amz-delete-marker', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html: "a GET … to a delete marker by
    // its version ID … returns a 405 (Method Not Allowed)", with x-amz-delete-marker: true and Last-Modified.
    const error = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: marker })), {
      code: 'MethodNotAllowed', status: 405, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker },
    });
    assert.ok(error.$response?.headers['last-modified']);
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: marker })), {
      status: 405, headers: { 'x-amz-delete-marker': 'true' },
    });
  });

  test('a version id that does not exist (any more) is 404 NoSuchVersion', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: v1 }));
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: v1 })), { code: 'NoSuchVersion', status: 404 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: v1 })), { status: 404 });
  });

  test('removing the delete marker makes the previous version current again', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: marker }));
    const got = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc' }));
    assert.equal((await bodyOf(got)).toString(), 'two!');
    assert.equal(got.VersionId, v2);
  });

  test('an unversioned bucket names no version on GET', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'unversioned', Body: 'u' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'unversioned' }));
    assert.equal(got.VersionId, undefined);
    const byNull = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'unversioned', VersionId: 'null' }));
    assert.equal((await bodyOf(byNull)).toString(), 'u');
  });
});
