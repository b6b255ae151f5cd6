// S3 ACLs on buckets that take them (ObjectWriter, BucketOwnerPreferred) through the AWS SDK and unsigned HTTP:
// canned ACLs, grant headers and AccessControlPolicy documents on every write that takes them, Get*Acl, object
// ownership, authorization by ACL grants (anonymous, AuthenticatedUsers, another account), Block Public Access,
// the `objectOwnershipDefault` server option; BucketOwnerEnforced buckets keep refusing ACLs.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetObjectAclCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutBucketAclCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand, UploadPartCommand,
  type BucketCannedACL, type Grant, type S3Client,
} from '@aws-sdk/client-s3';
import { adminCall } from '../../src/cli/admin-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { rawRequest, xmlField } from '../helpers/raw-request.js';

const allUsers = 'http://acs.amazonaws.com/groups/global/AllUsers';
const authenticatedUsers = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const logDelivery = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

let server: TestServer;
let s3: S3Client;
let other: S3Client;
let third: S3Client;
let ownerId = '';
let otherId = '';
let bucketCount = 0;

before(async () => {
  server = await startTestServer();
  s3 = s3Client(server.endpoint, server.platform);
  other = s3Client(server.endpoint, await server.createAccount('acl-other'));
  third = s3Client(server.endpoint, await server.createAccount('acl-third'));
  ownerId = (await s3.send(new GetBucketAclCommand({ Bucket: await newBucket() }))).Owner!.ID!;
  otherId = (await other.send(new GetBucketAclCommand({ Bucket: await newBucket(other) }))).Owner!.ID!;
});
after(async () => {
  for (const client of [s3, other, third]) client.destroy();
  await server.stop();
});

async function newBucket(client: S3Client = s3, input: Partial<ConstructorParameters<typeof CreateBucketCommand>[0]> = {}): Promise<string> {
  const name = `acl-${++bucketCount}`;
  await client.send(new CreateBucketCommand({ Bucket: name, ObjectOwnership: 'ObjectWriter', ...input }));
  return name;
}

