// SigV4: the AWS documentation's example requests reproduced exactly (signing and verifying), canonical
// query edge cases, clock skew, presigned expiry and limits, constant-time comparison, session tokens.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Error } from '../../src/core/errors.js';
import { s3ErrorOf } from '../helpers/s3-assert.js';
import type { Clock } from '../../src/core/clock.js';
import {
  ChunkSignatureChain, EMPTY_SHA256, SigningKeyCache, UNSIGNED_PAYLOAD, canonicalQuery, canonicalRequest, constantTimeEqualHex,
  parseAuth, presignQuery, sha256Hex, signRequest, stringToSign, verifySignature, type SignableRequest,
} from '../../src/protocol/sigv4.js';
import { CredentialResolver } from '../../src/iam/credential-resolver.js';
import { openSqliteMetaStore } from '../../src/storage/sqlite/sqlite-meta-store.js';
import type { AccessKeyRecord } from '../../src/storage/types.js';

// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (example credentials and time)
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const exampleMs = Date.UTC(2013, 4, 24);
const host = 'examplebucket.s3.amazonaws.com';
const clockAt = (ms: number): Clock => ({ nowMs: () => ms });

/** Signs like a client, then parses and verifies like the server. */
function signAndVerify(req: SignableRequest, payloadHash: string, serverMs = exampleMs, sign = credentials) {
  const added = signRequest(req, sign, 'us-east-1', 's3', payloadHash, exampleMs);
  const signed = { ...req, headers: { ...req.headers, ...added } };
  const auth = parseAuth(signed)!;
  return { added, auth, verified: () => verifySignature(signed, auth, credentials.secretAccessKey, payloadHash, new SigningKeyCache(), clockAt(serverMs)) };
}

