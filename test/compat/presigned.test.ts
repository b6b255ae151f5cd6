// Presigned URLs as real clients build them: the JS SDK v3 (its PutObject URL carries CRC32 query
// parameters, which AWS ignores) and botocore; expiry, the one-week limit, tampering, mixed auth, '+'.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { presignQuery, uriEncode } from '../../src/protocol/sigv4.js';
import type { Credentials, TestServer } from '../helpers/server.js';
import { serverWithBuckets } from '../helpers/s3-fixture.js';
import { awsEnv, skipUnless } from '../helpers/tools.js';
import { mustRun, pythonScript } from './compat-tools.js';

interface Reply { status: number; headers: IncomingHttpHeaders; body: string }

/** Sends the URL exactly as given (no WHATWG re-encoding of the path or query). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const parsed = new URL(url);
  const pathAndQuery = url.slice(parsed.origin.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: parsed.hostname, port: parsed.port, method: options.method ?? 'GET', path: pathAndQuery, headers: options.headers ?? {}, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const errorCode = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
const field = (body: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];

/**
 * A presigned URL exactly as @aws-sdk/s3-request-presigner builds it: the real S3Client runs its
 * middleware (endpoint, x-id, flexible checksums) and we take the request just before signing, then do
 * what the presigner does: drop the SDK's bookkeeping headers, set X-Amz-Content-Sha256 to
 * UNSIGNED-PAYLOAD, hoist every x-amz-* header into the query, leave content-type and user-agent
 * unsigned, sign host. The presigner package itself is used instead when it is installed.
 */
async function jsSdkPresign(client: S3Client, command: GetObjectCommand | PutObjectCommand, credentials: Credentials, expiresSeconds: number): Promise<{ url: string; via: string }> {
  const presignerPackage = '@aws-sdk/s3-request-presigner';
  try {
    const presigner = (await import(presignerPackage)) as { getSignedUrl: (c: S3Client, cmd: unknown, o: { expiresIn: number }) => Promise<string> };
    return { url: await presigner.getSignedUrl(client, command, { expiresIn: expiresSeconds }), via: presignerPackage };
  } catch { /* not installed: build it the same way below */ }

  let captured: { method: string; hostname: string; port?: number; path: string; query: Record<string, string | string[] | null>; headers: Record<string, string> } | undefined;
  const stack = client.middlewareStack.clone();
  stack.addRelativeTo((() => async (args: { request: unknown }) => {
    captured = args.request as typeof captured;
    return { response: {}, output: { $metadata: {} } };
  }) as never, { name: 'capturePresignRequest', relation: 'before', toMiddleware: 'awsAuthMiddleware', override: true });
  const handler = (command as unknown as { resolveMiddleware: (s: unknown, c: unknown, o: unknown) => (a: unknown) => Promise<unknown> })
    .resolveMiddleware(stack, client.config, {});
  await handler({ input: command.input });
  assert.ok(captured, 'the SDK built a request');
  const queryParts: string[] = [];
  for (const [name, value] of Object.entries(captured.query)) {
    for (const v of Array.isArray(value) ? value : [value]) queryParts.push(v === null ? uriEncode(name) : `${uriEncode(name)}=${uriEncode(v)}`);
  }
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(captured.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'amz-sdk-invocation-id' || lower === 'amz-sdk-request' || lower === 'x-amz-user-agent') continue;
    if (lower.startsWith('x-amz-') && !lower.startsWith('x-amz-server-side-encryption')) queryParts.push(`${uriEncode(name)}=${uriEncode(value)}`);
    else if (lower === 'host') signed['host'] = value;
  }
  queryParts.push(`X-Amz-Content-Sha256=${uriEncode('UNSIGNED-PAYLOAD')}`);
  const query = presignQuery({ method: captured.method, rawPath: captured.path, rawQuery: queryParts.join('&'), headers: signed }, credentials, 'us-east-1', 's3', expiresSeconds, Date.now());
  return { url: `http://${signed['host']}${captured.path}?${query}`, via: 'S3Client middleware + presignQuery (s3-request-presigner not installed)' };
}

