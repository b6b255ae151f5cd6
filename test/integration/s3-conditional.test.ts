// Conditional reads (If-Match, If-None-Match, If-(Un)Modified-Since with RFC 7232 precedence: 304 vs 412)
// and conditional writes (PutObject, CompleteMultipartUpload, CopyObject, DeleteObject) as AWS answers them.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Request headers)
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, PutBucketVersioningCommand,
  PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { md5Hex } from '../helpers/reference-checksums.js';

let server: TestServer;
let s3: S3Client;
const bucket = 'conditional';

before(async () => ({ server, s3 } = await serverWithBuckets(bucket)));
after(() => stopServerWithClient(server, s3));

async function text(out: { Body?: { transformToString(): Promise<string> } }): Promise<string> {
  return out.Body!.transformToString();
}

describe('conditional reads', () => {
  let etag: string;
  let lastModified: Date;
  const before1h = () => new Date(lastModified.getTime() - 3600_000);
  const after1h = () => new Date(lastModified.getTime() + 3600_000);

  before(async () => {
    etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'read', Body: 'conditional body' }))).ETag!;
    lastModified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'read' }))).LastModified!;
    assert.equal(etag, `"${md5Hex(Buffer.from('conditional body'))}"`);
  });

  test('If-Match with the ETag (quoted, unquoted, in a list, or *) reads the object', async () => {
    for (const value of [etag, etag.slice(1, -1), `"0123", ${etag}`, '*']) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfMatch: value }));
      assert.equal(await text(got), 'conditional body', value);
    }
  });

  test('If-Match with another ETag is 412 PreconditionFailed (GET and HEAD)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfMatch: '"0123456789abcdef0123456789abcdef"' })), { code: 'PreconditionFailed', status: 412 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'read', IfMatch: '"0123456789abcdef0123456789abcdef"' })), { status: 412 });
  });

  test('If-None-Match with the ETag is 304 Not Modified carrying ETag and Last-Modified; another ETag reads', async () => {
    const error = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfNoneMatch: etag })), { status: 304 });
    assert.equal(error.$response?.headers['etag'], etag);
    assert.equal(error.$response?.headers['last-modified'], lastModified.toUTCString());
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'read', IfNoneMatch: '*' })), { status: 304 });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfNoneMatch: '"0123"' }));
    assert.equal(await text(got), 'conditional body');
  });

  test('If-Modified-Since: 304 at or after Last-Modified, 200 before it', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfModifiedSince: lastModified })), { status: 304 });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfModifiedSince: before1h() }));
    assert.equal(got.$metadata.httpStatusCode, 200);
  });

  test('If-Unmodified-Since: 412 before Last-Modified, 200 at or after it', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfUnmodifiedSince: before1h() })), { code: 'PreconditionFailed', status: 412 });
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfUnmodifiedSince: lastModified }))).$metadata.httpStatusCode, 200);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'read', IfUnmodifiedSince: after1h() }))).$metadata.httpStatusCode, 200);
  });

  test('If-Match true and If-Unmodified-Since false: 200 (If-Match wins)', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfMatch: etag, IfUnmodifiedSince: before1h() }));
    assert.equal(got.$metadata.httpStatusCode, 200);
  });

  test('If-None-Match false and If-Modified-Since true: 304 (If-None-Match wins)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfNoneMatch: etag, IfModifiedSince: before1h() })), { status: 304 });
  });

  test('If-None-Match true and If-Modified-Since false: 200 (If-Modified-Since is ignored)', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfNoneMatch: '"0123"', IfModifiedSince: after1h() }));
    assert.equal(got.$metadata.httpStatusCode, 200);
  });

  test('If-Match false and If-None-Match false: 412 (If-Match is evaluated first)', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', IfMatch: '"0123"', IfNoneMatch: etag })), { code: 'PreconditionFailed', status: 412 });
  });

  test('conditions on a missing key do not hide it: 404 NoSuchKey', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent', IfMatch: '*' })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent', IfNoneMatch: '*' })), { code: 'NoSuchKey', status: 404 });
  });

  test('a range request honours conditions too', async () => {
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', Range: 'bytes=0-3', IfNoneMatch: etag })), { status: 304 });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'read', Range: 'bytes=0-3', IfMatch: etag }));
    assert.equal(await text(got), 'cond');
  });
});

