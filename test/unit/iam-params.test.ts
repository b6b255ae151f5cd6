// IAM parameter checks (AWS's ValidationError wording) and Marker/MaxItems paging.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '../../src/core/errors.js';
import { byName, nameKey, optionalInteger, paginate, requiredString, shapes, tagsParam } from '../../src/api/iam/iam-params.js';

function rejects(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert(error instanceof S3Error);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('iam parameters', () => {
  test('names, paths and documents are checked against the model with AWS\'s messages', () => {
    const params = new URLSearchParams({ UserName: 'ok.name+1@x', RoleName: 'has space', Path: '/a/b/', Bad: 'a/b' });
    assert.equal(requiredString(params, 'UserName', shapes.userName), 'ok.name+1@x');
    rejects(() => requiredString(params, 'RoleName', shapes.roleName), 'ValidationError',
      "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    rejects(() => requiredString(params, 'PolicyName', shapes.policyName), 'ValidationError',
      "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null");
    assert.equal(requiredString(params, 'Path', shapes.path), '/a/b/');
    rejects(() => requiredString(params, 'Bad', shapes.path), 'ValidationError', /regular expression pattern/);
    rejects(() => requiredString(new URLSearchParams({ UserName: 'x'.repeat(65) }), 'UserName', shapes.userName), 'ValidationError', /length less than or equal to 64/);
    rejects(() => requiredString(new URLSearchParams({ PolicyDocument: '{"a":"\u{1F600}"}' }), 'PolicyDocument', shapes.policyDocument), 'ValidationError', /policyDocument/);
  });

  test('integers are bounded; tags are at most 50 with unique keys regardless of case', () => {
    assert.equal(optionalInteger(new URLSearchParams({ MaxItems: '7' }), 'MaxItems', { min: 1, max: 1000 }), 7);
    rejects(() => optionalInteger(new URLSearchParams({ MaxItems: '1001' }), 'MaxItems', { min: 1, max: 1000 }), 'ValidationError', /maxItems.*less than or equal to 1000/);
    rejects(() => optionalInteger(new URLSearchParams({ MaxItems: 'ten' }), 'MaxItems', { min: 1, max: 1000 }), 'ValidationError', /must be an integer/);
    const tags = new URLSearchParams({ 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'media', 'Tags.member.2.Key': 'env', 'Tags.member.2.Value': '' });
    assert.deepEqual(tagsParam(tags), [{ key: 'Team', value: 'media' }, { key: 'env', value: '' }]);
    tags.set('Tags.member.3.Key', 'TEAM');
    tags.set('Tags.member.3.Value', 'x');
    rejects(() => tagsParam(tags), 'InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    rejects(() => tagsParam(new URLSearchParams({ 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' })), 'InvalidInput', /reserved/);
  });

  test('paging continues after the last returned key, even when that entity is gone', () => {
    const items = byName(['delta', 'Alpha', 'charlie', 'bravo', 'echo'].map((name) => ({ name })));
    assert.deepEqual(items.map((i) => i.name), ['Alpha', 'bravo', 'charlie', 'delta', 'echo'], 'IAM lists by name, letter case ignored');
    const first = paginate(new URLSearchParams({ MaxItems: '2' }), items, nameKey);
    assert.deepEqual(first.items.map((i) => i.name), ['Alpha', 'bravo']);
    assert.equal(first.isTruncated, true);
    const withoutBravo = items.filter((i) => i.name !== 'bravo');
    const second = paginate(new URLSearchParams({ MaxItems: '2', Marker: first.marker! }), withoutBravo, nameKey);
    assert.deepEqual(second.items.map((i) => i.name), ['charlie', 'delta']);
    const last = paginate(new URLSearchParams({ MaxItems: '2', Marker: second.marker! }), withoutBravo, nameKey);
    assert.deepEqual(last.items.map((i) => i.name), ['echo']);
    assert.equal(last.isTruncated, false);
    assert.equal(last.marker, undefined);
    assert.equal(paginate(new URLSearchParams(), items, nameKey).items.length, 5, 'default MaxItems is 100');
  });
});
