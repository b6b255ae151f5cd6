// CORS through the AWS SDK and plain HTTP (as a browser sends it): Put/Get/DeleteBucketCors and their validation,
// the unauthenticated OPTIONS preflight on buckets and objects (presigned URLs included), and the
// Access-Control-* headers on actual requests with an Origin, errors included.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand,
  PutBucketPolicyCommand, PutObjectCommand, type CORSRule, type S3Client,
} from '@aws-sdk/client-s3';
import { presignQuery } from '../../src/protocol/sigv4.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { expectS3Error } from '../helpers/s3-assert.js';
import { rawRequest, xmlField } from '../helpers/raw-request.js';

let server: TestServer;
let s3: S3Client;
const bucket = 'cors';

before(async () => {
  server = await startTestServer();
  s3 = s3Client(server.endpoint, server.platform);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: 'object body' }));
  // Anonymous reads, so that actual cross-origin GETs succeed.
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
  ] }) }));
});
after(async () => {
  s3.destroy();
  await server.stop();
});

async function browser(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${server.endpoint}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A SigV4 presigned URL (query authentication), as @aws-sdk/s3-request-presigner builds one. */
function presignedGet(path: string): string {
  const query = presignQuery({ method: 'GET', rawPath: path, rawQuery: '', headers: { host: new URL(server.endpoint).host } }, server.platform, 'us-east-1', 's3', 300, Date.now());
  return `${server.endpoint}${path}?${query}`;
}

async function putCors(rules: CORSRule[]): Promise<void> {
  await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
}

describe('Put/Get/DeleteBucketCors', () => {
  test('round trip with every element; Delete removes it; Get without one is NoSuchCORSConfiguration', async () => {
    await expectS3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), { code: 'NoSuchCORSConfiguration', status: 404 });
    const rules: CORSRule[] = [
      { ID: 'uploads', AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['PUT', 'POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'x-amz-version-id'], MaxAgeSeconds: 3000 },
      { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
    ];
    await putCors(rules);
    const got = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    assert.deepEqual(got.CORSRules, rules);
    assert.equal((await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))).$metadata.httpStatusCode, 204);
    await expectS3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), { code: 'NoSuchCORSConfiguration', status: 404 });
  });

  test('validation: unsupported methods and double wildcards are InvalidRequest; no rule, too many rules or a bad MaxAgeSeconds are MalformedXML', async () => {
    await expectS3Error(putCors([{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }]), { code: 'InvalidRequest', status: 400, message: /Unsupported method is PATCH/ });
    await expectS3Error(putCors([{ AllowedOrigins: ['*.*.example.com'], AllowedMethods: ['GET'] }]), { code: 'InvalidRequest', status: 400, message: /can not have more than one wildcard/ });
    await expectS3Error(putCors([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], AllowedHeaders: ['x-*-*'] }]), { code: 'InvalidRequest', status: 400 });
    await expectS3Error(putCors([]), { code: 'MalformedXML', status: 400 });
    await expectS3Error(putCors(Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }))), { code: 'MalformedXML', status: 400 });
    await expectS3Error(putCors([{ ID: 'x'.repeat(256), AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]), { code: 'InvalidArgument', status: 400 });
    const badAge = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>';
    const md5 = createHash('md5').update(badAge).digest('base64');
    const response = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}`, query: 'cors', body: badAge, headers: { 'content-md5': md5 } });
    assert.equal(response.status, 400);
    assert.equal(xmlField(response.body, 'Code'), 'MalformedXML');
    const noMd5 = await rawRequest(server.endpoint, server.platform, { method: 'PUT', path: `/${bucket}`, query: 'cors', body: badAge.replace('soon', '1') });
    assert.equal(xmlField(noMd5.body, 'Code'), 'InvalidRequest');
    await expectS3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), { code: 'NoSuchCORSConfiguration', status: 404 });
  });

  test('another account may not read or set it', async () => {
    const other = s3Client(server.endpoint, await server.createAccount('cors-other'));
    try {
      await expectS3Error(other.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } })), { code: 'AccessDenied', status: 403 });
      await expectS3Error(other.send(new GetBucketCorsCommand({ Bucket: bucket })), { code: 'AccessDenied', status: 403 });
    } finally {
      other.destroy();
    }
  });
});

describe('preflight (OPTIONS)', () => {
  before(async () => {
    await putCors([
      { AllowedOrigins: ['*suffix'], AllowedMethods: ['GET'] },
      { AllowedOrigins: ['start*end'], AllowedMethods: ['GET'] },
      { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['PUT', 'POST'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
    ]);
  });

  test('a matching rule: 200 with Allow-Origin, -Methods, -Headers, -Max-Age, -Expose-Headers, -Credentials and Vary', async () => {
    const r = await browser('OPTIONS', `/${bucket}/obj`, {
      origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Meta-Owner',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(r.headers.get('access-control-allow-methods'), 'PUT, POST');
    assert.equal(r.headers.get('access-control-allow-headers'), 'content-type, x-amz-meta-owner');
    assert.equal(r.headers.get('access-control-max-age'), '600');
    assert.equal(r.headers.get('access-control-expose-headers'), 'ETag');
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(r.headers.get('vary'), 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  });

  test('origins match with one wildcard; the method and every requested header must be allowed', async () => {
    const preflight = (origin: string, method = 'GET', headers?: string) => browser('OPTIONS', `/${bucket}`, {
      origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}),
    });
    for (const origin of ['foo.suffix', 'suffix', 'startend', 'start12end']) {
      const r = await preflight(origin);
      assert.equal(r.status, 200, origin);
      assert.equal(r.headers.get('access-control-allow-origin'), origin);
    }
    for (const [origin, method, headers] of [['foo.bar', 'GET'], ['0start12end', 'GET'], ['foo.suffix', 'PUT'], ['https://app.example.com', 'PUT', 'authorization']] as const) {
      const r = await preflight(origin, method, headers);
      assert.equal(r.status, 403, `${origin} ${method}`);
      assert.equal(xmlField(r.body, 'Code'), 'AccessForbidden');
      assert.match(xmlField(r.body, 'Message') ?? '', /^CORSResponse: This CORS request is not allowed/);
      assert.equal(xmlField(r.body, 'Method'), method);
      assert.equal(xmlField(r.body, 'ResourceType'), 'BUCKET');
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    }
  });

  test('without Origin or a valid Access-Control-Request-Method it is 400; a bucket without CORS or none at all is 403', async () => {
    assert.equal((await browser('OPTIONS', `/${bucket}/obj`)).status, 400);
    assert.equal((await browser('OPTIONS', `/${bucket}/obj`, { origin: 'foo.suffix' })).status, 400);
    assert.equal((await browser('OPTIONS', `/${bucket}/obj`, { origin: 'foo.suffix', 'access-control-request-method': 'PATCH' })).status, 400);
    await s3.send(new CreateBucketCommand({ Bucket: 'cors-none' }));
    const none = await browser('OPTIONS', '/cors-none/k', { origin: 'foo.suffix', 'access-control-request-method': 'GET' });
    assert.equal(none.status, 403);
    assert.equal(xmlField(none.body, 'Message'), 'CORSResponse: CORS is not enabled for this bucket.');
    assert.equal(xmlField(none.body, 'ResourceType'), 'OBJECT');
    const missing = await browser('OPTIONS', '/cors-missing/k', { origin: 'foo.suffix', 'access-control-request-method': 'GET' });
    assert.equal(missing.status, 403);
  });

  test('a presigned URL preflights like its path: its parameters do not matter', async () => {
    const url = presignedGet(`/${bucket}/obj`);
    const r = await fetch(url, { method: 'OPTIONS', headers: { origin: 'x.suffix', 'access-control-request-method': 'GET' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'x.suffix');
  });
});

describe('actual requests with an Origin', () => {
  before(async () => {
    await putCors([
      { AllowedOrigins: ['*suffix'], AllowedMethods: ['GET'], ExposeHeaders: ['x-amz-meta-a'] },
      { AllowedOrigins: ['*.put'], AllowedMethods: ['PUT'] },
      { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
    ]);
  });

  test('a rule for the origin and method adds its headers; others add none', async () => {
    const r = await browser('GET', `/${bucket}/obj`, { origin: 'foo.suffix' });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'object body');
    assert.equal(r.headers.get('access-control-allow-origin'), 'foo.suffix');
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET');
    assert.equal(r.headers.get('access-control-expose-headers'), 'x-amz-meta-a');
    assert.equal(r.headers.get('vary'), 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
    assert.equal((await browser('GET', `/${bucket}/obj`, { origin: 'foo.bar' })).headers.get('access-control-allow-origin'), null);
    assert.equal((await browser('GET', `/${bucket}/obj`)).headers.get('access-control-allow-origin'), null);
    // A "*" rule answers "*" (and no credentials).
    const head = await fetch(`${server.endpoint}/${bucket}/obj`, { method: 'HEAD', headers: { origin: 'anything' } });
    assert.equal(head.headers.get('access-control-allow-origin'), '*');
    assert.equal(head.headers.get('access-control-allow-credentials'), null);
  });

  test('errors carry the headers too: a 404, an anonymous PUT refused with 403', async () => {
    const missing = await browser('GET', `/${bucket}/missing`, { origin: 'foo.suffix' });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), 'foo.suffix');
    const put = await browser('PUT', `/${bucket}/new`, { origin: 'foo.put' });
    assert.equal(put.status, 403);
    assert.equal(put.headers.get('access-control-allow-origin'), 'foo.put');
    assert.equal(put.headers.get('access-control-allow-methods'), 'PUT');
    // The method a request names in Access-Control-Request-Method selects the rule (as s3-tests expect of S3).
    const named = await browser('PUT', `/${bucket}/new`, { origin: 'foo.suffix', 'access-control-request-method': 'GET' });
    assert.equal(named.headers.get('access-control-allow-methods'), 'GET');
  });

  test('presigned requests get them as well', async () => {
    const r = await fetch(presignedGet(`/${bucket}/obj`), { headers: { origin: 'page.suffix' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'page.suffix');
  });
});