describe('conditional PutObject', () => {
  test('If-None-Match: * creates a missing key and refuses an existing one with 412, keeping the original', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'create-once', Body: 'first', IfNoneMatch: '*' }));
    assert.equal(first.ETag, `"${md5Hex(Buffer.from('first'))}"`);
    const error = await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'create-once', Body: 'second', IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412 });
    assert.equal((error as unknown as { Condition?: string }).Condition, 'If-None-Match');
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'create-once' }))), 'first');
  });

  test('If-Match with the current ETag replaces; a stale ETag is 412 and changes nothing', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v1' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v2', IfMatch: v1.ETag }));
    assert.equal(v2.ETag, `"${md5Hex(Buffer.from('v2'))}"`);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v3', IfMatch: v1.ETag })), { code: 'PreconditionFailed', status: 412 });
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cas' }))), 'v2');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v4', IfMatch: '*' }));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cas' }))), 'v4');
  });

  test('If-Match on a key with no object is 404 NoSuchKey, not 412', async () => {
    // AWS: "If there's no object with the key name … the request fails with 404 NoSuchKey" (conditional writes guide).
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'never-written', Body: 'x', IfMatch: '"0123456789abcdef0123456789abcdef"' })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'never-written', Body: 'x', IfMatch: '*' })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'never-written' })), { status: 404 });
  });

  test('a refused conditional PUT of a large body is answered cleanly (before the body is read)', async () => {
    const body = randomBytes(6 * 1024 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-once', Body: 'small original' }));
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-once', Body: body, IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412 });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-never', Body: body, IfMatch: '*' })), { code: 'NoSuchKey', status: 404 });
    const stream = Readable.from([body.subarray(0, 3_000_000), body.subarray(3_000_000)]);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-once', Body: stream, ContentLength: body.length, IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412 });
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large-once' }))), 'small original');
  });

  test('a delete marker counts as no object: If-None-Match: * writes, If-Match is 404 NoSuchKey', async () => {
    const versioned = 'conditional-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const old = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'old' }));
    await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'k' }));
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'x', IfMatch: old.ETag })), { code: 'NoSuchKey', status: 404 });
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'new', IfNoneMatch: '*' }));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'k' }))), 'new');
  });
});

describe('conditional CompleteMultipartUpload, CopyObject and DeleteObject', () => {
  async function upload(key: string, body: string): Promise<{ uploadId: string; parts: { PartNumber: number; ETag: string }[] }> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body }));
    return { uploadId: UploadId!, parts: [{ PartNumber: 1, ETag: part.ETag! }] };
  }

  test('Complete with If-None-Match: * over an existing key is 412 and the upload stays open', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mpu-exists', Body: 'existing' }));
    const { uploadId, parts } = await upload('mpu-exists', 'from upload');
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-exists', UploadId: uploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412 });
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-exists' }))), 'existing');
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'mpu-exists', UploadId: uploadId }));
    assert.equal(listed.Parts?.length, 1);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-exists', UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-exists' }))), 'from upload');
  });

  test('Complete with If-None-Match: * on a new key, and with If-Match: the current ETag / a stale one / no object', async () => {
    const a = await upload('mpu-new', 'A');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-new', UploadId: a.uploadId, MultipartUpload: { Parts: a.parts }, IfNoneMatch: '*' }));
    const current = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mpu-new' }))).ETag!;
    const b = await upload('mpu-new', 'B');
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-new', UploadId: b.uploadId, MultipartUpload: { Parts: b.parts }, IfMatch: '"0123456789abcdef0123456789abcdef-1"' })), { code: 'PreconditionFailed', status: 412 });
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-new', UploadId: b.uploadId, MultipartUpload: { Parts: b.parts }, IfMatch: current }));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-new' }))), 'B');
    const c = await upload('mpu-missing', 'C');
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-missing', UploadId: c.uploadId, MultipartUpload: { Parts: c.parts }, IfMatch: current })), { code: 'NoSuchKey', status: 404 });
  });

  test('CopyObject with If-None-Match: * onto an existing destination is 412', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-src', Body: 'src' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-dst', Body: 'dst' }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy-dst', CopySource: `${bucket}/copy-src`, IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412 });
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy-dst' }))), 'dst');
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy-new', CopySource: `${bucket}/copy-src`, IfNoneMatch: '*' }));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy-new' }))), 'src');
  });

  test('DeleteObject with If-Match: 412 on a stale ETag, 404 NoSuchKey without an object, 204 on a match', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'del', Body: 'd' }));
    await expectS3Error(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del', IfMatch: '"0123456789abcdef0123456789abcdef"' })), { code: 'PreconditionFailed', status: 412 });
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'del' }))).ETag, put.ETag);
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del', IfMatch: put.ETag }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await expectS3Error(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del', IfMatch: '*' })), { code: 'NoSuchKey', status: 404 });
  });
});
