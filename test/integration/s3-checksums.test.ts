// Integrity on PutObject: x-amz-checksum-* as header and as aws-chunked trailer for every algorithm, stored and
// returned (full reads only), BadDigest / InvalidRequest / InvalidDigest / XAmzContentSHA256Mismatch on bad input.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  GetObjectCommand, HeadObjectCommand, PutObjectCommand, type ChecksumAlgorithm, type S3Client,
} from '@aws-sdk/client-s3';
import { limits } from '../../src/core/limits.js';
import type { TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { algorithms, checksumBase64, md5Base64, sdkField, type Algorithm } from '../helpers/reference-checksums.js';
import { rawRequest, xmlField } from '../helpers/raw-request.js';

let server: TestServer;
let s3: S3Client;
const bucket = 'checksums';

before(async () => ({ server, s3 } = await serverWithBuckets(bucket)));
after(() => stopServerWithClient(server, s3));

/** An aws-chunked body (unsigned, with a trailer), as SDKs frame stream uploads. */
function awsChunked(data: Buffer, trailerName: string, trailerValue: string, chunkBytes = 64 * 1024): Buffer {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += chunkBytes) {
    const chunk = data.subarray(offset, offset + chunkBytes);
    pieces.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`0\r\n${trailerName}:${trailerValue}\r\n\r\n`));
  return Buffer.concat(pieces);
}

function trailerRequest(key: string, data: Buffer, trailerName: string, trailerValue: string) {
  const body = awsChunked(data, trailerName, trailerValue);
  return rawRequest(server.endpoint, server.platform, {
    method: 'PUT', path: `/${bucket}/${key}`, body, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: {
      'content-encoding': 'aws-chunked', 'content-length': String(body.length), 'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': trailerName,
    },
  });
}

