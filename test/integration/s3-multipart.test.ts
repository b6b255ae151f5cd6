// Multipart uploads through the AWS SDK v3 and @aws-sdk/lib-storage: ETags, S3's part rules and errors,
// ListParts paging, COMPOSITE and FULL_OBJECT checksums computed independently in the test.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  GetObjectAttributesCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, PutBucketVersioningCommand, PutObjectCommand,
  S3Client as S3ClientClass, UploadPartCommand, type ChecksumAlgorithm, type CompletedPart, type CompleteMultipartUploadCommandOutput, type S3Client,
} from '@aws-sdk/client-s3';
import { limits } from '../../src/core/limits.js';
import { Upload } from '@aws-sdk/lib-storage';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { checksumBase64, compositeChecksum, md5Hex, multipartEtag, sdkField, type Algorithm } from '../helpers/reference-checksums.js';
import { rawRequest, xmlField } from '../helpers/raw-request.js';

const MiB = 1024 * 1024;

let server: TestServer;
let s3: S3Client;
const bucket = 'multipart';
// One 5 MiB part shared by the tests that need a full-size part (S3's minimum for all but the last part).
const big = randomBytes(5 * MiB);

before(async () => ({ server, s3 } = await serverWithBuckets(bucket)));
after(() => stopServerWithClient(server, s3));

async function create(key: string, extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {}): Promise<string> {
  const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
  assert.equal(out.Bucket, bucket);
  assert.equal(out.Key, key);
  return out.UploadId!;
}

async function uploadParts(key: string, uploadId: string, parts: Buffer[], algorithm?: Algorithm): Promise<CompletedPart[]> {
  const done: CompletedPart[] = [];
  for (const [index, body] of parts.entries()) {
    const out = await s3.send(new UploadPartCommand({
      Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: index + 1, Body: body,
      ...(algorithm ? { ChecksumAlgorithm: algorithm as ChecksumAlgorithm } : {}),
    }));
    assert.equal(out.ETag, `"${md5Hex(body)}"`);
    assert.equal(out.ServerSideEncryption, 'AES256');
    const part: CompletedPart = { PartNumber: index + 1, ETag: out.ETag };
    if (algorithm) {
      assert.equal(out[sdkField(algorithm)], await checksumBase64(algorithm, body));
      part[sdkField(algorithm)] = out[sdkField(algorithm)];
    }
    done.push(part);
  }
  return done;
}