/** An unsigned request, as a browser or `curl` sends it. */
async function anonymous(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.endpoint}${path}`, { method, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, body: await response.text() };
}

function simplified(grants: Grant[] | undefined): string[] {
  return (grants ?? []).map((g) => `${g.Grantee?.Type}:${g.Grantee?.URI ?? (g.Grantee?.ID === ownerId ? 'owner' : g.Grantee?.ID === otherId ? 'other' : g.Grantee?.ID)}:${g.Permission}`).sort();
}

describe('bucket ACLs', () => {
  test('CreateBucket with a canned ACL stores it; GetBucketAcl renders owner and grants', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read' });
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.equal(acl.Owner?.ID, ownerId);
    assert.deepEqual(simplified(acl.Grants), ['CanonicalUser:owner:FULL_CONTROL', `Group:${allUsers}:READ`]);
    const raw = await rawRequest(server.endpoint, server.platform, { method: 'GET', path: `/${bucket}`, query: 'acl' });
    assert.match(raw.body, /<Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="Group"><URI>http:\/\/acs.amazonaws.com\/groups\/global\/AllUsers<\/URI><\/Grantee>/);
  });

  test('canned ACLs for buckets: authenticated-read, log-delivery-write; bucket-owner-* mean private on a bucket', async () => {
    const bucket = await newBucket();
    const cases: [string, string[]][] = [
      ['authenticated-read', ['CanonicalUser:owner:FULL_CONTROL', `Group:${authenticatedUsers}:READ`]],
      ['public-read-write', ['CanonicalUser:owner:FULL_CONTROL', `Group:${allUsers}:READ`, `Group:${allUsers}:WRITE`]],
      ['log-delivery-write', ['CanonicalUser:owner:FULL_CONTROL', `Group:${logDelivery}:READ_ACP`, `Group:${logDelivery}:WRITE`]],
      ['bucket-owner-full-control', ['CanonicalUser:owner:FULL_CONTROL']],
      ['bucket-owner-read', ['CanonicalUser:owner:FULL_CONTROL']],
      ['private', ['CanonicalUser:owner:FULL_CONTROL']],
    ];
    for (const [acl, expected] of cases) {
      // (The SDK's BucketCannedACL type lists fewer values than x-amz-acl takes.)
      await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: acl as BucketCannedACL }));
      assert.deepEqual(simplified((await s3.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants), expected, acl);
    }
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public' as BucketCannedACL })), { code: 'InvalidArgument', status: 400 });
  });

  test('bucket READ lets anyone list; WRITE lets anyone put and delete; READ_ACP/WRITE_ACP the ACL', async () => {
    const bucket = await newBucket();
    assert.equal((await anonymous('GET', `/${bucket}`)).status, 403);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    assert.equal((await anonymous('GET', `/${bucket}?list-type=2`)).status, 200);
    assert.equal((await anonymous('PUT', `/${bucket}/anon.txt`, 'x')).status, 403);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read-write' }));
    assert.equal((await anonymous('PUT', `/${bucket}/anon.txt`, 'x')).status, 200);
    // An anonymous writer's object belongs to the bucket owner.
    assert.equal((await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'anon.txt' }))).Owner?.ID, ownerId);
    assert.equal((await anonymous('DELETE', `/${bucket}/anon.txt`)).status, 204);
    assert.equal((await anonymous('GET', `/${bucket}?acl`)).status, 403, 'READ does not read the ACL');
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantReadACP: `id="${otherId}"`, GrantWriteACP: `id="${otherId}"` }));
    assert.deepEqual(simplified((await other.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants), ['CanonicalUser:other:READ_ACP', 'CanonicalUser:other:WRITE_ACP']);
    await expectS3Error(other.send(new ListObjectsV2Command({ Bucket: bucket })), { code: 'AccessDenied', status: 403 });
    await other.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'authenticated-read' }));
    // AuthenticatedUsers: any signed caller of any account, never an anonymous one; the owner keeps control.
    assert.equal((await third.send(new ListObjectsV2Command({ Bucket: bucket }))).$metadata.httpStatusCode, 200);
    assert.equal((await anonymous('GET', `/${bucket}`)).status, 403);
    await expectS3Error(other.send(new GetBucketAclCommand({ Bucket: bucket })), { code: 'AccessDenied', status: 403 });
    assert.equal((await s3.send(new GetBucketAclCommand({ Bucket: bucket }))).Owner?.ID, ownerId);
  });

  test('grant headers: id, uri; e-mail addresses and unknown ids are refused; malformed values too', async () => {
    const bucket = await newBucket();
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantFullControl: `id="${ownerId}"`, GrantRead: `uri="${allUsers}", id="${otherId}"` }));
    assert.deepEqual(simplified((await s3.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants),
      ['CanonicalUser:other:READ', 'CanonicalUser:owner:FULL_CONTROL', `Group:${allUsers}:READ`]);
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: 'emailAddress="nobody@example.com"' })), { code: 'UnresolvableGrantByEmailAddress', status: 400 });
    const unknown = await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: `id="${'0'.repeat(64)}"` })), { code: 'InvalidArgument', status: 400, message: /Invalid id/ });
    assert.ok(unknown);
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/global/Nobody"' })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: 'nonsense' })), { code: 'InvalidArgument', status: 400 });
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private', GrantRead: `id="${otherId}"` })), { code: 'InvalidRequest', status: 400 });
    // Nothing changed.
    assert.equal((await s3.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants?.length, 3);
  });

  test('AccessControlPolicy bodies: round trip; the Owner must be the bucket owner; a missing Owner is MalformedACLError', async () => {
    const bucket = await newBucket();
    const current = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const grants: Grant[] = [...current.Grants!, { Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'WRITE' }];
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, AccessControlPolicy: { Owner: current.Owner, Grants: grants } }));
    const after = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.deepEqual(simplified(after.Grants), ['CanonicalUser:other:WRITE', 'CanonicalUser:owner:FULL_CONTROL']);
    assert.equal(after.Grants!.find((g) => g.Grantee?.ID === otherId)?.Grantee?.DisplayName, 'acl-other');
    assert.equal((await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-other', Body: 'o' }))).$metadata.httpStatusCode, 200);
    await expectS3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, AccessControlPolicy: { Owner: { ID: otherId }, Grants: grants } })), { code: 'AccessDenied', status: 403 });
    const noOwner = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}`, query: 'acl',
      body: `<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${allUsers}</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
    });
    assert.equal(noOwner.status, 400);
    assert.equal(xmlField(noOwner.body, 'Code'), 'MalformedACLError');
    const badPermission = await rawRequest(server.endpoint, server.platform, {
      method: 'PUT', path: `/${bucket}`, query: 'acl',
      body: `<AccessControlPolicy><Owner><ID>${ownerId}</ID></Owner><AccessControlList><Grant><Grantee><URI>${allUsers}</URI></Grantee><Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>`,
    });
    assert.equal(xmlField(badPermission.body, 'Code'), 'MalformedACLError');
    const nothing = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}`, query: 'acl' });
    assert.equal(nothing.status, 400);
    assert.equal(xmlField(nothing.body, 'Code'), 'MissingSecurityHeader');
  });
});

