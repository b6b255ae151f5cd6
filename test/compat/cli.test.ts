// The real `s3push` command (a child process, as users run it) against a running server: account, onboard,
// deliveries, explain and webhooks with --json shapes, and failures as one line on stderr with a non-zero exit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assumeRoleAs } from '../helpers/iam-setup.js';
import { deliverAsPartner, deliverAsPlatform, settled, type OnboardedPartner } from '../helpers/partner-setup.js';
import { removeDir, run, tempDir, type RunResult } from './compat-tools.js';

// bin/s3push.js runs ../dist/src/cli/main.js. When these tests were compiled into another directory
// (dist-<you>), the same two-line entry point is written next to them so the CLI of this build is run.
const compiledRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = resolve(compiledRoot, '..');

async function cliEntry(dir: string): Promise<string> {
  const bin = join(repoRoot, 'bin', 's3push.js');
  if (resolve(compiledRoot) === resolve(repoRoot, 'dist') && existsSync(bin)) return bin;
  const entry = join(dir, 's3push.mjs');
  await writeFile(entry, `import { run } from ${JSON.stringify(pathToFileURL(join(compiledRoot, 'src/cli/main.js')).href)};\nawait run(process.argv);\n`);
  return entry;
}

describe('s3push CLI', () => {
  let server: TestServer;
  let work: string;
  let entry: string;
  let receiver: Server;
  let receiverUrl: string;
  const pings: string[] = [];

  /** Runs `s3push args…` against the test server (S3PUSH_ENDPOINT / S3PUSH_DATA, as the seed flow does). */
  function s3push(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return run(process.execPath, [entry, ...args], { env: { ...process.env, S3PUSH_ENDPOINT: server.endpoint, S3PUSH_DATA: server.dataDir, ...env }, timeoutMs: 60_000 });
  }
  async function json<T>(args: string[]): Promise<T> {
    const result = await s3push([...args, '--json']);
    assert.equal(result.code, 0, `s3push ${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr, '');
    return JSON.parse(result.stdout) as T;
  }
  /** A failure: exit code ≠ 0, nothing on stdout, exactly one line on stderr (returned). */
  async function fails(args: string[], env: Record<string, string> = {}): Promise<string> {
    const result = await s3push(args, env);
    assert.notEqual(result.code, 0, `s3push ${args.join(' ')} should fail`);
    assert.equal(result.stdout, '', `s3push ${args.join(' ')} printed to stdout`);
    const lines = result.stderr.split('\n');
    assert.equal(lines.length, 2, `s3push ${args.join(' ')}: one line on stderr, got ${JSON.stringify(result.stderr)}`);
    assert.equal(lines[1], '');
    return lines[0]!;
  }

  before(async () => {
    work = await tempDir('cli');
    entry = await cliEntry(work);
    server = await startTestServer({ webhooks: { allowPartnerPrivateTargets: false } });
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        pings.push(String(req.headers['x-s3push-event']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await server.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
    await removeDir(work);
  });

  let partner: OnboardedPartner;

  test('account create, onboard request | list | approve | reject', async () => {
    const account = await json<{ accountId: string; name: string; accessKeyId: string; secretAccessKey: string }>(['account', 'create', '--name', 'studio', '--id', '222233334444']);
    assert.equal(account.accountId, '222233334444');
    assert.equal(account.name, 'studio');
    assert.match(account.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.ok(account.secretAccessKey.length >= 40);
    const listed = await json<{ accountId: string }[]>(['account', 'list']);
    assert.ok(listed.some((a) => a.accountId === '222233334444'));

    const credentials = { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:root' }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'PrimeVideoDeliveryIAMRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;

    const request = await json<{ id: string; status: string; partner: string; roleArns: string[] }>([
      'onboard', 'request', '--partner', 'studio', '--role-arn', roleArn, '--delivery-account', 'test_account', '--region', 'us-east-1', '--source-bucket', 'studio-source-bucket', '--contact', 'ops@studio.example',
    ]);
    assert.match(request.id, /^onb-[a-z0-9]+$/);
    assert.equal(request.status, 'Pending');
    assert.deepEqual(request.roleArns, [roleArn]);
    const pending = await json<{ id: string }[]>(['onboard', 'list', '--status', 'Pending']);
    assert.deepEqual(pending.map((r) => r.id), [request.id]);

    const grant = await json<{ id: string; status: string; accessPointArn: string; alias: string; prefix: string; policy: { Version: string; Statement: unknown[] } }>(['onboard', 'approve', request.id]);
    assert.equal(grant.id, request.id);
    assert.equal(grant.status, 'Approved');
    assert.match(grant.accessPointArn, /^arn:aws:s3:us-east-1:\d{12}:accesspoint\/[a-z0-9-]+$/);
    assert.match(grant.alias, /-s3alias$/);
    assert.equal(grant.prefix, 'studio');
    assert.equal(grant.policy.Version, '2012-10-17');
    const human = await s3push(['onboard', 'approve', request.id]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, new RegExp(`alias: +${grant.alias}`));
    assert.match(human.stdout, /aws s3api copy-object/);

    await iam.send(new PutRolePolicyCommand({ RoleName: 'PrimeVideoDeliveryIAMRole', PolicyName: 'delivery', PolicyDocument: JSON.stringify(grant.policy) }));
    iam.destroy();
    const role = await assumeRoleAs(server, credentials, roleArn, 'AWSCLI-Session');
    const partnerId = (await server.server.delivery.context.deliveries.getPartnerByName('studio'))!.id;
    partner = { name: 'studio', partnerId, accountId: '222233334444', roleArn, grant: grant as unknown as OnboardedPartner['grant'], role };

    const other = await json<{ id: string }>(['onboard', 'request', '--partner', 'other', '--role-arn', 'arn:aws:iam::333344445555:role/Delivery', '--delivery-account', 'main', '--region', 'eu-west-1']);
    const rejected = await json<{ id: string; status: string; rejectionReason: string }>(['onboard', 'reject', other.id, '--reason', 'Use the production account.']);
    assert.deepEqual([rejected.id, rejected.status, rejected.rejectionReason], [other.id, 'Rejected', 'Use the production account.']);
    assert.deepEqual((await json<{ id: string }[]>(['onboard', 'list', '--status', 'Rejected'])).map((r) => r.id), [other.id]);
    assert.equal((await json<unknown[]>(['onboard', 'list'])).length, 2);
  });

  test('deliveries list --json has the documented shape and filters', async () => {
    const goodKey = await deliverAsPartner(server, partner, 'test.txt', 's3push test delivery\n');
    const badKey = await deliverAsPlatform(server, partner.grant.prefix, 'Bad Name.txt', 'x');
    const good = await settled(server, partner.partnerId, goodKey);
    await settled(server, partner.partnerId, badKey);
    const list = await json<Record<string, unknown>[]>(['deliveries', 'list', '--partner', 'studio']);
    assert.equal(list.length, 2);
    const row = list.find((d) => d['key'] === goodKey)!;
    for (const field of ['id', 'partner', 'deliveryAccount', 'key', 'versionId', 'size', 'status', 'deliveredAt', 'deliveredBy', 'method']) assert.ok(field in row, field);
    assert.deepEqual(
      [row['id'], row['partner'], row['deliveryAccount'], row['versionId'], row['size'], row['status'], row['deliveredBy'], row['method']],
      [good.id, 'studio', 'test_account', good.versionId, good.sizeBytes, 'Ingested', 'arn:aws:sts::222233334444:assumed-role/PrimeVideoDeliveryIAMRole/AWSCLI-Session', 'PutObject'],
    );
    assert.equal(row['deliveredAt'], new Date(good.deliveredMs).toISOString());
    const rejected = await json<{ key: string }[]>(['deliveries', 'list', '--status', 'Rejected']);
    assert.deepEqual(rejected.map((d) => d.key), [badKey]);
    assert.deepEqual(await json<unknown[]>(['deliveries', 'list', '--partner', 'studio', '--search', 'nothing-like-this']), []);
    const human = await s3push(['deliveries', 'list']);
    assert.match(human.stdout, /Ingested +studio\/test_account {2}studio\/test\.txt/);
  });

  test('explain prints the decision and why', async () => {
    const resource = `${partner.grant.accessPointArn}/object/studio/x.mov`;
    const allowed = await json<{ decision: string; explanation: string }>(['explain', '--principal', partner.roleArn, '--action', 's3:PutObject', '--resource', resource]);
    assert.equal(allowed.decision, 'Allow');
    const denied = await json<{ decision: string }>(['explain', '--principal', partner.roleArn, '--action', 's3:DeleteBucket', '--resource', `arn:aws:s3:::${server.server.platform.deliveryBucket}`]);
    assert.notEqual(denied.decision, 'Allow');
    const human = await s3push(['explain', '--principal', partner.roleArn, '--action', 's3:PutObject', '--resource', resource, '--context', 'aws:SourceIp=10.0.0.1']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Decision: Allow/);
  });

  test('webhooks create | list | test | deliveries | delete', async () => {
    const created = await json<{ id: string; url: string; partner: string | null; statuses: string[]; secret: string }>(['webhooks', 'create', '--url', receiverUrl, '--status', 'Rejected', '--status', 'Ingested']);
    assert.match(created.id, /^whk-/);
    assert.match(created.secret, /^whsec_/);
    assert.deepEqual([created.url, created.partner, created.statuses], [receiverUrl, null, ['Rejected', 'Ingested']]);
    const scoped = await json<{ id: string; partner: string }>(['webhooks', 'create', '--url', 'https://hooks.studio.example/s3push', '--partner', 'studio']);
    assert.equal(scoped.partner, 'studio');
    const listed = await json<{ id: string; secret?: string }[]>(['webhooks', 'list']);
    assert.deepEqual(listed.map((h) => h.id).sort(), [created.id, scoped.id].sort());
    assert.ok(listed.every((h) => h.secret === undefined), 'secrets are shown only at creation');
    assert.deepEqual((await json<{ id: string }[]>(['webhooks', 'list', '--partner', 'studio'])).map((h) => h.id), [scoped.id]);

    const ping = await json<{ event: string; status: string; attempts: number }>(['webhooks', 'test', created.id]);
    assert.deepEqual([ping.event, ping.status, ping.attempts], ['ping', 'Delivered', 1]);
    assert.deepEqual(pings, ['ping']);
    const log = await json<{ event: string }[]>(['webhooks', 'deliveries', created.id]);
    assert.deepEqual(log.map((d) => d.event), ['ping']);
    const human = await s3push(['webhooks', 'create', '--url', receiverUrl]);
    assert.match(human.stdout, /signing secret: whsec_/);
    const third = /Webhook (whk-[a-z0-9]+)/.exec(human.stdout)![1]!;

    const deleted = await Promise.all([created.id, scoped.id, third].map((id) => json(['webhooks', 'delete', id])));
    assert.deepEqual(deleted, [created.id, scoped.id, third].map((id) => ({ id, deleted: true })));
    assert.deepEqual(await json<unknown[]>(['webhooks', 'list']), []);
  });

  test('every failure is one line on stderr and a non-zero exit', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    // serve with its portal port taken: one line and an exit, not an AWS endpoint left running without a portal.
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const busyPort = (busy.address() as AddressInfo).port;
    const failures: [string[], RegExp, Record<string, string>?][] = [
      [['serve', '--data', join(work, 'serve-data'), '--port', '0', '--portal-port', String(busyPort), '--quiet'], /^s3push: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/],
      [['deliveries', 'list', '--endpoint', `http://127.0.0.1:${closedPort}`], /^s3push: no s3push server at http:\/\/127\.0\.0\.1:\d+/],
      [['onboard', 'list'], /^s3push: cannot read platform credentials in \/nonexistent\/s3push-data/, { S3PUSH_DATA: '/nonexistent/s3push-data' }],
      [['onboard', 'approve', 'onb-doesnotexist'], /^s3push: NotFound: No onboarding request onb-doesnotexist\.$/],
      [['onboard', 'reject', 'onb-doesnotexist', '--reason', 'x'], /^s3push: NotFound: /],
      [['webhooks', 'delete', 'whk-doesnotexist'], /^s3push: NotFound: No webhook whk-doesnotexist\.$/],
      [['webhooks', 'create', '--url', 'ftp://example.com/hook'], /^s3push: InvalidArgument: Webhook URLs must be http/],
      [['webhooks', 'create', '--url', 'http://127.0.0.1:1/hook', '--partner', 'studio'], /^s3push: InvalidArgument: .*private network/],
      [['onboard', 'request', '--partner', 'x', '--role-arn', 'not-an-arn', '--delivery-account', 'a', '--region', 'us-east-1'], /^s3push: InvalidArgument: Not an IAM role ARN/],
      [['deliveries', 'list', '--status', 'Lost'], /^s3push: InvalidArgument: status must be one of/],
      [['deliveries', 'list', '--limit', '0'], /^s3push: --limit must be 1-10000$/],
      [['explain', '--principal', 'x', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::b', '--context', 'novalue'], /^s3push: --context needs key=value/],
      [['account', 'create'], /required option '--name <name>' not specified/],
      [['onboard', 'approve'], /missing required argument 'id'/],
      [['no-such-command'], /unknown command 'no-such-command'/],
      [['deliveries', 'list', '--no-such-option'], /unknown option '--no-such-option'/],
    ];
    const lines = await Promise.all(failures.map(([args, , env]) => fails(args, env)));
    failures.forEach(([args, pattern], i) => assert.match(lines[i]!, pattern, `s3push ${args.join(' ')}`));
    await new Promise<void>((r) => busy.close(() => r()));
  });

  test('serve under npx (npm_command=exec) stops when the process that started it goes', async () => {
    // As `npx s3push serve`: a wrapper starts the server and is then killed; npm would not pass the signal on.
    const script = `"${process.execPath}" "${entry}" serve --data "${join(work, 'orphan-data')}" --port 0 --portal-port 0 --quiet >/dev/null 2>&1 & echo $!; sleep 2`;
    const started = await run('sh', ['-c', script], { env: { ...process.env, npm_command: 'exec' }, timeoutMs: 30_000 });
    const pid = Number(started.stdout.trim());
    assert.ok(Number.isInteger(pid) && pid > 0, started.stdout);
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const deadline = Date.now() + 15_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
    assert.equal(alive(), false, 'the orphaned server exited by itself');
  });
});
