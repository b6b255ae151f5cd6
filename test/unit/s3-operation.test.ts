// The S3 operation parser: every operation kind from method, path and query; NotImplemented for sub-resources
// s3push does not serve; path splitting and decoding (InvalidURI, KeyTooLongError).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { s3ErrorOf } from '../helpers/s3-assert.js';
import {
  bucketOperationKinds, objectOperationKinds, parseS3Operation, splitPath, type S3Operation,
} from '../../src/protocol/s3-operation.js';

interface Case {
  method: string;
  path: string;
  query?: string;
  copy?: boolean;
  host?: string;
}

function parse(c: Case): S3Operation {
  return parseS3Operation({ method: c.method, rawPath: c.path, query: new URLSearchParams(c.query ?? ''), hasCopySource: c.copy ?? false, hostBucket: c.host });
}

/** One request shape per operation kind (as the AWS SDKs send them). */
const cases: [S3Operation['kind'], Case][] = [
  ['ListBuckets', { method: 'GET', path: '/' }],
  ['CreateBucket', { method: 'PUT', path: '/b' }],
  ['DeleteBucket', { method: 'DELETE', path: '/b' }],
  ['HeadBucket', { method: 'HEAD', path: '/b' }],
  ['ListObjects', { method: 'GET', path: '/b', query: 'prefix=a&delimiter=%2F' }],
  ['ListObjectsV2', { method: 'GET', path: '/b', query: 'list-type=2&continuation-token=x' }],
  ['ListObjectVersions', { method: 'GET', path: '/b', query: 'versions&key-marker=k' }],
  ['ListMultipartUploads', { method: 'GET', path: '/b', query: 'uploads&max-uploads=5' }],
  ['GetBucketLocation', { method: 'GET', path: '/b', query: 'location' }],
  ['GetBucketVersioning', { method: 'GET', path: '/b', query: 'versioning' }],
  ['PutBucketVersioning', { method: 'PUT', path: '/b', query: 'versioning' }],
  ['GetBucketPolicy', { method: 'GET', path: '/b', query: 'policy' }],
  ['PutBucketPolicy', { method: 'PUT', path: '/b', query: 'policy' }],
  ['DeleteBucketPolicy', { method: 'DELETE', path: '/b', query: 'policy' }],
  ['GetBucketPolicyStatus', { method: 'GET', path: '/b', query: 'policyStatus' }],
  ['GetBucketTagging', { method: 'GET', path: '/b', query: 'tagging' }],
  ['PutBucketTagging', { method: 'PUT', path: '/b', query: 'tagging' }],
  ['DeleteBucketTagging', { method: 'DELETE', path: '/b', query: 'tagging' }],
  ['GetBucketOwnershipControls', { method: 'GET', path: '/b', query: 'ownershipControls' }],
  ['PutBucketOwnershipControls', { method: 'PUT', path: '/b', query: 'ownershipControls' }],
  ['DeleteBucketOwnershipControls', { method: 'DELETE', path: '/b', query: 'ownershipControls' }],
  ['GetBucketEncryption', { method: 'GET', path: '/b', query: 'encryption' }],
  ['PutBucketEncryption', { method: 'PUT', path: '/b', query: 'encryption' }],
  ['DeleteBucketEncryption', { method: 'DELETE', path: '/b', query: 'encryption' }],
  ['GetBucketAcl', { method: 'GET', path: '/b', query: 'acl' }],
  ['PutBucketAcl', { method: 'PUT', path: '/b', query: 'acl' }],
  ['DeleteObjects', { method: 'POST', path: '/b', query: 'delete' }],
  ['PostObject', { method: 'POST', path: '/b' }],
  ['GetBucketCors', { method: 'GET', path: '/b', query: 'cors' }],
  ['PutBucketCors', { method: 'PUT', path: '/b', query: 'cors' }],
  ['DeleteBucketCors', { method: 'DELETE', path: '/b', query: 'cors' }],
  ['GetBucketLifecycleConfiguration', { method: 'GET', path: '/b', query: 'lifecycle' }],
  ['GetBucketWebsite', { method: 'GET', path: '/b', query: 'website' }],
  ['GetBucketLogging', { method: 'GET', path: '/b', query: 'logging' }],
  ['GetBucketNotificationConfiguration', { method: 'GET', path: '/b', query: 'notification' }],
  ['GetBucketRequestPayment', { method: 'GET', path: '/b', query: 'requestPayment' }],
  ['GetBucketAccelerateConfiguration', { method: 'GET', path: '/b', query: 'accelerate' }],
  ['GetObjectLockConfiguration', { method: 'GET', path: '/b', query: 'object-lock' }],
  ['GetPublicAccessBlock', { method: 'GET', path: '/b', query: 'publicAccessBlock' }],
  ['PutPublicAccessBlock', { method: 'PUT', path: '/b', query: 'publicAccessBlock' }],
  ['DeletePublicAccessBlock', { method: 'DELETE', path: '/b', query: 'publicAccessBlock' }],
  ['GetBucketReplication', { method: 'GET', path: '/b', query: 'replication' }],
  ['GetObject', { method: 'GET', path: '/b/k', query: 'x-id=GetObject' }],
  ['HeadObject', { method: 'HEAD', path: '/b/k', query: 'versionId=v' }],
  ['PutObject', { method: 'PUT', path: '/b/k', query: 'x-id=PutObject' }],
  ['CopyObject', { method: 'PUT', path: '/b/k', copy: true }],
  ['DeleteObject', { method: 'DELETE', path: '/b/k', query: 'versionId=v' }],
  ['GetObjectTagging', { method: 'GET', path: '/b/k', query: 'tagging' }],
  ['PutObjectTagging', { method: 'PUT', path: '/b/k', query: 'tagging' }],
  ['DeleteObjectTagging', { method: 'DELETE', path: '/b/k', query: 'tagging' }],
  ['GetObjectAcl', { method: 'GET', path: '/b/k', query: 'acl' }],
  ['PutObjectAcl', { method: 'PUT', path: '/b/k', query: 'acl' }],
  ['GetObjectAttributes', { method: 'GET', path: '/b/k', query: 'attributes' }],
  ['CreateMultipartUpload', { method: 'POST', path: '/b/k', query: 'uploads' }],
  ['UploadPart', { method: 'PUT', path: '/b/k', query: 'partNumber=1&uploadId=u' }],
  ['UploadPartCopy', { method: 'PUT', path: '/b/k', query: 'partNumber=2&uploadId=u', copy: true }],
  ['CompleteMultipartUpload', { method: 'POST', path: '/b/k', query: 'uploadId=u' }],
  ['AbortMultipartUpload', { method: 'DELETE', path: '/b/k', query: 'uploadId=u' }],
  ['ListParts', { method: 'GET', path: '/b/k', query: 'uploadId=u&max-parts=3' }],
];

