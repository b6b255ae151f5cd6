// Versioning through the AWS SDK v3, asserting AWS's answers: Get/PutBucketVersioning, the null version in
// unversioned and suspended buckets, delete markers, deleting specific versions (including 'null'), and the
// x-amz-version-id / x-amz-delete-marker headers in each mode.
// Sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html ,
// …/DeletingObjectsfromVersioningSuspendedBuckets.html, …/API/API_PutObject.html (versioning-suspended sample
// response has no x-amz-version-id), and localstack's AWS-validated snapshots (test_s3_api.snapshot.json:
// test_put_object_on_suspended_bucket, test_delete_object_on_suspended_bucket, test_delete_object_versioned,
// test_bucket_versioning_crud; test_s3.snapshot.json: test_s3_put_object_versioned).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { startTmpfsServer } from '../helpers/tmpfs-server.js';
import { serverWithRawClient, stopServerWithRawClient } from '../helpers/s3-fixture.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { type RawS3, xmlOne, type RawResponse } from '../helpers/raw-s3.js';

describe('S3 versioning', () => {
  let server: TestServer;
  let s3: S3Client;
  let raw: RawS3;

  before(async () => ({ server, s3, raw } = await serverWithRawClient(startTmpfsServer)));
  after(() => stopServerWithRawClient({ server, s3, raw }));

  const setVersioning = (bucket: string, status: 'Enabled' | 'Suspended') =>
    s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));

  async function put(bucket: string, key: string, body: string): Promise<RawResponse> {
    const { error, raw: response } = await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    assert.equal(error, undefined);
    return response;
  }

  async function bodyOf(bucket: string, key: string, versionId?: string): Promise<string> {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return out.Body!.transformToString();
  }

  /** [versionId, isLatest, kind, body-size] newest first, for one key. */
  async function history(bucket: string, key: string): Promise<[string, boolean, 'V' | 'DM', number?][]> {
    const { raw: response } = await raw.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    return [...response.body.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)]
      .filter((m) => xmlOne(m[2]!, 'Key') === key)
      .map((m) => {
        const entry: [string, boolean, 'V' | 'DM', number?] = [xmlOne(m[2]!, 'VersionId')!, xmlOne(m[2]!, 'IsLatest') === 'true', m[1] === 'Version' ? 'V' : 'DM'];
        if (m[1] === 'Version') entry.push(Number(xmlOne(m[2]!, 'Size')));
        return entry;
      });
  }

  describe('Get/PutBucketVersioning', () => {
    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'vconf' }));
    });

    test('a new bucket has no Status element', async () => {
      const { output, raw: response } = await raw.send<{ Status?: string }>(new GetBucketVersioningCommand({ Bucket: 'vconf' }));
      assert.equal(output!.Status, undefined);
      assert.equal(xmlOne(response.body, 'Status'), undefined);
      assert.match(response.body, /<VersioningConfiguration xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">\s*<\/VersioningConfiguration>/);
    });

    test('Enabled and Suspended are kept and reported; the answer is 200 with no body', async () => {
      for (const status of ['Suspended', 'Enabled', 'Suspended', 'Enabled'] as const) {
        const { raw: response } = await raw.send(new PutBucketVersioningCommand({ Bucket: 'vconf', VersioningConfiguration: { Status: status } }));
        assert.equal(response.status, 200);
        assert.equal(response.body, '');
        assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'vconf' }))).Status, status);
      }
    });

    test('any other status is MalformedXML; an empty configuration is IllegalVersioningConfigurationException', async () => {
      for (const status of ['enabled', 'Disabled', 'Unversioned', '']) {
        const { error, raw: response } = await raw.send(new PutBucketVersioningCommand({ Bucket: 'vconf', VersioningConfiguration: { Status: status as 'Enabled' } }));
        assert.equal(error?.name, 'MalformedXML', status);
        assert.equal(response.status, 400);
      }
      const { error, raw: response } = await raw.send(new PutBucketVersioningCommand({ Bucket: 'vconf', VersioningConfiguration: {} }));
      assert.equal(error?.name, 'IllegalVersioningConfigurationException');
      assert.equal(response.status, 400);
      assert.equal(xmlOne(response.body, 'Message'), 'The Versioning element must be specified');
      assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'vconf' }))).Status, 'Enabled', 'unchanged');
    });

    test('a body that is not XML, or has another root, is MalformedXML; no body is MissingRequestBodyError', async () => {
      for (const body of ['Enabled', '<Versioning><Status>Enabled</Status></Versioning>', '<VersioningConfiguration><Status>Enabled</Status>']) {
        const response = await raw.request({ method: 'PUT', path: '/vconf', query: { versioning: null }, body });
        assert.equal(response.status, 400, body);
        assert.equal(xmlOne(response.body, 'Code'), 'MalformedXML', body);
      }
      const empty = await raw.request({ method: 'PUT', path: '/vconf', query: { versioning: null }, body: '' });
      assert.equal(empty.status, 400);
      assert.equal(xmlOne(empty.body, 'Code'), 'MissingRequestBodyError');
    });

    test('a missing bucket is NoSuchBucket', async () => {
      await expectS3Error(s3.send(new GetBucketVersioningCommand({ Bucket: 'vconf-missing' })), { code: 'NoSuchBucket', status: 404 });
      await expectS3Error(setVersioning('vconf-missing', 'Enabled'), { code: 'NoSuchBucket', status: 404 });
    });
  });

  describe('an unversioned bucket', () => {
    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    });

    test('PUT, GET and HEAD carry no x-amz-version-id; an overwrite replaces the one null version', async () => {
      const first = await put('plain', 'k', 'one');
      assert.equal(first.headers['x-amz-version-id'], undefined);
      const second = await put('plain', 'k', 'second');
      assert.equal(second.headers['x-amz-version-id'], undefined);
      const got = await raw.send(new GetObjectCommand({ Bucket: 'plain', Key: 'k' }));
      assert.equal(got.raw.headers['x-amz-version-id'], undefined);
      assert.equal(got.raw.body, 'second');
      const head = await raw.send(new HeadObjectCommand({ Bucket: 'plain', Key: 'k' }));
      assert.equal(head.raw.headers['x-amz-version-id'], undefined);
      assert.deepEqual(await history('plain', 'k'), [['null', true, 'V', 6]]);
    });

    test('versionId=null reads the object, still without an x-amz-version-id header', async () => {
      await put('plain', 'n', 'null body');
      const got = await raw.send(new GetObjectCommand({ Bucket: 'plain', Key: 'n', VersionId: 'null' }));
      assert.equal(got.raw.status, 200);
      assert.equal(got.raw.body, 'null body');
      assert.equal(got.raw.headers['x-amz-version-id'], undefined);
    });

    test('DELETE removes the object: 204, no version or delete-marker headers, nothing left', async () => {
      await put('plain', 'gone', 'x');
      const { output, raw: response } = await raw.send<{ DeleteMarker?: boolean; VersionId?: string }>(new DeleteObjectCommand({ Bucket: 'plain', Key: 'gone' }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-version-id'], undefined);
      assert.equal(response.headers['x-amz-delete-marker'], undefined);
      assert.equal(output!.DeleteMarker, undefined);
      assert.deepEqual(await history('plain', 'gone'), []);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'gone' })), { code: 'NoSuchKey', status: 404 });
      const again = await raw.send(new DeleteObjectCommand({ Bucket: 'plain', Key: 'gone' }));
      assert.equal(again.raw.status, 204, 'deleting what is not there is still 204');
    });
  });

  describe('an enabled bucket', () => {
    const bucket = 'enabled';
    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await setVersioning(bucket, 'Enabled');
    });

    test('each PUT gets a new version id, returned by PUT, GET and HEAD', async () => {
      const v1 = (await put(bucket, 'k', 'v1')).headers['x-amz-version-id'];
      const v2 = (await put(bucket, 'k', 'v2-longer')).headers['x-amz-version-id'];
      assert.ok(v1 && v2 && v1 !== v2 && v1 !== 'null' && v2 !== 'null');
      const got = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      assert.equal(got.raw.headers['x-amz-version-id'], v2);
      assert.equal(got.raw.body, 'v2-longer');
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1 }))).VersionId, v1);
      assert.equal(await bodyOf(bucket, 'k', v1), 'v1');
      assert.deepEqual(await history(bucket, 'k'), [[v2, true, 'V', 9], [v1, false, 'V', 2]]);
    });

    test('a simple DELETE adds a delete marker: 204 with x-amz-delete-marker and the marker\'s id', async () => {
      const v1 = (await put(bucket, 'd', 'data')).headers['x-amz-version-id']!;
      const { output, raw: response } = await raw.send<{ DeleteMarker?: boolean; VersionId?: string }>(new DeleteObjectCommand({ Bucket: bucket, Key: 'd' }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-delete-marker'], 'true');
      const markerId = response.headers['x-amz-version-id']!;
      assert.ok(markerId && markerId !== v1 && markerId !== 'null');
      assert.equal(output!.DeleteMarker, true);
      assert.equal(output!.VersionId, markerId);
      assert.deepEqual(await history(bucket, 'd'), [[markerId, true, 'DM'], [v1, false, 'V', 4]]);

      const get = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'd' }));
      assert.equal(get.error?.name, 'NoSuchKey');
      assert.equal(get.raw.status, 404);
      assert.equal(get.raw.headers['x-amz-delete-marker'], 'true');
      assert.equal(get.raw.headers['x-amz-version-id'], markerId);
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'd' }));
      assert.equal(head.raw.status, 404);
      assert.equal(head.raw.headers['x-amz-delete-marker'], 'true');
      const byId = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'd', VersionId: markerId }));
      assert.equal(byId.error?.name, 'MethodNotAllowed');
      assert.equal(byId.raw.status, 405);
      assert.equal(xmlOne(byId.raw.body, 'Method'), 'GET');
      assert.equal(xmlOne(byId.raw.body, 'ResourceType'), 'DeleteMarker');
      assert.equal(byId.raw.headers['x-amz-delete-marker'], 'true');
      assert.equal(await bodyOf(bucket, 'd', v1), 'data', 'the old version is still readable by id');
    });

    test('deleting a version by id removes it for good; removing the latest promotes the next newest', async () => {
      const v1 = (await put(bucket, 'p', 'one')).headers['x-amz-version-id']!;
      const v2 = (await put(bucket, 'p', 'two')).headers['x-amz-version-id']!;
      const { output, raw: response } = await raw.send<{ DeleteMarker?: boolean; VersionId?: string }>(new DeleteObjectCommand({ Bucket: bucket, Key: 'p', VersionId: v2 }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-version-id'], v2);
      assert.equal(response.headers['x-amz-delete-marker'], undefined, 'it was not a delete marker');
      assert.equal(output!.DeleteMarker, undefined);
      assert.deepEqual(await history(bucket, 'p'), [[v1, true, 'V', 3]]);
      assert.equal(await bodyOf(bucket, 'p'), 'one');
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'p', VersionId: v2 })), { code: 'NoSuchVersion', status: 404 });
    });

    test('deleting the delete marker by id answers x-amz-delete-marker: true and brings the object back', async () => {
      const v1 = (await put(bucket, 'back', 'alive')).headers['x-amz-version-id']!;
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'back' }));
      const { raw: response } = await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'back', VersionId: marker.VersionId }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-delete-marker'], 'true');
      assert.equal(response.headers['x-amz-version-id'], marker.VersionId);
      assert.deepEqual(await history(bucket, 'back'), [[v1, true, 'V', 5]]);
      assert.equal(await bodyOf(bucket, 'back'), 'alive');
    });

    test('a DELETE of a key that never existed still adds a delete marker', async () => {
      const out = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never' }));
      assert.equal(out.DeleteMarker, true);
      assert.deepEqual(await history(bucket, 'never'), [[out.VersionId!, true, 'DM']]);
    });
  });

  describe('the null version across versioning states', () => {
    const bucket = 'nulls';
    let v1: string;
    let v2: string;

    before(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await put(bucket, 'k', 'before versioning');
      await setVersioning(bucket, 'Enabled');
      v1 = (await put(bucket, 'k', 'enabled one')).headers['x-amz-version-id']!;
      v2 = (await put(bucket, 'k', 'enabled two')).headers['x-amz-version-id']!;
    });

    test('enabling versioning keeps the earlier object as the null version', async () => {
      assert.deepEqual(await history(bucket, 'k'), [[v2, true, 'V', 11], [v1, false, 'V', 11], ['null', false, 'V', 17]]);
      assert.equal(await bodyOf(bucket, 'k', 'null'), 'before versioning');
      const got = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'null' }));
      assert.equal(got.raw.headers['x-amz-version-id'], 'null', 'a versioned bucket names the null version');
    });

    test('suspended: a PUT replaces only the null version; versions made while enabled survive', async () => {
      await setVersioning(bucket, 'Suspended');
      await put(bucket, 'k', 'suspended one');
      assert.deepEqual(await history(bucket, 'k'), [['null', true, 'V', 13], [v2, false, 'V', 11], [v1, false, 'V', 11]]);
      await put(bucket, 'k', 'suspended, again');
      assert.deepEqual(await history(bucket, 'k'), [['null', true, 'V', 16], [v2, false, 'V', 11], [v1, false, 'V', 11]]);
      assert.equal(await bodyOf(bucket, 'k'), 'suspended, again');
      assert.equal(await bodyOf(bucket, 'k', v1), 'enabled one');
    });

    test('suspended: the null version is named on GET and HEAD (x-amz-version-id: null)', async () => {
      const got = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      assert.equal(got.raw.headers['x-amz-version-id'], 'null');
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
      assert.equal(head.raw.headers['x-amz-version-id'], 'null');
    });

    test('suspended: a simple DELETE puts a null delete marker in place of the null version', async () => {
      const { output, raw: response } = await raw.send<{ DeleteMarker?: boolean; VersionId?: string }>(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-delete-marker'], 'true');
      assert.equal(response.headers['x-amz-version-id'], 'null');
      assert.equal(output!.VersionId, 'null');
      assert.deepEqual(await history(bucket, 'k'), [['null', true, 'DM'], [v2, false, 'V', 11], [v1, false, 'V', 11]]);
      await expectS3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })), { code: 'NoSuchKey', status: 404, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': 'null' } });
    });

    test('versionId=null deletes the null entry (here the marker); the newest remaining version becomes latest', async () => {
      const { raw: response } = await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'null' }));
      assert.equal(response.status, 204);
      assert.equal(response.headers['x-amz-version-id'], 'null');
      assert.equal(response.headers['x-amz-delete-marker'], 'true');
      assert.deepEqual(await history(bucket, 'k'), [[v2, true, 'V', 11], [v1, false, 'V', 11]]);
      assert.equal(await bodyOf(bucket, 'k'), 'enabled two');
    });

    test('re-enabled: new versions stack on top; deleting the noncurrent null version by id leaves the rest', async () => {
      await setVersioning(bucket, 'Suspended');
      await put(bucket, 'k', 'null again');
      await setVersioning(bucket, 'Enabled');
      const v3 = (await put(bucket, 'k', 'enabled three')).headers['x-amz-version-id']!;
      assert.deepEqual(await history(bucket, 'k'), [[v3, true, 'V', 13], ['null', false, 'V', 10], [v2, false, 'V', 11], [v1, false, 'V', 11]]);
      const { raw: response } = await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'null' }));
      assert.equal(response.headers['x-amz-version-id'], 'null');
      assert.equal(response.headers['x-amz-delete-marker'], undefined);
      assert.deepEqual(await history(bucket, 'k'), [[v3, true, 'V', 13], [v2, false, 'V', 11], [v1, false, 'V', 11]]);
    });
  });

  describe('x-amz-version-id on PUT in a suspended bucket', () => {
    test('is absent (AWS PutObject reference, "versioning suspended" sample response)', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'suspended-put' }));
      await setVersioning('suspended-put', 'Suspended');
      const response = await put('suspended-put', 'k', 'x');
      assert.equal(response.headers['x-amz-version-id'], undefined);
    });
  });

  describe('version ids that are not ours', () => {
    test('GET or DELETE with a malformed version id is InvalidArgument "Invalid version id specified"', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'bad-ids' }));
      await put('bad-ids', 'k', 'x');
      for (const command of [new GetObjectCommand({ Bucket: 'bad-ids', Key: 'k', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' }), new DeleteObjectCommand({ Bucket: 'bad-ids', Key: 'k', VersionId: 'not-a-version' })]) {
        const { error, raw: response } = await raw.send(command);
        assert.equal(error?.name, 'InvalidArgument');
        assert.equal(xmlOne(response.body, 'Message'), 'Invalid version id specified');
        assert.equal(xmlOne(response.body, 'ArgumentName'), 'versionId');
      }
    });
  });
});
