// CopyObject and UploadPartCopy through the AWS SDK v3: response fields, directives, copy-source conditions,
// versions and delete markers, copy-to-self, copy-source encoding, cross-bucket and cross-account, the 5 GiB
// limit (on a > 5 GiB object built by reference, not by copying bytes), and byte sharing between copies.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListPartsCommand,
  PutBucketVersioningCommand, PutObjectCommand, UploadPartCopyCommand, type CompletedPart, type S3Client,
} from '@aws-sdk/client-s3';
import { GarbageCollector } from '../../src/main/garbage-collector.js';
import type { TestServer } from '../helpers/server.js';
import { serverWithBuckets, stopServerWithClient } from '../helpers/s3-fixture.js';
import { s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { checksumBase64, md5Hex, multipartEtag } from '../helpers/reference-checksums.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

let server: TestServer;
let s3: S3Client;
const bucket = 'copies';
const versioned = 'copies-versioned';

before(async () => {
  ({ server, s3 } = await serverWithBuckets(bucket, versioned));
  await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
});
after(() => stopServerWithClient(server, s3));

async function text(bucketName: string, key: string, versionId?: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return got.Body!.transformToString();
}

async function bytes(bucketName: string, key: string, range?: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key, ...(range ? { Range: range } : {}) }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** Encodes a key for x-amz-copy-source as botocore does (JS v3 passes CopySource through verbatim). */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

describe('CopyObject responses and metadata', () => {
  test('the result carries ETag, LastModified and AES256; no version ids between unversioned buckets', async () => {
    const body = randomBytes(10_000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: body }));
    const before = Date.now() - 1000;
    const out = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }));
    assert.equal(out.CopyObjectResult?.ETag, `"${md5Hex(body)}"`);
    assert.ok(out.CopyObjectResult!.LastModified!.getTime() >= Math.floor(before / 1000) * 1000);
    assert.equal(out.ServerSideEncryption, 'AES256');
    assert.equal(out.VersionId, undefined);
    assert.equal(out.CopySourceVersionId, undefined);
    assert.ok((await bytes(bucket, 'dst')).equals(body));
  });

  test('versioned source and destination: CopySourceVersionId names the source version, VersionId the new one', async () => {
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'version one' }))).VersionId!;
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'version two' }));
    const out = await s3.send(new CopyObjectCommand({ Bucket: versioned, Key: 'restored', CopySource: `${versioned}/doc?versionId=${v1}` }));
    assert.equal(out.CopySourceVersionId, v1);
    assert.ok(out.VersionId && out.VersionId !== v1);
    assert.equal(await text(versioned, 'restored'), 'version one');
    const latest = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'from-versioned', CopySource: `${versioned}/doc` }));
    assert.ok(latest.CopySourceVersionId && latest.CopySourceVersionId !== v1, 'the current version is named');
    assert.equal(latest.VersionId, undefined, 'the destination is unversioned');
    assert.equal(await text(bucket, 'from-versioned'), 'version two');
  });

  test('MetadataDirective COPY takes headers and metadata from the source and ignores the request\'s', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta-src', Body: 'm', ContentType: 'text/x-source', CacheControl: 'max-age=5', ContentDisposition: 'inline', Metadata: { from: 'source' } }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'meta-copy', CopySource: `${bucket}/meta-src`, ContentType: 'text/ignored', Metadata: { ignored: 'yes' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta-copy' }));
    assert.equal(head.ContentType, 'text/x-source');
    assert.equal(head.CacheControl, 'max-age=5');
    assert.equal(head.ContentDisposition, 'inline');
    assert.deepEqual(head.Metadata, { from: 'source' });
  });

  test('MetadataDirective REPLACE uses only the request: no Content-Type means binary/octet-stream', async () => {
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'meta-replaced', CopySource: `${bucket}/meta-src`, MetadataDirective: 'REPLACE', Metadata: { fresh: '1' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta-replaced' }));
    assert.equal(head.ContentType, 'binary/octet-stream');
    assert.equal(head.CacheControl, undefined);
    assert.equal(head.ContentDisposition, undefined);
    assert.deepEqual(head.Metadata, { fresh: '1' });
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'meta-replaced-2', CopySource: `${bucket}/meta-src`, MetadataDirective: 'REPLACE', ContentType: 'application/json', ContentLanguage: 'en' }));
    const second = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'meta-replaced-2' }));
    assert.equal(second.ContentType, 'application/json');
    assert.equal(second.ContentLanguage, 'en');
    assert.deepEqual(second.Metadata, {});
  });

  test('an unknown directive is 400 InvalidArgument', async () => {
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/meta-src`, MetadataDirective: 'MERGE' as 'COPY' })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/meta-src`, TaggingDirective: 'KEEP' as 'COPY' })), { code: 'InvalidArgument', status: 400 });
  });

  test('TaggingDirective COPY copies the tag set; REPLACE uses x-amz-tagging (or none)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 't', Tagging: 'team=media&stage=raw' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'tags-copied', CopySource: `${bucket}/tagged` }));
    const copied = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags-copied' }));
    assert.deepEqual(copied.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort(), ['stage=raw', 'team=media']);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'tags-replaced', CopySource: `${bucket}/tagged`, TaggingDirective: 'REPLACE', Tagging: 'stage=final' }));
    const replaced = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags-replaced' }));
    assert.deepEqual(replaced.TagSet?.map((t) => `${t.Key}=${t.Value}`), ['stage=final']);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'tags-dropped', CopySource: `${bucket}/tagged`, TaggingDirective: 'REPLACE' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags-dropped' }))).TagSet, []);
  });

  test('the storage class and website redirect are not copied; the checksum is', async () => {
    const body = randomBytes(2000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sc-src', Body: body, StorageClass: 'STANDARD_IA', WebsiteRedirectLocation: '/elsewhere', ChecksumAlgorithm: 'SHA256' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sc-copy', CopySource: `${bucket}/sc-src` }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sc-copy', ChecksumMode: 'ENABLED' }));
    assert.equal(head.StorageClass, undefined, 'STANDARD is not named');
    assert.equal(head.WebsiteRedirectLocation, undefined);
    assert.equal(head.ChecksumSHA256, await checksumBase64('SHA256', body));
    const recomputed = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sc-crc32c', CopySource: `${bucket}/sc-src`, ChecksumAlgorithm: 'CRC32C' }));
    assert.equal(recomputed.CopyObjectResult?.ChecksumCRC32C, await checksumBase64('CRC32C', body));
  });
});