describe('presigned URLs', () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = 'presigned';
  const key = 'dir/a+b ü.txt';

  before(async () => {
    ({ server, s3 } = await serverWithBuckets(bucket));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'presigned body' }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  describe('built by the JS SDK v3', () => {
    test('GET (x-id, hoisted X-Amz-Content-Sha256 and x-amz-checksum-mode in the query)', async () => {
      const { url, via } = await jsSdkPresign(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), server.platform, 300);
      console.log(`# JS presigned URLs via ${via}`);
      assert.match(url, /[?&]x-id=GetObject(&|$)/);
      const reply = await send(url);
      assert.equal(reply.status, 200, reply.body);
      assert.equal(reply.body, 'presigned body');
    });

    test('PUT carrying x-amz-checksum-crc32=AAAAAA== (the empty body\'s CRC32) stores a non-empty body: the query checksum is ignored', async () => {
      const { url } = await jsSdkPresign(s3, new PutObjectCommand({ Bucket: bucket, Key: 'js-put.txt' }), server.platform, 300);
      assert.match(url, /[?&]x-amz-checksum-crc32=AAAAAA%3D%3D(&|$)/);
      assert.match(url, /[?&]x-amz-sdk-checksum-algorithm=CRC32(&|$)/);
      const put = await send(url, { method: 'PUT', body: 'not the empty body', headers: { 'content-type': 'text/plain' } });
      assert.equal(put.status, 200, put.body);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'js-put.txt', ChecksumMode: 'ENABLED' }));
      assert.equal(await got.Body!.transformToString(), 'not the empty body');
      assert.notEqual(got.ChecksumCRC32, 'AAAAAA==');
    });

    test('PUT with Metadata: the hoisted x-amz-meta-* query parameters are applied as S3 does', async () => {
      const { url } = await jsSdkPresign(s3, new PutObjectCommand({ Bucket: bucket, Key: 'js-meta.txt', Metadata: { origin: 'presigned', 'two-words': 'a b' } }), server.platform, 300);
      assert.match(url, /[?&]x-amz-meta-origin=presigned(&|$)/);
      const put = await send(url, { method: 'PUT', body: 'with metadata' });
      assert.equal(put.status, 200, put.body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'js-meta.txt' }));
      assert.deepEqual(head.Metadata, { origin: 'presigned', 'two-words': 'a b' });
    });

    test('a tampered JS URL (key changed) is SignatureDoesNotMatch', async () => {
      const { url } = await jsSdkPresign(s3, new PutObjectCommand({ Bucket: bucket, Key: 'js-put-2.txt' }), server.platform, 300);
      const reply = await send(url.replace('js-put-2.txt', 'js-put-3.txt'), { method: 'PUT', body: 'x' });
      assert.equal(reply.status, 403);
      assert.equal(errorCode(reply.body), 'SignatureDoesNotMatch');
    });
  });

  describe('built by botocore', { skip: skipUnless('boto3') }, () => {
    const presign = async (specs: { method: string; params: Record<string, unknown>; expires: number; signature?: 'default' | 's3v4' }[]) =>
      JSON.parse(await mustRun('python3', [pythonScript('presign_urls.py'), JSON.stringify(specs)], { env: awsEnv(server.endpoint, server.platform) })) as string[];

    test('GET and PUT work; X-Amz-Expires=1 then waiting is AccessDenied "Request has expired"; > 604800 is refused', async () => {
      const [get, put, short, shortV2, tooLong, week] = await presign([
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 300 },
        { method: 'put_object', params: { Bucket: bucket, Key: 'boto-put.txt' }, expires: 300 },
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 1 },
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 1, signature: 'default' },
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 604_801 },
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 604_800 },
      ]);
      assert.equal((await send(get!)).body, 'presigned body');
      assert.equal((await send(put!, { method: 'PUT', body: 'boto put' })).status, 200);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'boto-put.txt' }));
      assert.equal(await got.Body!.transformToString(), 'boto put');
      assert.equal((await send(week!)).status, 200, 'exactly one week is allowed');

      const over = await send(tooLong!);
      assert.equal(over.status, 400);
      assert.equal(errorCode(over.body), 'AuthorizationQueryParametersError');
      assert.equal(field(over.body, 'Message'), 'X-Amz-Expires must be less than a week (in seconds) that is 604800');

      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await send(short!);
      assert.equal(expired.status, 403);
      assert.equal(errorCode(expired.body), 'AccessDenied');
      assert.equal(field(expired.body, 'Message'), 'Request has expired');
      assert.equal(field(expired.body, 'X-Amz-Expires'), '1');
      assert.ok(field(expired.body, 'Expires') && field(expired.body, 'ServerTime'));
      const expiredV2 = await send(shortV2!);
      assert.match(shortV2!, /[?&]Expires=\d+/);
      assert.equal(expiredV2.status, 403);
      assert.equal(field(expiredV2.body, 'Message'), 'Request has expired');
    });

    test('SigV2 PUT (botocore default) with Metadata: x-amz-meta-* moved into the query is signed and applied', async () => {
      const [url] = await presign([{ method: 'put_object', params: { Bucket: bucket, Key: 'v2-meta.txt', Metadata: { origin: 'sigv2' } }, expires: 300, signature: 'default' }]);
      assert.match(url!, /[?&]x-amz-meta-origin=sigv2(&|$)/);
      assert.match(url!, /[?&]AWSAccessKeyId=/);
      const put = await send(url!, { method: 'PUT', body: 'v2 metadata' });
      assert.equal(put.status, 200, put.body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'v2-meta.txt' }));
      assert.deepEqual(head.Metadata, { origin: 'sigv2' });
      const tampered = await send(url!.replace('x-amz-meta-origin=sigv2', 'x-amz-meta-origin=forged'), { method: 'PUT', body: 'x' });
      assert.equal(tampered.status, 403);
      assert.equal(errorCode(tampered.body), 'SignatureDoesNotMatch');
    });

    test('tampering with the signature, the expiry or the key is SignatureDoesNotMatch', async () => {
      const [url, v2] = await presign([
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 300 },
        { method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 300, signature: 'default' },
      ]);
      const flip = (u: string, name: string) => u.replace(new RegExp(`(${name}=)(.)`), (_, p: string, c: string) => p + (c === 'a' ? 'b' : 'a'));
      for (const tampered of [flip(url!, 'X-Amz-Signature'), url!.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'), url!.replace('a%2Bb', 'a%2Bc'), flip(v2!, 'Signature'), v2!.replace(/Expires=(\d+)/, (_, n: string) => `Expires=${Number(n) + 1}`)]) {
        const reply = await send(tampered);
        assert.equal(reply.status, 403, tampered);
        assert.equal(errorCode(reply.body), 'SignatureDoesNotMatch', tampered);
        assert.equal(field(reply.body, 'AWSAccessKeyId'), server.platform.accessKeyId);
      }
    });

    test('a presigned URL sent with an Authorization header too is InvalidArgument (one auth mechanism)', async () => {
      const [url] = await presign([{ method: 'get_object', params: { Bucket: bucket, Key: key }, expires: 300 }]);
      const reply = await send(url!, { headers: { authorization: `AWS4-HMAC-SHA256 Credential=${server.platform.accessKeyId}/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` } });
      assert.equal(reply.status, 400);
      assert.equal(errorCode(reply.body), 'InvalidArgument');
    });
  });

  describe('query edge cases (presignQuery, checked against the AWS example in test/unit/sigv4.test.ts)', () => {
    const base = (rawQuery: string) => {
      const host = new URL(server.endpoint).host;
      const rawPath = `/${bucket}/${key.split('/').map(uriEncode).join('/')}`;
      return { url: `${server.endpoint}${rawPath}`, query: presignQuery({ method: 'GET', rawPath, rawQuery, headers: { host } }, server.platform, 'us-east-1', 's3', 300, Date.now()) };
    };

    test('a space written as a raw "+" (form encoding) in a signed response override is accepted and read as a space', async () => {
      const { url, query } = base(`response-content-disposition=${uriEncode('attachment; filename=a b.txt')}`);
      const reply = await send(`${url}?${query.replace('a%20b.txt', 'a+b.txt')}`);
      assert.equal(reply.status, 200, reply.body);
      assert.equal(reply.headers['content-disposition'], 'attachment; filename=a b.txt');
    });

    test('missing parameters are AuthorizationQueryParametersError', async () => {
      const { url, query } = base('');
      const reply = await send(`${url}?${query.replace(/&?X-Amz-Credential=[^&]*/, '')}`);
      assert.equal(reply.status, 400);
      assert.equal(errorCode(reply.body), 'AuthorizationQueryParametersError');
    });

    test('an unknown access key is InvalidAccessKeyId', async () => {
      const host = new URL(server.endpoint).host;
      const query = presignQuery({ method: 'GET', rawPath: `/${bucket}/x`, rawQuery: '', headers: { host } }, { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' }, 'us-east-1', 's3', 300, Date.now());
      const reply = await send(`${server.endpoint}/${bucket}/x?${query}`);
      assert.equal(reply.status, 403);
      assert.equal(errorCode(reply.body), 'InvalidAccessKeyId');
    });
  });
});