describe('parseS3Operation: every operation kind', () => {
  for (const [kind, c] of cases) {
    test(`${c.method} ${c.path}${c.query ? '?' + c.query : ''}${c.copy ? ' (copy source)' : ''} → ${kind}`, () => {
      const op = parse(c);
      assert.equal(op.kind, kind);
      if (kind !== 'ListBuckets') assert.equal((op as { bucket: string }).bucket, 'b');
      if ((objectOperationKinds as readonly string[]).includes(kind)) assert.equal((op as { key: string }).key, 'k');
      else assert.equal('key' in op, false);
    });
  }

  test('the table covers every kind the parser can return', () => {
    const covered = new Set(cases.map(([kind]) => kind));
    const all = new Set<string>(['ListBuckets', ...bucketOperationKinds, ...objectOperationKinds]);
    assert.deepEqual([...all].filter((k) => !covered.has(k as S3Operation['kind'])), []);
    assert.equal(covered.size, all.size);
  });

  test('OPTIONS is the CORS preflight, on a bucket or a key, whatever the query', () => {
    assert.deepEqual(parse({ method: 'OPTIONS', path: '/b' }), { kind: 'OptionsPreflight', bucket: 'b' });
    assert.deepEqual(parse({ method: 'OPTIONS', path: '/b/dir/k' }), { kind: 'OptionsPreflight', bucket: 'b', key: 'dir/k' });
    // A presigned URL's parameters and sub-resources do not change what OPTIONS is.
    assert.deepEqual(parse({ method: 'OPTIONS', path: '/b/k', query: 'X-Amz-Signature=abc&uploads' }), { kind: 'OptionsPreflight', bucket: 'b', key: 'k' });
    assert.deepEqual(parse({ method: 'OPTIONS', path: '/k', host: 'vb' }), { kind: 'OptionsPreflight', bucket: 'vb', key: 'k' });
    // OPTIONS on the service itself names no bucket: S3 has no such operation.
    assert.equal(s3ErrorOf(() => parse({ method: 'OPTIONS', path: '/' })).code, 'MethodNotAllowed');
  });

  test('list-type other than 2 is ListObjects (v1)', () => {
    assert.equal(parse({ method: 'GET', path: '/b', query: 'list-type=1' }).kind, 'ListObjects');
  });

  test('parameters that are not sub-resources are ignored', () => {
    assert.equal(parse({ method: 'GET', path: '/b', query: 'foo=bar&x-id=ListObjects' }).kind, 'ListObjects');
    assert.equal(parse({ method: 'GET', path: '/b/k', query: 'partNumber=2&response-content-type=text/plain' }).kind, 'GetObject');
    assert.equal(parse({ method: 'PUT', path: '/b/k', query: 'partNumber=1' }).kind, 'PutObject');
  });

  test('the method names the operation, not a sub-resource another method uses', () => {
    // ?uploads is ListMultipartUploads on a bucket but CreateMultipartUpload (POST) on a key.
    assert.equal(parse({ method: 'POST', path: '/b/k', query: 'uploads' }).kind, 'CreateMultipartUpload');
    assert.equal(parse({ method: 'GET', path: '/b', query: 'uploads' }).kind, 'ListMultipartUploads');
    // a known sub-resource wins over the plain GetObject default
    assert.equal(parse({ method: 'GET', path: '/b/k', query: 'versionId=1&tagging' }).kind, 'GetObjectTagging');
  });

  test('virtual-host style: the bucket comes from the Host label and the whole path is the key', () => {
    assert.deepEqual(parse({ method: 'GET', path: '/', host: 'vb' }), { kind: 'ListObjects', bucket: 'vb' });
    assert.deepEqual(parse({ method: 'GET', path: '/dir/k', host: 'vb' }), { kind: 'GetObject', bucket: 'vb', key: 'dir/k' });
    assert.deepEqual(parse({ method: 'PUT', path: '/', host: 'vb' }), { kind: 'CreateBucket', bucket: 'vb' });
  });
});