describe('copy-source conditions', () => {
  let etag: string;
  let lastModified: Date;
  before(async () => {
    etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond-src', Body: 'conditional source' }))).ETag!;
    lastModified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond-src' }))).LastModified!;
  });
  const earlier = () => new Date(lastModified.getTime() - 3600_000);
  const later = () => new Date(lastModified.getTime() + 3600_000);
  const copy = (extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>) =>
    s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'cond-dst', CopySource: `${bucket}/cond-src`, ...extra }));

  test('each failing x-amz-copy-source-if-* is 412 PreconditionFailed', async () => {
    await expectS3Error(copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }), { code: 'PreconditionFailed', status: 412 });
    await expectS3Error(copy({ CopySourceIfNoneMatch: etag }), { code: 'PreconditionFailed', status: 412 });
    // Not modified since its own Last-Modified (a date in the future would be ignored, RFC 9110 §13.1.3).
    await expectS3Error(copy({ CopySourceIfModifiedSince: lastModified }), { code: 'PreconditionFailed', status: 412 });
    await expectS3Error(copy({ CopySourceIfUnmodifiedSince: earlier() }), { code: 'PreconditionFailed', status: 412 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond-dst' })), { status: 404 });
  });

  test('each holding condition copies', async () => {
    for (const extra of [{ CopySourceIfMatch: etag }, { CopySourceIfNoneMatch: '"0123"' }, { CopySourceIfModifiedSince: earlier() }, { CopySourceIfUnmodifiedSince: later() }]) {
      const out = await copy(extra);
      assert.equal(out.CopyObjectResult?.ETag, etag, JSON.stringify(extra));
    }
  });

  test('if-match true with if-unmodified-since false copies; if-none-match false with if-modified-since true is 412', async () => {
    // API_CopyObject: "If both … x-amz-copy-source-if-match … true, and x-amz-copy-source-if-unmodified-since … false;
    // Amazon S3 returns 200 OK and copies the data" / "… if-none-match … false, and … if-modified-since … true; … 412".
    const out = await copy({ CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: earlier() });
    assert.equal(out.CopyObjectResult?.ETag, etag);
    await expectS3Error(copy({ CopySourceIfNoneMatch: etag, CopySourceIfModifiedSince: earlier() }), { code: 'PreconditionFailed', status: 412 });
  });
});

