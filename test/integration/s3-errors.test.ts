// S3 error responses as AWS sends them: the flat <Error> document (Code, Message, the extra elements, RequestId,
// HostId), x-amz-request-id and x-amz-id-2 on every response, NotImplemented for sub-resources s3push does not
// serve, malformed / DOCTYPE / oversized XML bodies, invalid percent-encodings, and anonymous callers.
// Shape: reference/aws-semantics.md §5.5 and https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteObjectsCommand, GetBucketAnalyticsConfigurationCommand, GetBucketIntelligentTieringConfigurationCommand,
  GetBucketInventoryConfigurationCommand, GetBucketMetricsConfigurationCommand, GetBucketTaggingCommand,
  GetObjectLegalHoldCommand, GetObjectRetentionCommand, GetObjectTorrentCommand, HeadBucketCommand, HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand, ListObjectsV2Command, PutBucketLifecycleConfigurationCommand, PutObjectCommand,
  RestoreObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { serverWithRawClient, stopServerWithRawClient } from '../helpers/s3-fixture.js';
import { RawS3, anonymousRequest, xmlChildNames, xmlOne, type RawResponse } from '../helpers/raw-s3.js';

/** Checks the S3 error document and its headers; returns the error's child element names. */
function assertS3Error(response: RawResponse, status: number, code: string, fields: Record<string, string> = {}): string[] {
  assert.equal(response.status, status, response.body);
  assert.equal(response.headers['content-type'], 'application/xml');
  assert.ok(response.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), 'XML declaration');
  assert.match(response.body, /^<\?xml[^>]*\?>\s*<Error>[\s\S]*<\/Error>\s*$/, 'one <Error> root without a namespace');
  const names = xmlChildNames(response.body);
  assert.deepEqual(names.slice(0, 2), ['Code', 'Message']);
  assert.deepEqual(names.slice(-2), ['RequestId', 'HostId']);
  assert.equal(new Set(names).size, names.length, 'no element repeats');
  assert.equal(xmlOne(response.body, 'Code'), code);
  assert.ok(xmlOne(response.body, 'Message'), 'a message');
  assert.match(response.headers['x-amz-request-id'] ?? '', /^[0-9A-F]{16}$/);
  assert.equal(xmlOne(response.body, 'RequestId'), response.headers['x-amz-request-id']);
  assert.ok(response.headers['x-amz-id-2']);
  assert.equal(xmlOne(response.body, 'HostId'), response.headers['x-amz-id-2']);
  for (const [name, value] of Object.entries(fields)) assert.equal(xmlOne(response.body, name), value, name);
  return names;
}

