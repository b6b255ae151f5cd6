// The POST Object policy: its structure (InvalidPolicyDocument), expiration, eq / starts-with / ranges,
// case rules (element names are case-sensitive; operators and field names are not) and extra fields.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '../../src/core/errors.js';
import { checkPostPolicy, parsePostPolicy, type PolicyField } from '../../src/protocol/post-policy.js';

const future = '2099-01-01T00:00:00.000Z';
const nowMs = Date.parse('2030-06-01T00:00:00Z');

function encode(document: unknown): string {
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

function fields(entries: Record<string, string>): Map<string, PolicyField> {
  return new Map(Object.entries(entries).map(([name, value]) => [name.toLowerCase(), { name, value }]));
}

function errorOf(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error, `expected S3Error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a throw');
}

describe('parsePostPolicy', () => {
  test('a valid policy: expiration with or without milliseconds, the three condition forms', () => {
    for (const expiration of ['2099-01-01T00:00:00Z', future]) {
      const policy = parsePostPolicy(encode({ expiration, conditions: [{ bucket: 'b' }, ['StArTs-WiTh', '$KeY', 'u/'], ['content-length-range', 1, '10']] }));
      assert.equal(policy.expirationMs, Date.parse('2099-01-01T00:00:00Z'));
      assert.deepEqual(policy.conditions, [
        { kind: 'eq', field: 'bucket', value: 'b', shown: '["eq", "$bucket", "b"]' },
        { kind: 'starts-with', field: 'key', value: 'u/', shown: '["StArTs-WiTh", "$KeY", "u/"]' },
        { kind: 'content-length-range', min: 1, max: 10, shown: '["content-length-range", 1, 10]' },
      ]);
    }
  });

  const invalid: [string, unknown, RegExp][] = [
    ['not JSON', 'not json', /Invalid JSON/],
    ['a JSON array', [], /Invalid JSON/],
    ['no expiration', { conditions: [] }, /missing expiration/],
    ['EXPIRATION in capitals', { EXPIRATION: future, conditions: [] }, /missing expiration/],
    ['an expiration that is not ISO 8601', { expiration: '2099-01-01 00:00:00.000000+00:00', conditions: [] }, /Invalid 'expiration'/],
    ['an impossible date', { expiration: '2099-02-30T00:00:00Z', conditions: [] }, /Invalid 'expiration'/],
    ['no conditions', { expiration: future }, /missing conditions/],
    ['CONDITIONS in capitals', { expiration: future, CONDITIONS: [] }, /missing conditions/],
    ['conditions that are not a list', { expiration: future, conditions: {} }, /must be a List/],
    ['an empty simple condition', { expiration: future, conditions: [{}] }, /exactly one property/],
    ['a simple condition with two properties', { expiration: future, conditions: [{ a: '1', b: '2' }] }, /exactly one property/],
    ['a field without $', { expiration: future, conditions: [['eq', 'key', 'x']] }, /Invalid Condition/],
    ['an unknown operator', { expiration: future, conditions: [['ends-with', '$key', 'x']] }, /unknown operator/],
    ['a range with one bound', { expiration: future, conditions: [['content-length-range', 0]] }, /content-length-range/],
    ['a negative bound', { expiration: future, conditions: [['content-length-range', -1, 0]] }, /content-length-range/],
    ['bounds the wrong way round', { expiration: future, conditions: [['content-length-range', 10, 1]] }, /content-length-range/],
  ];
  for (const [what, document, message] of invalid) {
    test(`${what} is InvalidPolicyDocument (400)`, () => {
      const error = errorOf(() => parsePostPolicy(typeof document === 'string' ? Buffer.from(document).toString('base64') : encode(document)));
      assert.equal(error.code, 'InvalidPolicyDocument');
      assert.equal(error.status, 400);
      assert.match(error.message, /^Invalid Policy: /);
      assert.match(error.message, message);
    });
  }
});

describe('checkPostPolicy', () => {
  const policy = parsePostPolicy(encode({
    expiration: future,
    conditions: [{ bucket: 'media' }, ['starts-with', '$key', 'user/'], { acl: 'private' }, ['eq', '$Content-Type', 'text/plain'], ['starts-with', '$x-amz-meta-tag', ''], ['content-length-range', 0, 1024], ['content-length-range', 10, 2048]],
  }));
  const good = { key: 'user/a.txt', AcL: 'private', 'content-type': 'text/plain', policy: 'p', AWSAccessKeyId: 'AK', signature: 's', 'x-ignore-anything': 'z' };

  test('every condition holds: the allowed range is the intersection of the ranges', () => {
    assert.deepEqual(checkPostPolicy(policy, fields(good), 'media', nowMs), { sizeBytesMin: 10, sizeBytesMax: 1024 });
    // starts-with "" accepts a value and no field at all.
    assert.deepEqual(checkPostPolicy(policy, fields({ ...good, 'x-amz-meta-tag': 'anything' }), 'media', nowMs), { sizeBytesMin: 10, sizeBytesMax: 1024 });
  });

  const failures: [string, Record<string, string>, string, string][] = [
    ['another bucket', good, 'other', 'Policy Condition failed: ["eq", "$bucket", "media"]'],
    ['a key outside the prefix', { ...good, key: 'other/a.txt' }, 'media', 'Policy Condition failed: ["starts-with", "$key", "user/"]'],
    ['another acl', { ...good, AcL: 'public-read' }, 'media', 'Policy Condition failed: ["eq", "$acl", "private"]'],
    ['eq is exact (case)', { ...good, 'content-type': 'Text/Plain' }, 'media', 'Policy Condition failed: ["eq", "$Content-Type", "text/plain"]'],
    ['a missing field an eq names', { key: 'user/a', acl: 'private' }, 'media', 'Policy Condition failed: ["eq", "$Content-Type", "text/plain"]'],
    ['a field no condition names', { ...good, 'X-Amz-Meta-Other': 'v' }, 'media', 'Extra input fields: X-Amz-Meta-Other'],
  ];
  for (const [what, form, bucket, message] of failures) {
    test(`${what} is AccessDenied "Invalid according to Policy: …"`, () => {
      const error = errorOf(() => checkPostPolicy(policy, fields(form), bucket, nowMs));
      assert.equal(error.code, 'AccessDenied');
      assert.equal(error.message, `Invalid according to Policy: ${message}`);
    });
  }

  test('an expired policy is AccessDenied "Policy expired." before any condition', () => {
    const expired = parsePostPolicy(encode({ expiration: '2020-01-01T00:00:00Z', conditions: [{ bucket: 'nope' }] }));
    const error = errorOf(() => checkPostPolicy(expired, fields(good), 'media', nowMs));
    assert.equal(error.message, 'Invalid according to Policy: Policy expired.');
  });
});