describe('copy sources', () => {
  test('a missing source is NoSuchKey, a missing source bucket NoSuchBucket, a malformed source InvalidArgument', async () => {
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/no-such-source` })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: 'no-such-bucket-here/key' })), { code: 'NoSuchBucket', status: 404 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: 'just-a-bucket' })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/` })), { code: 'InvalidArgument', status: 400 });
  });

  test('a current delete marker is NoSuchKey; naming the marker by versionId is 400 InvalidRequest', async () => {
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'marked', Body: 'before delete' }));
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'marked' }))).VersionId!;
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${versioned}/marked` })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${versioned}/marked?versionId=${marker}` })), { code: 'InvalidRequest', status: 400 });
  });

  test('a version id that does not exist is NoSuchVersion', async () => {
    const v = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'short-lived', Body: 's' }))).VersionId!;
    await s3.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'short-lived', VersionId: v }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${versioned}/short-lived?versionId=${v}` })), { code: 'NoSuchVersion', status: 404 });
  });

  test('keys with special characters: the copy source is URL-decoded, with or without a leading slash', async () => {
    const keys = ['sp ace/file.txt', 'plus+sign', 'per%cent', 'q?versionId=not-a-version', 'hash#', 'ünï/文件', 'a&b=c', "it's (1)"];
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `special/${key}`, Body: `content of ${key}` }));
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `special-copy/${key}`, CopySource: `${bucket}/${encodeKey(`special/${key}`)}` }));
      assert.equal(await text(bucket, `special-copy/${key}`), `content of ${key}`, key);
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `special-copy2/${key}`, CopySource: `/${bucket}/${encodeKey(`special/${key}`)}` }));
      assert.equal(await text(bucket, `special-copy2/${key}`), `content of ${key}`, key);
    }
  });

  test('a copy onto itself is 400 InvalidRequest unless the metadata is replaced', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'self', Metadata: { round: '1' } }));
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` })), {
      code: 'InvalidRequest', status: 400, message: /copy an object to itself without changing the object's metadata/,
    });
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'REPLACE', Metadata: { round: '2' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }));
    assert.deepEqual(head.Metadata, { round: '2' });
    assert.equal(await text(bucket, 'self'), 'self');
  });

  test('copying an older version of a key onto the key restores it', async () => {
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'restore-me', Body: 'old' }))).VersionId!;
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'restore-me', Body: 'new' }));
    const out = await s3.send(new CopyObjectCommand({ Bucket: versioned, Key: 'restore-me', CopySource: `${versioned}/restore-me?versionId=${v1}` }));
    assert.equal(out.CopySourceVersionId, v1);
    assert.equal(await text(versioned, 'restore-me'), 'old');
  });

  test('across buckets of one account; another account\'s root is AccessDenied either way', async () => {
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'cross', Body: 'cross-bucket' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'cross', CopySource: `${versioned}/cross` }));
    assert.equal(await text(bucket, 'cross'), 'cross-bucket');
    const partner = await server.createAccount('partner');
    const other = s3Client(server.endpoint, partner, 'path');
    try {
      await other.send(new CreateBucketCommand({ Bucket: 'partner-bucket' }));
      await other.send(new PutObjectCommand({ Bucket: 'partner-bucket', Key: 'theirs', Body: 'partner data' }));
      await expectS3Error(other.send(new CopyObjectCommand({ Bucket: 'partner-bucket', Key: 'stolen', CopySource: `${bucket}/cross` })), { code: 'AccessDenied', status: 403 });
      await expectS3Error(other.send(new CopyObjectCommand({ Bucket: bucket, Key: 'pushed', CopySource: 'partner-bucket/theirs' })), { code: 'AccessDenied', status: 403 });
      await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'pulled', CopySource: 'partner-bucket/theirs' })), { code: 'AccessDenied', status: 403 });
      await expectS3Error(other.send(new HeadObjectCommand({ Bucket: 'partner-bucket', Key: 'stolen' })), { status: 404 });
    } finally {
      other.destroy();
    }
  });
});

