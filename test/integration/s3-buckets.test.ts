// Bucket lifecycle through the AWS SDK v3, asserting AWS's answers: CreateBucket (names, location constraints,
// already-exists, object ownership), DeleteBucket (not empty), HeadBucket, ListBuckets, GetBucketLocation.
// AWS answers quoted here come from the API reference and from localstack's AWS-validated snapshots
// (tests/aws/services/s3/test_s3*.snapshot.json, recorded against real S3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand,
  GetBucketLocationCommand, GetBucketOwnershipControlsCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsV2Command,
  PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { CreateAccessPointCommand, DeleteAccessPointCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loopbackAgent, s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { RawS3, anonymousRequest, xmlOne } from '../helpers/raw-s3.js';

describe('S3 buckets', () => {
  let server: TestServer;
  let s3: S3Client;
  let raw: RawS3;
  let other: S3Client;
  let otherAccountId: string;

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server.endpoint, server.platform);
    raw = new RawS3(server.endpoint, server.platform);
    const account = await server.createAccount('other-co');
    otherAccountId = account.accountId;
    other = s3Client(server.endpoint, account);
  });
  after(async () => {
    s3.destroy();
    other.destroy();
    raw.destroy();
    await server.stop();
  });

  async function bucketNames(client: S3Client): Promise<string[]> {
    return ((await client.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
  }

  describe('CreateBucket names', () => {
    const valid = ['abc', 'a'.repeat(63), 'a.b.c', '123', 'a-b-c', 'my.bucket-01', '1-2.3', 'xn-ok', 'ok-s3alia', 'sthree'];
    for (const name of valid) {
      test(`"${name}" is a valid name`, async () => {
        const out = await s3.send(new CreateBucketCommand({ Bucket: name }));
        assert.equal(out.Location, `/${name}`);
        assert.equal(out.BucketArn, `arn:aws:s3:::${name}`);
        await s3.send(new HeadBucketCommand({ Bucket: name }));
      });
    }

    const invalid: [string, string][] = [
      ['ab', 'shorter than 3'], ['a'.repeat(64), 'longer than 63'], ['Upper', 'upper case'], ['under_score', 'underscore'],
      ['-start', 'starts with a hyphen'], ['end-', 'ends with a hyphen'], ['.start', 'starts with a dot'], ['end.', 'ends with a dot'],
      ['a..b', 'two adjacent dots'], ['a.-b', 'dot then hyphen'], ['a-.b', 'hyphen then dot'], ['192.168.5.4', 'IP address shaped'],
      ['10.0.0.1', 'IP address shaped'], ['bucket-s3alias', '-s3alias suffix'], ['bucket--ol-s3', '--ol-s3 suffix'],
      ['bucket.mrap', '.mrap suffix'], ['bucket--table-s3', '--table-s3 suffix'],
      ['xn--bucket', 'xn-- prefix'], ['sthree-bucket', 'sthree- prefix'], ['amzn-s3-demo-bucket', 'amzn-s3-demo- prefix'],
      ['bücket', 'non-ASCII'], ['a b', 'space'],
    ];
    for (const [name, why] of invalid) {
      test(`"${name.length > 20 ? name.slice(0, 8) + '…(' + name.length + ')' : name}" (${why}) is InvalidBucketName`, async () => {
        const { error, raw: response } = await raw.send(new CreateBucketCommand({ Bucket: name }));
        assert.equal(error?.name, 'InvalidBucketName');
        assert.equal(response.status, 400);
        assert.equal(xmlOne(response.body, 'Message'), 'The specified bucket is not valid.');
        assert.equal(xmlOne(response.body, 'BucketName'), name);
      });
    }

    test('"bucket--x-s3" (directory-bucket suffix) is InvalidBucketName', async () => {
      // Sent raw: for this suffix the SDK first calls CreateSession, as for an S3 Express bucket.
      const response = await raw.request({ method: 'PUT', path: '/bucket--x-s3' });
      assert.equal(response.status, 400);
      assert.equal(xmlOne(response.body, 'Code'), 'InvalidBucketName');
      assert.equal(xmlOne(response.body, 'BucketName'), 'bucket--x-s3');
    });

    test('no invalid name was created', async () => {
      const names = await bucketNames(s3);
      for (const [name] of invalid) assert.equal(names.includes(name), false, name);
    });
  });

  describe('CreateBucket location constraints (us-east-1 endpoint)', () => {
    test('no configuration: the bucket is in us-east-1 and GetBucketLocation answers an empty constraint', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'loc-default' }));
      const head = await s3.send(new HeadBucketCommand({ Bucket: 'loc-default' }));
      assert.equal(head.BucketRegion, 'us-east-1');
      const { output, raw: response } = await raw.send<{ LocationConstraint?: string }>(new GetBucketLocationCommand({ Bucket: 'loc-default' }));
      assert.equal(output?.LocationConstraint || undefined, undefined);
      assert.match(response.body, /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">\s*<\/LocationConstraint>|<LocationConstraint [^>]*\/>/);
    });

    test('another region is accepted and reported by HeadBucket, GetBucketLocation and ListBuckets', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'loc-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-2' } }));
      assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'loc-eu' }))).BucketRegion, 'eu-west-2');
      assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'loc-eu' }))).LocationConstraint, 'eu-west-2');
      const listed = (await s3.send(new ListBucketsCommand({}))).Buckets?.find((b) => b.Name === 'loc-eu');
      assert.equal(listed?.BucketRegion, 'eu-west-2');
    });

    test('EU means eu-west-1', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'loc-legacy-eu', CreateBucketConfiguration: { LocationConstraint: 'EU' } }));
      assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'loc-legacy-eu' }))).BucketRegion, 'eu-west-1');
    });

    for (const constraint of ['us-east-1', 'mars-1', 'aws-global']) {
      test(`LocationConstraint ${constraint} is InvalidLocationConstraint`, async () => {
        const { error, raw: response } = await raw.send(new CreateBucketCommand({ Bucket: `loc-bad-${constraint.replace(/[^a-z0-9]/g, '')}`, CreateBucketConfiguration: { LocationConstraint: constraint as 'us-east-2' } }));
        assert.equal(error?.name, 'InvalidLocationConstraint');
        assert.equal(response.status, 400);
        assert.equal(xmlOne(response.body, 'Message'), 'The specified location-constraint is not valid');
        assert.equal(xmlOne(response.body, 'LocationConstraint'), constraint);
      });
    }
  });

  describe('CreateBucket when the name is taken', () => {
    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'taken-east' }));
      await s3.send(new PutObjectCommand({ Bucket: 'taken-east', Key: 'keep.txt', Body: 'kept' }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'taken-east', VersioningConfiguration: { Status: 'Enabled' } }));
      await s3.send(new CreateBucketCommand({ Bucket: 'taken-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    });

    test('the owner re-creating a us-east-1 bucket gets 200 (legacy behaviour) and the bucket is unchanged', async () => {
      const out = await s3.send(new CreateBucketCommand({ Bucket: 'taken-east' }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.equal(out.Location, '/taken-east');
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'taken-east' }));
      assert.deepEqual(listing.Contents?.map((c) => c.Key), ['keep.txt']);
      const { raw: versioning } = await raw.send(new PutObjectCommand({ Bucket: 'taken-east', Key: 'v.txt', Body: 'v' }));
      assert.ok(versioning.headers['x-amz-version-id'], 'versioning stays enabled');
    });

    test('the owner re-creating a bucket outside us-east-1 gets 409 BucketAlreadyOwnedByYou', async () => {
      for (const config of [undefined, { LocationConstraint: 'us-west-2' as const }]) {
        const { error, raw: response } = await raw.send(new CreateBucketCommand({ Bucket: 'taken-west', CreateBucketConfiguration: config }));
        assert.equal(error?.name, 'BucketAlreadyOwnedByYou');
        assert.equal(response.status, 409);
        assert.equal(xmlOne(response.body, 'Message'), 'Your previous request to create the named bucket succeeded and you already own it.');
        assert.equal(xmlOne(response.body, 'BucketName'), 'taken-west');
      }
    });

    test('another account gets 409 BucketAlreadyExists, wherever the bucket is', async () => {
      for (const name of ['taken-east', 'taken-west']) {
        await expectS3Error(other.send(new CreateBucketCommand({ Bucket: name })), {
          code: 'BucketAlreadyExists', status: 409, message: /^The requested bucket name is not available/,
        });
      }
      assert.equal((await bucketNames(other)).includes('taken-east'), false);
    });
  });

  describe('CreateBucket object ownership', () => {
    test('new buckets are BucketOwnerEnforced', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'own-default' }));
      const out = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'own-default' }));
      assert.deepEqual(out.OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    });

    for (const ownership of ['ObjectWriter', 'BucketOwnerPreferred', 'BucketOwnerEnforced'] as const) {
      test(`x-amz-object-ownership ${ownership} is kept`, async () => {
        const bucket = `own-${ownership.toLowerCase()}`;
        await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: ownership }));
        const out = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
        assert.deepEqual(out.OwnershipControls?.Rules, [{ ObjectOwnership: ownership }]);
      });
    }

    test('an unknown x-amz-object-ownership is InvalidArgument naming the header', async () => {
      const { error, raw: response } = await raw.send(new CreateBucketCommand({ Bucket: 'own-bad', ObjectOwnership: 'RandomValue' as 'ObjectWriter' }));
      assert.equal(error?.name, 'InvalidArgument');
      assert.equal(response.status, 400);
      assert.equal(xmlOne(response.body, 'Message'), 'Invalid x-amz-object-ownership header: RandomValue');
      assert.equal(xmlOne(response.body, 'ArgumentName'), 'x-amz-object-ownership');
      assert.equal((await bucketNames(s3)).includes('own-bad'), false);
    });

    test('a public canned ACL on a BucketOwnerEnforced bucket is InvalidBucketAclWithObjectOwnership; private is fine', async () => {
      await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'own-acl-public', ACL: 'public-read' })), { code: 'InvalidBucketAclWithObjectOwnership', status: 400 });
      await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'own-acl-grant', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })), { code: 'InvalidBucketAclWithObjectOwnership', status: 400 });
      await s3.send(new CreateBucketCommand({ Bucket: 'own-acl-private', ACL: 'private' }));
      const names = await bucketNames(s3);
      assert.equal(names.includes('own-acl-public'), false);
      assert.equal(names.includes('own-acl-private'), true);
    });
  });

  describe('DeleteBucket', () => {
    test('an empty bucket is deleted with 204 and is gone', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'del-empty' }));
      const out = await s3.send(new DeleteBucketCommand({ Bucket: 'del-empty' }));
      assert.equal(out.$metadata.httpStatusCode, 204);
      await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: 'del-empty' })), { status: 404 });
      assert.equal((await bucketNames(s3)).includes('del-empty'), false);
    });

    test('a bucket with an object is BucketNotEmpty (409)', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'del-object' }));
      await s3.send(new PutObjectCommand({ Bucket: 'del-object', Key: 'a', Body: 'x' }));
      const { error, raw: response } = await raw.send(new DeleteBucketCommand({ Bucket: 'del-object' }));
      assert.equal(error?.name, 'BucketNotEmpty');
      assert.equal(response.status, 409);
      assert.equal(xmlOne(response.body, 'Message'), 'The bucket you tried to delete is not empty');
      assert.equal(xmlOne(response.body, 'BucketName'), 'del-object');
      await s3.send(new DeleteObjectCommand({ Bucket: 'del-object', Key: 'a' }));
      await s3.send(new DeleteBucketCommand({ Bucket: 'del-object' }));
    });

    test('noncurrent versions and delete markers each keep a versioned bucket from being deleted', async () => {
      const bucket = 'del-versions';
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1' }));
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
      assert.equal(marker.DeleteMarker, true);
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount, 0, 'nothing current');
      const versionsMessage = 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';
      const first = await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
      assert.equal(first.error?.name, 'BucketNotEmpty');
      assert.equal(xmlOne(first.raw.body, 'Message'), versionsMessage);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId }));
      const second = await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
      assert.equal(second.error?.name, 'BucketNotEmpty', 'a lone delete marker still counts');
      assert.equal(second.raw.status, 409);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: marker.VersionId }));
      assert.equal((await s3.send(new DeleteBucketCommand({ Bucket: bucket }))).$metadata.httpStatusCode, 204);
    });

    // AWS deletes a bucket whose only content is in-progress uploads, and the uploads with it
    // (an RGW developer's test against AWS: ceph/ceph#15630).
    test('a bucket with only an in-progress multipart upload is deleted, and the upload with it', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'del-upload' }));
      const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'del-upload', Key: 'big' }));
      await s3.send(new DeleteBucketCommand({ Bucket: 'del-upload' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'del-upload' }));
      await expectS3Error(s3.send(new AbortMultipartUploadCommand({ Bucket: 'del-upload', Key: 'big', UploadId: upload.UploadId })), { code: 'NoSuchUpload', status: 404 });
      await s3.send(new DeleteBucketCommand({ Bucket: 'del-upload' }));
    });

    test('a missing bucket is NoSuchBucket (404) naming it', async () => {
      const { error, raw: response } = await raw.send(new DeleteBucketCommand({ Bucket: 'del-never-was' }));
      assert.equal(error?.name, 'NoSuchBucket');
      assert.equal(response.status, 404);
      assert.equal(xmlOne(response.body, 'Message'), 'The specified bucket does not exist');
      assert.equal(xmlOne(response.body, 'BucketName'), 'del-never-was');
    });

    test('another account cannot delete the bucket (403 AccessDenied)', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'del-not-yours' }));
      await expectS3Error(other.send(new DeleteBucketCommand({ Bucket: 'del-not-yours' })), { code: 'AccessDenied', status: 403 });
      await s3.send(new HeadBucketCommand({ Bucket: 'del-not-yours' }));
    });
  });

  describe('HeadBucket', () => {
    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'head-me' }));
    });

    test('200 with the region, the access point alias flag and the ARN, and no body', async () => {
      const { output, raw: response } = await raw.send<{ BucketRegion?: string; AccessPointAlias?: boolean; BucketArn?: string }>(new HeadBucketCommand({ Bucket: 'head-me' }));
      assert.equal(response.status, 200);
      assert.equal(response.body, '');
      assert.equal(response.headers['x-amz-bucket-region'], 'us-east-1');
      assert.equal(response.headers['x-amz-access-point-alias'], 'false');
      assert.equal(output?.BucketRegion, 'us-east-1');
      assert.equal(output?.AccessPointAlias, false);
      assert.equal(output?.BucketArn, 'arn:aws:s3:::head-me');
    });

    test('through an access point alias, x-amz-access-point-alias is true', async () => {
      const control = new S3ControlClient({
        endpoint: `http://localhost:${server.port}`, region: 'us-east-1', credentials: server.platform,
        requestHandler: new NodeHttpHandler({ httpAgent: loopbackAgent() }),
      });
      try {
        const accountId = server.server.platform.accountId;
        const ap = await control.send(new CreateAccessPointCommand({ AccountId: accountId, Name: 'head-ap', Bucket: 'head-me' }));
        const out = await s3.send(new HeadBucketCommand({ Bucket: ap.Alias! }));
        assert.equal(out.AccessPointAlias, true);
        assert.equal(out.BucketRegion, 'us-east-1');
        await control.send(new DeleteAccessPointCommand({ AccountId: accountId, Name: 'head-ap' }));
      } finally {
        control.destroy();
      }
    });

    test('a missing bucket is a bare 404: no body, request ids present', async () => {
      const { error, raw: response } = await raw.send(new HeadBucketCommand({ Bucket: 'head-missing' }));
      assert.equal(response.status, 404);
      assert.equal(response.body, '');
      assert.equal(error?.name, 'NotFound');
      assert.match(response.headers['x-amz-request-id'] ?? '', /^[0-9A-F]{16}$/);
      assert.ok(response.headers['x-amz-id-2']);
    });

    test('another account\'s bucket is a bare 403', async () => {
      const { error, raw: response } = await new RawS3(server.endpoint, await server.rootOf(otherAccountId)).send(new HeadBucketCommand({ Bucket: 'head-me' }));
      assert.equal(response.status, 403);
      assert.equal(response.body, '');
      assert.ok(error, 'the SDK reports the bare 403 as an error');
    });
  });

  describe('ListBuckets', () => {
    before(async () => {
      await other.send(new CreateBucketCommand({ Bucket: 'other-alpha' }));
      await other.send(new CreateBucketCommand({ Bucket: 'other-beta', CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } }));
    });

    test('lists only the caller\'s buckets, by name, with the caller as owner', async () => {
      const mine = await s3.send(new ListBucketsCommand({}));
      const names = mine.Buckets!.map((b) => b.Name!);
      assert.deepEqual(names, [...names].sort());
      assert.ok(names.includes('head-me'));
      assert.equal(names.some((n) => n.startsWith('other-')), false);
      assert.match(mine.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.equal(mine.Owner?.DisplayName, 'platform');
      for (const bucket of mine.Buckets!) {
        assert.ok(bucket.CreationDate instanceof Date);
        assert.equal(bucket.BucketArn, `arn:aws:s3:::${bucket.Name}`);
      }

      const theirs = await other.send(new ListBucketsCommand({}));
      assert.deepEqual(theirs.Buckets!.map((b) => b.Name), ['other-alpha', 'other-beta']);
      assert.notEqual(theirs.Owner?.ID, mine.Owner?.ID);
      assert.equal(theirs.Owner?.DisplayName, 'other-co');
    });

    test('prefix filters and is echoed', async () => {
      const { output, raw: response } = await raw.send<{ Buckets?: { Name?: string }[]; Prefix?: string }>(new ListBucketsCommand({ Prefix: 'own-' }));
      const names = output!.Buckets!.map((b) => b.Name!);
      assert.ok(names.length >= 4);
      assert.ok(names.every((n) => n.startsWith('own-')));
      assert.equal(output!.Prefix, 'own-');
      assert.equal(xmlOne(response.body, 'Prefix'), 'own-');
      assert.deepEqual((await s3.send(new ListBucketsCommand({ Prefix: 'zzz-none' }))).Buckets ?? [], []);
    });

    test('bucket-region filters; an invalid region is InvalidArgument', async () => {
      const west = await other.send(new ListBucketsCommand({ BucketRegion: 'ap-south-1' }));
      assert.deepEqual(west.Buckets?.map((b) => b.Name), ['other-beta']);
      const { error, raw: response } = await raw.send(new ListBucketsCommand({ BucketRegion: 'not a region' }));
      assert.equal(error?.name, 'InvalidArgument');
      assert.equal(xmlOne(response.body, 'ArgumentName'), 'bucket-region');
    });

    test('max-buckets pages with continuation tokens, covering every bucket once', async () => {
      const all = await bucketNames(s3);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 3, ContinuationToken: token }));
        assert.ok((page.Buckets ?? []).length <= 3);
        seen.push(...(page.Buckets ?? []).map((b) => b.Name!));
        token = page.ContinuationToken;
        pages++;
      } while (token);
      assert.deepEqual(seen, all);
      assert.equal(pages, Math.ceil(all.length / 3));
      const full = await s3.send(new ListBucketsCommand({}));
      assert.equal(full.ContinuationToken, undefined, 'no token without max-buckets');
    });

    test('invalid max-buckets and continuation tokens are InvalidArgument', async () => {
      for (const maxBuckets of ['0', '10001', 'abc', '-1']) {
        const response = await raw.request({ method: 'GET', path: '/', query: { 'max-buckets': maxBuckets } });
        assert.equal(response.status, 400, maxBuckets);
        assert.equal(xmlOne(response.body, 'Code'), 'InvalidArgument');
        assert.equal(xmlOne(response.body, 'ArgumentName'), 'max-buckets');
      }
      await expectS3Error(s3.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: 'bm90LWEtdG9rZW4' })), { code: 'InvalidArgument', status: 400 });
    });

    test('anonymous callers are AccessDenied', async () => {
      const response = await anonymousRequest(server.endpoint, { method: 'GET', path: '/' });
      assert.equal(response.status, 403);
      assert.equal(xmlOne(response.body, 'Code'), 'AccessDenied');
    });
  });

  describe('virtual-host style', () => {
    test('create, head, list and delete by Host header', async () => {
      const vs = s3Client(server.endpoint, server.platform, 'virtual');
      try {
        await vs.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
        assert.equal((await vs.send(new HeadBucketCommand({ Bucket: 'vhost-bucket' }))).BucketRegion, 'us-east-1');
        await vs.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'a/b', Body: 'x' }));
        assert.deepEqual((await vs.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket' }))).Contents?.map((c) => c.Key), ['a/b']);
        await expectS3Error(vs.send(new DeleteBucketCommand({ Bucket: 'vhost-bucket' })), { code: 'BucketNotEmpty', status: 409 });
        await vs.send(new DeleteObjectCommand({ Bucket: 'vhost-bucket', Key: 'a/b' }));
        await vs.send(new DeleteBucketCommand({ Bucket: 'vhost-bucket' }));
      } finally {
        vs.destroy();
      }
    });
  });
});

