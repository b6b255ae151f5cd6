// POST Object (browser form uploads): forms signed by boto3's generate_presigned_post (SigV4) and by hand
// (SigV2, SigV4 with a session token), posted as a browser would (undici's FormData encoding); policy
// conditions, sizes, checksums, tagging, success actions, anonymous posts under a bucket policy, errors.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import {
  CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutBucketPolicyCommand,
  PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { s3Client } from '../helpers/s3-client.js';
import { awsEnv, skipUnless } from '../helpers/tools.js';
import { xmlField as rawXmlField } from '../helpers/raw-request.js';

const run = promisify(execFile);

/** An element's text, XML entities decoded (messages quote conditions). */
function xmlField(body: string, name: string): string | undefined {
  const entities: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
  return rawXmlField(body, name)?.replace(/&(quot|amp|lt|gt|apos);/g, (_m, e: string) => entities[e]!);
}

let server: TestServer;
let s3: S3Client;
const bucket = 'post-forms';
const openBucket = 'post-open';

before(async () => {
  server = await startTestServer();
  s3 = s3Client(server.endpoint, server.platform);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: openBucket }));
});
after(async () => {
  s3.destroy();
  await server.stop();
});

type Entry = [name: string, value: string] | [name: string, file: Buffer, filename?: string];

interface Posted {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Encodes the form as a browser does (undici's FormData), then posts it; `host` overrides the Host header. */
async function post(entries: Entry[], options: { path?: string; host?: string; contentType?: string; rawBody?: Buffer } = {}): Promise<Posted> {
  const form = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value]), filename ?? 'blob');
  }
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  const body = options.rawBody ?? Buffer.from(await encoded.arrayBuffer());
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port: url.port, method: 'POST', path: options.path ?? `/${bucket}`, agent: false,
      headers: { host: options.host ?? url.host, 'content-type': options.contentType ?? encoded.headers.get('content-type')!, 'content-length': String(body.length) },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertError(posted: Posted, status: number, code: string, message?: RegExp): void {
  assert.equal(posted.status, status, posted.body);
  assert.equal(xmlField(posted.body, 'Code'), code, posted.body);
  if (message) assert.match(xmlField(posted.body, 'Message') ?? '', message);
}

const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

/** A SigV2 form (HMAC-SHA1 of the base64 policy), as s3-tests and older SDKs build it. */
function sigV2Fields(conditions: unknown[], credentials: Credentials = server.platform, expiration = inAnHour()): Entry[] {
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  const signature = createHmac('sha1', credentials.secretAccessKey).update(policy).digest('base64');
  return [['AWSAccessKeyId', credentials.accessKeyId], ['policy', policy], ['signature', signature]];
}