describe('a copy shares the source\'s bytes', () => {
  test('deleting the source and collecting garbage at once leaves the copy readable', async () => {
    const body = randomBytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared-src', Body: body }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'shared-copy', CopySource: `${bucket}/shared-src` }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'shared-src' }));
    // Collect with no grace period: any blob without references is deleted now.
    const { meta, blobs, log } = server.server.services;
    await new GarbageCollector(meta, blobs, log).runOnce(0);
    assert.ok((await bytes(bucket, 'shared-copy')).equals(body));
    // Deleting the copy too frees the blob: it really was one blob with two references.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'shared-copy' }));
    const garbage = await meta.takeGarbage(1000, 0);
    assert.equal(garbage.length, 1);
    for (const id of garbage) await blobs.delete(id);
    await meta.forgetBlobs(garbage);
  });
});

async function completeCopies(key: string, sources: { source: string; range?: string }[]): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts: CompletedPart[] = [];
  for (const [index, { source, range }] of sources.entries()) {
    const out = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, CopySource: source, ...(range ? { CopySourceRange: range } : {}) }));
    parts.push({ PartNumber: index + 1, ETag: out.CopyPartResult!.ETag! });
  }
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  return done.ETag!;
}

describe('UploadPartCopy', () => {
  const a = randomBytes(5 * MiB);
  const b = randomBytes(6 * MiB + 11);
  before(async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'upc-a', Body: a }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'upc-b', Body: b }));
  });

  test('whole-object part copies: the part ETag is the source MD5, the object is the concatenation', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'upc-whole' }));
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-whole', UploadId, PartNumber: 1, CopySource: `${bucket}/upc-a` }));
    assert.equal(p1.CopyPartResult?.ETag, `"${md5Hex(a)}"`);
    assert.ok(p1.CopyPartResult?.LastModified instanceof Date);
    assert.equal(p1.ServerSideEncryption, 'AES256');
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-whole', UploadId, PartNumber: 2, CopySource: `${bucket}/upc-b` }));
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'upc-whole', UploadId }));
    assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, a.length, p1.CopyPartResult!.ETag], [2, b.length, p2.CopyPartResult!.ETag]]);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'upc-whole', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult!.ETag! }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag! }] } }));
    assert.equal(done.ETag, multipartEtag([a, b]));
    assert.ok((await bytes(bucket, 'upc-whole')).equals(Buffer.concat([a, b])));
  });

  test('ranged part copies read exactly the named bytes', async () => {
    await completeCopies('upc-ranged', [
      { source: `${bucket}/upc-b`, range: `bytes=11-${11 + 5 * MiB - 1}` },
      { source: `${bucket}/upc-a`, range: 'bytes=100-199' },
    ]);
    const expected = Buffer.concat([b.subarray(11, 11 + 5 * MiB), a.subarray(100, 200)]);
    const got = await bytes(bucket, 'upc-ranged');
    assert.equal(got.length, expected.length);
    assert.ok(got.equals(expected));
  });

  for (const range of ['bytes=10-5', 'bytes=0-', 'bytes=-10', `bytes=0-${5 * MiB}`, 'items=0-1', 'bytes=0-1,3-4']) {
    test(`an invalid x-amz-copy-source-range (${range}) is 400 InvalidArgument`, async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'upc-invalid' }));
      await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-invalid', UploadId, PartNumber: 1, CopySource: `${bucket}/upc-a`, CopySourceRange: range })), { code: 'InvalidArgument', status: 400 });
    });
  }

  test('copy-source conditions apply to part copies; a versioned source names its version', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'upc-cond' }));
    await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-cond', UploadId, PartNumber: 1, CopySource: `${bucket}/upc-a`, CopySourceIfMatch: '"0123"' })), { code: 'PreconditionFailed', status: 412 });
    const v = (await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'upc-v', Body: 'versioned part' }))).VersionId!;
    const out = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-cond', UploadId, PartNumber: 1, CopySource: `${versioned}/upc-v?versionId=${v}` }));
    assert.equal(out.CopySourceVersionId, v);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'upc-cond', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: out.CopyPartResult!.ETag! }] } }));
    assert.equal(await text(bucket, 'upc-cond'), 'versioned part');
  });

  test('NoSuchUpload and NoSuchKey are reported as for UploadPart and CopyObject', async () => {
    await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-none', UploadId: 'nope', PartNumber: 1, CopySource: `${bucket}/upc-a` })), { code: 'NoSuchUpload', status: 404 });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'upc-none' }));
    await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'upc-none', UploadId, PartNumber: 1, CopySource: `${bucket}/missing` })), { code: 'NoSuchKey', status: 404 });
  });
});

