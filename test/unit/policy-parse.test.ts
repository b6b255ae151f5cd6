// parsePolicy: normalisation of valid documents and AWS's validation errors (IAM and S3 wording).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, findDuplicateKey, type ParsePolicyOptions } from '../../src/iam/policy/parse-policy.js';
import { PolicyError } from '../../src/iam/policy/policy-error.js';

const identity: ParsePolicyOptions = { kind: 'identity', maxBytes: 10_240 };
const resource: ParsePolicyOptions = { kind: 'resource', maxBytes: 20_480 };
const trust: ParsePolicyOptions = { kind: 'trust', maxBytes: 2_048 };

function rejects(doc: unknown, options: ParsePolicyOptions, message: string | RegExp, detail?: RegExp): PolicyError {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  try {
    parsePolicy(text, options);
  } catch (err) {
    assert.ok(err instanceof PolicyError, `expected PolicyError, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    if (detail) assert.match(err.detail, detail);
    return err;
  }
  assert.fail(`expected the policy to be rejected: ${text}`);
}

const allowGet = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('parsePolicy: valid documents', () => {
  test('a single Statement object, no Version → 2008-10-17, string elements become lists', () => {
    const p = parsePolicy(JSON.stringify({ Statement: allowGet }), identity);
    assert.equal(p.version, '2008-10-17');
    assert.equal(p.statements.length, 1);
    const s = p.statements[0]!;
    assert.equal(s.effect, 'Allow');
    assert.deepEqual(s.actions.raw, ['s3:GetObject']);
    assert.ok(s.actions.exact.has('s3:getobject'), 'exact actions are lower-cased');
    assert.equal(s.resources!.length, 1);
    assert.equal(s.principal, undefined);
  });

  test('Statement array, Sid, Id, NotAction/NotResource flags, wildcard actions compiled', () => {
    const p = parsePolicy(JSON.stringify({
      Version: '2012-10-17', Id: 'p1',
      Statement: [
        { Sid: 'One', Effect: 'Deny', NotAction: ['s3:Get*', 'iam:*'], NotResource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] },
        { Sid: 'Two', ...allowGet },
      ],
    }), identity);
    assert.equal(p.version, '2012-10-17');
    assert.equal(p.id, 'p1');
    const [one, two] = p.statements;
    assert.equal(one!.sid, 'One');
    assert.equal(one!.index, 0);
    assert.equal(two!.index, 1);
    assert.equal(one!.notAction, true);
    assert.equal(one!.notResource, true);
    assert.equal(one!.actions.globs.length, 2);
    assert.equal(two!.notAction, false);
  });

  test('Principal forms: "*", {"AWS":"*"}, account id → root ARN, role, session, user, Service', () => {
    const p = parsePolicy(JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        {
          Effect: 'Allow',
          Principal: {
            AWS: ['111122223333', 'arn:aws:iam::222233334444:role/path/R', 'arn:aws:sts::222233334444:assumed-role/R/s', 'arn:aws:iam::222233334444:user/u'],
            Service: 'cloudfront.amazonaws.com',
          },
          Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*',
        },
      ],
    }), resource);
    assert.equal(p.statements[0]!.principal!.everyone, true);
    assert.equal(p.statements[1]!.principal!.everyone, true);
    const third = p.statements[2]!.principal!;
    assert.equal(third.everyone, false);
    assert.deepEqual([...third.aws], [
      'arn:aws:iam::111122223333:root', 'arn:aws:iam::222233334444:role/path/R',
      'arn:aws:sts::222233334444:assumed-role/R/s', 'arn:aws:iam::222233334444:user/u',
    ]);
    assert.deepEqual(third.service, ['cloudfront.amazonaws.com']);
  });

  test('trust policy without Resource; condition values of any JSON scalar type become strings', () => {
    const p = parsePolicy(JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { AWS: '222233334444' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': true }, NumericLessThan: { 's3:max-keys': 10 } } },
    }), trust);
    const s = p.statements[0]!;
    assert.equal(s.resources, undefined);
    assert.deepEqual(s.conditions.map((c) => c.rawValues), [['true'], ['10']]);
  });

  test('condition keys keep their case as written and may contain spaces (tag keys)', () => {
    const p = parsePolicy(JSON.stringify({ Statement: { ...allowGet, Condition: { StringEquals: { 'aws:RequestTag/Cost Center': '42' } } } }), identity);
    assert.equal(p.statements[0]!.conditions[0]!.key, 'aws:RequestTag/Cost Center');
    assert.equal(p.statements[0]!.conditions[0]!.keyLower, 'aws:requesttag/cost center');
  });

  test('size: counts UTF-8 bytes; whitespace excluded only when asked (IAM quotas)', () => {
    const text = JSON.stringify({ Statement: allowGet }, null, 8);
    const compact = JSON.stringify({ Statement: allowGet });
    const limit = Buffer.byteLength(compact) + 5;
    const err = rejects(text, { kind: 'identity', maxBytes: limit }, `Cannot exceed quota for PolicySize: ${limit}`);
    assert.equal(err.problem, 'size');
    const p = parsePolicy(text, { kind: 'identity', maxBytes: limit, sizeIgnoresWhitespace: true });
    assert.equal(p.sizeBytes, Buffer.byteLength(compact));
  });
});

describe('parsePolicy: rejected documents', () => {
  test('not JSON / not an object', () => {
    rejects('[1]', resource, "Policies must be valid JSON and the first byte must be '{'");
    rejects('{"Statement": ', resource, 'This policy contains invalid Json', /invalid JSON/);
    rejects('{"Statement": ', identity, 'Syntax errors in policy.');
  });

  test('duplicate keys are rejected rather than silently resolved', () => {
    rejects('{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}', identity, 'Syntax errors in policy.', /duplicate key "Effect"/);
  });

  test('unknown top-level and statement elements', () => {
    rejects({ Statement: allowGet, Versoin: '2012-10-17' }, identity, 'Syntax errors in policy.', /unknown top-level element "Versoin"/);
    rejects({ Statement: { ...allowGet, Principle: '*' } }, resource, 'Unknown field Principle');
  });

  test('Version must be one of the two policy language versions', () => {
    rejects({ Version: '2012-10-18', Statement: allowGet }, resource, 'The policy must contain a valid version string');
    rejects({ Version: 2012, Statement: allowGet }, identity, 'The policy failed legacy parsing');
  });

  test('missing or empty Statement, empty statement object', () => {
    rejects({ Version: '2012-10-17' }, resource, 'Missing required field Statement');
    rejects({ Statement: [] }, resource, 'Could not parse the policy: Statement is empty!');
    rejects({ Statement: [{}] }, resource, 'Missing required field Effect');
    rejects({ Statement: ['x'] }, identity, 'Syntax errors in policy.', /Statement\[0\] must be an object/);
  });

  test('Effect must be exactly Allow or Deny', () => {
    rejects({ Statement: { ...allowGet, Effect: 'allow', Principal: '*' } }, resource, 'Invalid effect: allow');
    rejects({ Statement: { ...allowGet, Effect: 'Permit' } }, identity, 'Syntax errors in policy.', /Effect must be/);
  });

  test('Principal in an identity policy; missing Principal in a resource policy', () => {
    rejects({ Statement: { ...allowGet, Principal: '*' } }, identity, 'Policy document should not specify a principal.');
    rejects({ Statement: { ...allowGet, NotPrincipal: { AWS: '111122223333' } } }, identity, 'Policy document should not specify a principal.');
    rejects({ Statement: allowGet }, resource, 'Missing required field Principal');
    rejects({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, trust, 'Missing required field Principal');
  });

  test('partial wildcards and malformed principals', () => {
    rejects({ Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:role/x' }, Action: 'sts:AssumeRole' } }, trust,
      'Invalid principal in policy: "AWS":"arn:aws:iam::*:role/x"', /partial wildcard/);
    rejects({ Statement: { ...allowGet, Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/R/*' } } }, resource, 'Invalid principal in policy');
    rejects({ Statement: { ...allowGet, Principal: { AWS: 'AKIAIOSFODNN7EXAMPLE' } } }, resource, 'Invalid principal in policy', /not an account id/);
    rejects({ Statement: { ...allowGet, Principal: '111122223333' } }, resource, 'Invalid principal in policy');
    rejects({ Statement: { ...allowGet, Principal: { Aws: '111122223333' } } }, resource, 'Invalid principal in policy', /unknown principal type "Aws"/);
    rejects({ Statement: { ...allowGet, Principal: { AWS: [] } } }, resource, 'Invalid principal in policy');
    rejects({ Statement: { ...allowGet, Principal: '*', NotPrincipal: '*' } }, resource, 'This policy contains invalid Json', /both Principal and NotPrincipal/);
  });

  test('trust policies: no NotPrincipal, no Resource', () => {
    rejects({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' } }, trust, /NotPrincipal/);
    rejects({ Statement: { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole', Resource: '*' } }, trust, 'Has prohibited field Resource');
  });

  test('Action: required, needs a service prefix, not both Action and NotAction', () => {
    rejects({ Statement: { Effect: 'Allow', Resource: '*' } }, identity, 'Policy statement must contain actions.');
    rejects({ Statement: { ...allowGet, Action: 'GetObject' } }, identity, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    rejects({ Statement: { ...allowGet, Action: 's3:' } }, identity, /prefaced by a vendor/);
    rejects({ Statement: { ...allowGet, Principal: '*', Action: 'GetObject' } }, resource, 'Policy has invalid action');
    rejects({ Statement: { ...allowGet, NotAction: 's3:PutObject' } }, identity, 'Syntax errors in policy.', /both Action and NotAction/);
    rejects({ Statement: { ...allowGet, Action: [] } }, identity, 'Syntax errors in policy.', /empty list/);
    rejects({ Statement: { ...allowGet, Action: 42 } }, identity, 'Syntax errors in policy.', /must be a string/);
  });

  test('Resource: required outside trust policies, ARN or "*"', () => {
    rejects({ Statement: { Effect: 'Allow', Action: 's3:*' } }, identity, 'Policy statement must contain resources.');
    rejects({ Statement: { ...allowGet, Resource: 'my-bucket' } }, identity, 'Resource my-bucket must be in ARN format or "*".');
    rejects({ Statement: { ...allowGet, Principal: '*', Resource: 'my-bucket' } }, resource, 'Policy has invalid resource');
    rejects({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*' } }, resource, 'Missing required field Resource');
  });

  test('Condition: unknown operator, key without a service prefix, bad value types, NullIfExists', () => {
    rejects({ Statement: { ...allowGet, Condition: { StringEqualz: { 'aws:username': 'x' } } } }, identity, /StringEqualz/, /unknown condition operator/);
    rejects({ Statement: { ...allowGet, Condition: { constructor: { 'aws:username': 'x' } } } }, identity, /constructor/, /unknown condition operator/);
    rejects({ Statement: { ...allowGet, Condition: { toStringIfExists: { 'aws:username': 'x' } } } }, identity, /toStringIfExists/);
    rejects({ Statement: { ...allowGet, Condition: { NullIfExists: { 'aws:username': 'true' } } } }, identity, /NullIfExists/);
    rejects({ Statement: { ...allowGet, Condition: { 'ForAnyValue:Null': { 'aws:username': 'true' } } } }, identity, /ForAnyValue:Null/);
    rejects({ Statement: { ...allowGet, Condition: { StringEquals: { username: 'x' } } } }, identity, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    rejects({ Statement: { ...allowGet, Principal: '*', Condition: { StringEquals: { username: 'x' } } } }, resource, 'Policy has an invalid condition key');
    rejects({ Statement: { ...allowGet, Condition: { StringEquals: { 'aws:username': { a: 1 } } } } }, identity, 'Syntax errors in policy.', /values must be/);
    rejects({ Statement: { ...allowGet, Condition: ['x'] } }, identity, 'Syntax errors in policy.');
  });

  test('IAM Sids: alphanumeric and unique; S3 allows other characters', () => {
    rejects({ Statement: { ...allowGet, Sid: 'allow get' } }, identity, /Statement IDs \(SID\) must be alpha-numeric/);
    rejects({ Statement: [{ ...allowGet, Sid: 'A' }, { ...allowGet, Sid: 'A' }] }, identity, 'Statement IDs (SID) in a single policy must be unique.');
    const p = parsePolicy(JSON.stringify({ Statement: { ...allowGet, Principal: '*', Sid: 'public read (2024)' } }), resource);
    assert.equal(p.statements[0]!.sid, 'public read (2024)');
  });
});

describe('findDuplicateKey', () => {
  test('finds duplicates at any depth, ignores equal strings that are values or in other objects', () => {
    assert.equal(findDuplicateKey('{"a":1,"b":{"a":"a","c":["a","a"]},"c":2}'), undefined);
    assert.equal(findDuplicateKey('{"a":{"x":1,"y":2,"x":3}}'), 'x');
    assert.equal(findDuplicateKey('{"a":[{"k":1},{"k":2}],"a":0}'), 'a');
    assert.equal(findDuplicateKey('{"E\\u0066fect":1,"Effect":2}'), 'Effect', 'escapes are decoded before comparing');
    assert.equal(findDuplicateKey('{"s":"quote \\" , {\\"k\\":1}","k":1}'), undefined, 'braces inside strings are not structure');
  });
});