async function readAll(key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

describe('the multipart life cycle', () => {
  test('Create → UploadPart ×3 → Complete: ETag md5(part md5s)-3, Location, the bytes in order', async () => {
    const parts = [big, randomBytes(5 * MiB), randomBytes(777)];
    const uploadId = await create('three');
    const done = await uploadParts('three', uploadId, parts);
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'three', UploadId: uploadId, MultipartUpload: { Parts: done } }));
    assert.equal(out.ETag, multipartEtag(parts));
    assert.equal(out.Bucket, bucket);
    assert.equal(out.Key, 'three');
    assert.equal(out.ServerSideEncryption, 'AES256');
    assert.match(out.Location ?? '', /\/multipart\/three$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'three' }));
    assert.equal(head.ContentLength, 10 * MiB + 777);
    assert.equal(head.ETag, multipartEtag(parts));
    assert.ok((await readAll('three')).equals(Buffer.concat(parts)));
  });

  test('Create carries metadata and headers to the object', async () => {
    const uploadId = await create('with-meta', { ContentType: 'video/mp4', Metadata: { origin: 'mpu' }, CacheControl: 'no-cache' });
    const done = await uploadParts('with-meta', uploadId, [Buffer.from('tiny')]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'with-meta', UploadId: uploadId, MultipartUpload: { Parts: done } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'with-meta' }));
    assert.equal(head.ContentType, 'video/mp4');
    assert.equal(head.CacheControl, 'no-cache');
    assert.deepEqual(head.Metadata, { origin: 'mpu' });
    assert.equal(head.ETag, multipartEtag([Buffer.from('tiny')]));
  });

  test('a part smaller than 5 MiB that is not the last is EntityTooSmall at Complete', async () => {
    const uploadId = await create('too-small');
    const done = await uploadParts('too-small', uploadId, [randomBytes(5 * MiB - 1), Buffer.from('last')]);
    const error = await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'too-small', UploadId: uploadId, MultipartUpload: { Parts: done } })), { code: 'EntityTooSmall', status: 400 });
    assert.equal((error as unknown as { PartNumber?: string }).PartNumber, '1');
    // The upload survives a refused Complete; completing with part 2 alone (the last part may be small) works.
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'too-small', UploadId: uploadId, MultipartUpload: { Parts: [done[1]!] } }));
    assert.equal((await readAll('too-small')).toString(), 'last');
  });

  test('a wrong ETag or a part never uploaded is InvalidPart', async () => {
    const uploadId = await create('invalid-part');
    const done = await uploadParts('invalid-part', uploadId, [big, Buffer.from('end')]);
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: 'invalid-part', UploadId: uploadId,
      MultipartUpload: { Parts: [done[0]!, { PartNumber: 2, ETag: `"${md5Hex(Buffer.from('other'))}"` }] },
    })), { code: 'InvalidPart', status: 400 });
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: 'invalid-part', UploadId: uploadId,
      MultipartUpload: { Parts: [done[0]!, { PartNumber: 3, ETag: done[1]!.ETag }] },
    })), { code: 'InvalidPart', status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'invalid-part', UploadId: uploadId }));
  });

  test('parts listed out of order (or twice) are InvalidPartOrder; an empty list is MalformedXML', async () => {
    const uploadId = await create('order');
    const done = await uploadParts('order', uploadId, [big, Buffer.from('end')]);
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'order', UploadId: uploadId, MultipartUpload: { Parts: [done[1]!, done[0]!] } })), { code: 'InvalidPartOrder', status: 400 });
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'order', UploadId: uploadId, MultipartUpload: { Parts: [done[0]!, done[0]!] } })), { code: 'InvalidPartOrder', status: 400 });
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'order', UploadId: uploadId, MultipartUpload: { Parts: [] } })), { code: 'MalformedXML', status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'order', UploadId: uploadId }));
  });

  test('uploading a part number again replaces the part', async () => {
    const uploadId = await create('replace');
    const first = await uploadParts('replace', uploadId, [Buffer.from('first version')]);
    const second = await uploadParts('replace', uploadId, [Buffer.from('second')]);
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'replace', UploadId: uploadId }));
    assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, second[0]!.ETag, 6]]);
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'replace', UploadId: uploadId, MultipartUpload: { Parts: first } })), { code: 'InvalidPart', status: 400 });
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'replace', UploadId: uploadId, MultipartUpload: { Parts: second } }));
    assert.equal((await readAll('replace')).toString(), 'second');
  });

  test('after Abort or Complete the upload is gone: NoSuchUpload for UploadPart, ListParts, Complete and Abort', async () => {
    const aborted = await create('gone');
    const done = await uploadParts('gone', aborted, [Buffer.from('x')]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'gone', UploadId: aborted }));
    const completed = await create('gone');
    const completedParts = await uploadParts('gone', completed, [Buffer.from('y')]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'gone', UploadId: completed, MultipartUpload: { Parts: completedParts } }));
    for (const uploadId of [aborted, completed, 'no-such-upload-id']) {
      await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'gone', UploadId: uploadId, PartNumber: 1, Body: 'z' })), { code: 'NoSuchUpload', status: 404 });
      await expectS3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'gone', UploadId: uploadId })), { code: 'NoSuchUpload', status: 404 });
    }
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'gone', UploadId: aborted, MultipartUpload: { Parts: done } })), { code: 'NoSuchUpload', status: 404 });
    await expectS3Error(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'gone', UploadId: aborted })), { code: 'NoSuchUpload', status: 404 });
    // An upload id belongs to its key.
    const other = await create('owner-key');
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'not-owner-key', UploadId: other, PartNumber: 1, Body: 'z' })), { code: 'NoSuchUpload', status: 404 });
    assert.equal((await readAll('gone')).toString(), 'y');
  });

  test('part numbers outside 1..10000 are InvalidArgument', async () => {
    const uploadId = await create('part-numbers');
    for (const partNumber of ['0', '10001', 'x']) {
      const raw = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}/part-numbers`, query: `partNumber=${partNumber}&uploadId=${uploadId}`, body: 'p', headers: { 'content-length': '1' } });
      assert.equal(raw.status, 400, partNumber);
      assert.equal(xmlField(raw.body, 'Code'), 'InvalidArgument');
    }
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'part-numbers', UploadId: uploadId, PartNumber: 10000, Body: 'last possible' }));
  });
});

describe('a repeated CompleteMultipartUpload (a retry after a lost answer)', () => {
  /** What a client compares between the first answer and a repeat's. */
  const answer = (out: CompleteMultipartUploadCommandOutput): unknown[] =>
    [out.ETag, out.Location, out.Bucket, out.Key, out.VersionId, out.ChecksumCRC32, out.ChecksumType, out.ServerSideEncryption];

  test('with the same part list, answers exactly as the first Complete did (ETag, Location, version, checksum)', async () => {
    const versioned = 'multipart-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: versioned, Key: 'again', ChecksumAlgorithm: 'CRC32' }));
    const parts = [big, Buffer.from('tail')];
    const done: CompletedPart[] = [];
    for (const [index, body] of parts.entries()) {
      const out = await s3.send(new UploadPartCommand({ Bucket: versioned, Key: 'again', UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      done.push({ PartNumber: index + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
    }
    const complete = (): Promise<CompleteMultipartUploadCommandOutput> =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: versioned, Key: 'again', UploadId, MultipartUpload: { Parts: done } }));
    const first = await complete();
    assert.ok(first.VersionId);
    assert.equal(first.ETag, multipartEtag(parts));
    assert.equal(first.ChecksumCRC32, await compositeChecksum('CRC32', parts));
    const second = await complete();
    assert.deepEqual(answer(second), answer(first));
    // The repeat created nothing: one version, and the upload stays gone.
    const head = await s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'again' }));
    assert.equal(head.VersionId, first.VersionId);
    await expectS3Error(s3.send(new ListPartsCommand({ Bucket: versioned, Key: 'again', UploadId })), { code: 'NoSuchUpload', status: 404 });
    // Even after the key was overwritten, the repeat answers what the completion made.
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'again', Body: 'newer' }));
    assert.deepEqual(answer(await complete()), answer(first));
  });

  test('an unversioned bucket\'s repeat names no version either; s3-tests\' single-part case', async () => {
    const uploadId = await create('again-small');
    const done = await uploadParts('again-small', uploadId, [Buffer.from('x')]);
    const first = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'again-small', UploadId: uploadId, MultipartUpload: { Parts: done } }));
    const second = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'again-small', UploadId: uploadId, MultipartUpload: { Parts: done } }));
    assert.equal(first.VersionId, undefined);
    assert.deepEqual(answer(second), answer(first));
  });

  test('another part list, another key or an empty body: NoSuchUpload, NoSuchUpload, MalformedXML', async () => {
    const uploadId = await create('again-other');
    const done = await uploadParts('again-other', uploadId, [big, Buffer.from('end')]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'again-other', UploadId: uploadId, MultipartUpload: { Parts: done } }));
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'again-other', UploadId: uploadId, MultipartUpload: { Parts: [done[0]!] } })), { code: 'NoSuchUpload', status: 404 });
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: 'again-other', UploadId: uploadId, MultipartUpload: { Parts: [done[0]!, { PartNumber: 2, ETag: `"${md5Hex(Buffer.from('other'))}"` }] },
    })), { code: 'NoSuchUpload', status: 404 });
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'not-again-other', UploadId: uploadId, MultipartUpload: { Parts: done } })), { code: 'NoSuchUpload', status: 404 });
    const empty = await rawRequest(server.endpoint, server.platform, { method: 'POST', path: `/${bucket}/again-other`, query: `uploadId=${uploadId}`, body: '' });
    assert.equal(empty.status, 400);
    assert.equal(xmlField(empty.body, 'Code'), 'MalformedXML');
  });

  test('a Complete with an empty body on an upload in progress is MalformedXML (not MissingRequestBodyError), and the upload survives', async () => {
    const uploadId = await create('empty-body');
    const done = await uploadParts('empty-body', uploadId, [Buffer.from('x')]);
    const empty = await rawRequest(server.endpoint, server.platform, { method: 'POST', path: `/${bucket}/empty-body`, query: `uploadId=${uploadId}`, body: '' });
    assert.equal(empty.status, 400);
    assert.equal(xmlField(empty.body, 'Code'), 'MalformedXML');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'empty-body', UploadId: uploadId, MultipartUpload: { Parts: done } }));
  });

  test('after the retention (limits.completedUploadRetentionMs) the repeat is NoSuchUpload', async () => {
    let offsetMs = 0;
    const clocked = await startTestServer({ clock: { nowMs: () => Date.now() + offsetMs } });
    const client = (clockOffsetMs: number): S3Client => new S3ClientClass({
      endpoint: clocked.endpoint, region: 'us-east-1', credentials: clocked.platform, forcePathStyle: true, systemClockOffset: clockOffsetMs,
    });
    const now = client(0);
    try {
      await now.send(new CreateBucketCommand({ Bucket: 'retention' }));
      const { UploadId } = await now.send(new CreateMultipartUploadCommand({ Bucket: 'retention', Key: 'k' }));
      const part = await now.send(new UploadPartCommand({ Bucket: 'retention', Key: 'k', UploadId, PartNumber: 1, Body: 'x' }));
      const parts = { Parts: [{ PartNumber: 1, ETag: part.ETag }] };
      await now.send(new CompleteMultipartUploadCommand({ Bucket: 'retention', Key: 'k', UploadId, MultipartUpload: parts }));
      offsetMs = limits.completedUploadRetentionMs - 60_000;
      const almost = client(offsetMs);
      await almost.send(new CompleteMultipartUploadCommand({ Bucket: 'retention', Key: 'k', UploadId, MultipartUpload: parts }));
      almost.destroy();
      offsetMs = limits.completedUploadRetentionMs + 60_000;
      const later = client(offsetMs);
      await expectS3Error(later.send(new CompleteMultipartUploadCommand({ Bucket: 'retention', Key: 'k', UploadId, MultipartUpload: parts })), { code: 'NoSuchUpload', status: 404 });
      later.destroy();
    } finally {
      now.destroy();
      await clocked.stop();
    }
  });
});

describe('ListParts', () => {
  test('pages with max-parts and part-number-marker, each part with ETag, Size and LastModified', async () => {
    const uploadId = await create('listed', { StorageClass: 'STANDARD' });
    const bodies = [1, 2, 3, 4, 5].map((n) => Buffer.from(`part ${n} `.repeat(n)));
    const done = await uploadParts('listed', uploadId, bodies);
    const seen: number[] = [];
    let marker: string | undefined;
    const pages: boolean[] = [];
    do {
      const page = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId, MaxParts: 2, ...(marker ? { PartNumberMarker: marker } : {}) }));
      assert.equal(page.MaxParts, 2);
      assert.equal(page.UploadId, uploadId);
      assert.equal(page.Key, 'listed');
      assert.equal(page.StorageClass, 'STANDARD');
      assert.equal(page.PartNumberMarker, marker ?? '0');
      for (const part of page.Parts ?? []) {
        seen.push(part.PartNumber!);
        assert.equal(part.ETag, done[part.PartNumber! - 1]!.ETag);
        assert.equal(part.Size, bodies[part.PartNumber! - 1]!.length);
        assert.ok(part.LastModified instanceof Date);
      }
      pages.push(page.IsTruncated ?? false);
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      if (page.IsTruncated) assert.equal(page.NextPartNumberMarker, String(seen[seen.length - 1]));
    } while (marker);
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    assert.deepEqual(pages, [true, true, false]);
    const tail = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId, PartNumberMarker: '4' }));
    assert.deepEqual(tail.Parts?.map((p) => p.PartNumber), [5]);
    assert.equal(tail.IsTruncated, false);
  });
});

describe('multipart checksums', () => {
  const small = randomBytes(100_000);

  for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
    test(`COMPOSITE ${algorithm}: base64(${algorithm}(part digests))-N, returned on HEAD; a part read returns that part's checksum`, async () => {
      const key = `composite-${algorithm}`;
      const uploadId = await create(key, { ChecksumAlgorithm: algorithm });
      const done = await uploadParts(key, uploadId, [big, small], algorithm);
      const expected = await compositeChecksum(algorithm, [big, small]);
      const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }));
      assert.equal(out[sdkField(algorithm)], expected);
      assert.equal(out.ChecksumType, 'COMPOSITE');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(head[sdkField(algorithm)], expected);
      assert.equal(head.ChecksumType, 'COMPOSITE');
      const part2 = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', PartNumber: 2 }));
      assert.equal(part2[sdkField(algorithm)], await checksumBase64(algorithm, small));
      assert.equal(part2.ContentLength, small.length);
      const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: key, ObjectAttributes: ['Checksum', 'ObjectParts', 'ETag', 'ObjectSize'] }));
      assert.equal(attributes.Checksum?.[sdkField(algorithm)], expected);
      assert.equal(attributes.ObjectParts?.TotalPartsCount, 2);
      assert.equal(attributes.ObjectParts?.Parts?.[1]?.[sdkField(algorithm)], await checksumBase64(algorithm, small));
      assert.equal(attributes.ObjectSize, big.length + small.length);
      assert.equal(`"${attributes.ETag}"`, multipartEtag([big, small]));
      // A full GET with ChecksumMode still streams; the SDK skips validating a composite (-N) value.
      assert.ok((await readAll(key)).equals(Buffer.concat([big, small])));
    });
  }

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    test(`FULL_OBJECT ${algorithm}: the value is the ${algorithm} of the whole object`, async () => {
      const key = `full-${algorithm}`;
      const uploadId = await create(key, { ChecksumAlgorithm: algorithm, ChecksumType: 'FULL_OBJECT' });
      const done = await uploadParts(key, uploadId, [big, small], algorithm);
      const whole = await checksumBase64(algorithm, Buffer.concat([big, small]));
      const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done }, [sdkField(algorithm)]: whole }));
      assert.equal(out[sdkField(algorithm)], whole);
      assert.equal(out.ChecksumType, 'FULL_OBJECT');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(got[sdkField(algorithm)], whole);
      assert.equal(got.ChecksumType, 'FULL_OBJECT');
      // The SDK validates a full-object value while streaming: reading succeeds only if it is right.
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([big, small])));
    });
  }

  test('CRC64NVME uploads are FULL_OBJECT by default; COMPOSITE CRC64NVME and FULL_OBJECT SHA are InvalidRequest', async () => {
    const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'nvme-default', ChecksumAlgorithm: 'CRC64NVME' }));
    assert.equal(out.ChecksumAlgorithm, 'CRC64NVME');
    assert.equal(out.ChecksumType, 'FULL_OBJECT');
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })), { code: 'InvalidRequest', status: 400 });
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x', ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' })), { code: 'InvalidRequest', status: 400 });
  });

  test('a wrong full-object checksum at Complete is BadDigest; a wrong part checksum in the list is InvalidPart', async () => {
    const uploadId = await create('bad-full', { ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' });
    const done = await uploadParts('bad-full', uploadId, [big, small], 'CRC32');
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: 'bad-full', UploadId: uploadId, MultipartUpload: { Parts: done }, ChecksumCRC32: await checksumBase64('CRC32', small),
    })), { code: 'BadDigest', status: 400 });
    const tampered = [done[0]!, { ...done[1]!, ChecksumCRC32: await checksumBase64('CRC32', big) }];
    await expectS3Error(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'bad-full', UploadId: uploadId, MultipartUpload: { Parts: tampered } })), { code: 'InvalidPart', status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'bad-full', UploadId: uploadId }));
  });

  test('a part sent with another algorithm than the upload\'s is InvalidRequest', async () => {
    const uploadId = await create('alg-mismatch', { ChecksumAlgorithm: 'SHA256' });
    await expectS3Error(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'alg-mismatch', UploadId: uploadId, PartNumber: 1, Body: 'p', ChecksumAlgorithm: 'CRC32' })), { code: 'InvalidRequest', status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'alg-mismatch', UploadId: uploadId }));
  });
});

