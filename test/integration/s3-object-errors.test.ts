// Bad input on object writes and reads: missing or oversized lengths, bodies cut off mid-stream, encryption and
// ACL headers S3 refuses, tagging limits, missing buckets/keys — each answered as AWS answers it, while the server
// keeps serving and leaves nothing half-written behind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand,
  ListObjectsV2Command, ListPartsCommand, PutObjectCommand, type S3Client, type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { rawRequest, signedHeaders, socketRequest, xmlField } from '../helpers/raw-request.js';
import { openFileCount } from '../helpers/open-files.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

let server: TestServer;
let s3: S3Client;
const bucket = 'object-errors';

before(async () => ({ server, s3 } = await serverWithBuckets(bucket)));
after(() => stopServerWithClient(server, s3));

/** Waits (briefly) until `check` holds; the server finishes an aborted request asynchronously. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`never happened: ${what}`);
}

const tempFiles = async () => (await readdir(join(server.dataDir, 'tmp')).catch(() => [])).length;
/** Holds the connection open until the server has started writing the body to a temporary blob. */
const writingStarted = () => eventually(async () => (await tempFiles()) > 0, 'the server starts writing the body');

describe('request lengths', () => {
  test('a PUT without Content-Length (plain chunked transfer) is 411 MissingContentLength', async () => {
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/no-length`, body: 'chunked body', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'transfer-encoding': 'chunked' },
    });
    assert.equal(raw.status, 411);
    assert.equal(xmlField(raw.body, 'Code'), 'MissingContentLength');
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no-length' })), { status: 404 });
  });

  test('a declared size above 5 GiB is 400 EntityTooLarge before any body byte is read', async () => {
    // Nothing but the request head is sent: the answer must come without the server waiting for 5 GiB.
    const response = await socketRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/too-large`, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': String(5 * GiB + 1) }, waitMs: 5_000,
    });
    assert.match(response, /^HTTP\/1\.1 400 /);
    assert.match(response, /<Code>EntityTooLarge<\/Code>/);
    assert.match(response, /<MaxSizeAllowed>5368709120<\/MaxSizeAllowed>/);
  });

  test('an aws-chunked body declaring a decoded length above 5 GiB is EntityTooLarge too', async () => {
    const response = await socketRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/too-large-chunked`, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: { 'content-encoding': 'aws-chunked', 'transfer-encoding': 'chunked', 'x-amz-decoded-content-length': String(5 * GiB + 1), 'x-amz-trailer': 'x-amz-checksum-crc32' },
      waitMs: 5_000,
    });
    assert.match(response, /^HTTP\/1\.1 400 /);
    assert.match(response, /<Code>EntityTooLarge<\/Code>/);
  });

  test('an aws-chunked body shorter than its x-amz-decoded-content-length is 400 IncompleteBody', async () => {
    const data = Buffer.from('12345');
    const body = Buffer.concat([Buffer.from('5\r\n'), data, Buffer.from('\r\n0\r\n\r\n')]);
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/short-chunked`, body, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: { 'content-encoding': 'aws-chunked', 'content-length': String(body.length), 'x-amz-decoded-content-length': '10' },
    });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'IncompleteBody');
  });
});