describe('object ACLs and ownership', () => {
  test('PutObject with a canned ACL; PutObjectAcl changes it; anonymous reads follow the object ACL, not the bucket\'s', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read' });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public', Body: 'p', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private', Body: 'q' }));
    assert.equal((await anonymous('GET', `/${bucket}/public`)).body, 'p');
    assert.equal((await anonymous('GET', `/${bucket}/private`)).status, 403);
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'private', ACL: 'public-read' }));
    assert.equal((await anonymous('GET', `/${bucket}/private`)).status, 200);
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'public', ACL: 'private' }));
    assert.equal((await anonymous('GET', `/${bucket}/public`)).status, 403);
    // A key that does not exist: 404 for a caller who may list the bucket (AWS), 403 for others.
    assert.equal((await anonymous('GET', `/${bucket}/missing`)).status, 404);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    assert.equal((await anonymous('GET', `/${bucket}/missing`)).status, 403);
    assert.equal((await anonymous('GET', `/${bucket}/private`)).status, 200, 'the object ACL still grants it');
  });

  test('ObjectWriter: the writer owns its object; the bucket owner reads it only when its ACL says so, but may delete it', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read-write' });
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'theirs', Body: 't' }));
    const acl = await other.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'theirs' }));
    assert.equal(acl.Owner?.ID, otherId);
    assert.deepEqual(simplified(acl.Grants), ['CanonicalUser:other:FULL_CONTROL']);
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'theirs' })), { code: 'AccessDenied', status: 403 });
    await expectS3Error(s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'theirs' })), { code: 'AccessDenied', status: 403 });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    assert.equal(listed.Contents?.find((o) => o.Key === 'theirs')?.Owner?.ID, otherId);
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared', Body: 's', ACL: 'bucket-owner-full-control' }));
    assert.deepEqual(simplified((await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'shared' }))).Grants), ['CanonicalUser:other:FULL_CONTROL', 'CanonicalUser:owner:FULL_CONTROL']);
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'readable', Body: 'r', ACL: 'bucket-owner-read' }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'readable' }))).Body?.transformToString(), 'r');
    await expectS3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'readable', ACL: 'private' })), { code: 'AccessDenied', status: 403 });
    assert.equal((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'theirs' }))).$metadata.httpStatusCode, 204);
  });

  test('explain decides object actions with the object\'s owner and ACL, as the request path does', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read-write' });
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'private', Body: 'p' }));
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared', Body: 's', ACL: 'bucket-owner-read' }));
    const explain = (key: string) => adminCall<{ decision: string }>({ endpoint: server.endpoint, dataDir: server.dataDir }, 'POST', '/api/v1/explain', {
      principal: `arn:aws:iam::${server.server.platform.accountId}:root`, action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${key}`,
    });
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'private' })), { code: 'AccessDenied', status: 403 });
    assert.notEqual((await explain('private')).decision, 'Allow');
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared' }))).Body?.transformToString(), 's');
    assert.equal((await explain('shared')).decision, 'Allow');
  });

  test('BucketOwnerPreferred: bucket-owner-full-control hands the object to the bucket owner; other writes stay the writer\'s', async () => {
    const bucket = await newBucket(s3, { ObjectOwnership: 'BucketOwnerPreferred' });
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantWrite: `id="${otherId}"` }));
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'handed', Body: 'h', ACL: 'bucket-owner-full-control' }));
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'k' }));
    const handed = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'handed' }));
    assert.equal(handed.Owner?.ID, ownerId);
    assert.deepEqual(simplified(handed.Grants), ['CanonicalUser:owner:FULL_CONTROL']);
    assert.equal((await other.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'kept' }))).Owner?.ID, otherId);
    const upload = await other.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp', ACL: 'bucket-owner-full-control' }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(uploads.Uploads?.[0]?.Owner?.ID, ownerId);
    assert.equal(uploads.Uploads?.[0]?.Initiator?.ID, otherId);
    await other.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'mp', UploadId: upload.UploadId }));
  });

  test('multipart: the ACL given at creation is the completed object\'s; the initiator may abort its upload', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read-write' });
    const upload = await other.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp', ACL: 'public-read' }));
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(listed.Uploads?.[0]?.Owner?.ID, otherId);
    const part = await other.send(new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    await other.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mp', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.equal((await anonymous('GET', `/${bucket}/mp`)).body, 'part');
    const second = await other.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp2' }));
    await expectS3Error(third.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'mp2', UploadId: second.UploadId })), { code: 'AccessDenied', status: 403 });
    assert.equal((await other.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'mp2', UploadId: second.UploadId }))).$metadata.httpStatusCode, 204);
  });

  test('CopyObject never copies the ACL; it takes the request\'s', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 's', ACL: 'public-read' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'plain-copy', CopySource: `${bucket}/src` }));
    assert.deepEqual(simplified((await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'plain-copy' }))).Grants), ['CanonicalUser:owner:FULL_CONTROL']);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'auth-copy', CopySource: `${bucket}/src`, ACL: 'authenticated-read' }));
    assert.deepEqual(simplified((await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'auth-copy' }))).Grants), ['CanonicalUser:owner:FULL_CONTROL', `Group:${authenticatedUsers}:READ`]);
    // A grant on the source lets another account copy it (its READ), into a bucket it may write.
    await expectS3Error(other.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/plain-copy` })), { code: 'AccessDenied', status: 403 });
    const target = await newBucket(other);
    await other.send(new CopyObjectCommand({ Bucket: target, Key: 'copied', CopySource: `${bucket}/src` }));
    assert.equal((await other.send(new GetObjectAclCommand({ Bucket: target, Key: 'copied' }))).Owner?.ID, otherId);
  });

  test('object grants: READ_ACP and WRITE_ACP, versions, AccessControlPolicy with group grantees', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v', GrantReadACP: `id="${otherId}"` }));
    assert.equal((await other.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }))).Owner?.ID, ownerId);
    await expectS3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })), { code: 'AccessDenied', status: 403 });
    await expectS3Error(other.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', ACL: 'public-read' })), { code: 'AccessDenied', status: 403 });
    const owner = { ID: ownerId };
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', AccessControlPolicy: { Owner: owner, Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'WRITE_ACP' },
      { Grantee: { Type: 'Group', URI: authenticatedUsers }, Permission: 'READ' },
    ] } }));
    await other.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', ACL: 'public-read' }));
    assert.equal((await anonymous('GET', `/${bucket}/k`)).body, 'v');
    await expectS3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'missing', ACL: 'private' })), { code: 'NoSuchKey', status: 404 });
  });
});