/** A SigV4 form built by hand: the signing key derived here, independently of the server's code. */
function sigV4Fields(conditions: unknown[], credentials: Credentials): Entry[] {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const credential = `${credentials.accessKeyId}/${day}/us-east-1/s3/aws4_request`;
  const auth: [string, string][] = [['x-amz-algorithm', 'AWS4-HMAC-SHA256'], ['x-amz-credential', credential], ['x-amz-date', amzDate]];
  if (credentials.sessionToken) auth.push(['x-amz-security-token', credentials.sessionToken]);
  const policy = Buffer.from(JSON.stringify({ expiration: inAnHour(), conditions: [...conditions, ...auth.map(([k, v]) => ({ [k]: v }))] })).toString('base64');
  let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(day).digest();
  for (const part of ['us-east-1', 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return [...auth, ['policy', policy], ['x-amz-signature', createHmac('sha256', key).update(policy).digest('hex')]];
}

async function readObject(key: string, from = bucket): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: from, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

describe('boto3 generate_presigned_post', { skip: skipUnless('boto3') }, () => {
  test('a SigV4 form uploads with its fields; the object has the headers and metadata, the event is ObjectCreated:Post', async () => {
    const script = `
import boto3, json
from botocore.config import Config
s3 = boto3.client('s3', config=Config(signature_version='s3v4'))
print(json.dumps(s3.generate_presigned_post('${bucket}', 'boto/\${filename}',
  Fields={'Content-Type': 'video/mp4', 'x-amz-meta-origin': 'browser', 'success_action_status': '201'},
  Conditions=[{'Content-Type': 'video/mp4'}, {'x-amz-meta-origin': 'browser'}, {'success_action_status': '201'},
              ['starts-with', '$key', 'boto/'], ['content-length-range', 1, 10485760]],
  ExpiresIn=600)))`;
    const { stdout } = await run('python3', ['-c', script], { env: awsEnv(server.endpoint, server.platform) });
    const presigned = JSON.parse(stdout) as { url: string; fields: Record<string, string> };
    assert.equal(new URL(presigned.url).pathname, `/${bucket}`);
    assert.equal(presigned.fields['x-amz-algorithm'], 'AWS4-HMAC-SHA256');
    const file = randomBytes(300_000);
    const before = await server.server.services.meta.latestEventSequence();
    const posted = await post([...Object.entries(presigned.fields), ['file', file, 'clip.mp4']]);
    assert.equal(posted.status, 201, posted.body);
    assert.equal(xmlField(posted.body, 'Key'), 'boto/clip.mp4');
    assert.equal(xmlField(posted.body, 'Bucket'), bucket);
    assert.equal(xmlField(posted.body, 'ETag'), `"${md5(file)}"`);
    assert.equal(xmlField(posted.body, 'Location'), `${server.endpoint}/${bucket}/boto/clip.mp4`);
    assert.equal(posted.headers['etag'], `"${md5(file)}"`);
    assert.equal(posted.headers['x-amz-server-side-encryption'], 'AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'boto/clip.mp4' }));
    assert.equal(head.ContentType, 'video/mp4');
    assert.deepEqual(head.Metadata, { origin: 'browser' });
    assert.ok((await readObject('boto/clip.mp4')).equals(file));
    const events = await server.server.services.meta.readEvents(before, 10);
    assert.deepEqual(events.map((e) => [e.name, e.key, e.etag]), [['ObjectCreated:Post', 'boto/clip.mp4', md5(file)]]);
    const version = await server.server.services.meta.getObjectVersion(bucket, 'boto/clip.mp4');
    assert.equal(version?.method, 'PostObject');
    assert.equal(version?.writer?.arn, `arn:aws:iam::${server.server.platform.accountId}:root`);

    // The same form with a field the policy does not name is refused, and so is a file over the range.
    assertError(await post([...Object.entries(presigned.fields), ['x-amz-meta-extra', 'x'], ['file', file, 'a.mp4']]), 403, 'AccessDenied',
      /^Invalid according to Policy: Extra input fields: x-amz-meta-extra$/);
  });

  test('temporary credentials (boto3\'s default SigV2 form): x-amz-security-token in the form and the policy', async () => {
    const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.platform });
    const session = (await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    sts.destroy();
    const credentials = { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! };
    const script = `
import boto3, json
print(json.dumps(boto3.client('s3').generate_presigned_post('${bucket}', 'session.txt', ExpiresIn=600)))`;
    const { stdout } = await run('python3', ['-c', script], { env: awsEnv(server.endpoint, credentials) });
    const presigned = JSON.parse(stdout) as { fields: Record<string, string> };
    assert.equal(presigned.fields['x-amz-security-token'], credentials.sessionToken);
    assert.ok(presigned.fields['signature'], 'boto3 signs POST policies with SigV2 unless told otherwise');
    assert.equal((await post([...Object.entries(presigned.fields), ['file', Buffer.from('from a session')]])).status, 204);
    assert.equal((await readObject('session.txt')).toString(), 'from a session');
    // The token is checked: another value (covered by a policy of its own) is InvalidToken.
    const forged = sigV4Fields([{ bucket }, ['eq', '$key', 'forged.txt']], { ...credentials, sessionToken: 'forged' });
    assertError(await post([['key', 'forged.txt'], ...forged, ['file', Buffer.from('x')]]), 400, 'InvalidToken');
  });
});

describe('SigV2 forms (policy signed with HMAC-SHA1)', () => {
  const conditions = (extra: unknown[] = []): unknown[] => [{ bucket }, ['starts-with', '$key', 'v2/'], ['starts-with', '$Content-Type', 'text/'], ['content-length-range', 0, 1024], ...extra];

  test('204 by default: ${filename} in the key, the Content-Type field (not the file part\'s) on the object', async () => {
    const posted = await post([['key', 'v2/${filename}'], ['Content-Type', 'text/plain'], ...sigV2Fields(conditions()), ['file', Buffer.from('bar'), 'C:\\Users\\me\\notes.txt']]);
    assert.equal(posted.status, 204, posted.body);
    assert.equal(posted.body, '');
    assert.equal(posted.headers['location'], `${server.endpoint}/${bucket}/v2/notes.txt`);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'v2/notes.txt' }))).ContentType, 'text/plain');
    assert.equal((await readObject('v2/notes.txt')).toString(), 'bar');
  });

  test('field names and condition operators are case-insensitive; x-ignore-* fields need no condition', async () => {
    const policy = [{ bUcKeT: bucket }, ['StArTs-WiTh', '$KeY', 'v2/'], ['content-length-range', 0, 10]];
    const fields = sigV2Fields(policy).map(([name, value]) => [name === 'policy' ? 'pOLICy' : name, value] as Entry);
    const posted = await post([['kEy', 'v2/case.txt'], ['x-ignore-tracking', 'abc'], ...fields, ['file', Buffer.from('ok')]]);
    assert.equal(posted.status, 204, posted.body);
  });

  test('success_action_status 201 answers a PostResponse, 200 an empty 200, anything else 204', async () => {
    for (const [status, expected] of [['201', 201], ['200', 200], ['404', 204]] as const) {
      const posted = await post([['key', `v2/status-${status}`], ['Content-Type', 'text/plain'], ['success_action_status', status], ...sigV2Fields(conditions([['starts-with', '$success_action_status', '']])), ['file', Buffer.from(status)]]);
      assert.equal(posted.status, expected, posted.body);
      if (expected === 201) {
        assert.equal(xmlField(posted.body, 'Key'), 'v2/status-201');
        assert.equal(xmlField(posted.body, 'ETag'), `"${md5(Buffer.from(status))}"`);
      } else {
        assert.equal(posted.body, '');
      }
    }
  });

  test('success_action_redirect answers 303 to it with bucket, key and etag in the query', async () => {
    const target = 'https://app.example/done?from=form';
    const posted = await post([['key', 'v2/redirect.txt'], ['Content-Type', 'text/plain'], ['success_action_redirect', target], ...sigV2Fields(conditions([['eq', '$success_action_redirect', target]])), ['file', Buffer.from('r')]]);
    assert.equal(posted.status, 303, posted.body);
    assert.equal(posted.headers['location'], `${target}&bucket=${bucket}&key=v2%2Fredirect.txt&etag=%22${md5(Buffer.from('r'))}%22`);
    // A value that is not a URL is ignored, as on AWS.
    const ignored = await post([['key', 'v2/not-url.txt'], ['Content-Type', 'text/plain'], ['redirect', 'not a url'], ...sigV2Fields(conditions([['starts-with', '$redirect', '']])), ['file', Buffer.from('r')]]);
    assert.equal(ignored.status, 204);
  });

  test('a form condition that fails, an expired policy, a policy for another bucket: 403 AccessDenied', async () => {
    assertError(await post([['key', 'elsewhere/a.txt'], ...sigV2Fields(conditions()), ['file', Buffer.from('x')]]), 403, 'AccessDenied',
      /^Invalid according to Policy: Policy Condition failed: \["starts-with", "\$key", "v2\/"\]$/);
    assertError(await post([['key', 'v2/a.txt'], ['Content-Type', 'image/png'], ...sigV2Fields(conditions()), ['file', Buffer.from('x')]]), 403, 'AccessDenied', /\$Content-Type/);
    assertError(await post([['key', 'v2/a.txt'], ...sigV2Fields(conditions(), server.platform, new Date(Date.now() - 1000).toISOString()), ['file', Buffer.from('x')]]), 403, 'AccessDenied',
      /^Invalid according to Policy: Policy expired\.$/);
    assertError(await post([['key', 'v2/a.txt'], ...sigV2Fields(conditions()), ['file', Buffer.from('x')]], { path: `/${openBucket}` }), 403, 'AccessDenied', /\$bucket/);
  });

  test('content-length-range: too large is EntityTooLarge, too small EntityTooSmall (400), and nothing is stored', async () => {
    const ranged = sigV2Fields([{ bucket }, ['starts-with', '$key', 'v2/'], ['content-length-range', 10, 100]]);
    assertError(await post([['key', 'v2/large'], ...ranged, ['file', randomBytes(101)]]), 400, 'EntityTooLarge');
    const small = await post([['key', 'v2/small'], ...ranged, ['file', randomBytes(9)]]);
    assertError(small, 400, 'EntityTooSmall');
    assert.equal(xmlField(small.body, 'ProposedSize'), '9');
    assert.equal(xmlField(small.body, 'MinSizeAllowed'), '10');
    for (const key of ['v2/large', 'v2/small']) assert.equal(await server.server.services.meta.getObjectVersion(bucket, key), undefined);
    assert.equal((await post([['key', 'v2/exact'], ...ranged, ['file', randomBytes(100)]])).status, 204);
  });

  test('malformed policies are 400 InvalidPolicyDocument', async () => {
    const sign = (document: object): Entry[] => {
      const policy = Buffer.from(JSON.stringify(document)).toString('base64');
      return [['AWSAccessKeyId', server.platform.accessKeyId], ['policy', policy], ['signature', createHmac('sha1', server.platform.secretAccessKey).update(policy).digest('base64')]];
    };
    for (const [document, message] of [
      [{ conditions: [] }, /missing expiration/],
      [{ EXPIRATION: inAnHour(), conditions: [] }, /missing expiration/],
      [{ expiration: 'tomorrow', conditions: [] }, /Invalid 'expiration'/],
      [{ expiration: inAnHour() }, /missing conditions/],
      [{ expiration: inAnHour(), conditions: [{}] }, /exactly one property/],
      [{ expiration: inAnHour(), conditions: [['content-length-range', 0]] }, /content-length-range/],
    ] as const) {
      assertError(await post([['key', 'v2/x'], ...sign(document), ['file', Buffer.from('x')]]), 400, 'InvalidPolicyDocument', message);
    }
  });

  test('a wrong signature is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId, a missing signature InvalidArgument', async () => {
    const fields = sigV2Fields(conditions());
    const tampered = fields.map(([name, value]) => [name, name === 'signature' ? [...String(value)].reverse().join('') : value] as Entry);
    assertError(await post([['key', 'v2/a'], ...tampered, ['file', Buffer.from('x')]]), 403, 'SignatureDoesNotMatch');
    const unknown = fields.map(([name, value]) => [name, name === 'AWSAccessKeyId' ? 'AKIANOSUCHKEY0000000' : value] as Entry);
    assertError(await post([['key', 'v2/a'], ...unknown, ['file', Buffer.from('x')]]), 403, 'InvalidAccessKeyId');
    const unsigned = fields.filter(([name]) => name !== 'signature');
    assertError(await post([['key', 'v2/a'], ...unsigned, ['file', Buffer.from('x')]]), 400, 'InvalidArgument', /named 'Signature'/);
  });

  test('the signer must be allowed s3:PutObject on the key: another account without a bucket policy is refused', async () => {
    const other = await server.createAccount('post-other');
    assertError(await post([['key', 'v2/cross'], ['Content-Type', 'text/plain'], ...sigV2Fields(conditions(), other), ['file', Buffer.from('x')]]), 403, 'AccessDenied', /^Access Denied/);
  });
});

