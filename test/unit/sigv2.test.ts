// SigV2 for S3: the AWS documentation's examples (RESTAuthentication) reproduced and verified, the
// presigned form botocore emits by default, expiry, skew and tampering.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { s3ErrorOf } from '../helpers/s3-assert.js';
import type { Clock } from '../../src/core/clock.js';
import { isSigV2, parseSigV2, signatureV2, stringToSignV2, verifySigV2 } from '../../src/protocol/sigv2.js';
import type { SignableRequest } from '../../src/protocol/sigv4.js';

// https://docs.aws.amazon.com/AmazonS3/latest/API/Appendix-Sigv2.html (RESTAuthentication examples)
const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const clockAt = (ms: number): Clock => ({ nowMs: () => ms });

/** Builds the documented request with its documented Authorization header and verifies it at its own Date. */
function verifyExample(req: SignableRequest, hostBucket: string | undefined, signature: string): void {
  const signed = { ...req, headers: { ...req.headers, authorization: `AWS ${accessKeyId}:${signature}` } };
  assert.equal(isSigV2(signed), true);
  const auth = parseSigV2(signed);
  assert.equal(auth.algorithm, 'AWS');
  assert.equal(auth.accessKeyId, accessKeyId);
  verifySigV2(signed, auth, secret, hostBucket, clockAt(auth.requestTimeMs));
}