const headerName = (algorithm: Algorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** Runs one SDK call and captures the headers it put on the wire (after signing). */
async function sentHeaders<T>(call: () => Promise<T>): Promise<{ result: T; headers: Record<string, string> }> {
  let headers: Record<string, string> = {};
  const name = 'capture-sent-headers';
  s3.middlewareStack.add((next) => async (args) => {
    headers = Object.fromEntries(Object.entries((args.request as { headers: Record<string, string> }).headers).map(([k, v]) => [k.toLowerCase(), v]));
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low', name });
  try {
    return { result: await call(), headers };
  } finally {
    s3.middlewareStack.remove(name);
  }
}

describe('each algorithm, as a header and as a trailer', () => {
  for (const algorithm of algorithms) {
    test(`${algorithm} in a header: verified, echoed, stored, returned with ChecksumMode on full reads only`, async () => {
      const body = randomBytes(70_000);
      const expected = await checksumBase64(algorithm, body);
      const key = `header-${algorithm}`;
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: algorithm as ChecksumAlgorithm }));
      assert.equal(put[sdkField(algorithm)], expected);
      assert.equal(put.ChecksumType, 'FULL_OBJECT');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(head[sdkField(algorithm)], expected);
      assert.equal(head.ChecksumType, 'FULL_OBJECT');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(got[sdkField(algorithm)], expected);
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
      const plain = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(plain[sdkField(algorithm)], undefined, 'no checksum without x-amz-checksum-mode');
      // A ranged read is not the whole object: its checksum would be wrong (and clients would reject it).
      const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', Range: 'bytes=0-99' }));
      assert.equal(ranged[sdkField(algorithm)], undefined);
      assert.equal(ranged.ChecksumType, undefined);
      assert.equal((await ranged.Body!.transformToByteArray()).length, 100);
    });

    test(`${algorithm} as an aws-chunked trailer (SDK stream body): verified and stored`, async () => {
      const body = randomBytes(200_000);
      const expected = await checksumBase64(algorithm, body);
      const key = `trailer-${algorithm}`;
      const stream = Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]);
      const sent = await sentHeaders(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: stream, ContentLength: body.length, ChecksumAlgorithm: algorithm as ChecksumAlgorithm })));
      assert.equal(sent.headers['x-amz-trailer'], headerName(algorithm), 'the SDK sent the checksum as a trailer');
      assert.equal(sent.headers[headerName(algorithm)], undefined);
      const put = sent.result;
      assert.equal(put[sdkField(algorithm)], expected);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(head[sdkField(algorithm)], expected);
      assert.equal(head.ContentLength, body.length);
      assert.equal(head.ContentEncoding, undefined);
    });

    test(`${algorithm}: a wrong value is 400 BadDigest (header and trailer) and nothing is stored`, async () => {
      const body = randomBytes(5000);
      const wrong = await checksumBase64(algorithm, Buffer.from('something else'));
      const key = `bad-${algorithm}`;
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, [sdkField(algorithm)]: wrong })), {
        code: 'BadDigest', status: 400, message: new RegExp(`${algorithm}`),
      });
      const raw = await trailerRequest(key, body, headerName(algorithm), wrong);
      assert.equal(raw.status, 400);
      assert.equal(xmlField(raw.body, 'Code'), 'BadDigest');
      await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { status: 404 });
    });

    test(`${algorithm}: a malformed value is 400 InvalidRequest (header and trailer)`, async () => {
      const key = `malformed-${algorithm}`;
      for (const value of ['not base64!', Buffer.alloc(3).toString('base64')]) {
        await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'abc', [sdkField(algorithm)]: value })), { code: 'InvalidRequest', status: 400 });
      }
      const raw = await trailerRequest(key, Buffer.from('abc'), headerName(algorithm), 'AAAA=');
      assert.equal(raw.status, 400);
      assert.equal(xmlField(raw.body, 'Code'), 'InvalidRequest');
    });
  }

  test('a trailer that is announced but never sent is InvalidRequest', async () => {
    const data = Buffer.from('payload');
    const body = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n0\r\n\r\n')]);
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/no-trailer`, body, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: { 'content-encoding': 'aws-chunked', 'content-length': String(body.length), 'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32' },
    });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'InvalidRequest');
  });

  test('a client-supplied value the server agrees with needs no algorithm header', async () => {
    const body = randomBytes(1000);
    const value = await checksumBase64('SHA256', body);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'given-sha256', Body: body, ChecksumSHA256: value }));
    assert.equal(put.ChecksumSHA256, value);
  });
});

describe('conflicting and malformed integrity headers', () => {
  test('two x-amz-checksum-* headers are 400 InvalidRequest', async () => {
    const body = Buffer.from('two checksums');
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/two`, body,
      headers: { 'content-length': String(body.length), 'x-amz-checksum-crc32': await checksumBase64('CRC32', body), 'x-amz-checksum-sha256': await checksumBase64('SHA256', body) },
    });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'InvalidRequest');
  });

  test('x-amz-sdk-checksum-algorithm naming another algorithm than the header sent is 400 InvalidRequest', async () => {
    const body = Buffer.from('mismatch');
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/alg-mismatch`, body,
      headers: { 'content-length': String(body.length), 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': await checksumBase64('CRC32', body) },
    });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'InvalidRequest');
  });

  test('Content-MD5: right is stored, wrong is 400 BadDigest, malformed is 400 InvalidDigest', async () => {
    const body = randomBytes(3000);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: body, ContentMD5: md5Base64(body) }));
    assert.equal(put.ETag, `"${Buffer.from(md5Base64(body), 'base64').toString('hex')}"`);
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-wrong', Body: body, ContentMD5: md5Base64(Buffer.from('other')) })), { code: 'BadDigest', status: 400 });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-bad', Body: body, ContentMD5: 'not-an-md5' })), { code: 'InvalidDigest', status: 400 });
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-short', Body: body, ContentMD5: Buffer.alloc(15).toString('base64') })), { code: 'InvalidDigest', status: 400 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5-wrong' })), { status: 404 });
  });

  test('a body that does not match its signed x-amz-content-sha256 is 400 XAmzContentSHA256Mismatch', async () => {
    const body = Buffer.from('the body that was sent');
    const claimed = Buffer.from('the body that was signed');
    const raw = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/sha-mismatch`, body,
      payloadHash: createHash('sha256').update(claimed).digest('hex'),
      headers: { 'content-length': String(body.length) },
    });
    assert.equal(raw.status, 400);
    assert.equal(xmlField(raw.body, 'Code'), 'XAmzContentSHA256Mismatch');
    assert.equal(xmlField(raw.body, 'ClientComputedContentSHA256'), createHash('sha256').update(claimed).digest('hex'));
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sha-mismatch' })), { status: 404 });
  });

  // Bodies from limits.offThreadHashBytesMin up have MD5 and SHA-256 computed on a worker thread.
  test('large bodies (hashed off the event loop): ETag is the MD5; wrong Content-MD5 or signed SHA-256 is refused and nothing stored', async () => {
    const body = randomBytes(limits.offThreadHashBytesMin + 3 * 1024 * 1024 + 17);
    const md5 = createHash('md5').update(body).digest();
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-md5', Body: body, ContentMD5: md5.toString('base64') }));
    assert.equal(put.ETag, `"${md5.toString('hex')}"`);
    assert.ok(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large-md5' }))).Body!.transformToByteArray()).equals(body));
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large-md5-wrong', Body: body, ContentMD5: md5Base64(Buffer.from('other')) })), { code: 'BadDigest', status: 400 });
    const signed = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/large-sha`, body, payloadHash: createHash('sha256').update(body).digest('hex'),
      headers: { 'content-length': String(body.length) },
    });
    assert.equal(signed.status, 200);
    assert.equal(signed.headers['etag'], `"${md5.toString('hex')}"`);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 1] ^= 1;
    const mismatch = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/large-sha-wrong`, body: tampered, payloadHash: createHash('sha256').update(body).digest('hex'),
      headers: { 'content-length': String(body.length) },
    });
    assert.equal(mismatch.status, 400);
    assert.equal(xmlField(mismatch.body, 'Code'), 'XAmzContentSHA256Mismatch');
    for (const key of ['large-md5-wrong', 'large-sha-wrong']) await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { status: 404 });
  });

  test('UNSIGNED-PAYLOAD skips the body hash but still checks a checksum header', async () => {
    const body = Buffer.from('unsigned');
    const ok = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/unsigned`, body, payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'content-length': String(body.length), 'x-amz-checksum-crc32c': await checksumBase64('CRC32C', body) },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-amz-checksum-crc32c'], await checksumBase64('CRC32C', body));
    const bad = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}/unsigned-bad`, body, payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'content-length': String(body.length), 'x-amz-checksum-crc32c': await checksumBase64('CRC32C', Buffer.from('x')) },
    });
    assert.equal(bad.status, 400);
    assert.equal(xmlField(bad.body, 'Code'), 'BadDigest');
  });
});