describe('parseS3Operation: what is refused', () => {
  const notImplemented: Case[] = [
    { method: 'GET', path: '/b', query: 'inventory' },
    { method: 'GET', path: '/b', query: 'analytics&id=a' },
    { method: 'GET', path: '/b', query: 'metrics' },
    { method: 'GET', path: '/b', query: 'intelligent-tiering' },
    { method: 'GET', path: '/b', query: 'metadataTable' },
    { method: 'GET', path: '/b', query: 'metadataConfiguration' },
    { method: 'GET', path: '/b', query: 'session' },
    { method: 'PUT', path: '/b', query: 'lifecycle' },
    { method: 'PUT', path: '/b', query: 'website' },
    { method: 'DELETE', path: '/b', query: 'lifecycle' },
    { method: 'POST', path: '/b', query: 'inventory' },
    { method: 'HEAD', path: '/b', query: 'acl' },
    { method: 'GET', path: '/b/k', query: 'retention' },
    { method: 'GET', path: '/b/k', query: 'legal-hold' },
    { method: 'GET', path: '/b/k', query: 'torrent' },
    { method: 'PUT', path: '/b/k', query: 'retention' },
    { method: 'POST', path: '/b/k', query: 'restore' },
    { method: 'POST', path: '/b/k', query: 'select&select-type=2' },
    { method: 'PUT', path: '/b/k', query: 'renameObject' },
  ];
  for (const c of notImplemented) {
    test(`${c.method} ${c.path}?${c.query} → 501 NotImplemented naming the sub-resource`, () => {
      const error = s3ErrorOf(() => parse(c));
      assert.equal(error.code, 'NotImplemented');
      assert.equal(error.status, 501);
      assert.match(error.message, new RegExp(`\\?${c.query!.split('&')[0]}\\b`));
    });
  }

  test('methods S3 does not have are MethodNotAllowed', () => {
    for (const c of [
      { method: 'PATCH', path: '/b' }, { method: 'PATCH', path: '/b/k' }, { method: 'PUT', path: '/' },
      // (OPTIONS on a bucket or key is the CORS preflight; see above.)
      { method: 'DELETE', path: '/' }, { method: 'POST', path: '/b/k' }, { method: 'TRACE', path: '/b/k' },
    ]) {
      const error = s3ErrorOf(() => parse(c));
      assert.equal(error.code, 'MethodNotAllowed', `${c.method} ${c.path}`);
      assert.equal(error.status, 405);
    }
  });

  test('a key over 1024 UTF-8 bytes is KeyTooLongError; exactly 1024 is accepted', () => {
    const ok = 'é'.repeat(512); // 1024 bytes
    assert.equal((parse({ method: 'GET', path: `/b/${encodeURIComponent(ok)}` }) as { key: string }).key, ok);
    const error = s3ErrorOf(() => parse({ method: 'GET', path: `/b/${encodeURIComponent(ok + 'a')}` }));
    assert.equal(error.code, 'KeyTooLongError');
    assert.equal(error.fields['MaxSizeAllowed'], 1024);
  });
});

