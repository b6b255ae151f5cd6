// The `aws iam` CLI (v1, botocore) against s3push: roles, inline and managed policies, users and keys, errors, paging.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { awsEnv, skipUnless } from '../helpers/tools.js';

const run = promisify(execFile);

/** The CLI's JSON output, read loosely: each test asserts the fields it cares about. */
type CliOutput = Record<string, any>;

describe('aws iam (CLI v1)', { skip: skipUnless('aws') }, () => {
  let server: TestServer;
  let root: Credentials & { accountId: string };
  let dir: string;

  before(async () => {
    server = await startTestServer();
    root = await server.createAccount('cli');
    dir = await mkdtemp(join(tmpdir(), 's3push-cli-iam-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `aws <args> --output json` (asynchronously: the server answers from this same process) and parses stdout. */
  async function aws(args: string[], credentials: Credentials = root): Promise<CliOutput> {
    const { stdout } = await run('aws', [...args, '--output', 'json'], { env: awsEnv(server.endpoint, credentials), timeout: 60_000 });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as CliOutput);
  }

  /** Runs a command that must fail; returns its stderr. */
  async function awsFails(args: string[], credentials: Credentials = root): Promise<string> {
    try {
      await run('aws', args, { env: awsEnv(server.endpoint, credentials), timeout: 60_000 });
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      assert.notEqual(e.code, 0);
      return e.stderr ?? '';
    }
    assert.fail(`aws ${args.join(' ')} should have failed`);
  }

  async function file(name: string, content: object): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(content, null, 2));
    return `file://${path}`;
  }

  test('create-role, put-role-policy, get-role-policy (the CLI decodes the URL-encoded documents)', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${root.accountId}:root` }, Action: 'sts:AssumeRole' }] };
    const created = await aws(['iam', 'create-role', '--role-name', 'cli-role', '--path', '/cli/', '--assume-role-policy-document', await file('trust.json', trust),
      '--description', 'made by the CLI', '--max-session-duration', '7200']);
    assert.equal(created['Role'].Arn, `arn:aws:iam::${root.accountId}:role/cli/cli-role`);
    assert.deepEqual(created['Role'].AssumeRolePolicyDocument, trust);
    const rolePolicy = { Version: '2012-10-17', Statement: [{ Sid: 'Media', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::media/*' }] };
    await aws(['iam', 'put-role-policy', '--role-name', 'cli-role', '--policy-name', 'media', '--policy-document', await file('role-policy.json', rolePolicy)]);
    const got = await aws(['iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'media']);
    assert.deepEqual(got, { RoleName: 'cli-role', PolicyName: 'media', PolicyDocument: rolePolicy });
    const role = await aws(['iam', 'get-role', '--role-name', 'cli-role']);
    assert.equal(role['Role'].MaxSessionDuration, 7200);
    assert.equal(role['Role'].Description, 'made by the CLI');
    assert.match(role['Role'].CreateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00|Z)$/);
  });

  test('create-policy, attach-role-policy, list-attached-role-policies, get-policy-version', async () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::media' }] };
    const created = await aws(['iam', 'create-policy', '--policy-name', 'cli-list', '--policy-document', await file('managed.json', document)]);
    const arn = created['Policy'].Arn as string;
    assert.equal(arn, `arn:aws:iam::${root.accountId}:policy/cli-list`);
    await aws(['iam', 'attach-role-policy', '--role-name', 'cli-role', '--policy-arn', arn]);
    const attached = await aws(['iam', 'list-attached-role-policies', '--role-name', 'cli-role']);
    assert.deepEqual(attached['AttachedPolicies'], [{ PolicyName: 'cli-list', PolicyArn: arn }]);
    const version = await aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', 'v1']);
    assert.deepEqual(version['PolicyVersion'].Document, document);
    assert.equal(version['PolicyVersion'].IsDefaultVersion, true);
  });

  test('create-user and create-access-key give a key the CLI can use', async () => {
    const user = await aws(['iam', 'create-user', '--user-name', 'cli-user', '--tags', 'Key=team,Value=media']);
    assert.equal(user['User'].Arn, `arn:aws:iam::${root.accountId}:user/cli-user`);
    const key = await aws(['iam', 'create-access-key', '--user-name', 'cli-user']);
    assert.equal(key['AccessKey'].UserName, 'cli-user');
    assert.equal(key['AccessKey'].Status, 'Active');
    const credentials = { accessKeyId: key['AccessKey'].AccessKeyId as string, secretAccessKey: key['AccessKey'].SecretAccessKey as string };
    const identity = await aws(['sts', 'get-caller-identity'], credentials);
    assert.equal(identity['Arn'], `arn:aws:iam::${root.accountId}:user/cli-user`);
    const stderr = await awsFails(['iam', 'list-users'], credentials);
    assert.match(stderr, /An error occurred \(AccessDenied\) when calling the ListUsers operation: User: arn:aws:iam::\d{12}:user\/cli-user is not authorized to perform: iam:ListUsers/);
  });

  test('errors reach the CLI with their code and message', async () => {
    const stderr = await awsFails(['iam', 'get-role', '--role-name', 'nope']);
    assert.match(stderr, /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name nope cannot be found\./);
    const malformed = await awsFails(['iam', 'put-role-policy', '--role-name', 'cli-role', '--policy-name', 'bad', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}']);
    assert.match(malformed, /\(MalformedPolicyDocument\) when calling the PutRolePolicy operation: Policy statement must contain resources\./);
  });

  test('the CLI pages through list-users with Marker until the end', async () => {
    for (const name of ['page-1', 'page-2', 'page-3']) await aws(['iam', 'create-user', '--user-name', name, '--path', '/paged/']);
    const listed = await aws(['iam', 'list-users', '--path-prefix', '/paged/', '--page-size', '1']);
    assert.deepEqual(listed['Users'].map((u: { UserName: string }) => u.UserName), ['page-1', 'page-2', 'page-3']);
  });
});