describe('S3 buckets on a regional endpoint (eu-west-1)', () => {
  let server: TestServer;
  let raw: RawS3;

  before(async () => {
    server = await startTestServer({ region: 'eu-west-1' });
    raw = new RawS3(server.endpoint, server.platform, 'eu-west-1');
  });
  after(async () => {
    raw.destroy();
    await server.stop();
  });

  test('the SDK (region eu-west-1) sends the matching constraint and the bucket is created there', async () => {
    const s3 = s3Client(server.endpoint, server.platform, 'path', 'eu-west-1');
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'eu-native' }));
      assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'eu-native' }))).BucketRegion, 'eu-west-1');
      assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'eu-native' }))).LocationConstraint, 'eu-west-1');
      await s3.send(new CreateBucketCommand({ Bucket: 'eu-legacy', CreateBucketConfiguration: { LocationConstraint: 'EU' } }));
      // Re-creating your own bucket outside us-east-1 is always BucketAlreadyOwnedByYou.
      await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'eu-native' })), { code: 'BucketAlreadyOwnedByYou', status: 409 });
    } finally {
      s3.destroy();
    }
  });

  test('no constraint is IllegalLocationConstraintException ("unspecified")', async () => {
    const response = await raw.request({ method: 'PUT', path: '/eu-unspecified' });
    assert.equal(response.status, 400);
    assert.equal(xmlOne(response.body, 'Code'), 'IllegalLocationConstraintException');
    assert.equal(xmlOne(response.body, 'Message'), 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  });

  test('another region\'s constraint is IllegalLocationConstraintException naming it', async () => {
    for (const constraint of ['us-west-2', 'us-east-1']) {
      const { error, raw: response } = await raw.send(new CreateBucketCommand({ Bucket: `eu-${constraint}`, CreateBucketConfiguration: { LocationConstraint: constraint as 'us-west-2' } }));
      assert.equal(error?.name, 'IllegalLocationConstraintException');
      assert.equal(response.status, 400);
      assert.equal(xmlOne(response.body, 'Message'), `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
  });
});