describe('splitPath', () => {
  test('path style splits at the first slash and decodes each part once', () => {
    assert.deepEqual(splitPath('/', undefined), {});
    assert.deepEqual(splitPath('/b', undefined), { bucket: 'b' });
    assert.deepEqual(splitPath('/b/', undefined), { bucket: 'b' });
    assert.deepEqual(splitPath('/b/a/b/c', undefined), { bucket: 'b', key: 'a/b/c' });
    assert.deepEqual(splitPath('/b/a%2Fb%20c%2Bd+e', undefined), { bucket: 'b', key: 'a/b c+d+e' });
    assert.deepEqual(splitPath('/b/%2525', undefined), { bucket: 'b', key: '%25' });
    assert.deepEqual(splitPath('/b/%F0%9F%98%80', undefined), { bucket: 'b', key: '\u{1F600}' });
    assert.deepEqual(splitPath('/b//lead', undefined), { bucket: 'b', key: '/lead' });
  });

  test('virtual-host style keeps a leading slash of the key beyond the first', () => {
    assert.deepEqual(splitPath('/', 'vb'), { bucket: 'vb' });
    assert.deepEqual(splitPath('//k', 'vb'), { bucket: 'vb', key: '/k' });
  });

  test('malformed percent-encodings are InvalidURI (400)', () => {
    for (const path of ['/b/%ZZ', '/b/a%', '/b/%E0%A4%A', '/b/%C3%28', '/%ZZ', '/%ZZ/k']) {
      const error = s3ErrorOf(() => splitPath(path, undefined));
      assert.equal(error.code, 'InvalidURI', path);
      assert.equal(error.status, 400);
    }
    assert.equal(s3ErrorOf(() => splitPath('/%ZZ', 'vb')).code, 'InvalidURI');
  });
});
