// s3cmd against a real server: mb, put, get, ls, del, sync (both ways), multipart, signature v4 (default)
// and v2, path style and virtual-host style (--host / --host-bucket).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { skipUnless } from '../helpers/tools.js';
import {
  addLoopbackHosts, mustRun, readTree, removeDir, run, sha256File, tempDir, trickyTree, writeBigFile, writeTree,
} from './compat-tools.js';

const mib = 1024 * 1024;

describe('s3cmd', { skip: skipUnless('s3cmd') }, () => {
  let server: TestServer;
  let dir: string;
  let config: string;
  let hostPort: string;
  const s3cmd = (...args: string[]) => mustRun('s3cmd', ['-c', config, ...args]);
  /** Keys listed by `s3cmd ls -r` under s3://bucket/, in order. */
  const keys = async (bucket: string, ...flags: string[]) => (await s3cmd(...flags, 'ls', '-r', `s3://${bucket}`))
    .split('\n').map((line) => line.split(`s3://${bucket}/`)[1]).filter((k): k is string => k !== undefined).sort();

  before(async () => {
    server = await startTestServer();
    dir = await tempDir('s3cmd');
    hostPort = `127.0.0.1:${server.port}`;
    config = join(dir, 's3cfg');
    await writeFile(config, [
      '[default]',
      `access_key = ${server.platform.accessKeyId}`,
      `secret_key = ${server.platform.secretAccessKey}`,
      `host_base = ${hostPort}`,
      `host_bucket = ${hostPort}`,
      'use_https = False',
      'signature_v2 = False',
      'bucket_location = us-east-1',
      'progress_meter = False',
      '',
    ].join('\n'));
    console.log(`# ${(await s3cmd('--version')).trim()}`);
    await s3cmd('mb', 's3://s3cmd-one');
  });
  after(async () => {
    await server?.stop();
    await removeDir(dir);
  });

  test('put, ls, get and del with tricky key names', async () => {
    const file = join(dir, 'put.txt');
    await writeFile(file, 'put by s3cmd\n');
    const names = ['a b.txt', 'a+b=c&d.txt', 'ünï cødé.txt', "tilde~(paren)!*'.txt", 'dir/with space/y%20z.txt'];
    for (const name of names) await s3cmd('put', file, `s3://s3cmd-one/put/${name}`);
    assert.deepEqual(await keys('s3cmd-one'), names.map((n) => `put/${n}`).sort());
    for (const name of names) {
      const out = join(dir, 'got.txt');
      await s3cmd('get', '--force', `s3://s3cmd-one/put/${name}`, out);
      assert.equal(await readFile(out, 'utf8'), 'put by s3cmd\n', name);
    }
    await s3cmd('del', `s3://s3cmd-one/put/${names[1]!}`);
    assert.deepEqual(await keys('s3cmd-one'), names.filter((_, i) => i !== 1).map((n) => `put/${n}`).sort());
    await s3cmd('del', '--recursive', '--force', 's3://s3cmd-one/put/');
    assert.deepEqual(await keys('s3cmd-one'), []);
  });

  test('sync up (then nothing to do), sync down byte-equal, --delete-removed', async () => {
    const local = join(dir, 'tree');
    await writeTree(local, trickyTree);
    const up = await s3cmd('sync', `${local}/`, 's3://s3cmd-one/tree/');
    assert.equal((up.match(/^upload: /gm) ?? []).length, Object.keys(trickyTree).length, up);
    const again = await s3cmd('sync', `${local}/`, 's3://s3cmd-one/tree/');
    assert.doesNotMatch(again, /^upload: /m, 'MD5s match, nothing to upload');
    assert.deepEqual(await keys('s3cmd-one'), Object.keys(trickyTree).map((k) => `tree/${k}`).sort());

    const down = join(dir, 'tree-down');
    await s3cmd('sync', 's3://s3cmd-one/tree/', `${down}/`);
    assert.deepEqual(await readTree(down), trickyTree);

    await writeTree(local, { 'added.txt': 'added' });
    await rm(join(local, 'plain.txt'));
    await s3cmd('sync', '--delete-removed', `${local}/`, 's3://s3cmd-one/tree/');
    const after = await keys('s3cmd-one');
    assert.ok(after.includes('tree/added.txt'));
    assert.ok(!after.includes('tree/plain.txt'));
    await s3cmd('del', '--recursive', '--force', 's3://s3cmd-one/tree/');
  });

  test('multipart put (5 MiB chunks) and get back the same bytes', async () => {
    const path = join(dir, 'big.bin');
    await writeBigFile(path, 12 * mib, 4);
    const put = await run('s3cmd', ['-c', config, '--debug', 'put', '--multipart-chunk-size-mb=5', path, 's3://s3cmd-one/big.bin']);
    assert.equal(put.code, 0, put.stderr.slice(-2000));
    assert.match(put.stderr, /MultiPart: Upload finished: 3 parts/);
    const listing = await s3cmd('ls', 's3://s3cmd-one/big.bin');
    assert.match(listing, new RegExp(`\\s${12 * mib}\\s+s3://s3cmd-one/big\\.bin`));
    const info = await s3cmd('info', 's3://s3cmd-one/big.bin');
    assert.match(info, /File size:\s+12582912/);
    const down = join(dir, 'big.down');
    await s3cmd('get', '--force', 's3://s3cmd-one/big.bin', down);
    assert.equal(await sha256File(down), await sha256File(path));
    await s3cmd('del', 's3://s3cmd-one/big.bin');
  });

  test('signature v2 (--signature-v2): mb, put, ls, get, del, rb; a wrong secret is SignatureDoesNotMatch', async () => {
    const file = join(dir, 'v2.txt');
    await writeFile(file, 'signed with v2\n');
    await s3cmd('--signature-v2', 'mb', 's3://s3cmd-v2');
    await s3cmd('--signature-v2', 'put', file, 's3://s3cmd-v2/x y/ü+.txt');
    await s3cmd('--signature-v2', 'put', '--multipart-chunk-size-mb=5', file, 's3://s3cmd-v2/small-mp.txt');
    assert.deepEqual(await keys('s3cmd-v2', '--signature-v2'), ['small-mp.txt', 'x y/ü+.txt']);
    const out = join(dir, 'v2.out');
    await s3cmd('--signature-v2', 'get', '--force', 's3://s3cmd-v2/x y/ü+.txt', out);
    assert.equal(await readFile(out, 'utf8'), 'signed with v2\n');
    await s3cmd('--signature-v2', 'del', '--recursive', '--force', 's3://s3cmd-v2');
    await s3cmd('--signature-v2', 'rb', 's3://s3cmd-v2');

    const badConfig = join(dir, 's3cfg-bad');
    await writeFile(badConfig, (await readFile(config, 'utf8')).replace(/^secret_key = .*$/m, `secret_key = ${'x'.repeat(40)}`));
    for (const flags of [['--signature-v2'], []]) {
      const wrong = await run('s3cmd', ['-c', badConfig, ...flags, 'ls', 's3://s3cmd-one']);
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /SignatureDoesNotMatch/, flags.join(' ') || 'v4');
    }
  });

  test('virtual-host style: --host localhost:PORT --host-bucket %(bucket)s.localhost:PORT', async (t) => {
    const bucket = `s3cmd-vhost-${randomBytes(3).toString('hex')}`;
    const hosts = await addLoopbackHosts([`${bucket}.localhost`]);
    if ('reason' in hosts) {
      t.skip(`s3cmd would address ${bucket}.localhost, which does not resolve: ${hosts.reason}`);
      return;
    }
    try {
      const flags = [`--host=localhost:${server.port}`, `--host-bucket=%(bucket)s.localhost:${server.port}`];
      const file = join(dir, 'vhost.txt');
      await writeFile(file, 'virtual host\n');
      for (const v2 of [false, true]) {
        const all = [...flags, ...(v2 ? ['--signature-v2'] : [])];
        if (!v2) await s3cmd(...all, 'mb', `s3://${bucket}`);
        await s3cmd(...all, 'put', file, `s3://${bucket}/v h/ü+.txt`);
        const listed = await s3cmd(...all, 'ls', `s3://${bucket}/v h/`);
        assert.match(listed, /ü\+\.txt/);
        const out = join(dir, 'vhost.out');
        await s3cmd(...all, 'get', '--force', `s3://${bucket}/v h/ü+.txt`, out);
        assert.equal(await readFile(out, 'utf8'), 'virtual host\n');
        await s3cmd(...all, 'del', `s3://${bucket}/v h/ü+.txt`);
      }
      const debug = await run('s3cmd', ['-c', config, ...flags, '--debug', 'ls', `s3://${bucket}`]);
      assert.match(debug.stderr, new RegExp(`${bucket}\\.localhost`), 'requests went to the bucket host');
      await s3cmd(...flags, 'rb', `s3://${bucket}`);
    } finally {
      await hosts.cleanup();
    }
  });
});