describe('Block Public Access and ownership changes', () => {
  test('BlockPublicAcls refuses public ACLs on every write; IgnorePublicAcls makes them inert', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'was-public', Body: 'w', ACL: 'public-read' }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    for (const call of [
      () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'n', Body: 'n', ACL: 'public-read' })),
      () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'n', Body: 'n', GrantRead: `uri="${authenticatedUsers}"` })),
      () => s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'n', ACL: 'public-read-write' })),
      () => s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'n', CopySource: `${bucket}/was-public`, ACL: 'authenticated-read' })),
      () => s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'was-public', ACL: 'public-read' })),
      () => s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })),
    ]) {
      await expectS3Error(call(), { code: 'AccessDenied', status: 403 });
    }
    // Non-public ACLs still pass, and what was public before stays readable until IgnorePublicAcls.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'n', Body: 'n', ACL: 'bucket-owner-read' }));
    assert.equal((await anonymous('GET', `/${bucket}/was-public`)).status, 200);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    assert.equal((await anonymous('GET', `/${bucket}/was-public`)).status, 403);
    assert.equal(simplified((await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'was-public' }))).Grants).length, 2, 'the ACL itself is kept');
  });

  test('to BucketOwnerEnforced only with an owner-only bucket ACL; then ACLs are inert and reported owner-only', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read-write' });
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: 'theirs', Body: 't', ACL: 'public-read' }));
    const enforce = () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    await expectS3Error(enforce(), { code: 'InvalidBucketAclWithObjectOwnership', status: 400 });
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    await enforce();
    assert.equal((await anonymous('GET', `/${bucket}/theirs`)).status, 403);
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'theirs' }));
    assert.equal(acl.Owner?.ID, ownerId);
    assert.deepEqual(simplified(acl.Grants), ['CanonicalUser:owner:FULL_CONTROL']);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'theirs' }))).Body?.transformToString(), 't');
    await expectS3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'theirs', ACL: 'public-read' })), { code: 'AccessControlListNotSupported', status: 400 });
  });

  test('a bucket policy Deny beats an ACL grant', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read' });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Deny', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    ] }) }));
    assert.equal((await anonymous('GET', `/${bucket}`)).status, 403);
  });
});