describe('the AWS documentation examples', () => {
  test('Object GET (virtual host johnsmith.s3.amazonaws.com)', () => {
    const req = { method: 'GET', rawPath: '/photos/puppy.jpg', rawQuery: '', headers: { host: 'johnsmith.s3.amazonaws.com', date: 'Tue, 27 Mar 2007 19:36:42 +0000' } };
    assert.equal(stringToSignV2(req, 'header', 'johnsmith'), 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg');
    assert.equal(signatureV2(secret, stringToSignV2(req, 'header', 'johnsmith')), 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=');
    verifyExample(req, 'johnsmith', 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=');
  });

  test('Object PUT (Content-Type is signed)', () => {
    verifyExample({ method: 'PUT', rawPath: '/photos/puppy.jpg', rawQuery: '', headers: { 'content-type': 'image/jpeg', 'content-length': '94328', date: 'Tue, 27 Mar 2007 21:15:45 +0000' } },
      'johnsmith', 'MyyxeRY7whkBe+bq8fHCL/2kKUg=');
  });

  test('List (query parameters that are not sub-resources are not signed)', () => {
    verifyExample({ method: 'GET', rawPath: '/', rawQuery: 'prefix=photos&max-keys=50&marker=puppy', headers: { 'user-agent': 'Mozilla/5.0', date: 'Tue, 27 Mar 2007 19:42:41 +0000' } },
      'johnsmith', 'htDYFYduRNen8P9ZfE/s9SuKy0U=');
  });

  test('Fetch ACL (a sub-resource without value is signed as ?acl)', () => {
    const req = { method: 'GET', rawPath: '/', rawQuery: 'acl', headers: { date: 'Tue, 27 Mar 2007 19:44:46 +0000' } };
    assert.match(stringToSignV2(req, 'header', 'johnsmith'), /\n\/johnsmith\/\?acl$/);
    verifyExample(req, 'johnsmith', 'c2WLPFtWHVgbEmeEG93a4cG37dM=');
  });

  test('Delete (path style, x-amz-date overriding Date as the page shows it)', () => {
    verifyExample({ method: 'DELETE', rawPath: '/johnsmith/photos/puppy.jpg', rawQuery: '', headers: { 'user-agent': 'dotnet', date: 'Tue, 27 Mar 2007 21:20:27 +0000', 'x-amz-date': 'Tue, 27 Mar 2007 21:20:26 +0000' } },
      undefined, 'lx3byBScXR6KzyMaifNkardMwNk=');
  });

  test('Upload (x-amz-* headers sorted, repeated ones joined with ",", Content-MD5 signed)', () => {
    const req = {
      method: 'PUT', rawPath: '/db-backup.dat.gz', rawQuery: '', headers: {
        'user-agent': 'curl/7.15.5', date: 'Tue, 27 Mar 2007 21:06:08 +0000', 'x-amz-acl': 'public-read', 'content-type': 'application/x-download',
        'content-md5': '4gJE4saaMU4BqNR0kLY+lw==', 'x-amz-meta-reviewedby': ['joe@johnsmith.net', 'jane@johnsmith.net'], 'x-amz-meta-filechecksum': '0x02661779',
        'x-amz-meta-checksumalgorithm': 'crc32', 'content-disposition': 'attachment; filename=database.dat', 'content-encoding': 'gzip', 'content-length': '5913339',
      },
    };
    assert.equal(stringToSignV2(req, 'header', 'static.johnsmith.net'), 'PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n' +
      'x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\nx-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz');
    verifyExample(req, 'static.johnsmith.net', 'ilyl83RwaSoYIEdixDQcA4OnAnc=');
  });

  test('List all my buckets, and unicode keys (the path is signed as sent, still encoded)', () => {
    verifyExample({ method: 'GET', rawPath: '/', rawQuery: '', headers: { date: 'Wed, 28 Mar 2007 01:29:59 +0000' } }, undefined, 'qGdzdERIC03wnaRNKh6OqZehG9s=');
    verifyExample({ method: 'GET', rawPath: '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re', rawQuery: '', headers: { date: 'Wed, 28 Mar 2007 01:49:49 +0000' } }, undefined, 'DNEZGsoieTZ92F3bUfSPQcbGmlM=');
  });
});

describe('header form', () => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const dateMs = Date.parse(date);
  const signed = (headers: Record<string, string>, signature = 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=') =>
    ({ method: 'GET', rawPath: '/photos/puppy.jpg', rawQuery: '', headers: { date, ...headers, authorization: `AWS ${accessKeyId}:${signature}` } });

  test('x-amz-date (as s3cmd sends it): an empty Date line and x-amz-date among the signed headers', () => {
    const req = { method: 'GET', rawPath: '/photos/puppy.jpg', rawQuery: '', headers: { 'x-amz-date': date } };
    const toSign = stringToSignV2(req, 'header', 'johnsmith');
    assert.equal(toSign, `GET\n\n\n\nx-amz-date:${date}\n/johnsmith/photos/puppy.jpg`);
    const full = { ...req, headers: { ...req.headers, authorization: `AWS ${accessKeyId}:${signatureV2(secret, toSign)}` } };
    verifySigV2(full, parseSigV2(full), secret, 'johnsmith', clockAt(dateMs));
  });

  test('a path-style bucket request signed as "/bucket/" (botocore\'s HmacV1Auth) or as sent; nothing else', () => {
    const req = { method: 'PUT', rawPath: '/media', rawQuery: '', headers: { date, 'x-amz-acl': 'public-read' } };
    const withSlash = `PUT\n\n\n${date}\nx-amz-acl:public-read\n/media/`;
    assert.equal(stringToSignV2(req, 'header', undefined, false, true), withSlash);
    for (const toSign of [withSlash, withSlash.slice(0, -1)]) {
      const full = { ...req, headers: { ...req.headers, authorization: `AWS ${accessKeyId}:${signatureV2(secret, toSign)}` } };
      verifySigV2(full, parseSigV2(full), secret, undefined, clockAt(dateMs));
    }
    // Only a bare bucket path gets the slash: a key's path is signed exactly as sent.
    const key = { ...req, rawPath: '/media/a' };
    const keySigned = { ...key, headers: { ...key.headers, authorization: `AWS ${accessKeyId}:${signatureV2(secret, `PUT\n\n\n${date}\nx-amz-acl:public-read\n/media/a/`)}` } };
    assert.equal(s3ErrorOf(() => verifySigV2(keySigned, parseSigV2(keySigned), secret, undefined, clockAt(dateMs))).code, 'SignatureDoesNotMatch');
  });

  test('15 minutes of skew is fine, more is RequestTimeTooSkewed', () => {
    verifySigV2(signed({}), parseSigV2(signed({})), secret, 'johnsmith', clockAt(dateMs + 15 * 60_000));
    const error = s3ErrorOf(() => verifySigV2(signed({}), parseSigV2(signed({})), secret, 'johnsmith', clockAt(dateMs + 16 * 60_000)));
    assert.equal(error.code, 'RequestTimeTooSkewed');
    assert.equal(error.fields?.['MaxAllowedSkewMilliseconds'], 900_000);
  });

  test('a wrong signature, a wrong bucket or an extra signed header is SignatureDoesNotMatch with the string to sign', () => {
    for (const [req, bucket] of [[signed({}, 'AAAAs1WEIj+Ydj0vQ697zp+IXMU='), 'johnsmith'], [signed({}), 'janesmith'], [signed({ 'x-amz-acl': 'public-read' }), 'johnsmith']] as const) {
      const error = s3ErrorOf(() => verifySigV2(req, parseSigV2(req), secret, bucket, clockAt(dateMs)));
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.equal(error.fields?.['AWSAccessKeyId'], accessKeyId);
      assert.match(String(error.fields?.['StringToSign']), /^GET\n/);
    }
    const short = signed({}, 'c2hvcnQ=');
    assert.equal(s3ErrorOf(() => verifySigV2(short, parseSigV2(short), secret, 'johnsmith', clockAt(dateMs))).code, 'SignatureDoesNotMatch');
  });

  test('malformed headers and missing dates', () => {
    assert.equal(s3ErrorOf(() => parseSigV2({ method: 'GET', rawPath: '/', rawQuery: '', headers: { date, authorization: 'AWS no-colon' } })).code, 'InvalidArgument');
    assert.equal(s3ErrorOf(() => parseSigV2({ method: 'GET', rawPath: '/', rawQuery: '', headers: { authorization: `AWS ${accessKeyId}:abc=` } })).code, 'AccessDenied');
    assert.equal(isSigV2({ method: 'GET', rawPath: '/', rawQuery: '', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=…' } }), false);
  });
});

describe('query form (botocore presigns S3 this way by default)', () => {
  const expires = Date.UTC(2030, 0, 1) / 1000;
  const presigned = (extra = '', path = '/bucket/a%2Bb%20%C3%BC.txt') => {
    const unsigned = { method: 'GET', rawPath: path, rawQuery: `${extra}${extra ? '&' : ''}Expires=${expires}`, headers: { host: '127.0.0.1:9000' } };
    const signature = signatureV2(secret, stringToSignV2(unsigned, 'presigned', undefined));
    return { ...unsigned, rawQuery: `${unsigned.rawQuery}&AWSAccessKeyId=${accessKeyId}&Signature=${encodeURIComponent(signature)}` };
  };

  test('Expires is the date line; response-* overrides are signed decoded; other parameters are not signed', () => {
    const req = presigned('response-content-disposition=attachment%3B%20filename%3D%22a%20b%22&x-id=GetObject');
    assert.equal(stringToSignV2(req, 'presigned', undefined), `GET\n\n\n${expires}\n/bucket/a%2Bb%20%C3%BC.txt?response-content-disposition=attachment; filename="a b"`);
    assert.equal(isSigV2(req), true);
    const auth = parseSigV2(req);
    assert.equal(auth.kind, 'presigned');
    verifySigV2(req, auth, secret, undefined, clockAt(expires * 1000));
  });

  test('after Expires it is AccessDenied "Request has expired"', () => {
    const req = presigned();
    const error = s3ErrorOf(() => verifySigV2(req, parseSigV2(req), secret, undefined, clockAt(expires * 1000 + 1000)));
    assert.equal(error.code, 'AccessDenied');
    assert.equal(error.message, 'Request has expired');
    assert.equal(error.fields?.['Expires'], '2030-01-01T00:00:00.000Z');
  });

  test('x-amz-* parameters (botocore moves x-amz-security-token and x-amz-meta-* there) are signed headers', () => {
    const req = presigned('x-amz-security-token=TOKEN%2B&x-amz-meta-origin=v2');
    assert.match(stringToSignV2(req, 'presigned', undefined), /\nx-amz-meta-origin:v2\nx-amz-security-token:TOKEN\+\n\/bucket\//);
    const auth = parseSigV2(req);
    assert.equal(auth.securityToken, 'TOKEN+');
    verifySigV2(req, auth, secret, undefined, clockAt(0));
    const swapped = { ...req, rawQuery: req.rawQuery.replace('TOKEN%2B', 'TOKEM%2B') };
    assert.equal(s3ErrorOf(() => verifySigV2(swapped, parseSigV2(swapped), secret, undefined, clockAt(0))).code, 'SignatureDoesNotMatch');
  });

  test('tampered path, Expires or signature is SignatureDoesNotMatch; missing parameters are AccessDenied', () => {
    const req = presigned();
    for (const tampered of [{ ...req, rawPath: '/bucket/other' }, { ...req, rawQuery: req.rawQuery.replace(`Expires=${expires}`, `Expires=${expires + 1}`) }]) {
      assert.equal(s3ErrorOf(() => verifySigV2(tampered, parseSigV2(tampered), secret, undefined, clockAt(0))).code, 'SignatureDoesNotMatch');
    }
    assert.equal(s3ErrorOf(() => parseSigV2({ ...req, rawQuery: req.rawQuery.replace(/&Signature=[^&]*/, '') })).code, 'AccessDenied');
    assert.equal(s3ErrorOf(() => parseSigV2({ ...req, rawQuery: req.rawQuery.replace(`Expires=${expires}`, 'Expires=soon') })).code, 'AccessDenied');
    assert.equal(isSigV2({ ...req, rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&Signature=x' }), false, 'SigV4 query wins');
  });
});
