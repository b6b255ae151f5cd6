// The IAM API through @aws-sdk/client-iam: users, access keys, roles, inline and managed policies, and who may call what.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteRoleCommand,
  DeleteRolePolicyCommand, DeleteUserCommand, DeleteUserPolicyCommand, GetRoleCommand, GetRolePolicyCommand, GetUserCommand, ListAccessKeysCommand, ListRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand, UpdateAccessKeyCommand, UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Credentials, TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { allow, iamClient, policy, rejectsAws, serverWithIamAccount, stopServerWithIamAccount, stsClient, trustAccount } from './iam-fixtures.js';

describe('IAM through the AWS SDK', () => {
  let server: TestServer;
  let accountId: string;
  let root: Credentials;
  let iam: IAMClient;

  before(async () => ({ server, accountId, root, iam } = await serverWithIamAccount('iam-tests')));
  after(() => stopServerWithIamAccount({ server, accountId, root, iam }));

  /** Creates a user with a key; returns the key and a client signed with it. */
  async function userWithKey(name: string): Promise<{ key: Credentials; client: IAMClient }> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    const key = { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! };
    return { key, client: iamClient(server.endpoint, key) };
  }

  describe('users', () => {
    test('CreateUser keeps path, tags and boundary; GetUser reads them back in any letter case', async () => {
      const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'user-boundary', PolicyDocument: policy([allow('iam:*')]) }))).Policy!.Arn!;
      const created = await iam.send(new CreateUserCommand({ UserName: 'Ana', Path: '/media/', Tags: [{ Key: 'team', Value: 'ingest' }], PermissionsBoundary: boundary }));
      const user = created.User!;
      assert.equal(user.Arn, `arn:aws:iam::${accountId}:user/media/Ana`);
      assert.match(user.UserId!, /^AIDA[A-Z2-7]{17}$/);
      assert.equal(user.Path, '/media/');
      assert.ok(user.CreateDate instanceof Date && Math.abs(user.CreateDate.getTime() - Date.now()) < 60_000);
      const got = (await iam.send(new GetUserCommand({ UserName: 'ana' }))).User!;
      assert.equal(got.UserName, 'Ana');
      assert.equal(got.UserId, user.UserId);
      assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'ingest' }]);
      assert.deepEqual(got.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
      await rejectsAws(iam.send(new CreateUserCommand({ UserName: 'ANA' })), 'EntityAlreadyExists', 409, 'User with name ANA already exists.');
      await rejectsAws(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
      await rejectsAws(iam.send(new CreateUserCommand({ UserName: 'bad name' })), 'ValidationError', 400, /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      await rejectsAws(iam.send(new CreateUserCommand({ UserName: 'pathless', Path: 'media' })), 'ValidationError', 400, /'path'/);
      await rejectsAws(iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: `arn:aws:iam::${accountId}:policy/none` })), 'NoSuchEntity', 404, /Scope ARN: .* does not exist or is not attachable/);
    });

    test('GetUser without UserName answers the caller: the root user as AWS shows it', async () => {
      const me = (await iam.send(new GetUserCommand({}))).User!;
      assert.equal(me.Arn, `arn:aws:iam::${accountId}:root`);
      assert.equal(me.UserId, accountId);
      assert.equal(me.UserName, undefined);
    });

    test('ListUsers pages with Marker/MaxItems, in name order, and filters by PathPrefix', async () => {
      for (const name of ['page-c', 'page-a', 'page-e', 'page-b', 'page-d']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
        seen.push(...out.Users!.map((u) => u.UserName!));
        assert.equal(out.IsTruncated, out.Marker !== undefined);
        marker = out.Marker;
        pages++;
      } while (marker);
      assert.deepEqual(seen, ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
      assert.equal(pages, 3);
      const all = await iam.send(new ListUsersCommand({}));
      assert.ok(all.Users!.length >= 5 && all.IsTruncated === false);
      await rejectsAws(iam.send(new ListUsersCommand({ MaxItems: 0 })), 'ValidationError', 400, /maxItems/);
    });

    test('DeleteUser refuses while keys or policies remain, then deletes', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'leaver' }));
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'leaver' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'leaver', PolicyName: 'p', PolicyDocument: policy([allow('s3:ListAllMyBuckets')]) }));
      await rejectsAws(iam.send(new DeleteUserCommand({ UserName: 'leaver' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'leaver', AccessKeyId: key.AccessKey!.AccessKeyId! }));
      await rejectsAws(iam.send(new DeleteUserCommand({ UserName: 'leaver' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'leaver', PolicyName: 'p' }));
      await iam.send(new DeleteUserCommand({ UserName: 'leaver' }));
      await rejectsAws(iam.send(new DeleteUserCommand({ UserName: 'leaver' })), 'NoSuchEntity', 404);
    });
  });

  describe('access keys', () => {
    test('CreateAccessKey makes a working AKIA key; two per user at most', async () => {
      const { key, client } = await userWithKey('keyholder');
      assert.match(key.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(key.secretAccessKey.length, 40);
      const sts = stsClient(server.endpoint, key);
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:iam::${accountId}:user/keyholder`);
      assert.match(identity.UserId!, /^AIDA/);
      await iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }));
      await rejectsAws(iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' })), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'keyholder' }));
      assert.equal(listed.AccessKeyMetadata!.length, 2);
      assert.equal(listed.AccessKeyMetadata![0]!.AccessKeyId, key.accessKeyId, 'oldest first');
      assert.ok(listed.AccessKeyMetadata!.every((k) => k.UserName === 'keyholder' && k.Status === 'Active'));
      await rejectsAws(iam.send(new CreateAccessKeyCommand({ UserName: 'ghost' })), 'NoSuchEntity', 404);
      sts.destroy();
      client.destroy();
    });

    test('an Inactive key fails SigV4 at once (S3 InvalidAccessKeyId, IAM/STS InvalidClientTokenId); Active again works; deleted fails', async () => {
      const { key } = await userWithKey('toggler');
      await iam.send(new PutUserPolicyCommand({ UserName: 'toggler', PolicyName: 'list', PolicyDocument: policy([allow('s3:ListAllMyBuckets')]) }));
      const s3 = s3Client(server.endpoint, key);
      const sts = stsClient(server.endpoint, key);
      await sts.send(new GetCallerIdentityCommand({}));
      await s3.send(new ListBucketsCommand({}));
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
      await rejectsAws(s3.send(new ListBucketsCommand({})), 'InvalidAccessKeyId', 403);
      await rejectsAws(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
      assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'toggler' }))).AccessKeyMetadata![0]!.Status, 'Inactive');
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId, Status: 'Active' }));
      await sts.send(new GetCallerIdentityCommand({}));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId }));
      await rejectsAws(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
      await rejectsAws(iam.send(new DeleteAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId })), 'NoSuchEntity', 404, `The Access Key with id ${key.accessKeyId} cannot be found.`);
      s3.destroy();
      sts.destroy();
    });

    test('a key of another user cannot be changed by naming the wrong user', async () => {
      const { key } = await userWithKey('owner-one');
      await iam.send(new CreateUserCommand({ UserName: 'owner-two' }));
      await rejectsAws(iam.send(new UpdateAccessKeyCommand({ UserName: 'owner-two', AccessKeyId: key.accessKeyId, Status: 'Inactive' })), 'NoSuchEntity', 404);
      await rejectsAws(iam.send(new UpdateAccessKeyCommand({ UserName: 'owner-one', AccessKeyId: key.accessKeyId, Status: 'Paused' as 'Active' })), 'ValidationError', 400, /enum value set/);
    });

    test('without UserName: a user manages its own keys (if allowed), the root user its root keys', async () => {
      const { key, client } = await userWithKey('self-service');
      const userArn = `arn:aws:iam::${accountId}:user/self-service`;
      await rejectsAws(client.send(new CreateAccessKeyCommand({})), 'AccessDenied', 403,
        `User: ${userArn} is not authorized to perform: iam:CreateAccessKey on resource: user self-service because no identity-based policy allows the iam:CreateAccessKey action`);
      await iam.send(new PutUserPolicyCommand({ UserName: 'self-service', PolicyName: 'own-keys', PolicyDocument: policy([allow(['iam:CreateAccessKey', 'iam:ListAccessKeys'], 'arn:aws:iam::*:user/${aws:username}')]) }));
      const second = await client.send(new CreateAccessKeyCommand({}));
      assert.equal(second.AccessKey!.UserName, 'self-service');
      const mine = await client.send(new ListAccessKeysCommand({}));
      assert.deepEqual(mine.AccessKeyMetadata!.map((k) => k.AccessKeyId).sort(), [key.accessKeyId, second.AccessKey!.AccessKeyId!].sort());
      await rejectsAws(client.send(new ListAccessKeysCommand({ UserName: 'keyholder' })), 'AccessDenied', 403);

      const rootKey = await iam.send(new CreateAccessKeyCommand({}));
      assert.equal(rootKey.AccessKey!.UserName, undefined);
      const rootSts = stsClient(server.endpoint, { accessKeyId: rootKey.AccessKey!.AccessKeyId!, secretAccessKey: rootKey.AccessKey!.SecretAccessKey! });
      assert.equal((await rootSts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${accountId}:root`);
      await rejectsAws(iam.send(new CreateAccessKeyCommand({})), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
      await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: rootKey.AccessKey!.AccessKeyId! }));
      await rejectsAws(rootSts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
      rootSts.destroy();
      client.destroy();
    });
  });

  describe('policies decide S3 access', () => {
    test('a user may do on S3 exactly what its inline policy allows, from the next request on', async () => {
      const s3Root = s3Client(server.endpoint, root);
      await s3Root.send(new CreateBucketCommand({ Bucket: 'iam-media' }));
      const { key } = await userWithKey('s3-writer');
      const s3 = s3Client(server.endpoint, key);
      const userArn = `arn:aws:iam::${accountId}:user/s3-writer`;
      await rejectsAws(s3.send(new ListBucketsCommand({})), 'AccessDenied', 403, new RegExp(`^User: ${userArn} is not authorized to perform: s3:ListAllMyBuckets`));
      await iam.send(new PutUserPolicyCommand({ UserName: 's3-writer', PolicyName: 'writer', PolicyDocument: policy([
        allow('s3:ListAllMyBuckets'),
        allow('s3:PutObject', 'arn:aws:s3:::iam-media/in/*'),
      ]) }));
      assert.ok((await s3.send(new ListBucketsCommand({}))).Buckets!.some((b) => b.Name === 'iam-media'));
      await s3.send(new PutObjectCommand({ Bucket: 'iam-media', Key: 'in/file.txt', Body: 'hello' }));
      await rejectsAws(s3.send(new PutObjectCommand({ Bucket: 'iam-media', Key: 'out/file.txt', Body: 'hello' })), 'AccessDenied', 403, /s3:PutObject/);
      await rejectsAws(s3.send(new GetObjectCommand({ Bucket: 'iam-media', Key: 'in/file.txt' })), 'AccessDenied', 403, /s3:GetObject/);
      await iam.send(new DeleteUserPolicyCommand({ UserName: 's3-writer', PolicyName: 'writer' }));
      await rejectsAws(s3.send(new ListBucketsCommand({})), 'AccessDenied', 403);
      s3.destroy();
      s3Root.destroy();
    });
  });

  describe('roles', () => {
    test('CreateRole/GetRole: ids, ARN with path, URL-encoded trust policy, description, duration, tags', async () => {
      const trust = trustAccount(accountId);
      const created = (await iam.send(new CreateRoleCommand({
        RoleName: 'Deliverer', Path: '/partners/', AssumeRolePolicyDocument: trust, Description: 'writes deliveries', MaxSessionDuration: 7200,
        Tags: [{ Key: 'partner', Value: 'acme' }],
      }))).Role!;
      assert.equal(created.Arn, `arn:aws:iam::${accountId}:role/partners/Deliverer`);
      assert.match(created.RoleId!, /^AROA[A-Z2-7]{17}$/);
      assert.equal(created.AssumeRolePolicyDocument, encodeURIComponent(trust), 'IAM returns policy documents URL-encoded');
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'deliverer' }))).Role!;
      assert.equal(role.RoleName, 'Deliverer');
      assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), trust);
      assert.equal(role.Description, 'writes deliveries');
      assert.equal(role.MaxSessionDuration, 7200);
      assert.deepEqual(role.Tags, [{ Key: 'partner', Value: 'acme' }]);
      assert.deepEqual(role.RoleLastUsed, {});
      await rejectsAws(iam.send(new CreateRoleCommand({ RoleName: 'DELIVERER', AssumeRolePolicyDocument: trust })), 'EntityAlreadyExists', 409, 'Role with name DELIVERER already exists.');
      await rejectsAws(iam.send(new GetRoleCommand({ RoleName: 'nope' })), 'NoSuchEntity', 404, 'The role with name nope cannot be found.');
      const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/partners/' }));
      assert.deepEqual(listed.Roles!.map((r) => r.RoleName), ['Deliverer']);
      assert.equal(listed.Roles![0]!.Tags, undefined, 'ListRoles leaves out tags, as AWS does');
    });

    test('trust policies are validated: MalformedPolicyDocument with AWS messages, size quota, existing principals, duration bounds', async () => {
      const create = (name: string, doc: string, extra: Partial<{ MaxSessionDuration: number }> = {}) =>
        iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc, ...extra }));
      await rejectsAws(create('bad1', policy([{ Effect: 'Allow', Principal: { AWS: accountId }, Action: 'sts:AssumeRole', Resource: '*' }])), 'MalformedPolicyDocument', 400, 'Has prohibited field Resource');
      await rejectsAws(create('bad2', policy([{ Effect: 'Allow', Action: 'sts:AssumeRole' }])), 'MalformedPolicyDocument', 400, 'Missing required field Principal');
      await rejectsAws(create('bad3', '{not json'), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
      await rejectsAws(create('bad4', policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:role/does-not-exist` }, Action: 'sts:AssumeRole' }])),
        'MalformedPolicyDocument', 400, `Invalid principal in policy: "AWS":"arn:aws:iam::${accountId}:role/does-not-exist"`);
      const big = policy([{ Effect: 'Allow', Principal: { AWS: accountId }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(2100) } } }]);
      await rejectsAws(create('bad5', big), 'LimitExceeded', 409, 'Cannot exceed quota for ACLSizePerRole: 2048');
      await rejectsAws(create('bad6', trustAccount(accountId), { MaxSessionDuration: 100 }), 'ValidationError', 400, /greater than or equal to 3600/);
      await rejectsAws(create('bad7', trustAccount(accountId), { MaxSessionDuration: 43_201 }), 'ValidationError', 400, /less than or equal to 43200/);
      const spaced = trustAccount(accountId).replace(/,/g, ',' + ' '.repeat(900));
      assert.ok(spaced.length > 2048, 'whitespace does not count toward the quota');
      await create('spaced', spaced);
    });

    test('UpdateRole, UpdateAssumeRolePolicy, and DeleteRole only once its policies are gone', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'changing', AssumeRolePolicyDocument: trustAccount(accountId) }));
      await iam.send(new UpdateRoleCommand({ RoleName: 'changing', Description: 'now described', MaxSessionDuration: 43_200 }));
      let role = (await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
      assert.equal(role.Description, 'now described');
      assert.equal(role.MaxSessionDuration, 43_200);
      const other = policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:role/changing` }, Action: 'sts:AssumeRole' }]);
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: other }));
      role = (await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
      assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), other);
      assert.equal(role.Description, 'now described', 'UpdateAssumeRolePolicy leaves the rest alone');
      await rejectsAws(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: policy([allow('s3:*')]) })), 'MalformedPolicyDocument', 400);
      await iam.send(new PutRolePolicyCommand({ RoleName: 'changing', PolicyName: 'p', PolicyDocument: policy([allow('s3:GetObject')]) }));
      await rejectsAws(iam.send(new DeleteRoleCommand({ RoleName: 'changing' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'changing', PolicyName: 'p' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'changing' }));
      await rejectsAws(iam.send(new GetRoleCommand({ RoleName: 'changing' })), 'NoSuchEntity', 404);
    });
  });

  describe('inline policies', () => {
    test('Put/Get/List/DeleteRolePolicy: the document comes back URL-encoded; errors as AWS words them', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: trustAccount(accountId) }));
      const doc = policy([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::media/*')]);
      await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'media-rw', PolicyDocument: doc }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'alpha', PolicyDocument: policy([allow('s3:ListBucket')]) }));
      const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'media-rw' }));
      assert.equal(got.RoleName, 'inline-role');
      assert.equal(got.PolicyName, 'media-rw');
      assert.equal(got.PolicyDocument, encodeURIComponent(doc));
      assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames, ['alpha', 'media-rw']);
      const page = await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role', MaxItems: 1 }));
      assert.deepEqual(page.PolicyNames, ['alpha']);
      assert.equal(page.IsTruncated, true);
      assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role', Marker: page.Marker! }))).PolicyNames, ['media-rw']);
      await rejectsAws(iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'x', PolicyDocument: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }]) })),
        'MalformedPolicyDocument', 400, 'Policy document should not specify a principal.');
      await rejectsAws(iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'x', PolicyDocument: policy([{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }]) })),
        'MalformedPolicyDocument', 400, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      await rejectsAws(iam.send(new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'x', PolicyDocument: doc })), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
      await rejectsAws(iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'none' })), 'NoSuchEntity', 404, 'The role policy with name none cannot be found.');
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'alpha' }));
      await rejectsAws(iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'alpha' })), 'NoSuchEntity', 404);
    });

    test('the inline quota counts every policy of the entity together, whitespace excluded', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'quota-role', AssumeRolePolicyDocument: trustAccount(accountId) }));
      const sized = (n: number) => policy([allow('s3:GetObject', Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`))]);
      const first = sized(180);
      assert.ok(first.length > 5_200 && first.length < 6_000, `${first.length}`);
      await iam.send(new PutRolePolicyCommand({ RoleName: 'quota-role', PolicyName: 'one', PolicyDocument: first }));
      await rejectsAws(iam.send(new PutRolePolicyCommand({ RoleName: 'quota-role', PolicyName: 'two', PolicyDocument: first })), 'LimitExceeded', 409,
        'Maximum policy size of 10240 bytes exceeded for role quota-role');
      // Replacing a policy counts only its new size.
      await iam.send(new PutRolePolicyCommand({ RoleName: 'quota-role', PolicyName: 'ONE', PolicyDocument: sized(230) }));
      const spaced = policy([allow('s3:ListBucket')]).replace(/,/g, ',\n' + ' '.repeat(1500));
      assert.ok(spaced.length > 10_240 - 6_800, 'would not fit if whitespace counted');
      await iam.send(new PutRolePolicyCommand({ RoleName: 'quota-role', PolicyName: 'spaced', PolicyDocument: spaced }));
      assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'quota-role' }))).PolicyNames, ['one', 'spaced']);
    });
  });

  test('ListOpenIDConnectProviders: an empty list (none can be created), authorized like any IAM action', async () => {
    assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, []);
    const { client } = await userWithKey('oidc-lister');
    await rejectsAws(client.send(new ListOpenIDConnectProvidersCommand({})), 'AccessDenied', 403, /iam:ListOpenIDConnectProviders/);
    client.destroy();
  });
});