describe('S3 errors', () => {
  let server: TestServer;
  let s3: S3Client;
  let raw: RawS3;
  const bucket = 'errors';

  before(async () => {
    ({ server, s3, raw } = await serverWithRawClient());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj.txt', Body: 'private' }));
  });
  after(() => stopServerWithRawClient({ server, s3, raw }));

  describe('the error document', () => {
    const cases: [string, () => Promise<RawResponse>, number, string, Record<string, string>][] = [
      ['NoSuchBucket', () => raw.request({ method: 'GET', path: '/errors-missing', query: { 'list-type': '2' } }), 404, 'NoSuchBucket', { BucketName: 'errors-missing', Message: 'The specified bucket does not exist' }],
      ['NoSuchKey', () => raw.request({ method: 'GET', path: `/${bucket}/no/such%20key` }), 404, 'NoSuchKey', { Key: 'no/such key', Message: 'The specified key does not exist.' }],
      ['InvalidBucketName', () => raw.request({ method: 'PUT', path: '/Bad_Name' }), 400, 'InvalidBucketName', { BucketName: 'Bad_Name' }],
      ['MalformedXML', () => raw.request({ method: 'PUT', path: `/${bucket}`, query: { versioning: '' }, body: 'not xml' }), 400, 'MalformedXML', {}],
      ['NotImplemented', () => raw.request({ method: 'GET', path: `/${bucket}`, query: { inventory: '' } }), 501, 'NotImplemented', {}],
      ['InvalidURI', () => raw.request({ method: 'GET', path: `/${bucket}/%ZZ` }), 400, 'InvalidURI', {}],
      ['InvalidArgument', () => raw.request({ method: 'GET', path: `/${bucket}`, query: { 'list-type': '2', 'max-keys': '-1' } }), 400, 'InvalidArgument', { ArgumentName: 'max-keys', ArgumentValue: '-1' }],
      ['MethodNotAllowed', () => raw.request({ method: 'PATCH', path: `/${bucket}` }), 405, 'MethodNotAllowed', {}],
      ['AccessDenied (anonymous)', () => anonymousRequest(server.endpoint, { method: 'GET', path: `/${bucket}/obj.txt` }), 403, 'AccessDenied', {}],
      ['SignatureDoesNotMatch', async () => {
        const bad = new RawS3(server.endpoint, { ...server.platform, secretAccessKey: 'x'.repeat(40) });
        try {
          return await bad.request({ method: 'GET', path: `/${bucket}` });
        } finally {
          bad.destroy();
        }
      }, 403, 'SignatureDoesNotMatch', { AWSAccessKeyId: '' }],
      ['InvalidAccessKeyId', async () => {
        const bad = new RawS3(server.endpoint, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) });
        try {
          return await bad.request({ method: 'GET', path: `/${bucket}` });
        } finally {
          bad.destroy();
        }
      }, 403, 'InvalidAccessKeyId', { AWSAccessKeyId: 'AKIAUNKNOWNKEY000000' }],
    ];
    for (const [name, send, status, code, fields] of cases) {
      test(`${name}: ${status} <Error> with Code, Message, its elements, RequestId and HostId`, async () => {
        const response = await send();
        const expected = { ...fields };
        if (code === 'SignatureDoesNotMatch') expected['AWSAccessKeyId'] = server.platform.accessKeyId;
        assertS3Error(response, status, code, expected);
      });
    }
  });

  describe('request ids', () => {
    test('x-amz-request-id and x-amz-id-2 are on successes, HEADs and errors, and differ per request', async () => {
      const responses: RawResponse[] = [
        (await raw.send(new ListObjectsV2Command({ Bucket: bucket }))).raw,
        (await raw.send(new PutObjectCommand({ Bucket: bucket, Key: 'ids.txt', Body: 'x' }))).raw,
        (await raw.send(new HeadBucketCommand({ Bucket: bucket }))).raw,
        (await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ids.txt' }))).raw,
        (await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' }))).raw,
        (await raw.send(new HeadBucketCommand({ Bucket: 'errors-missing' }))).raw,
        (await raw.send(new GetBucketTaggingCommand({ Bucket: bucket }))).raw,
        await anonymousRequest(server.endpoint, { method: 'HEAD', path: `/${bucket}` }),
      ];
      const ids = new Set<string>();
      for (const response of responses) {
        assert.match(response.headers['x-amz-request-id'] ?? '', /^[0-9A-F]{16}$/, `${response.status}`);
        assert.ok((response.headers['x-amz-id-2'] ?? '').length >= 16);
        ids.add(response.headers['x-amz-request-id']!);
      }
      assert.equal(ids.size, responses.length);
      assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 404, 404, 404, 403]);
    });

    test('HEAD errors have no body', async () => {
      for (const response of [
        (await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' }))).raw,
        (await raw.send(new HeadBucketCommand({ Bucket: 'errors-missing' }))).raw,
        await anonymousRequest(server.endpoint, { method: 'HEAD', path: `/${bucket}/obj.txt` }),
      ]) {
        assert.equal(response.body, '');
        assert.ok(response.status >= 400);
      }
    });
  });

  describe('sub-resources s3push does not serve are 501 NotImplemented', () => {
    const commands: [string, () => { middlewareStack: unknown }][] = [
      ['GetBucketInventoryConfiguration', () => new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'i' })],
      ['ListBucketInventoryConfigurations', () => new ListBucketInventoryConfigurationsCommand({ Bucket: bucket })],
      ['GetBucketAnalyticsConfiguration', () => new GetBucketAnalyticsConfigurationCommand({ Bucket: bucket, Id: 'a' })],
      ['GetBucketMetricsConfiguration', () => new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' })],
      ['GetBucketIntelligentTieringConfiguration', () => new GetBucketIntelligentTieringConfigurationCommand({ Bucket: bucket, Id: 't' })],
      ['PutBucketLifecycleConfiguration', () => new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [{ ID: 'r', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] } })],
      ['GetObjectRetention', () => new GetObjectRetentionCommand({ Bucket: bucket, Key: 'obj.txt' })],
      ['GetObjectLegalHold', () => new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'obj.txt' })],
      ['GetObjectTorrent', () => new GetObjectTorrentCommand({ Bucket: bucket, Key: 'obj.txt' })],
      ['RestoreObject', () => new RestoreObjectCommand({ Bucket: bucket, Key: 'obj.txt', RestoreRequest: { Days: 1 } })],
    ];
    for (const [operation, command] of commands) {
      test(operation, async () => {
        const { error, raw: response } = await raw.send(command());
        assert.equal(error?.name, 'NotImplemented');
        assertS3Error(response, 501, 'NotImplemented');
      });
    }

    test('unknown parameters that are not sub-resources are ignored, as S3 does', async () => {
      const response = await raw.request({ method: 'GET', path: `/${bucket}`, query: { 'list-type': '2', 'made-up': 'x' } });
      assert.equal(response.status, 200);
      assert.equal(xmlOne(response.body, 'KeyCount'), '2');
    });
  });

  describe('request bodies', () => {
    const tagging = (key: string): string => `<Tagging><TagSet><Tag><Key>${key}</Key><Value>v</Value></Tag></TagSet></Tagging>`;
    const putTagging = (body: string): Promise<RawResponse> => raw.request({ method: 'PUT', path: `/${bucket}`, query: { tagging: '' }, body });

    test('malformed XML is MalformedXML for every configuration body', async () => {
      const targets: [Record<string, string>, string][] = [
        [{ tagging: '' }, '<Tagging><TagSet>'], [{ versioning: '' }, '<VersioningConfiguration><Status>Enabled</Status'],
        [{ ownershipControls: '' }, 'OwnershipControls'], [{ encryption: '' }, '<ServerSideEncryptionConfiguration><Rule></ServerSideEncryptionConfiguration>'],
      ];
      for (const [query, body] of targets) assertS3Error(await raw.request({ method: 'PUT', path: `/${bucket}`, query, body }), 400, 'MalformedXML');
      assertS3Error(await raw.request({ method: 'PUT', path: '/errors-new', body: '<CreateBucketConfiguration><LocationConstraint>' }), 400, 'MalformedXML');
      assertS3Error(await raw.request({ method: 'PUT', path: `/${bucket}`, query: { acl: '' }, body: '<AccessControlPolicy>' }), 400, 'MalformedACLError');
      assert.equal((await raw.send(new HeadBucketCommand({ Bucket: 'errors-new' }))).raw.status, 404, 'no bucket from a malformed body');
    });

    test('DOCTYPE bodies are refused without expanding anything (XXE, entity bombs)', async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE Tagging [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${tagging('&xxe;')}`;
      const bomb = `<?xml version="1.0"?><!DOCTYPE Tagging [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${tagging('&c;')}`;
      for (const body of [xxe, bomb, `<!DOCTYPE Tagging>${tagging('k')}`]) assertS3Error(await putTagging(body), 400, 'MalformedXML');
      assert.equal((await raw.send(new GetBucketTaggingCommand({ Bucket: bucket }))).error?.name, 'NoSuchTagSet', 'nothing was stored');
    });

    test('a body over the XML size limit (1 MiB) is MaxMessageLengthExceeded', async () => {
      const body = tagging('k'.repeat(1024 * 1024));
      assertS3Error(await putTagging(body), 400, 'MaxMessageLengthExceeded');
      // The connection stays usable for the next request.
      assert.equal((await raw.send(new HeadBucketCommand({ Bucket: bucket }))).raw.status, 200);
    });

    test('an empty body where one is required is MissingRequestBodyError', async () => {
      assertS3Error(await putTagging(''), 400, 'MissingRequestBodyError');
    });

    test('character references in a body decode (the SDK writes CR/LF in values as &#x0D;&#x0A;)', async () => {
      const response = await putTagging('<Tagging><TagSet><Tag><Key>k</Key><Value>a&#x0D;&#x0A;b&#32;c&#x2B;</Value></Tag></TagSet></Tagging>');
      assert.equal(response.status, 204, response.body);
      const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
      assert.deepEqual(out.TagSet, [{ Key: 'k', Value: 'a\r\nb c+' }]);
      assertS3Error(await putTagging('<Tagging><TagSet><Tag><Key>k</Key><Value>&nbsp;</Value></Tag></TagSet></Tagging>'), 400, 'MalformedXML');
    });
  });

  test('DeleteObjects finds keys with CR and LF, which the SDK writes as character references', async () => {
    const keys = ['line\r\nbreak', 'lf\nonly', 'tab\tand & <amp>'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    const { output, raw: response } = await raw.send<{ Deleted?: { Key?: string }[]; Errors?: unknown[] }>(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    assert.equal(response.status, 200);
    assert.equal(output!.Errors, undefined);
    assert.deepEqual(output!.Deleted?.map((d) => d.Key).sort(), [...keys].sort());
    const left = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((c) => c.Key) ?? [];
    for (const key of keys) assert.equal(left.includes(key), false, JSON.stringify(key));
  });

  describe('invalid URI encodings are InvalidURI', () => {
    for (const path of [`/${bucket}/%ZZ`, `/${bucket}/ok/%E0%A4%A`, `/${bucket}/%C3%28`, '/%ZZ', `/${bucket}/trailing%`]) {
      test(`signed GET ${path}`, async () => {
        assertS3Error(await raw.request({ method: 'GET', path }), 400, 'InvalidURI');
      });
    }

    test('also for anonymous and PUT requests', async () => {
      assertS3Error(await anonymousRequest(server.endpoint, { method: 'GET', path: `/${bucket}/%ZZ` }), 400, 'InvalidURI');
      assertS3Error(await raw.request({ method: 'PUT', path: `/${bucket}/%ZZ`, body: 'x' }), 400, 'InvalidURI');
    });
  });

  describe('anonymous requests to a private bucket', () => {
    const attempts: [string, string, string?][] = [
      ['GET', `/${bucket}`], ['GET', `/${bucket}`, 'list-type=2'], ['GET', `/${bucket}/obj.txt`], ['PUT', `/${bucket}/anon.txt`],
      ['DELETE', `/${bucket}/obj.txt`], ['DELETE', `/${bucket}`], ['GET', `/${bucket}`, 'policy'], ['PUT', `/${bucket}`, 'versioning'],
      ['GET', `/${bucket}`, 'versions'], ['GET', `/${bucket}`, 'acl'],
    ];
    for (const [method, path, query] of attempts) {
      test(`${method} ${path}${query ? '?' + query : ''} → 403 AccessDenied`, async () => {
        const response = await anonymousRequest(server.endpoint, {
          method, path, query: query ? Object.fromEntries([query.split('=') as [string, string]].map(([k, v]) => [k, v ?? null])) : {},
          ...(method === 'PUT' ? { body: query === 'versioning' ? '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' : 'anon' } : {}),
        });
        assertS3Error(response, 403, 'AccessDenied');
      });
    }

    test('HEAD is a bare 403; nothing changed', async () => {
      const head = await anonymousRequest(server.endpoint, { method: 'HEAD', path: `/${bucket}/obj.txt` });
      assert.equal(head.status, 403);
      assert.equal(head.body, '');
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      assert.ok(listing.Contents?.some((c) => c.Key === 'obj.txt'));
      assert.equal(listing.Contents?.some((c) => c.Key === 'anon.txt'), false);
    });

    test('a bucket that does not exist is NoSuchBucket even anonymously', async () => {
      assertS3Error(await anonymousRequest(server.endpoint, { method: 'GET', path: '/errors-nowhere' }), 404, 'NoSuchBucket', { BucketName: 'errors-nowhere' });
    });
  });
});