describe('a key that does not exist: 404 with s3:ListBucket, 403 without', () => {
  test('a ListBucket grant confined by s3:prefix covers the keys under that prefix', async () => {
    const bucket = await newBucket(s3, { ObjectOwnership: 'BucketOwnerEnforced' });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': 'public/*' } } },
    ] }) }));
    await expectS3Error(other.send(new HeadObjectCommand({ Bucket: bucket, Key: 'public/missing' })), { status: 404 });
    await expectS3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'public/missing' })), { code: 'NoSuchKey', status: 404 });
    await expectS3Error(other.send(new HeadObjectCommand({ Bucket: bucket, Key: 'private/missing' })), { status: 403 });
    // An object that exists stays 403 without s3:GetObject, whatever the caller may list.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public/there', Body: 'x' }));
    await expectS3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'public/there' })), { code: 'AccessDenied', status: 403 });
  });
});

describe('BucketOwnerEnforced buckets (the default) refuse ACLs', () => {
  test('CreateBucket without x-amz-object-ownership is BucketOwnerEnforced; a public canned ACL is InvalidBucketAclWithObjectOwnership', async () => {
    await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'acl-default-public', ACL: 'public-read' })), { code: 'InvalidBucketAclWithObjectOwnership', status: 400 });
    await s3.send(new CreateBucketCommand({ Bucket: 'acl-default' }));
    const controls = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'acl-default' }));
    assert.equal(controls.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
    await expectS3Error(s3.send(new PutObjectCommand({ Bucket: 'acl-default', Key: 'k', Body: 'k', ACL: 'private' })), { code: 'AccessControlListNotSupported', status: 400 });
    await s3.send(new PutObjectCommand({ Bucket: 'acl-default', Key: 'k', Body: 'k', ACL: 'bucket-owner-full-control' }));
    await expectS3Error(s3.send(new PutObjectAclCommand({ Bucket: 'acl-default', Key: 'k', ACL: 'private' })), { code: 'AccessControlListNotSupported', status: 400 });
    assert.deepEqual(simplified((await s3.send(new GetObjectAclCommand({ Bucket: 'acl-default', Key: 'k' }))).Grants), ['CanonicalUser:owner:FULL_CONTROL']);
  });

  test('x-amz-expected-bucket-owner: another account is 403 Access Denied', async () => {
    const bucket = await newBucket(s3, { ACL: 'public-read' });
    const accountId = server.server.platform.accountId;
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: bucket, ExpectedBucketOwner: accountId }))).$metadata.httpStatusCode, 200);
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: bucket, ExpectedBucketOwner: '999999999999' })), { code: 'AccessDenied', status: 403 });
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', ExpectedBucketOwner: '999999999999' })), { status: 403 });
  });
});

describe('--object-ownership-default ObjectWriter (pre-2023 AWS defaults)', () => {
  let legacy: TestServer;
  let client: S3Client;
  before(async () => {
    legacy = await startTestServer({ objectOwnershipDefault: 'ObjectWriter' });
    client = s3Client(legacy.endpoint, legacy.platform);
  });
  after(async () => {
    client.destroy();
    await legacy.stop();
  });

  test('buckets created without x-amz-object-ownership take ACLs; the header still wins', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'legacy-public', ACL: 'public-read' }));
    const controls = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: 'legacy-public' }));
    assert.equal(controls.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'ObjectWriter');
    const listed = await fetch(`${legacy.endpoint}/legacy-public`);
    assert.equal(listed.status, 200);
    await expectS3Error(client.send(new CreateBucketCommand({ Bucket: 'legacy-enforced', ACL: 'public-read', ObjectOwnership: 'BucketOwnerEnforced' })), { code: 'InvalidBucketAclWithObjectOwnership', status: 400 });
  });
});
