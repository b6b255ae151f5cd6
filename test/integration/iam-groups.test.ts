// IAM groups through @aws-sdk/client-iam: groups, membership, group inline and managed policies, and the S3
// access a user gets (and loses) through its groups; explain names the group policy that decided.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand,
  DeleteGroupCommand, DeleteGroupPolicyCommand, DeleteUserCommand, DetachGroupPolicyCommand, GetGroupCommand, GetGroupPolicyCommand,
  ListAttachedGroupPoliciesCommand, ListEntitiesForPolicyCommand, ListGroupPoliciesCommand, ListGroupsCommand, ListGroupsForUserCommand,
  PutGroupPolicyCommand, RemoveUserFromGroupCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { adminCall } from '../../src/cli/admin-client.js';
import type { Credentials, TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { allow, iamClient, policy, rejectsAws, serverWithIamAccount, stopServerWithIamAccount } from './iam-fixtures.js';

describe('IAM groups through the AWS SDK', () => {
  let server: TestServer;
  let accountId: string;
  let root: Credentials;
  let iam: IAMClient;

  before(async () => ({ server, accountId, root, iam } = await serverWithIamAccount('iam-groups')));
  after(() => stopServerWithIamAccount({ server, accountId, root, iam }));

  test('CreateGroup, GetGroup with its members, ListGroups by path, ListGroupsForUser; names in any letter case', async () => {
    const created = (await iam.send(new CreateGroupCommand({ GroupName: 'Editors', Path: '/media/' }))).Group!;
    assert.equal(created.Arn, `arn:aws:iam::${accountId}:group/media/Editors`);
    assert.match(created.GroupId!, /^AGPA[A-Z2-7]{17}$/);
    assert.ok(created.CreateDate instanceof Date);
    await iam.send(new CreateGroupCommand({ GroupName: 'viewers' }));
    await rejectsAws(iam.send(new CreateGroupCommand({ GroupName: 'EDITORS' })), 'EntityAlreadyExists', 409, 'Group with name EDITORS already exists.');
    await iam.send(new CreateUserCommand({ UserName: 'ann' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'editors', UserName: 'ann' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Editors', UserName: 'bob' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'viewers', UserName: 'bob' }));
    const group = await iam.send(new GetGroupCommand({ GroupName: 'EDITORS' }));
    assert.equal(group.Group?.GroupName, 'Editors');
    assert.deepEqual(group.Users?.map((u) => u.UserName), ['ann', 'bob']);
    const firstPage = await iam.send(new GetGroupCommand({ GroupName: 'Editors', MaxItems: 1 }));
    assert.equal(firstPage.IsTruncated, true);
    const secondPage = await iam.send(new GetGroupCommand({ GroupName: 'Editors', Marker: firstPage.Marker! }));
    assert.deepEqual(secondPage.Users?.map((u) => u.UserName), ['bob']);
    assert.deepEqual((await iam.send(new ListGroupsCommand({}))).Groups?.map((g) => g.GroupName), ['Editors', 'viewers']);
    assert.deepEqual((await iam.send(new ListGroupsCommand({ PathPrefix: '/media/' }))).Groups?.map((g) => g.GroupName), ['Editors']);
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'bob' }))).Groups?.map((g) => g.GroupName), ['Editors', 'viewers']);
    await rejectsAws(iam.send(new AddUserToGroupCommand({ GroupName: 'nope', UserName: 'bob' })), 'NoSuchEntity', 404, 'The group with name nope cannot be found.');
    await rejectsAws(iam.send(new AddUserToGroupCommand({ GroupName: 'viewers', UserName: 'nobody' })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
    await rejectsAws(iam.send(new DeleteUserCommand({ UserName: 'ann' })), 'DeleteConflict', 409, /remove user from all groups/);
    await rejectsAws(iam.send(new DeleteGroupCommand({ GroupName: 'viewers' })), 'DeleteConflict', 409, /remove users from group first/);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'viewers', UserName: 'bob' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'viewers' }));
    await rejectsAws(iam.send(new GetGroupCommand({ GroupName: 'viewers' })), 'NoSuchEntity', 404);
  });

  test('a user may do on S3 what its groups\' inline and managed policies allow, from the next request on', async () => {
    const s3Root = s3Client(server.endpoint, root);
    await s3Root.send(new CreateBucketCommand({ Bucket: 'group-media' }));
    await s3Root.send(new PutObjectCommand({ Bucket: 'group-media', Key: 'in/a.txt', Body: 'a' }));
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
    const s3 = s3Client(server.endpoint, { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! });
    const read = () => s3.send(new GetObjectCommand({ Bucket: 'group-media', Key: 'in/a.txt' }));
    const write = () => s3.send(new PutObjectCommand({ Bucket: 'group-media', Key: 'in/b.txt', Body: 'b' }));

    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read', PolicyDocument: policy([allow('s3:GetObject', 'arn:aws:s3:::group-media/in/*')]) }));
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'readers' }))).PolicyNames, ['read']);
    const stored = await iam.send(new GetGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read' }));
    assert.equal(stored.GroupName, 'readers');
    assert.match(decodeURIComponent(stored.PolicyDocument!), /group-media\/in\/\*/);
    await rejectsAws(read(), 'AccessDenied', 403, /s3:GetObject/);

    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'carol' }));
    assert.equal(await (await read()).Body?.transformToString(), 'a');
    const explained = await adminCall<{ decision: string; deciding: { source: string }[] }>({ endpoint: server.endpoint, dataDir: server.dataDir }, 'POST', '/api/v1/explain', {
      principal: `arn:aws:iam::${accountId}:user/carol`, action: 's3:GetObject', resource: 'arn:aws:s3:::group-media/in/a.txt',
    });
    assert.equal(explained.decision, 'Allow');
    assert.match(explained.deciding[0]!.source, /inline policy read of group readers/);
    await rejectsAws(write(), 'AccessDenied', 403, /s3:PutObject/);

    const writerArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'group-writer', PolicyDocument: policy([allow('s3:PutObject', 'arn:aws:s3:::group-media/in/*')]) }))).Policy!.Arn!;
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: writerArn }));
    assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers' }))).AttachedPolicies?.map((p) => p.PolicyName), ['group-writer']);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: writerArn }));
    assert.deepEqual(entities.PolicyGroups?.map((g) => g.GroupName), ['readers']);
    assert.deepEqual(entities.PolicyUsers, []);
    await write();
    await rejectsAws(iam.send(new DeleteGroupCommand({ GroupName: 'readers' })), 'DeleteConflict', 409);

    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'readers', UserName: 'carol' }));
    await rejectsAws(read(), 'AccessDenied', 403);
    await rejectsAws(write(), 'AccessDenied', 403);
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: writerArn }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'readers' }));
    s3.destroy();
    s3Root.destroy();
  });

  test('group calls are authorized on the group ARN like any IAM action', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'limited' }));
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: 'limited' }));
    const limited = iamClient(server.endpoint, { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! });
    await iam.send(new CreateGroupCommand({ GroupName: 'staff' }));
    await rejectsAws(limited.send(new AddUserToGroupCommand({ GroupName: 'staff', UserName: 'limited' })), 'AccessDenied', 403, /iam:AddUserToGroup on resource: group staff/);
    await rejectsAws(limited.send(new ListGroupsCommand({})), 'AccessDenied', 403, /iam:ListGroups/);
    limited.destroy();
  });
});
