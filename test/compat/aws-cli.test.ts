// The real AWS CLI v1 (botocore) against a real server: s3 mb/ls/cp/sync/rm, multipart with CRC32,
// server-side copies, s3api operations, --checksum-algorithm, s3 presign + curl, endpoint configuration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsEnv, skipUnless } from '../helpers/tools.js';
import {
  mustRun, multipartEtag, readTree, removeDir, run, sha256File, tempDir, trickyTree, writeBigFile, writeTree,
} from './compat-tools.js';

const mib = 1024 * 1024;
const cliPartSizeBytes = 8 * mib; // s3transfer's default multipart_chunksize

function crc32Base64(body: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body));
  return out.toString('base64');
}

/** S3's COMPOSITE CRC32 of a multipart upload: crc32 of the parts' big-endian digests, then -N. */
function compositeCrc32(body: Buffer, partSizeBytes: number): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += partSizeBytes) digests.push(Buffer.from(crc32Base64(body.subarray(offset, offset + partSizeBytes)), 'base64'));
  return `${crc32Base64(Buffer.concat(digests))}-${digests.length}`;
}

describe('aws CLI v1', { skip: skipUnless('aws', 'curl') }, () => {
  let server: TestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const aws = (...args: string[]) => mustRun('aws', args, { env });
  const awsJson = async (...args: string[]) => JSON.parse(await aws(...args, '--output', 'json')) as Record<string, any>;
  const listKeys = async (bucket: string, prefix = ''): Promise<string[]> => {
    const out = await aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix, '--query', 'Contents[].Key', '--output', 'json');
    return ((JSON.parse(out) as string[] | null) ?? []).sort();
  };

  before(async () => {
    server = await startTestServer();
    dir = await tempDir('aws-cli');
    env = awsEnv(server.endpoint, server.platform);
    const version = await mustRun('aws', ['--version'], { env });
    console.log(`# ${version.trim()}`);
    await aws('s3', 'mb', 's3://cli-one');
    await aws('s3', 'mb', 's3://cli-two');
  });
  after(async () => {
    await server?.stop();
    await removeDir(dir);
  });

  test('s3 mb and s3 ls list the new buckets; mb of a bucket you own succeeds in us-east-1', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html: BucketAlreadyOwnedByYou (409)
    // everywhere except us-east-1, where S3 answers 200 OK for legacy compatibility.
    const [out, again] = await Promise.all([aws('s3', 'ls'), run('aws', ['s3', 'mb', 's3://cli-one'], { env })]);
    assert.match(out, /\scli-one\n/);
    assert.match(out, /\scli-two\n/);
    assert.equal(again.code, 0, again.stderr);
  });

  test('s3 sync of a tree with tricky names: exact keys, no-op second sync, byte-equal download, rm --recursive', async () => {
    const local = join(dir, 'tree');
    await writeTree(local, trickyTree);
    const first = await aws('s3', 'sync', local, 's3://cli-one/tree/', '--no-progress');
    assert.equal(first.trim().split('\n').length, Object.keys(trickyTree).length, first);
    const down = join(dir, 'tree-down');
    const [second, ls] = await Promise.all([
      aws('s3', 'sync', local, 's3://cli-one/tree/', '--no-progress'),
      aws('s3', 'ls', '--recursive', 's3://cli-one/tree/'),
      aws('s3', 'sync', 's3://cli-one/tree/', down, '--no-progress'),
    ]);
    assert.equal(second.trim(), '', 'nothing changed, nothing uploaded (sizes and times compared)');
    const listed = ls.trim().split('\n').map((line) => /^\S+ \S+\s+\d+ (.*)$/.exec(line)?.[1]).sort();
    assert.deepEqual(listed, Object.keys(trickyTree).map((k) => `tree/${k}`).sort());
    assert.deepEqual(await readTree(down), trickyTree);

    const removed = await aws('s3', 'rm', 's3://cli-one/tree/', '--recursive', '--only-show-errors');
    assert.equal(removed.trim(), '');
    assert.deepEqual(await listKeys('cli-one', 'tree/'), []);
  });

  test('a 40 MiB file: multipart upload with CRC32 parts, download, stdin upload with --expected-size', async () => {
    const path = join(dir, 'big.bin');
    await writeBigFile(path, 40 * mib, 7);
    const body = await readFile(path);
    await aws('s3', 'cp', path, 's3://cli-one/big.bin', '--no-progress');
    const head = await awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', 'big.bin', '--checksum-mode', 'ENABLED');
    assert.equal(head['ContentLength'], body.length);
    assert.equal(head['ETag'], multipartEtag(body, cliPartSizeBytes));
    assert.equal(head['ChecksumCRC32'], compositeCrc32(body, cliPartSizeBytes));
    assert.equal(head['ChecksumType'], 'COMPOSITE');

    const down = join(dir, 'big.down');
    await aws('s3', 'cp', 's3://cli-one/big.bin', down, '--no-progress');
    assert.equal(await sha256File(down), createHash('sha256').update(body).digest('hex'));

    await mustRun('aws', ['s3', 'cp', '-', 's3://cli-one/stdin.bin', '--expected-size', String(body.length), '--no-progress'], { env, input: body });
    const stdinHead = await awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', 'stdin.bin');
    assert.equal(stdinHead['ContentLength'], body.length);
    assert.equal(stdinHead['ETag'], multipartEtag(body, cliPartSizeBytes));
  });

  test('s3 cp between buckets copies server-side (CopyObject, and UploadPartCopy above 8 MiB)', async () => {
    const source = join(dir, 'copy-src');
    await writeTree(source, { 'small + ü.txt': 'small copy\n' });
    await writeBigFile(join(source, 'src.bin'), 17 * mib, 3);
    await aws('s3', 'cp', source, 's3://cli-one/copy/', '--recursive', '--no-progress');

    const out = await aws('s3', 'cp', 's3://cli-one/copy/', 's3://cli-two/copied/', '--recursive', '--no-progress');
    assert.match(out, /copy: s3:\/\/cli-one\/copy\/src\.bin to s3:\/\/cli-two\/copied\/src\.bin/);
    const down = join(dir, 'copied');
    const [keys, head] = await Promise.all([
      listKeys('cli-two', 'copied/'),
      awsJson('s3api', 'head-object', '--bucket', 'cli-two', '--key', 'copied/src.bin'),
      aws('s3', 'sync', 's3://cli-two/copied/', down, '--no-progress'),
    ]);
    assert.deepEqual(keys, ['copied/small + ü.txt', 'copied/src.bin']);
    assert.equal(head['ContentLength'], 17 * mib);
    assert.match(head['ETag'], /-3"$/, 'a 17 MiB copy is a 3-part UploadPartCopy');
    assert.equal(await sha256File(join(down, 'src.bin')), await sha256File(join(source, 'src.bin')));
    assert.equal(await readFile(join(down, 'small + ü.txt'), 'utf8'), 'small copy\n');
  });

  test('s3api put/head/get/copy-object keep metadata, ranges and keys with specials', async () => {
    const file = join(dir, 'api.txt');
    await writeFile(file, 'hello s3api\n');
    const key = 'api/a+b c&ü.txt';
    const put = await awsJson('s3api', 'put-object', '--bucket', 'cli-one', '--key', key, '--body', file,
      '--content-type', 'text/plain', '--metadata', 'origin=cli,mixed=Value', '--cache-control', 'max-age=60');
    assert.equal(put['ETag'], `"${createHash('md5').update('hello s3api\n').digest('hex')}"`);
    assert.equal(put['ChecksumCRC32'], crc32Base64(Buffer.from('hello s3api\n')), 'botocore sends CRC32 by default and reads it back');

    const head = await awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', key);
    assert.equal(head['ContentType'], 'text/plain');
    assert.equal(head['CacheControl'], 'max-age=60');
    assert.deepEqual(head['Metadata'], { origin: 'cli', mixed: 'Value' });

    const out = join(dir, 'api.out');
    const ranged = await awsJson('s3api', 'get-object', '--bucket', 'cli-one', '--key', key, '--range', 'bytes=6-10', out);
    assert.equal(ranged['ContentRange'], 'bytes 6-10/12');
    assert.equal(await readFile(out, 'utf8'), 's3api');

    const copy = await awsJson('s3api', 'copy-object', '--bucket', 'cli-two', '--key', 'api/copy.txt', '--copy-source', `cli-one/${key}`,
      '--metadata-directive', 'REPLACE', '--metadata', 'replaced=yes', '--content-type', 'text/x-copy');
    assert.equal(copy['CopyObjectResult']['ETag'], put['ETag']);
    const copied = await awsJson('s3api', 'head-object', '--bucket', 'cli-two', '--key', 'api/copy.txt');
    assert.deepEqual(copied['Metadata'], { replaced: 'yes' });
    assert.equal(copied['ContentType'], 'text/x-copy');

  });

  test('s3api list-objects-v2 with delimiter and pagination; delete-objects', async () => {
    const keys = ['list/a/1', 'list/a/2', 'list/b/1', 'list/c', 'list/d', 'list/e f', 'list/g+h'];
    const local = join(dir, 'list');
    await writeTree(local, Object.fromEntries(keys.map((k) => [k.slice('list/'.length), 'l'])));
    await aws('s3', 'cp', local, 's3://cli-one/list/', '--recursive', '--only-show-errors');

    const [grouped, page] = await Promise.all([
      awsJson('s3api', 'list-objects-v2', '--bucket', 'cli-one', '--prefix', 'list/', '--delimiter', '/'),
      awsJson('s3api', 'list-objects-v2', '--bucket', 'cli-one', '--prefix', 'list/', '--max-items', '3', '--page-size', '2'),
    ]);
    assert.deepEqual(grouped['CommonPrefixes'].map((p: { Prefix: string }) => p.Prefix), ['list/a/', 'list/b/']);
    assert.deepEqual(grouped['Contents'].map((c: { Key: string }) => c.Key), ['list/c', 'list/d', 'list/e f', 'list/g+h']);
    assert.equal(page['Contents'].length, 3);
    assert.ok(page['NextToken'], 'more to come');
    const rest = await awsJson('s3api', 'list-objects-v2', '--bucket', 'cli-one', '--prefix', 'list/', '--page-size', '2', '--starting-token', page['NextToken']);
    assert.deepEqual([...page['Contents'], ...rest['Contents']].map((c: { Key: string }) => c.Key), [...keys].sort());

    const deleted = await awsJson('s3api', 'delete-objects', '--bucket', 'cli-one', '--delete',
      JSON.stringify({ Objects: [...keys, 'list/never-existed'].map((Key) => ({ Key })), Quiet: false }));
    assert.deepEqual(deleted['Deleted'].map((d: { Key: string }) => d.Key).sort(), [...keys, 'list/never-existed'].sort());
    assert.equal(deleted['Errors'], undefined);
  });

  test('s3api multipart: create, upload-part, list-parts, complete; abort and list-multipart-uploads', async () => {
    const part1 = join(dir, 'part1.bin');
    const part2 = join(dir, 'part2.bin');
    await writeBigFile(part1, 5 * mib, 11);
    await writeFile(part2, 'tail part\n');
    const created = await awsJson('s3api', 'create-multipart-upload', '--bucket', 'cli-one', '--key', 'mpu/object.bin', '--content-type', 'application/x-mpu');
    const uploadId = created['UploadId'] as string;
    const [e1, e2, other] = await Promise.all([
      awsJson('s3api', 'upload-part', '--bucket', 'cli-one', '--key', 'mpu/object.bin', '--upload-id', uploadId, '--part-number', '1', '--body', part1),
      awsJson('s3api', 'upload-part', '--bucket', 'cli-one', '--key', 'mpu/object.bin', '--upload-id', uploadId, '--part-number', '2', '--body', part2),
      awsJson('s3api', 'create-multipart-upload', '--bucket', 'cli-one', '--key', 'mpu/aborted'),
    ]);
    const parts = await awsJson('s3api', 'list-parts', '--bucket', 'cli-one', '--key', 'mpu/object.bin', '--upload-id', uploadId);
    assert.deepEqual(parts['Parts'].map((p: { PartNumber: number; ETag: string; Size: number }) => [p.PartNumber, p.ETag, p.Size]),
      [[1, e1['ETag'], 5 * mib], [2, e2['ETag'], 10]]);
    const done = await awsJson('s3api', 'complete-multipart-upload', '--bucket', 'cli-one', '--key', 'mpu/object.bin', '--upload-id', uploadId,
      '--multipart-upload', JSON.stringify({ Parts: [{ PartNumber: 1, ETag: e1['ETag'] }, { PartNumber: 2, ETag: e2['ETag'] }] }));
    const whole = Buffer.concat([await readFile(part1), await readFile(part2)]);
    assert.equal(done['ETag'], multipartEtag(whole, 5 * mib));
    const listed = await awsJson('s3api', 'list-multipart-uploads', '--bucket', 'cli-one');
    assert.deepEqual(listed['Uploads'].map((u: { Key: string; UploadId: string }) => [u.Key, u.UploadId]), [['mpu/aborted', other['UploadId']]]);
    await aws('s3api', 'abort-multipart-upload', '--bucket', 'cli-one', '--key', 'mpu/aborted', '--upload-id', other['UploadId']);
    const [head, gone] = await Promise.all([
      awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', 'mpu/object.bin'),
      awsJson('s3api', 'list-multipart-uploads', '--bucket', 'cli-one'),
    ]);
    assert.equal(head['ContentLength'], whole.length);
    assert.equal(head['ContentType'], 'application/x-mpu');
    assert.equal(gone['Uploads'], undefined);
  });

  describe('--checksum-algorithm', () => {
    const body = Buffer.from('checksummed body\n');
    let crtAvailable: Promise<boolean> | undefined;
    const expected: Record<string, () => string> = {
      CRC32: () => crc32Base64(body),
      SHA1: () => createHash('sha1').update(body).digest('base64'),
      SHA256: () => createHash('sha256').update(body).digest('base64'),
    };
    test('CRC32, SHA1, SHA256: put-object stores each, head-object --checksum-mode returns it', async () => {
      const file = join(dir, 'ck.txt');
      await writeFile(file, body);
      const algorithms = Object.keys(expected);
      const puts = await Promise.all(algorithms.map((algorithm) =>
        awsJson('s3api', 'put-object', '--bucket', 'cli-one', '--key', `ck/${algorithm}`, '--body', file, '--checksum-algorithm', algorithm)));
      algorithms.forEach((algorithm, i) => assert.equal(puts[i]![`Checksum${algorithm}`], expected[algorithm]!(), algorithm));
      const head = await awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', 'ck/SHA1', '--checksum-mode', 'ENABLED');
      assert.equal(head['ChecksumSHA1'], expected['SHA1']!());
      assert.equal(head['ChecksumType'], 'FULL_OBJECT');
      assert.equal(head['ChecksumCRC32'], undefined, 'only the algorithm the upload used');
    });

    test('s3 cp --checksum-algorithm SHA256 of a multipart file (one checksum per part, COMPOSITE)', async () => {
      const path = join(dir, 'ck-multipart.bin');
      await writeBigFile(path, 9 * mib, 5);
      await aws('s3', 'cp', path, 's3://cli-one/ck-mp/sha256', '--checksum-algorithm', 'SHA256', '--no-progress');
      const head = await awsJson('s3api', 'head-object', '--bucket', 'cli-one', '--key', 'ck-mp/sha256', '--checksum-mode', 'ENABLED');
      const whole = await readFile(path);
      const partDigests = [whole.subarray(0, cliPartSizeBytes), whole.subarray(cliPartSizeBytes)].map((p) => createHash('sha256').update(p).digest());
      assert.equal(head['ChecksumSHA256'], `${createHash('sha256').update(Buffer.concat(partDigests)).digest('base64')}-2`);
      assert.equal(head['ChecksumType'], 'COMPOSITE');
    });

    for (const algorithm of ['CRC32C', 'CRC64NVME']) {
      test(`${algorithm} through the CLI`, async (t) => {
        crtAvailable ??= run('python3', ['-c', 'import awscrt'], { env }).then((r) => r.code === 0);
        if (!(await crtAvailable)) {
          t.skip(`botocore computes ${algorithm} only with awscrt (pip install botocore[crt]), which is not installed; boto3.test.ts covers it with precomputed values`);
          return;
        }
        const file = join(dir, `ck-${algorithm}.txt`);
        await writeFile(file, '123456789');
        const put = await awsJson('s3api', 'put-object', '--bucket', 'cli-one', '--key', `ck/${algorithm}`, '--body', file, '--checksum-algorithm', algorithm);
        // The CRC catalogue check values for "123456789".
        const check = algorithm === 'CRC32C' ? Buffer.from('e3069283', 'hex') : Buffer.from('ae8b14860a799888', 'hex');
        assert.equal(put[`Checksum${algorithm}`], check.toString('base64'));
      });
    }
  });

  describe('s3 presign then curl', () => {
    const curl = (url: string, ...args: string[]) => mustRun('curl', ['-s', '-S', '-g', '-o', '-', '-w', '\n%{http_code}', ...args, url], { env });
    const split = (out: string) => { const i = out.lastIndexOf('\n'); return { body: out.slice(0, i), status: Number(out.slice(i + 1)) }; };

    before(async () => {
      await writeFile(join(dir, 'presign.txt'), 'presigned body\n');
      await aws('s3', 'cp', join(dir, 'presign.txt'), 's3://cli-one/pre/a+b ü.txt', '--no-progress');
    });

    test('the default URL (botocore presigns S3 with SigV2 in us-east-1) downloads the object', async () => {
      const url = (await aws('s3', 'presign', 's3://cli-one/pre/a+b ü.txt', '--expires-in', '300')).trim();
      assert.match(url, /[?&]AWSAccessKeyId=/);
      assert.deepEqual(split(await curl(url)), { body: 'presigned body\n', status: 200 });
      const tampered = split(await curl(url.replace(/Signature=[^&]/, 'Signature=A')));
      assert.equal(tampered.status, 403);
      assert.match(tampered.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    test('with signature_version = s3v4 the SigV4 URL downloads the object; X-Amz-Expires=1 expires', async () => {
      const config = join(dir, 'aws-config');
      await writeFile(config, '[default]\ns3 =\n    signature_version = s3v4\n');
      const v4env = { ...env, AWS_CONFIG_FILE: config };
      const url = (await mustRun('aws', ['s3', 'presign', 's3://cli-one/pre/a+b ü.txt', '--expires-in', '300'], { env: v4env })).trim();
      assert.match(url, /[?&]X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
      assert.deepEqual(split(await curl(url)), { body: 'presigned body\n', status: 200 });

      const short = (await mustRun('aws', ['s3', 'presign', 's3://cli-one/pre/a+b ü.txt', '--expires-in', '1'], { env: v4env })).trim();
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = split(await curl(short));
      assert.equal(expired.status, 403);
      assert.match(expired.body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    });
  });

  describe('endpoint configuration', () => {
    const bare = () => {
      const copy = { ...env };
      delete copy['AWS_ENDPOINT_URL'];
      return copy;
    };
    const bucketsWith = async (extraEnv: NodeJS.ProcessEnv, ...args: string[]) =>
      JSON.parse(await mustRun('aws', ['s3api', 'list-buckets', '--query', 'Buckets[].Name', '--output', 'json', ...args], { env: extraEnv })) as string[];

    test('AWS_ENDPOINT_URL alone; AWS_ENDPOINT_URL_S3 (service-specific) alone; --endpoint-url over a wrong AWS_ENDPOINT_URL', async () => {
      const wrong = { ...bare(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' };
      const [generic, specific, flag] = await Promise.all([
        bucketsWith({ ...bare(), AWS_ENDPOINT_URL: server.endpoint }),
        bucketsWith({ ...bare(), AWS_ENDPOINT_URL_S3: server.endpoint }),
        bucketsWith(wrong, '--endpoint-url', server.endpoint),
      ]);
      for (const names of [generic, specific, flag]) assert.ok(names.includes('cli-one'), names.join(','));
      const failed = await run('aws', ['s3api', 'list-buckets', '--cli-connect-timeout', '2'], { env: wrong });
      assert.notEqual(failed.code, 0, 'the wrong endpoint alone is really wrong');
      assert.match(failed.stderr, /Could not connect/);
    });
  });
});