describe('the AWS documentation examples', () => {
  test('GET Object with a range', () => {
    const req = { method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { host, range: 'bytes=0-9' } };
    const { added, verified } = signAndVerify(req, EMPTY_SHA256);
    assert.equal(added['authorization'], 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    const canonical = canonicalRequest({ ...req, headers: { ...req.headers, ...added } }, ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'], EMPTY_SHA256);
    assert.equal(canonical, `GET\n/test.txt\n\nhost:${host}\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY_SHA256}`);
    assert.equal(stringToSign('20130524T000000Z', '20130524/us-east-1/s3/aws4_request', canonical),
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    assert.equal(verified().seedSignature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  test('PUT Object (Date header, a $ in the key, a storage class)', () => {
    const body = 'Welcome to Amazon S3.';
    assert.equal(sha256Hex(body), '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const req = { method: 'PUT', rawPath: '/test%24file.text', rawQuery: '', headers: { host, date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' } };
    const { added, verified } = signAndVerify(req, sha256Hex(body));
    assert.equal(added['authorization'], 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
    verified();
  });

  test('GET Bucket lifecycle (a sub-resource without value canonicalizes as lifecycle=)', () => {
    const { added, verified } = signAndVerify({ method: 'GET', rawPath: '/', rawQuery: 'lifecycle', headers: { host } }, EMPTY_SHA256);
    assert.match(added['authorization']!, /SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
    verified();
  });

  test('GET Bucket (List Objects) with max-keys and prefix', () => {
    const { added, verified } = signAndVerify({ method: 'GET', rawPath: '/', rawQuery: 'max-keys=2&prefix=J', headers: { host } }, EMPTY_SHA256);
    assert.match(added['authorization']!, /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
    verified();
  });

  test('presigned URL (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)', () => {
    const req = { method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { host } };
    const query = presignQuery(req, credentials, 'us-east-1', 's3', 86_400, exampleMs);
    assert.equal(query, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    const signed = { ...req, rawQuery: query };
    const auth = parseAuth(signed)!;
    assert.equal(auth.kind, 'presigned');
    assert.equal(auth.expiresSeconds, 86_400);
    const canonical = canonicalRequest(signed, auth.signedHeaders, UNSIGNED_PAYLOAD, 'X-Amz-Signature');
    assert.equal(canonical, 'GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      `&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\nhost:${host}\n\nhost\nUNSIGNED-PAYLOAD`);
    assert.equal(sha256Hex(canonical), '3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04');
    const verify = (ms: number) => verifySignature(signed, auth, credentials.secretAccessKey, UNSIGNED_PAYLOAD, new SigningKeyCache(), clockAt(ms));
    verify(exampleMs + 86_400_000);
    const expired = s3ErrorOf(() => verify(exampleMs + 86_401_000));
    assert.equal(expired.code, 'AccessDenied');
    assert.equal(expired.message, 'Request has expired');
    assert.equal(expired.fields?.['X-Amz-Expires'], 86_400);
    assert.equal(expired.fields?.['Expires'], '2013-05-25T00:00:00.000Z');
  });

  test('a changed header, path or payload hash no longer verifies, and the error shows the canonical request', () => {
    const req = { method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { host, range: 'bytes=0-9' } };
    const added = signRequest(req, credentials, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    for (const changed of [
      { ...req, headers: { ...req.headers, ...added, range: 'bytes=0-10' } },
      { ...req, rawPath: '/test.txt2', headers: { ...req.headers, ...added } },
    ]) {
      const error = s3ErrorOf(() => verifySignature(changed, parseAuth(changed)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs)));
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.equal(error.fields?.['AWSAccessKeyId'], 'AKIAIOSFODNN7EXAMPLE');
      assert.match(String(error.fields?.['CanonicalRequest']), /^GET\n\/test\.txt2?\n/);
      assert.match(String(error.fields?.['StringToSignBytes']), /^41 57 53 34 /);
    }
    const good = { ...req, headers: { ...req.headers, ...added } };
    assert.equal(s3ErrorOf(() => verifySignature(good, parseAuth(good)!, credentials.secretAccessKey, sha256Hex('x'), new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
    assert.equal(s3ErrorOf(() => verifySignature(good, parseAuth(good)!, 'wrong secret', EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
  });
});

describe('canonical query string', () => {
  test('empty values: a bare name and name= both become name=', () => {
    assert.equal(canonicalQuery('uploads'), 'uploads=');
    assert.equal(canonicalQuery('uploads='), 'uploads=');
    assert.equal(canonicalQuery('acl&versionId='), 'acl=&versionId=');
    assert.equal(canonicalQuery(''), '');
    assert.equal(canonicalQuery('&&a=1&'), 'a=1');
  });

  test('sorted by encoded name, then value; repeated names all kept', () => {
    assert.equal(canonicalQuery('b=2&a=3&a=1&a=2'), 'a=1&a=2&a=3&b=2');
    assert.equal(canonicalQuery('prefix=J&max-keys=2'), 'max-keys=2&prefix=J');
    assert.equal(canonicalQuery('a=1&B=2&_=3&~=4'), 'B=2&_=3&a=1&~=4', 'byte order: upper case before "_" before lower case before "~"');
    assert.equal(canonicalQuery('x=b&x=B&x=a'), 'x=B&x=a&x=b');
  });

  test('percent-encoding: decoded then re-encoded with upper-case hex and the RFC 3986 unreserved set', () => {
    assert.equal(canonicalQuery('prefix=a%2fb'), 'prefix=a%2Fb', 'encoded / stays encoded, upper-cased');
    assert.equal(canonicalQuery('prefix=a/b'), 'prefix=a%2Fb', 'a raw / is encoded');
    assert.equal(canonicalQuery('k=%7E%2D%5F%2E'), 'k=~-_.', 'unreserved characters are never encoded');
    assert.equal(canonicalQuery("k=!'()*"), 'k=%21%27%28%29%2A');
    assert.equal(canonicalQuery('k=a%20b'), 'k=a%20b');
    assert.equal(canonicalQuery('k=%C3%BC'), 'k=%C3%BC');
    assert.equal(canonicalQuery('k=ü'), 'k=%C3%BC', 'raw UTF-8 is encoded');
    assert.equal(canonicalQuery('X-Amz-Signature=abc&a=1', 'X-Amz-Signature'), 'a=1');
    assert.throws(() => canonicalQuery('k=%E0%A4%A'), (e: S3Error) => e.code === 'InvalidURI');
  });

  test('"+": literal by default (%2B), a space when read as form encoding (%20)', () => {
    assert.equal(canonicalQuery('prefix=a+b'), 'prefix=a%2Bb');
    assert.equal(canonicalQuery('prefix=a+b', undefined, true), 'prefix=a%20b');
    assert.equal(canonicalQuery('prefix=a%2Bb', undefined, true), 'prefix=a%2Bb', 'an encoded plus is never a space');
  });

  test('a raw "+" verifies whether the signer meant a plus (%2B) or a space (%20); %2B never verifies as a space', () => {
    const sign = (rawQuery: string) => signRequest({ method: 'GET', rawPath: '/', rawQuery, headers: { host } }, credentials, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    const verify = (rawQuery: string, added: Record<string, string>) => {
      const req = { method: 'GET', rawPath: '/', rawQuery, headers: { host, ...added } };
      return verifySignature(req, parseAuth(req)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs));
    };
    verify('prefix=a+b', sign('prefix=a%20b'));
    verify('prefix=a+b', sign('prefix=a%2Bb'));
    verify('prefix=a%2Bb', sign('prefix=a%2Bb'));
    assert.equal(s3ErrorOf(() => verify('prefix=a%2Bb', sign('prefix=a%20b'))).code, 'SignatureDoesNotMatch');
    assert.equal(s3ErrorOf(() => verify('prefix=a+c', sign('prefix=a%20b'))).code, 'SignatureDoesNotMatch');
  });
});

describe('header values beyond ASCII', () => {
  // botocore signs the UTF-8 bytes it sends ("é" → C3 A9); Node hands the server each byte as a Latin-1
  // character ("Ã©"). The JS SDK signs "é" as UTF-8 but Node sends it as the Latin-1 byte E9 ("é" again).
  const signedBy = (signedValue: string, receivedValue: string) => {
    const added = signRequest({ method: 'PUT', rawPath: '/b/k', rawQuery: '', headers: { host, 'x-amz-meta-m': signedValue } }, credentials, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    const req = { method: 'PUT', rawPath: '/b/k', rawQuery: '', headers: { host, 'x-amz-meta-m': receivedValue, ...added } };
    return verifySignature(req, parseAuth(req)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs));
  };

  test('UTF-8 bytes signed as sent (botocore) verify, and so does a Latin-1 value signed as UTF-8 (JS SDK)', () => {
    const received = Buffer.from('Hello Worldé', 'utf8').toString('latin1');
    signedBy('Hello Worldé', received);
    signedBy('Hello Worldé', 'Hello Worldé');
  });

  test('a different value still fails', () => {
    const received = Buffer.from('Hello Worldè', 'utf8').toString('latin1');
    assert.equal(s3ErrorOf(() => signedBy('Hello Worldé', received)).code, 'SignatureDoesNotMatch');
  });
});

describe('time', () => {
  const req = { method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { host } };
  const minute = 60_000;

  test('up to 15 minutes of skew either way is accepted', () => {
    signAndVerify(req, EMPTY_SHA256, exampleMs + 15 * minute).verified();
    signAndVerify(req, EMPTY_SHA256, exampleMs - 15 * minute).verified();
  });

  test('more is 403 RequestTimeTooSkewed with RequestTime, ServerTime and MaxAllowedSkewMilliseconds', () => {
    for (const serverMs of [exampleMs + 15 * minute + 1000, exampleMs - 16 * minute]) {
      const error = s3ErrorOf(() => signAndVerify(req, EMPTY_SHA256, serverMs).verified());
      assert.equal(error.code, 'RequestTimeTooSkewed');
      assert.equal(error.status, 403);
      assert.equal(error.fields?.['RequestTime'], '20130524T000000Z');
      assert.equal(error.fields?.['ServerTime'], new Date(serverMs).toISOString());
      assert.equal(error.fields?.['MaxAllowedSkewMilliseconds'], 900_000);
    }
  });

  test('a credential scope date other than the request date is SignatureDoesNotMatch', () => {
    const added = signRequest(req, credentials, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    const forged = { ...req, headers: { ...req.headers, ...added, authorization: added['authorization']!.replace('/20130524/', '/20130523/') } };
    assert.equal(s3ErrorOf(() => verifySignature(forged, parseAuth(forged)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
  });

  test('presigned: X-Amz-Expires above 604800 is refused at parse time; 604800 itself is allowed', () => {
    const signedFor = (seconds: number) => ({ ...req, rawQuery: presignQuery(req, credentials, 'us-east-1', 's3', seconds, exampleMs) });
    assert.equal(parseAuth(signedFor(604_800))!.expiresSeconds, 604_800);
    const error = s3ErrorOf(() => parseAuth(signedFor(604_801)));
    assert.equal(error.code, 'AuthorizationQueryParametersError');
    assert.equal(error.message, 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
    assert.equal(s3ErrorOf(() => parseAuth({ ...req, rawQuery: signedFor(60).rawQuery.replace('X-Amz-Expires=60', 'X-Amz-Expires=-1') })).code, 'AuthorizationQueryParametersError');
  });
});

describe('parsing', () => {
  const base = { method: 'GET', rawPath: '/', rawQuery: '' };

  test('anonymous requests parse to undefined; SigV2 shapes are refused by the SigV4 parser', () => {
    assert.equal(parseAuth({ ...base, headers: { host } }), undefined);
    assert.equal(s3ErrorOf(() => parseAuth({ ...base, headers: { host, authorization: 'AWS AKID:c2lnbmF0dXJl' } })).code, 'InvalidRequest');
  });

  test('malformed Authorization headers', () => {
    const header = (value: string) => s3ErrorOf(() => parseAuth({ ...base, headers: { host, 'x-amz-date': '20130524T000000Z', authorization: value } }));
    assert.equal(header('AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host').code, 'AuthorizationHeaderMalformed');
    assert.equal(header(`AWS4-HMAC-SHA256 Credential=AKID/2013052/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'a'.repeat(64)}`).code, 'AuthorizationHeaderMalformed');
    assert.equal(header(`AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=x-amz-date, Signature=${'a'.repeat(64)}`).code, 'AccessDenied', 'host must be signed');
    assert.equal(header('Bearer token').code, 'InvalidArgument');
    const ok = parseAuth({ ...base, headers: { host, 'x-amz-date': '20130524T000000Z', authorization: `AWS4-HMAC-SHA256   Credential=AKID/20130524/eu-west-1/s3/aws4_request,SignedHeaders=Host;X-Amz-Date,  Signature=${'A'.repeat(64)}` } })!;
    assert.deepEqual([ok.accessKeyId, ok.region, ok.signedHeaders, ok.signature, ok.algorithm], ['AKID', 'eu-west-1', ['host', 'x-amz-date'], 'a'.repeat(64), 'AWS4-HMAC-SHA256']);
  });

  test('an Authorization header together with query authentication is InvalidArgument', () => {
    const query = presignQuery({ ...base, headers: { host } }, credentials, 'us-east-1', 's3', 60, exampleMs);
    const error = s3ErrorOf(() => parseAuth({ ...base, rawQuery: query, headers: { host, authorization: `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'a'.repeat(64)}` } }));
    assert.equal(error.code, 'InvalidArgument');
    assert.match(error.message, /Only one auth mechanism allowed/);
  });

  test('a signed header the request does not carry is SignatureDoesNotMatch', () => {
    const req = { ...base, headers: { host, 'x-amz-meta-a': '1' } };
    const added = signRequest(req, credentials, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    const stripped = { ...base, headers: { host, ...added } };
    assert.equal(s3ErrorOf(() => verifySignature(stripped, parseAuth(stripped)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
  });

  test('header values: trimmed, inner runs of spaces collapsed, repeated headers joined with ","', () => {
    const canonical = canonicalRequest({ ...base, headers: { host, 'x-amz-meta-a': '  a   b  ', 'x-amz-meta-b': ['1', ' 2 '] } }, ['host', 'x-amz-meta-a', 'x-amz-meta-b'], EMPTY_SHA256);
    assert.equal(canonical.split('\n').slice(3, 6).join('\n'), `host:${host}\nx-amz-meta-a:a b\nx-amz-meta-b:1,2`);
  });
});

describe('constant-time comparison', () => {
  const a = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
  test('equal, case-insensitively; any difference, length or non-hex input is unequal', () => {
    assert.equal(constantTimeEqualHex(a, a), true);
    assert.equal(constantTimeEqualHex(a, a.toUpperCase()), true);
    assert.equal(constantTimeEqualHex(a, a.slice(0, -1) + '0'), false);
    assert.equal(constantTimeEqualHex(a, '0' + a.slice(1)), false);
    assert.equal(constantTimeEqualHex(a, a.slice(0, -2)), false);
    assert.equal(constantTimeEqualHex(a, a + '00'), false);
    assert.equal(constantTimeEqualHex(a, ''), false);
    assert.equal(constantTimeEqualHex('', ''), false);
    assert.equal(constantTimeEqualHex(a, a.slice(0, -1) + 'g'), false, 'Buffer.from would silently drop the bad digit');
  });
});

describe('signing keys', () => {
  test('derived once per secret, day, region and service; the cache is bounded', () => {
    const cache = new SigningKeyCache(2);
    const key = cache.get('secret', '20130524', 'us-east-1', 's3');
    assert.equal(cache.get('secret', '20130524', 'us-east-1', 's3'), key, 'same Buffer: a hit');
    assert.notDeepEqual(cache.get('secret', '20130524', 'us-east-1', 'sts'), key);
    cache.get('secret', '20130525', 'us-east-1', 's3');
    const again = cache.get('secret', '20130524', 'us-east-1', 's3');
    assert.notEqual(again, key, 'evicted and derived again');
    assert.deepEqual(again, key);
  });

  test('the chunk-signature chain accepts the documented chunks in order, and nothing else', () => {
    const signingKey = new SigningKeyCache().get(credentials.secretAccessKey, '20130524', 'us-east-1', 's3');
    const verified = { signingKey, scope: '20130524/us-east-1/s3/aws4_request', seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9' };
    const chunks = [Buffer.alloc(65_536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)];
    const signatures = ['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'];
    const chain = new ChunkSignatureChain(verified, '20130524T000000Z');
    chunks.forEach((chunk, i) => chain.verifyChunk(sha256Hex(chunk), signatures[i]!));
    const skipping = new ChunkSignatureChain(verified, '20130524T000000Z');
    assert.equal(s3ErrorOf(() => skipping.verifyChunk(sha256Hex(chunks[1]!), signatures[1]!)).code, 'SignatureDoesNotMatch');
    const tampered = new ChunkSignatureChain(verified, '20130524T000000Z');
    assert.equal(s3ErrorOf(() => tampered.verifyChunk(sha256Hex(Buffer.alloc(65_536, 'b')), signatures[0]!)).code, 'SignatureDoesNotMatch');
    assert.equal(s3ErrorOf(() => new ChunkSignatureChain(verified, '20130524T000000Z').verifyChunk(sha256Hex(chunks[0]!), 'not-hex')).code, 'SignatureDoesNotMatch');
  });
});

describe('session tokens', () => {
  const session = { ...credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN+/=' };
  const req = { method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { host } };

  test('signRequest sends and signs x-amz-security-token; the parser hands it on; a swapped token fails the signature', () => {
    const added = signRequest(req, session, 'us-east-1', 's3', EMPTY_SHA256, exampleMs);
    assert.equal(added['x-amz-security-token'], session.sessionToken);
    assert.match(added['authorization']!, /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
    const signed = { ...req, headers: { ...req.headers, ...added } };
    const auth = parseAuth(signed)!;
    assert.equal(auth.securityToken, session.sessionToken);
    verifySignature(signed, auth, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs));
    const swapped = { ...req, headers: { ...signed.headers, 'x-amz-security-token': 'other' } };
    assert.equal(s3ErrorOf(() => verifySignature(swapped, parseAuth(swapped)!, credentials.secretAccessKey, EMPTY_SHA256, new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
  });

  test('presigned: X-Amz-Security-Token is in the signed query', () => {
    const query = presignQuery(req, session, 'us-east-1', 's3', 60, exampleMs);
    assert.match(query, /&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2B%2F%3D&/);
    const signed = { ...req, rawQuery: query };
    assert.equal(parseAuth(signed)!.securityToken, session.sessionToken);
    verifySignature(signed, parseAuth(signed)!, credentials.secretAccessKey, UNSIGNED_PAYLOAD, new SigningKeyCache(), clockAt(exampleMs));
    const swapped = { ...req, rawQuery: query.replace('EXAMPLETOKEN', 'EXAMPLETOKEM') };
    assert.equal(s3ErrorOf(() => verifySignature(swapped, parseAuth(swapped)!, credentials.secretAccessKey, UNSIGNED_PAYLOAD, new SigningKeyCache(), clockAt(exampleMs))).code, 'SignatureDoesNotMatch');
  });

  test('CredentialResolver: temporary keys need their token and expire; long-term keys take none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3push-sigv4-'));
    let nowMs = exampleMs;
    const clock: Clock = { nowMs: () => nowMs };
    const meta = await openSqliteMetaStore({ path: join(dir, 'meta.db'), clock });
    try {
      const resolver = new CredentialResolver(meta, clock);
      const base: AccessKeyRecord = {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: credentials.secretAccessKey, accountId: '111122223333', principalKind: 'Root',
        principalArn: 'arn:aws:iam::111122223333:root', userId: '111122223333', status: 'Active', createdMs: exampleMs,
      };
      const temporary: AccessKeyRecord = { ...base, accessKeyId: 'ASIAIOSFODNN7EXAMPLE', sessionToken: session.sessionToken, expiresMs: exampleMs + 3_600_000 };
      await meta.putAccessKey(base);
      await meta.putAccessKey(temporary);
      assert.equal((await resolver.lookup('ASIAIOSFODNN7EXAMPLE')).sessionToken, session.sessionToken);
      await assert.rejects(resolver.lookup('AKIANOSUCHKEY0000000'), (e: S3Error) => e.code === 'InvalidAccessKeyId' && e.fields?.['AWSAccessKeyId'] === 'AKIANOSUCHKEY0000000');

      assert.equal(resolver.principalFor(temporary, session.sessionToken).principalArn, base.principalArn);
      assert.equal(s3ErrorOf(() => resolver.principalFor(temporary, undefined)).code, 'InvalidToken');
      assert.equal(s3ErrorOf(() => resolver.principalFor(temporary, session.sessionToken + 'x')).code, 'InvalidToken');
      assert.equal(s3ErrorOf(() => resolver.principalFor(temporary, session.sessionToken.slice(0, -1))).code, 'InvalidToken');
      resolver.principalFor(base, undefined);
      resolver.principalFor(base, '');
      assert.equal(s3ErrorOf(() => resolver.principalFor(base, 'a token for a long-term key')).code, 'InvalidToken');
      nowMs = exampleMs + 3_600_000;
      const expired = s3ErrorOf(() => resolver.principalFor(temporary, session.sessionToken));
      assert.equal(expired.code, 'ExpiredToken');
      assert.equal(expired.status, 400);
    } finally {
      await meta.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
