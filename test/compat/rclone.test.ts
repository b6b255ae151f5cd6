// rclone (S3 provider "Other", aws-sdk-go underneath) against a real server: copy, sync, check (MD5), ls,
// delete, multipart uploads, SigV2 (v2_auth), and virtual-host style (force_path_style=false).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { skipUnless } from '../helpers/tools.js';
import {
  addLoopbackHosts, mustRun, readTree, removeDir, run, sha256File, tempDir, trickyTree, withoutCaBundle, writeBigFile, writeTree,
} from './compat-tools.js';

const mib = 1024 * 1024;

describe('rclone', { skip: skipUnless('rclone') }, () => {
  let server: TestServer;
  let dir: string;
  let config: string;
  // rclone refuses a plain-http endpoint while AWS_CA_BUNDLE is set.
  const env = () => withoutCaBundle(process.env);
  const rclone = (...args: string[]) => mustRun('rclone', ['--config', config, '--retries', '1', '--low-level-retries', '1', ...args], { env: env() });
  const rcloneResult = (...args: string[]) => run('rclone', ['--config', config, '--retries', '1', '--low-level-retries', '1', ...args], { env: env() });
  const files = async (remote: string) => (await rclone('lsf', '-R', '--files-only', remote)).split('\n').filter(Boolean).sort();

  before(async () => {
    server = await startTestServer();
    dir = await tempDir('rclone');
    config = join(dir, 'rclone.conf');
    const { accessKeyId, secretAccessKey } = server.platform;
    const remote = (name: string, extra: string) =>
      // rclone sends `x-amz-acl: private` unless told otherwise; buckets with ACLs disabled (BucketOwnerEnforced,
      // the default on AWS and here) accept only bucket-owner-full-control, so configure it as on AWS.
      `[${name}]\ntype = s3\nprovider = Other\naccess_key_id = ${accessKeyId}\nsecret_access_key = ${secretAccessKey}\nregion = us-east-1\nacl = bucket-owner-full-control\n${extra}\n`;
    await writeFile(config, [
      remote('s3p', `endpoint = ${server.endpoint}\nforce_path_style = true`),
      remote('s3v2', `endpoint = ${server.endpoint}\nforce_path_style = true\nv2_auth = true`),
      remote('s3vhost', `endpoint = http://localhost:${server.port}\nforce_path_style = false`),
      remote('s3v2bad', `endpoint = ${server.endpoint}\nforce_path_style = true\nv2_auth = true`).replace(secretAccessKey, 'x'.repeat(40)),
    ].join('\n'));
    console.log(`# ${(await mustRun('rclone', ['version'], { env: env() })).split('\n')[0]}`);
    await rclone('mkdir', 's3p:rclone-one');
  });
  after(async () => {
    await server?.stop();
    await removeDir(dir);
  });

  test('copy a tree with tricky names, lsf lists exactly those names, check (size + MD5) agrees', async () => {
    const local = join(dir, 'tree');
    await writeTree(local, trickyTree);
    await rclone('copy', local, 's3p:rclone-one/tree');
    assert.deepEqual(await files('s3p:rclone-one/tree'), Object.keys(trickyTree).sort());
    const sizes = await rclone('ls', 's3p:rclone-one/tree');
    assert.match(sizes, /^\s+10000 deep\/er\/nest\/file\.bin$/m);
    const check = await rcloneResult('check', local, 's3p:rclone-one/tree');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /0 differences found/);
    assert.match(check.stderr, new RegExp(`${Object.keys(trickyTree).length} matching files`));

    const down = join(dir, 'tree-down');
    await rclone('copy', 's3p:rclone-one/tree', down);
    assert.deepEqual(await readTree(down), trickyTree);
  });

  test('check finds a same-size change by MD5; sync uploads it, removes what is gone; delete and purge', async () => {
    const local = join(dir, 'sync');
    await writeTree(local, { 'keep.txt': 'keep', 'change.txt': 'aaaa', 'remove me.txt': 'bye' });
    await rclone('sync', local, 's3p:rclone-one/sync');
    await writeFile(join(local, 'change.txt'), 'bbbb');
    await unlink(join(local, 'remove me.txt'));
    await writeFile(join(local, 'new + ü.txt'), 'new');

    const differs = await rcloneResult('check', local, 's3p:rclone-one/sync');
    assert.notEqual(differs.code, 0);
    assert.match(differs.stderr, /3 differences found/);

    await rclone('sync', local, 's3p:rclone-one/sync');
    assert.deepEqual(await files('s3p:rclone-one/sync'), ['change.txt', 'keep.txt', 'new + ü.txt']);
    assert.equal(await rclone('cat', 's3p:rclone-one/sync/change.txt'), 'bbbb');
    assert.equal((await rcloneResult('check', local, 's3p:rclone-one/sync')).code, 0);

    await rclone('delete', 's3p:rclone-one/sync', '--include', 'new*');
    assert.deepEqual(await files('s3p:rclone-one/sync'), ['change.txt', 'keep.txt']);
    await rclone('deletefile', 's3p:rclone-one/sync/keep.txt');
    assert.deepEqual(await files('s3p:rclone-one/sync'), ['change.txt']);
    await rclone('mkdir', 's3p:rclone-purge');
    await rclone('copyto', join(local, 'keep.txt'), 's3p:rclone-purge/x/keep.txt');
    await rclone('purge', 's3p:rclone-purge');
    const buckets = await rclone('lsd', 's3p:');
    assert.doesNotMatch(buckets, /rclone-purge/);
    assert.match(buckets, /rclone-one/);
  });

  // rclone 1.60 (aws-sdk-go v1's XML encoder) escapes the quotes of each <ETag> in
  // CompleteMultipartUpload as &#34;: the server must decode character references or answer InvalidPart.
  test('multipart upload (5 MiB chunks) completes; check verifies the MD5 rclone stored', async () => {
    const path = join(dir, 'big.bin');
    await writeBigFile(path, 12 * mib, 9);
    await rclone('copy', path, 's3p:rclone-one/big', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M');
    const listed = await rclone('lsjson', 's3p:rclone-one/big/big.bin', '--hash');
    const [entry] = JSON.parse(listed) as { Size: number; Hashes?: { md5?: string } }[];
    assert.equal(entry?.Size, 12 * mib);
    assert.match(entry?.Hashes?.md5 ?? '', /^[0-9a-f]{32}$/, 'the MD5 rclone stored in X-Amz-Meta-Md5chksum');
    const check = await rcloneResult('check', path, 's3p:rclone-one/big', '--one-way');
    assert.equal(check.code, 0, check.stderr);
    const down = join(dir, 'big.down');
    await rclone('copyto', 's3p:rclone-one/big/big.bin', down);
    assert.equal(await sha256File(down), await sha256File(path));
  });

  test('SigV2 (v2_auth = true): copy, ls, check, delete', async () => {
    const local = join(dir, 'v2');
    await writeTree(local, { 'a+b ü.txt': 'signed with v2', 'dir/x y.txt': 'v2 again' });
    await rclone('mkdir', 's3v2:rclone-v2');
    await rclone('copy', local, 's3v2:rclone-v2/t');
    assert.deepEqual(await files('s3v2:rclone-v2/t'), ['a+b ü.txt', 'dir/x y.txt']);
    assert.equal((await rcloneResult('check', local, 's3v2:rclone-v2/t')).code, 0);
    await rclone('delete', 's3v2:rclone-v2/t');
    assert.deepEqual(await files('s3v2:rclone-v2'), []);
    const wrong = await rcloneResult('lsd', 's3v2bad:');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /SignatureDoesNotMatch/);
  });

  test('virtual-host style (force_path_style = false) against localhost', async (t) => {
    const bucket = `rclone-vhost-${randomBytes(3).toString('hex')}`;
    const hosts = await addLoopbackHosts([`${bucket}.localhost`]);
    if ('reason' in hosts) {
      t.skip(`rclone would address ${bucket}.localhost, which does not resolve: ${hosts.reason}`);
      return;
    }
    try {
      const local = join(dir, 'vhost');
      await writeTree(local, { 'v h.txt': 'virtual host', 'sub/ü+.txt': 'more' });
      await rclone('mkdir', `s3vhost:${bucket}`);
      await rclone('copy', local, `s3vhost:${bucket}`);
      assert.deepEqual(await files(`s3vhost:${bucket}`), ['sub/ü+.txt', 'v h.txt']);
      const check = await rcloneResult('check', local, `s3vhost:${bucket}`, '-vv', '--dump', 'headers');
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stderr, new RegExp(`Host: ${bucket}\\.localhost:${server.port}`), 'requests went to the bucket host');
      await rclone('purge', `s3vhost:${bucket}`);
    } finally {
      await hosts.cleanup();
    }
  });
});