describe('a client that disconnects mid-body', () => {
  test('PutObject: no object appears, the temporary blob is removed, the server keeps serving', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cut-off', Body: 'previous version' }));
    await socketRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/cut-off`, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': String(MiB) },
      sentBody: randomBytes(100_000), destroyAfterBody: true, beforeDestroy: writingStarted,
    });
    await eventually(async () => (await tempFiles()) === 0, 'the partial blob is removed');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cut-off' }));
    assert.equal(await got.Body!.transformToString(), 'previous version', 'the old object is untouched');
    await socketRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/cut-off-new`, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': String(MiB) },
      sentBody: randomBytes(10_000), destroyAfterBody: true, beforeDestroy: writingStarted,
    });
    await eventually(async () => (await tempFiles()) === 0, 'the partial blob is removed');
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cut-off-new' })), { status: 404 });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'cut-off' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['cut-off']);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-cut', Body: 'still serving' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'after-cut' }))).ContentLength, 13);
  });

  test('GetObject: a client that stops reading and leaves frees the blob file; the object still reads whole', async () => {
    const data = randomBytes(16 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'left-midway', Body: data }));
    const baseline = openFileCount();
    const url = new URL(server.endpoint);
    const received = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest({
        host: url.hostname, port: url.port, path: `/${bucket}/left-midway`, agent: false,
        headers: signedHeaders(server.endpoint, server.platform, { method: 'GET', path: `/${bucket}/left-midway`, payloadHash: 'UNSIGNED-PAYLOAD' }),
      }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Stop reading once the server is blocked on back-pressure, then go away.
          if (bytes >= MiB) { res.pause(); setTimeout(() => { outgoing.destroy(); resolve(bytes); }, 200); }
        });
        res.on('error', () => {});
      });
      outgoing.on('error', (error) => { if (!outgoing.destroyed) reject(error); });
      outgoing.end();
    });
    assert.ok(received < data.length, 'the client left before the end (so this test can fail)');
    await eventually(async () => openFileCount() <= baseline, 'the server closes the blob file');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'left-midway' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
  });

  test('UploadPart: the part is not recorded', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'cut-part' }));
    await socketRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/cut-part`, query: `partNumber=1&uploadId=${UploadId}`, payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'content-length': String(6 * MiB) }, sentBody: randomBytes(200_000), destroyAfterBody: true, beforeDestroy: writingStarted,
    });
    await eventually(async () => (await tempFiles()) === 0, 'the partial blob is removed');
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'cut-part', UploadId }));
    assert.equal(parts.Parts, undefined);
  });
});

describe('encryption headers', () => {
  test('AES256 is accepted and echoed on PUT, Create and Copy', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sse', Body: 's', ServerSideEncryption: 'AES256' }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sse-mpu', ServerSideEncryption: 'AES256' }));
    assert.equal(created.ServerSideEncryption, 'AES256');
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sse-copy', CopySource: `${bucket}/sse`, ServerSideEncryption: 'AES256' }));
    assert.equal(copied.ServerSideEncryption, 'AES256');
  });

  test('an unknown x-amz-server-side-encryption value is 400 InvalidArgument', async () => {
    const bogus = 'AES512' as ServerSideEncryption;
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sse-bad', Body: 's', ServerSideEncryption: bogus })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sse-bad', ServerSideEncryption: bogus })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sse-bad', CopySource: `${bucket}/sse`, ServerSideEncryption: bogus })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sse-bad' })), { status: 404 });
  });

  test('aws:kms is 501 NotImplemented (s3push encrypts with SSE-S3 only)', async () => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sse-kms', Body: 's', ServerSideEncryption: 'aws:kms' })), { code: 'NotImplemented', status: 501 });
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sse-kms', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/x' })), { code: 'NotImplemented', status: 501 });
  });
});

describe('ACL headers on a BucketOwnerEnforced bucket', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html: with ACLs disabled only
  // bucket-owner-full-control (and private) are accepted; other ACLs fail with AccessControlListNotSupported.
  // AWS object-ownership docs: with ACLs disabled only bucket-owner-full-control (or no ACL) is accepted;
  // s3-tests test_create_bucket_bucket_owner_enforced checks that `private` is refused.
  test('bucket-owner-full-control is accepted, private is AccessControlListNotSupported', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl-ok', Body: 'a', ACL: 'bucket-owner-full-control' }));
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl-private', Body: 'a', ACL: 'private' })), { code: 'AccessControlListNotSupported', status: 400 });
    await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'acl-ok-mpu', ACL: 'bucket-owner-full-control' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'acl-ok-copy', CopySource: `${bucket}/acl-ok`, ACL: 'bucket-owner-full-control' }));
  });

  test('public-read and grant headers are 400 AccessControlListNotSupported', async () => {
    for (const call of [
      () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl-bad', Body: 'a', ACL: 'public-read' })),
      () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl-bad', Body: 'a', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })),
      () => s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'acl-bad', ACL: 'authenticated-read' })),
      () => s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'acl-bad', CopySource: `${bucket}/acl-ok`, ACL: 'public-read-write' })),
    ]) {
      await expectS3Error(call(), { code: 'AccessControlListNotSupported', status: 400, message: /does not allow ACLs/ });
    }
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'acl-bad' })), { status: 404 });
  });
});

describe('other refusals', () => {
  test('a missing bucket is NoSuchBucket naming it; a missing key is NoSuchKey naming it', async () => {
    const noBucket = await expectS3Error(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-anywhere', Key: 'k', Body: 'x' })), { code: 'NoSuchBucket', status: 404 });
    assert.equal((noBucket as unknown as { BucketName?: string }).BucketName, 'no-such-bucket-anywhere');
    const noKey = await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/missing key' })), { code: 'NoSuchKey', status: 404 });
    assert.equal((noKey as unknown as { Key?: string }).Key, 'dir/missing key');
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/missing key' })), { code: 'NotFound', status: 404 });
  });

  test('an empty versionId is 400 InvalidArgument', async () => {
    const raw = await rawRequest(server.endpoint, server.platform, { method: 'GET', path: `/${bucket}/acl-ok`, query: 'versionId=' });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'InvalidArgument');
  });

  test('an unknown storage class is 400 InvalidStorageClass', async () => {
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sc', Body: 'x', StorageClass: 'PLATINUM' as 'STANDARD' })), { code: 'InvalidStorageClass', status: 400 });
  });

  test('x-amz-tagging: more than 10 tags is 400 BadRequest; a duplicate key, an aws: prefix or a bad character is 400 InvalidTag', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags', Body: 'x', Tagging: eleven })), { code: 'BadRequest', status: 400 });
    for (const tagging of ['a=1&a=2', 'aws:owner=me', `${'k'.repeat(129)}=v`, `k=${'v'.repeat(257)}`, 'k=a%2Cb']) {
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags', Body: 'x', Tagging: tagging })), { code: 'InvalidTag', status: 400 });
    }
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags', Body: 'x', Tagging: Array.from({ length: 10 }, (_, i) => `k${i}=v`).join('&') }));
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tags' }))).TagCount, 10);
  });

  test('x-amz-tagging: a key without "=" is a tag with an empty value; GetObjectTagging answers in key order', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tag-order', Body: 'x', Tagging: 'foo=bar&bar' }));
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tag-order' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'bar', Value: '' }, { Key: 'foo', Value: 'bar' }]);
  });
});