describe('fields and their checks', () => {
  const signed = (extra: unknown[] = []): Entry[] => sigV2Fields([{ bucket }, ['starts-with', '$key', 'f/'], ...extra]);

  test('tagging (XML) becomes the object\'s tags; bad tagging is refused', async () => {
    const xml = '<Tagging><TagSet><Tag><Key>team</Key><Value>ingest</Value></Tag><Tag><Key>k 2</Key><Value>v</Value></Tag></TagSet></Tagging>';
    assert.equal((await post([['key', 'f/tagged'], ['tagging', xml], ...signed([['starts-with', '$tagging', '']]), ['file', Buffer.from('t')]])).status, 204);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'f/tagged' }));
    // S3 keeps no order in a tag set (https://github.com/boto/boto3/issues/1171); s3push answers in key order.
    assert.deepEqual(tags.TagSet, [{ Key: 'k 2', Value: 'v' }, { Key: 'team', Value: 'ingest' }]);
    assertError(await post([['key', 'f/bad-tags'], ['tagging', '<Tagging><TagSet><Tag><Key>aws:x</Key><Value>v</Value></Tag></TagSet></Tagging>'], ...signed([['starts-with', '$tagging', '']]), ['file', Buffer.from('t')]]), 400, 'InvalidTag');
  });

  test('x-amz-checksum-sha256: stored and returned when right, BadDigest when wrong, InvalidRequest when not a digest', async () => {
    const file = randomBytes(2 * 1024 * 1024);
    const sha256 = createHash('sha256').update(file).digest('base64');
    const withChecksum = signed([['starts-with', '$x-amz-checksum-sha256', '']]);
    const ok = await post([['key', 'f/summed'], ['x-amz-checksum-sha256', sha256], ...withChecksum, ['file', file]]);
    assert.equal(ok.status, 204, ok.body);
    assert.equal(ok.headers['x-amz-checksum-sha256'], sha256);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'f/summed', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumSHA256, sha256);
    const wrong = createHash('sha256').update('other').digest('base64');
    assertError(await post([['key', 'f/wrong-sum'], ['x-amz-checksum-sha256', wrong], ...withChecksum, ['file', file]]), 400, 'BadDigest');
    assertError(await post([['key', 'f/bad-sum'], ['x-amz-checksum-sha256', 'sailorjerry'], ...withChecksum, ['file', file]]), 400, 'InvalidRequest');
    assert.equal(await server.server.services.meta.getObjectVersion(bucket, 'f/wrong-sum'), undefined);
    // Like any field, a checksum the policy does not name is an extra input field.
    assertError(await post([['key', 'f/unnamed-sum'], ['x-amz-checksum-sha256', sha256], ...signed(), ['file', file]]), 403, 'AccessDenied', /Extra input fields: x-amz-checksum-sha256/);
  });

  test('acl: only bucket-owner-full-control passes on a BucketOwnerEnforced bucket, as for PutObject\'s x-amz-acl', async () => {
    const withAcl = signed([['starts-with', '$acl', '']]);
    const bofc = await post([['key', 'f/bofc'], ['acl', 'bucket-owner-full-control'], ...withAcl, ['file', Buffer.from('p')]]);
    assert.equal(bofc.status, 204, bofc.body);
    for (const acl of ['private', 'public-read']) {
      assertError(await post([['key', 'f/acl'], ['acl', acl], ...withAcl, ['file', Buffer.from('p')]]), 400, 'AccessControlListNotSupported');
    }
  });

  test('a versioned bucket names the new version in x-amz-version-id', async () => {
    const versioned = 'post-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const posted = await post([['key', 'f/v'], ...sigV2Fields([{ bucket: versioned }, ['starts-with', '$key', 'f/']]), ['file', Buffer.from('v1')]], { path: `/${versioned}` });
    assert.equal(posted.status, 204, posted.body);
    const head = await s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'f/v' }));
    assert.equal(posted.headers['x-amz-version-id'], head.VersionId);
    assert.notEqual(head.VersionId, 'null');
  });

  test('virtual-host style: the bucket is the Host label and Location is the object\'s URL under it', async () => {
    const port = new URL(server.endpoint).port;
    const posted = await post([['key', 'f/virtual.txt'], ['success_action_status', '201'], ...signed([['eq', '$success_action_status', '201']]), ['file', Buffer.from('vh')]],
      { path: '/', host: `${bucket}.localhost:${port}` });
    assert.equal(posted.status, 201, posted.body);
    assert.equal(xmlField(posted.body, 'Location'), `http://${bucket}.localhost:${port}/f/virtual.txt`);
    assert.equal((await readObject('f/virtual.txt')).toString(), 'vh');
  });

  test('a large file streams through (12 MiB, boundary-like bytes inside)', async () => {
    const file = Buffer.concat([randomBytes(6 * 1024 * 1024), Buffer.from('\r\n------formdata-undici-0\r\n'), randomBytes(6 * 1024 * 1024)]);
    const posted = await post([['key', 'f/large.bin'], ...sigV2Fields([{ bucket }, ['starts-with', '$key', 'f/'], ['content-length-range', 0, 20 * 1024 * 1024]]), ['file', file]]);
    assert.equal(posted.status, 204, posted.body);
    assert.equal(posted.headers['etag'], `"${md5(file)}"`);
    assert.ok((await readObject('f/large.bin')).equals(file));
  });
});

