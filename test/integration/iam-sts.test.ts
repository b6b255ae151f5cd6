// Roles made through IAM, assumed through STS: caller identity, duration bounds, role chaining, session policies,
// and what a session may do in IAM — all with the real @aws-sdk/client-iam and client-sts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRoleCommand, CreateUserCommand, CreateAccessKeyCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, GetUserCommand,
  ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand, UpdateAssumeRolePolicyCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { allow, iamClient, policy, rejectsAws, stsClient, trustAccount } from './iam-fixtures.js';

describe('IAM roles assumed through STS', () => {
  let server: TestServer;
  let accountId: string;
  let root: Credentials;
  let iam: IAMClient;
  let sts: STSClient;

  before(async () => {
    server = await startTestServer();
    const account = await server.createAccount('sts-flow');
    accountId = account.accountId;
    root = account;
    iam = iamClient(server.endpoint, root);
    sts = stsClient(server.endpoint, root);
  });
  after(async () => {
    iam.destroy();
    sts.destroy();
    await server.stop();
  });

  async function assume(client: STSClient, roleName: string, extra: { DurationSeconds?: number; Policy?: string; RoleSessionName?: string } = {}): Promise<Credentials> {
    const out = await client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'session-1', ...extra }));
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  test('CreateRole with a trust policy naming the account, then AssumeRole as root: the session is the role', async () => {
    const created = (await iam.send(new CreateRoleCommand({ RoleName: 'deliver', Path: '/partners/', AssumeRolePolicyDocument: trustAccount(accountId), MaxSessionDuration: 7200 }))).Role!;
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: created.Arn!, RoleSessionName: 'nightly', DurationSeconds: 7200 }));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${accountId}:assumed-role/deliver/nightly`, 'the role path is not in the session ARN');
    assert.equal(out.AssumedRoleUser!.AssumedRoleId, `${created.RoleId}:nightly`);
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA/);
    const expiresInMs = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(expiresInMs > 7100_000 && expiresInMs <= 7200_000, `expires in ${expiresInMs} ms`);
    const session = stsClient(server.endpoint, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! });
    const identity = await session.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:sts::${accountId}:assumed-role/deliver/nightly`);
    assert.equal(identity.UserId, `${created.RoleId}:nightly`);
    assert.equal(identity.Account, accountId);
    session.destroy();
  });

  test('DurationSeconds must lie between 900 seconds and the role\'s MaxSessionDuration', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: trustAccount(accountId) }));
    await rejectsAws(assume(sts, 'short', { DurationSeconds: 899 }), 'ValidationError', 400, /greater than or equal to 900/);
    await rejectsAws(assume(sts, 'short', { DurationSeconds: 3601 }), 'ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    await assume(sts, 'short', { DurationSeconds: 3600 });
  });

  test('a trust policy that does not name the caller refuses AssumeRole, and UpdateAssumeRolePolicy changes that at once', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'assumer' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'assumer' }));
    const userSts = stsClient(server.endpoint, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    const userArn = `arn:aws:iam::${accountId}:user/assumer`;
    await iam.send(new CreateRoleCommand({ RoleName: 'guarded', AssumeRolePolicyDocument: policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:role/partners/deliver` }, Action: 'sts:AssumeRole' }]) }));
    await rejectsAws(assume(userSts, 'guarded'), 'AccessDenied', 403, new RegExp(`^User: ${userArn} is not authorized to perform: sts:AssumeRole`));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'guarded', PolicyDocument: policy([{ Effect: 'Allow', Principal: { AWS: userArn }, Action: 'sts:AssumeRole' }]) }));
    const session = await assume(userSts, 'guarded');
    assert.match(session.accessKeyId, /^ASIA/);
    userSts.destroy();
  });

  test('role chaining: a session may assume another role for at most one hour', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'first-hop', AssumeRolePolicyDocument: trustAccount(accountId), MaxSessionDuration: 43_200 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'second-hop', AssumeRolePolicyDocument: trustAccount(accountId), MaxSessionDuration: 43_200 }));
    const first = await assume(sts, 'first-hop', { DurationSeconds: 7200 });
    const firstSts = stsClient(server.endpoint, first);
    // The trust policy names only the account, so the first role's own policy must allow the hop.
    await rejectsAws(assume(firstSts, 'second-hop'), 'AccessDenied', 403, /because no identity-based policy allows the sts:AssumeRole action/);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'first-hop', PolicyName: 'hop', PolicyDocument: policy([allow('sts:AssumeRole', `arn:aws:iam::${accountId}:role/second-hop`)]) }));
    await rejectsAws(assume(firstSts, 'second-hop', { DurationSeconds: 3601 }), 'ValidationError', 400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const second = await assume(firstSts, 'second-hop', { DurationSeconds: 3600, RoleSessionName: 'hop-2' });
    const secondSts = stsClient(server.endpoint, second);
    assert.equal((await secondSts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${accountId}:assumed-role/second-hop/hop-2`);
    firstSts.destroy();
    secondSts.destroy();
  });

  test('a session policy intersects with the role\'s: what it lacks is denied, what both allow works', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustAccount(accountId) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read-iam', PolicyDocument: policy([allow(['iam:GetRole', 'iam:ListRoles'])]) }));
    const full = iamClient(server.endpoint, await assume(sts, 'reader'));
    assert.equal((await full.send(new GetRoleCommand({ RoleName: 'reader' }))).Role!.RoleName, 'reader');
    const narrowed = iamClient(server.endpoint, await assume(sts, 'reader', { Policy: policy([allow(['iam:ListRoles', 'iam:CreateRole'])]), RoleSessionName: 'narrow' }));
    await narrowed.send(new ListRolesCommand({}));
    await rejectsAws(narrowed.send(new GetRoleCommand({ RoleName: 'reader' })), 'AccessDenied', 403,
      `User: arn:aws:sts::${accountId}:assumed-role/reader/narrow is not authorized to perform: iam:GetRole on resource: role reader because no session policy allows the iam:GetRole action`);
    await rejectsAws(narrowed.send(new CreateRoleCommand({ RoleName: 'not-allowed', AssumeRolePolicyDocument: trustAccount(accountId) })), 'AccessDenied', 403,
      /because no identity-based policy allows the iam:CreateRole action/);
    // A session has no user: GetUser must name one.
    await rejectsAws(full.send(new GetUserCommand({})), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
    full.destroy();
    narrowed.destroy();
  });

  test('a role\'s new inline policy applies to its existing sessions at once; deleting the role leaves them nothing', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'evolving', AssumeRolePolicyDocument: trustAccount(accountId) }));
    const session = iamClient(server.endpoint, await assume(sts, 'evolving'));
    await rejectsAws(session.send(new ListRolesCommand({})), 'AccessDenied', 403);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'evolving', PolicyName: 'list', PolicyDocument: policy([allow('iam:ListRoles')]) }));
    await session.send(new ListRolesCommand({}));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'evolving', PolicyName: 'list' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'evolving' }));
    await rejectsAws(session.send(new ListRolesCommand({})), 'AccessDenied', 403);
    session.destroy();
  });

  test('a user\'s identity policy can let it assume a role whose trust names only the account', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'hopper' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'hopper' }));
    const userSts = stsClient(server.endpoint, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    await rejectsAws(assume(userSts, 'short'), 'AccessDenied', 403);
    await iam.send(new PutUserPolicyCommand({ UserName: 'hopper', PolicyName: 'assume', PolicyDocument: policy([allow('sts:AssumeRole', `arn:aws:iam::${accountId}:role/short`)]) }));
    const session = await assume(userSts, 'short');
    assert.match(session.accessKeyId, /^ASIA/);
    userSts.destroy();
  });
});
