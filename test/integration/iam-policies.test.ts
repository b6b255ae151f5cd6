// IAM managed policies and attachments through @aws-sdk/client-iam, and who may call IAM: identity policies,
// explicit denies, permissions boundaries, other accounts — each change taking effect on the next request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  CreateRoleCommand, CreateUserCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetUserCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand, ListPoliciesCommand, ListPolicyVersionsCommand, ListRolesCommand, ListUsersCommand, PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { allow, iamClient, policy, rejectsAws, trustAccount } from './iam-fixtures.js';

describe('IAM managed policies and authorization', () => {
  let server: TestServer;
  let accountId: string;
  let iam: IAMClient;
  let other: { accountId: string; iam: IAMClient };

  before(async () => {
    server = await startTestServer();
    const account = await server.createAccount('policies');
    accountId = account.accountId;
    iam = iamClient(server.endpoint, account);
    const second = await server.createAccount('elsewhere');
    other = { accountId: second.accountId, iam: iamClient(server.endpoint, second) };
  });
  after(async () => {
    iam.destroy();
    other.iam.destroy();
    await server.stop();
  });

  async function userClient(name: string): Promise<IAMClient> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    const key: Credentials = { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! };
    return iamClient(server.endpoint, key);
  }

  describe('managed policies', () => {
    test('CreatePolicy/GetPolicy: ARN with path, ANPA id, v1 default, counts and dates', async () => {
      const created = (await iam.send(new CreatePolicyCommand({
        PolicyName: 'media-read', Path: '/media/', PolicyDocument: policy([allow('s3:GetObject', 'arn:aws:s3:::media/*')]), Description: 'reads media',
        Tags: [{ Key: 'k', Value: 'v' }],
      }))).Policy!;
      assert.equal(created.Arn, `arn:aws:iam::${accountId}:policy/media/media-read`);
      assert.match(created.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
      assert.equal(created.DefaultVersionId, 'v1');
      assert.equal(created.AttachmentCount, 0);
      assert.equal(created.IsAttachable, true);
      const got = (await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! }))).Policy!;
      assert.equal(got.Description, 'reads media');
      assert.deepEqual(got.Tags, [{ Key: 'k', Value: 'v' }]);
      assert.equal(got.PermissionsBoundaryUsageCount, 0);
      assert.equal(got.CreateDate?.getTime(), created.CreateDate?.getTime());
      await rejectsAws(iam.send(new CreatePolicyCommand({ PolicyName: 'MEDIA-READ', PolicyDocument: policy([allow('s3:*')]) })), 'EntityAlreadyExists', 409,
        'A policy called MEDIA-READ already exists. Duplicate names are not allowed.');
      await rejectsAws(iam.send(new CreatePolicyCommand({ PolicyName: 'principal', PolicyDocument: policy([{ ...allow('s3:*'), Principal: '*' }]) })), 'MalformedPolicyDocument', 400,
        'Policy document should not specify a principal.');
      const oversized = policy([allow('s3:GetObject', Array.from({ length: 250 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`))]);
      await rejectsAws(iam.send(new CreatePolicyCommand({ PolicyName: 'oversized', PolicyDocument: oversized })), 'LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144');
      await rejectsAws(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${accountId}:policy/none` })), 'NoSuchEntity', 404,
        `Policy arn:aws:iam::${accountId}:policy/none does not exist or is not attachable.`);
      await rejectsAws(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), 'NoSuchEntity', 404);
      await rejectsAws(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:s3:::not-a-policy' })), 'InvalidInput', 400);
    });

    test('versions: create, set default, get the URL-encoded document, list newest first, at most five, delete', async () => {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: policy([allow('s3:GetObject')]) }))).Policy!.Arn!;
      const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy([allow('s3:PutObject')]) }))).PolicyVersion!;
      assert.deepEqual([v2.VersionId, v2.IsDefaultVersion, v2.Document], ['v2', false, undefined]);
      const v3doc = policy([allow('s3:DeleteObject')]);
      const v3 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v3doc, SetAsDefault: true }))).PolicyVersion!;
      assert.deepEqual([v3.VersionId, v3.IsDefaultVersion], ['v3', true]);
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v3');
      const got = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }))).PolicyVersion!;
      assert.equal(got.Document, encodeURIComponent(v3doc));
      assert.equal(got.IsDefaultVersion, true);
      const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
      assert.deepEqual(versions.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v3', true], ['v2', false], ['v1', false]]);
      assert.ok(versions.every((v) => v.Document === undefined));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy([allow('s3:A*')]) }));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy([allow('s3:B*')]) }));
      await rejectsAws(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy([allow('s3:C*')]) })), 'LimitExceeded', 409, /up to 5 versions/);
      await rejectsAws(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
      await rejectsAws(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'NoSuchEntity', 404);
      await rejectsAws(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })), 'NoSuchEntity', 404);
      await rejectsAws(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'one' })), 'ValidationError', 400, /versionId/);
      for (const v of ['v2', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      await rejectsAws(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity', 404);
    });

    test('attach to roles and users, list attachments both ways, and delete only when detached', async () => {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'shared', Path: '/team/', PolicyDocument: policy([allow('s3:ListBucket')]) }))).Policy!.Arn!;
      await iam.send(new CreateRoleCommand({ RoleName: 'attached-role', AssumeRolePolicyDocument: trustAccount(accountId) }));
      await iam.send(new CreateUserCommand({ UserName: 'attached-user', Path: '/staff/' }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached-role', PolicyArn: arn }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached-role', PolicyArn: arn }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'attached-user', PolicyArn: arn }));
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached-role' }));
      assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'shared', PolicyArn: arn }]);
      assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached-role', PathPrefix: '/other/' }))).AttachedPolicies, []);
      assert.deepEqual((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'attached-user' }))).AttachedPolicies!.map((p) => p.PolicyArn), [arn]);
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 2);
      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['attached-role']);
      assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['attached-user']);
      assert.match(entities.PolicyUsers![0]!.UserId!, /^AIDA/);
      assert.deepEqual(entities.PolicyGroups, []);
      assert.deepEqual((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Role' }))).PolicyUsers, []);
      assert.deepEqual((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PathPrefix: '/staff/' }))).PolicyRoles, []);
      const local = (await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))).Policies!.map((p) => p.PolicyName);
      assert.ok(local.includes('shared'));
      assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies, [], 's3push has no AWS-managed policies');
      assert.deepEqual((await iam.send(new ListPoliciesCommand({ PathPrefix: '/team/' }))).Policies!.map((p) => p.PolicyName), ['shared']);
      await rejectsAws(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409);
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'attached-role', PolicyArn: arn }));
      await rejectsAws(iam.send(new DetachRolePolicyCommand({ RoleName: 'attached-role', PolicyArn: arn })), 'NoSuchEntity', 404, `Policy ${arn} was not found.`);
      await iam.send(new DetachUserPolicyCommand({ UserName: 'attached-user', PolicyArn: arn }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      await rejectsAws(iam.send(new AttachRolePolicyCommand({ RoleName: 'attached-role', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })), 'NoSuchEntity', 404,
        'Policy arn:aws:iam::aws:policy/ReadOnlyAccess does not exist or is not attachable.');
    });

    test('another account\'s policy can be neither read nor attached', async () => {
      const foreign = (await other.iam.send(new CreatePolicyCommand({ PolicyName: 'foreign', PolicyDocument: policy([allow('s3:*')]) }))).Policy!.Arn!;
      await rejectsAws(iam.send(new GetPolicyCommand({ PolicyArn: foreign })), 'AccessDenied', 403,
        `User: arn:aws:iam::${accountId}:root is not authorized to perform: iam:GetPolicy on resource: ${foreign} because no resource-based policy allows the iam:GetPolicy action`);
      await iam.send(new CreateRoleCommand({ RoleName: 'cross', AssumeRolePolicyDocument: trustAccount(accountId) }));
      await rejectsAws(iam.send(new AttachRolePolicyCommand({ RoleName: 'cross', PolicyArn: foreign })), 'NoSuchEntity', 404);
      // Each account sees only its own IAM.
      await rejectsAws(other.iam.send(new GetRoleCommand({ RoleName: 'cross' })), 'NoSuchEntity', 404);
    });
  });

  describe('authorization of IAM calls', () => {
    test('a user may do exactly what its inline policy allows, from the next request on', async () => {
      const client = await userClient('limited');
      const userArn = `arn:aws:iam::${accountId}:user/limited`;
      await rejectsAws(client.send(new GetUserCommand({})), 'AccessDenied', 403,
        `User: ${userArn} is not authorized to perform: iam:GetUser on resource: user limited because no identity-based policy allows the iam:GetUser action`);
      await rejectsAws(client.send(new CreateRoleCommand({ RoleName: 'made-by-limited', AssumeRolePolicyDocument: trustAccount(accountId) })), 'AccessDenied', 403,
        `User: ${userArn} is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${accountId}:role/made-by-limited because no identity-based policy allows the iam:CreateRole action`);
      await iam.send(new PutUserPolicyCommand({ UserName: 'limited', PolicyName: 'self', PolicyDocument: policy([allow('iam:GetUser', 'arn:aws:iam::*:user/${aws:username}')]) }));
      assert.equal((await client.send(new GetUserCommand({}))).User!.Arn, userArn);
      assert.equal((await client.send(new GetUserCommand({ UserName: 'LIMITED' }))).User!.UserName, 'limited');
      await rejectsAws(client.send(new GetUserCommand({ UserName: 'attached-user' })), 'AccessDenied', 403, /iam:GetUser on resource: user attached-user/);
      // Without permission, no answer about existence.
      await rejectsAws(client.send(new GetUserCommand({ UserName: 'no-such-user' })), 'AccessDenied', 403, /iam:GetUser on resource: user no-such-user/);
      await rejectsAws(client.send(new ListUsersCommand({})), 'AccessDenied', 403, `User: ${userArn} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${accountId}:user/ because no identity-based policy allows the iam:ListUsers action`);
      client.destroy();
    });

    test('List* resources carry the path prefix; an explicit deny wins', async () => {
      const client = await userClient('lister');
      await iam.send(new PutUserPolicyCommand({ UserName: 'lister', PolicyName: 'p', PolicyDocument: policy([
        allow('iam:ListRoles', `arn:aws:iam::${accountId}:role/public/*`),
        allow('iam:ListPolicies'),
        { Effect: 'Deny', Action: 'iam:ListPolicies', Resource: `arn:aws:iam::${accountId}:policy/secret/*` },
      ]) }));
      await client.send(new ListRolesCommand({ PathPrefix: '/public/' }));
      await rejectsAws(client.send(new ListRolesCommand({})), 'AccessDenied', 403);
      await client.send(new ListPoliciesCommand({ PathPrefix: '/team/' }));
      await rejectsAws(client.send(new ListPoliciesCommand({ PathPrefix: '/secret/' })), 'AccessDenied', 403,
        `User: arn:aws:iam::${accountId}:user/lister is not authorized to perform: iam:ListPolicies on resource: policy path /secret/ with an explicit deny in an identity-based policy`);
      client.destroy();
    });

    test('attached managed policies grant, and switching the default version takes effect at once', async () => {
      const client = await userClient('managed-user');
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'list-users', PolicyDocument: policy([allow('iam:ListUsers')]) }))).Policy!.Arn!;
      await iam.send(new AttachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: arn }));
      await client.send(new ListUsersCommand({}));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy([allow('iam:ListRoles')]), SetAsDefault: true }));
      await rejectsAws(client.send(new ListUsersCommand({})), 'AccessDenied', 403);
      await client.send(new ListRolesCommand({}));
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      await client.send(new ListUsersCommand({}));
      await iam.send(new DetachUserPolicyCommand({ UserName: 'managed-user', PolicyArn: arn }));
      await rejectsAws(client.send(new ListUsersCommand({})), 'AccessDenied', 403);
      client.destroy();
    });

    test('a permissions boundary caps what the identity policy allows', async () => {
      const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'only-get-user', PolicyDocument: policy([allow(['iam:GetUser', 'iam:CreateAccessKey'])]) }))).Policy!.Arn!;
      await iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: boundary }));
      const out = await iam.send(new CreateAccessKeyCommand({ UserName: 'bounded' }));
      const client = iamClient(server.endpoint, { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! });
      await iam.send(new PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'all-iam', PolicyDocument: policy([allow('iam:*')]) }));
      await client.send(new GetUserCommand({}));
      await rejectsAws(client.send(new ListUsersCommand({})), 'AccessDenied', 403, /because no permissions boundary allows the iam:ListUsers action/);
      assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy!.PermissionsBoundaryUsageCount, 1);
      const users = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary, PolicyUsageFilter: 'PermissionsBoundary' }));
      assert.deepEqual(users.PolicyUsers!.map((u) => u.UserName), ['bounded']);
      const boundedOnly = (await iam.send(new ListPoliciesCommand({ PolicyUsageFilter: 'PermissionsBoundary' }))).Policies!.map((p) => p.PolicyName);
      assert.ok(boundedOnly.includes('only-get-user') && !boundedOnly.includes('list-users'));
      client.destroy();
    });

    test('iam:PolicyARN conditions restrict which policies a user may attach', async () => {
      const client = await userClient('attacher');
      const ok = (await iam.send(new CreatePolicyCommand({ PolicyName: 'attachable-ok', PolicyDocument: policy([allow('s3:GetObject')]) }))).Policy!.Arn!;
      const no = (await iam.send(new CreatePolicyCommand({ PolicyName: 'attachable-no', PolicyDocument: policy([allow('s3:*')]) }))).Policy!.Arn!;
      await iam.send(new CreateRoleCommand({ RoleName: 'target-role', AssumeRolePolicyDocument: trustAccount(accountId) }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'attacher', PolicyName: 'p', PolicyDocument: policy([
        { ...allow('iam:AttachRolePolicy', `arn:aws:iam::${accountId}:role/target-role`), Condition: { ArnEquals: { 'iam:PolicyARN': ok } } },
      ]) }));
      await client.send(new AttachRolePolicyCommand({ RoleName: 'target-role', PolicyArn: ok }));
      await rejectsAws(client.send(new AttachRolePolicyCommand({ RoleName: 'target-role', PolicyArn: no })), 'AccessDenied', 403, /iam:AttachRolePolicy on resource: role target-role/);
      client.destroy();
    });
  });
});