describe('form errors', () => {
  test('no key field: InvalidArgument naming key; no file: IncorrectNumberOfFilesInPostRequest', async () => {
    assertError(await post([...sigV2Fields([{ bucket }]), ['file', Buffer.from('x')]]), 400, 'InvalidArgument', /named 'key'/);
    assertError(await post([['key', 'k'], ...sigV2Fields([{ bucket }])]), 400, 'IncorrectNumberOfFilesInPostRequest');
  });

  test('not multipart/form-data: 412 PreconditionFailed; a broken multipart body: 400 MalformedPOSTRequest', async () => {
    const notForm = await post([], { contentType: 'application/x-www-form-urlencoded', rawBody: Buffer.from('key=a&file=b') });
    assertError(notForm, 412, 'PreconditionFailed');
    assert.equal(xmlField(notForm.body, 'Condition'), 'Bucket POST must be of the enclosure-type multipart/form-data');
    assertError(await post([], { contentType: 'multipart/form-data; boundary=XYZ', rawBody: Buffer.from('--XYZ\r\nno headers here') }), 400, 'MalformedPOSTRequest');
    assertError(await post([], { contentType: 'multipart/form-data', rawBody: Buffer.from('x') }), 400, 'MalformedPOSTRequest');
  });

  test('fields before the file over 20 KB: MaxPostPreDataLengthExceededError', async () => {
    assertError(await post([['key', 'k'], ['x-ignore-padding', 'p'.repeat(21 * 1024)], ['file', Buffer.from('x')]]), 400, 'MaxPostPreDataLengthExceededError');
  });

  test('a bucket that does not exist is NoSuchBucket', async () => {
    assertError(await post([['key', 'k'], ['file', Buffer.from('x')]], { path: '/post-no-such-bucket' }), 404, 'NoSuchBucket');
  });
});

