// The S3 basics through the real AWS SDK v3, path style and virtual-host style, buffer and stream bodies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand,
  PutObjectCommand, S3ServiceException, type S3Client,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';

for (const style of ['path', 'virtual'] as const) {
  describe(`S3 basics (${style} style)`, () => {
    let server: TestServer;
    let s3: S3Client;
    const bucket = `basics-${style}`;

    before(async () => {
      server = await startTestServer();
      s3 = s3Client(server.endpoint, server.platform, style);
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    after(async () => {
      s3.destroy();
      await server.stop();
    });

    test('the platform bucket and the new bucket are listed', async () => {
      const out = await s3.send(new ListBucketsCommand({}));
      const names = out.Buckets?.map((b) => b.Name) ?? [];
      assert.ok(names.includes(bucket));
      assert.ok(names.includes(server.server.platform.deliveryBucket));
      assert.equal(out.Owner?.DisplayName, 'platform');
    });

    test('a buffer body round-trips with ETag = MD5, CRC32 checksum and SSE-S3', async () => {
      const body = randomBytes(100_000);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/buffer.bin', Body: body, ContentType: 'application/x-test', Metadata: { origin: 'unit' } }));
      assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
      assert.equal(put.ServerSideEncryption, 'AES256');
      assert.ok(put.ChecksumCRC32);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/buffer.bin', ChecksumMode: 'ENABLED' }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      assert.ok(bytes.equals(body));
      assert.equal(got.ContentType, 'application/x-test');
      assert.equal(got.Metadata?.['origin'], 'unit');
      assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
    });

    test('a stream body (aws-chunked with a trailing checksum) round-trips', async () => {
      const body = randomBytes(3 * 1024 * 1024 + 17);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'stream.bin', Body: Readable.from([body.subarray(0, 1_000_000), body.subarray(1_000_000)]), ContentLength: body.length }));
      assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream.bin' }));
      assert.equal(head.ContentLength, body.length);
      assert.equal(head.ContentEncoding, undefined, 'aws-chunked is not stored as a content encoding');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.bin' }));
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
    });

    test('ranges are served from the middle of an object', async () => {
      const body = randomBytes(200_000);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'range.bin', Body: body }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.bin', Range: 'bytes=65530-131080' }));
      assert.equal(got.ContentRange, `bytes 65530-131080/${body.length}`);
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body.subarray(65530, 131081)));
    });

    test('a missing key is NoSuchKey, a deleted key is gone', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone.txt', Body: 'x' }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone.txt' }));
      await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'gone.txt' })), (error: S3ServiceException) => {
        assert.equal(error.name, 'NoSuchKey');
        assert.equal(error.$metadata.httpStatusCode, 404);
        assert.match(error.$metadata.requestId ?? '', /^[0-9A-F]{16}$/);
        return true;
      });
    });

    test('a wrong secret is SignatureDoesNotMatch', async () => {
      const bad = s3Client(server.endpoint, { ...server.platform, secretAccessKey: 'x'.repeat(40) }, style);
      await assert.rejects(bad.send(new ListBucketsCommand({})), { name: 'SignatureDoesNotMatch' });
      bad.destroy();
    });
  });
}