describe('@aws-sdk/lib-storage Upload', () => {
  test('a 12 MiB buffer goes up as 5+5+2 MiB parts with a COMPOSITE CRC32 and reads back whole', async () => {
    const body = randomBytes(12 * MiB);
    const parts = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)];
    const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: 'lib-storage.bin', Body: body, ContentType: 'application/x-lib' }, partSize: 5 * MiB, queueSize: 2 });
    const out = await upload.done();
    assert.equal(out.ETag, multipartEtag(parts));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'lib-storage.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ContentType, 'application/x-lib');
    assert.equal(head.ChecksumCRC32, await compositeChecksum('CRC32', parts));
    assert.ok((await readAll('lib-storage.bin')).equals(body));
  });

  test('a stream of unknown length goes up the same way', async () => {
    const body = randomBytes(11 * MiB + 3);
    const chunks = [];
    for (let offset = 0; offset < body.length; offset += 700_000) chunks.push(body.subarray(offset, offset + 700_000));
    const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: 'lib-storage-stream.bin', Body: Readable.from(chunks) }, partSize: 5 * MiB });
    const out = await upload.done();
    assert.equal(out.ETag, multipartEtag([body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)]));
    assert.ok((await readAll('lib-storage-stream.bin')).equals(body));
  });

  test('a body under one part is a single PutObject', async () => {
    const body = randomBytes(1000);
    const out = await new Upload({ client: s3, params: { Bucket: bucket, Key: 'lib-storage-small.bin', Body: body } }).done();
    assert.equal(out.ETag, `"${md5Hex(body)}"`);
  });
});