describe('anonymous forms (no policy)', () => {
  test('refused without a bucket policy; allowed where the bucket policy lets everyone s3:PutObject', async () => {
    assertError(await post([['key', 'public/a.txt'], ['file', Buffer.from('anon')]], { path: `/${openBucket}` }), 403, 'AccessDenied');
    await s3.send(new PutBucketPolicyCommand({
      Bucket: openBucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${openBucket}/public/*` }] }),
    }));
    const posted = await post([['key', 'public/${filename}'], ['Content-Type', 'text/plain'], ['file', Buffer.from('anon'), 'a.txt']], { path: `/${openBucket}` });
    assert.equal(posted.status, 204, posted.body);
    assert.equal((await readObject('public/a.txt', openBucket)).toString(), 'anon');
    const version = await server.server.services.meta.getObjectVersion(openBucket, 'public/a.txt');
    assert.equal(version?.writer?.arn, '*');
    // Outside the granted prefix, and with tagging (s3:PutObjectTagging is not granted), still refused.
    assertError(await post([['key', 'private/a.txt'], ['file', Buffer.from('anon')]], { path: `/${openBucket}` }), 403, 'AccessDenied');
    const xml = '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
    assertError(await post([['key', 'public/tagged.txt'], ['tagging', xml], ['file', Buffer.from('anon')]], { path: `/${openBucket}` }), 403, 'AccessDenied');
  });

  test('a bucket that takes ACLs: the acl field sets the object ACL; public-read-write lets anonymous forms write, tags included', async () => {
    const aclBucket = 'post-acl';
    await s3.send(new CreateBucketCommand({ Bucket: aclBucket, ObjectOwnership: 'ObjectWriter', ACL: 'public-read-write' }));
    const xml = '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
    const posted = await post([['key', 'anon.txt'], ['acl', 'public-read'], ['tagging', xml], ['file', Buffer.from('anon')]], { path: `/${aclBucket}` });
    assert.equal(posted.status, 204, posted.body);
    const anonymousRead = await fetch(`${server.endpoint}/${aclBucket}/anon.txt`);
    assert.equal(await anonymousRead.text(), 'anon');
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: aclBucket, Key: 'anon.txt' }))).TagSet, [{ Key: 'a', Value: 'b' }]);
    // A signed form with acl=private (the s3-tests' forms): the signer's object, private.
    const signedPrivate = await post([['key', 'signed.txt'], ['acl', 'private'], ...sigV2Fields([{ bucket: aclBucket }, ['starts-with', '$key', ''], { acl: 'private' }]), ['file', Buffer.from('s')]], { path: `/${aclBucket}` });
    assert.equal(signedPrivate.status, 204, signedPrivate.body);
    assert.equal((await fetch(`${server.endpoint}/${aclBucket}/signed.txt`)).status, 403);
  });

  test('a signed form is s3:authType POST (a policy can require it)', async () => {
    const formsOnly = 'post-forms-only';
    await s3.send(new CreateBucketCommand({ Bucket: formsOnly }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: formsOnly, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${formsOnly}/*`, Condition: { StringNotEquals: { 's3:authType': 'POST' } } },
    ] }) }));
    const posted = await post([['key', 'form.txt'], ...sigV2Fields([{ bucket: formsOnly }, ['starts-with', '$key', '']]), ['file', Buffer.from('f')]], { path: `/${formsOnly}` });
    assert.equal(posted.status, 204, posted.body);
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket: formsOnly, Key: 'header.txt', Body: 'h' })), (error: Error) => error.name === 'AccessDenied');
  });

  test('signature fields without a policy are InvalidArgument', async () => {
    assertError(await post([['key', 'public/b.txt'], ['AWSAccessKeyId', server.platform.accessKeyId], ['signature', 'x'], ['file', Buffer.from('x')]], { path: `/${openBucket}` }),
      400, 'InvalidArgument', /named 'Policy'/);
  });
});