/** Total bytes of blob files in the data directory (encrypted, so a little more than the plaintext). */
async function storedBlobBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await storedBlobBytes(path);
    else total += (await stat(path)).size;
  }
  return total;
}

describe('the 5 GiB CopyObject limit, on objects built by reference', () => {
  let huge: number;

  before(async () => {
    // 5 MiB of real bytes; each level is a two-part UploadPartCopy of the level below (doubling, no bytes
    // copied), so level 10 is exactly 5 GiB and "huge" (two level-9 parts and the 5 MiB seed) is 5 GiB + 5 MiB.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'level-0', Body: randomBytes(5 * MiB) }));
    for (let level = 1; level <= 10; level++) {
      await completeCopies(`level-${level}`, [{ source: `${bucket}/level-${level - 1}` }, { source: `${bucket}/level-${level - 1}` }]);
    }
    await completeCopies('huge', [{ source: `${bucket}/level-9` }, { source: `${bucket}/level-9` }, { source: `${bucket}/level-0` }]);
    huge = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'huge' }))).ContentLength!;
  });

  test('the objects have the right sizes, yet the data directory holds only the seed bytes', async () => {
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'level-10' }))).ContentLength, 5 * GiB);
    assert.equal(huge, 5 * GiB + 5 * MiB);
    // Everything this file stored is a few dozen MiB; 5 GiB of copies would be unmistakable.
    assert.ok(await storedBlobBytes(join(server.dataDir, 'blobs')) < 512 * MiB);
  });

  test('bytes deep inside the big object are the seed\'s bytes', async () => {
    const seed = await bytes(bucket, 'level-0');
    const offset = 5 * GiB - 100; // in the second level-9 part, 100 bytes before the seed part
    const tail = await bytes(bucket, 'huge', `bytes=${offset}-${offset + 199}`);
    assert.ok(tail.equals(Buffer.concat([seed.subarray(5 * MiB - 100), seed.subarray(0, 100)])));
  });

  test('a 5 GiB source copies; a larger one is 400 InvalidRequest naming the limit', async () => {
    const ok = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'level-10-copy', CopySource: `${bucket}/level-10` }));
    assert.ok(ok.CopyObjectResult?.ETag);
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'huge-copy', CopySource: `${bucket}/huge` })), {
      code: 'InvalidRequest', status: 400, message: /larger than the maximum allowable size for a copy source: 5368709120/,
    });
  });

  test('UploadPartCopy of more than 5 GiB at once is refused; a range of it is a fine part', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'from-huge' }));
    await expectS3Error(s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'from-huge', UploadId, PartNumber: 1, CopySource: `${bucket}/huge` })), { code: 'InvalidRequest', status: 400 });
    const part = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'from-huge', UploadId, PartNumber: 1, CopySource: `${bucket}/huge`, CopySourceRange: `bytes=${huge - 10}-${huge - 1}` }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'from-huge', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag! }] } }));
    const seed = await bytes(bucket, 'level-0');
    assert.ok((await bytes(bucket, 'from-huge')).equals(seed.subarray(5 * MiB - 10)));
  });
});
