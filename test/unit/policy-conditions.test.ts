// Condition operators: every operator family, IfExists, ForAnyValue/ForAllValues, Null, missing keys, variables.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCondition, conditionHolds, parseOperator, parseDate, type ContextValue } from '../../src/iam/policy/condition.js';

/** Evaluates `{ operator: { key: values } }` against a context given with keys in any case. */
function holds(operator: string, key: string, values: string | string[], context: Record<string, ContextValue>, version = '2012-10-17'): boolean {
  const parsed = parseOperator(operator);
  assert.ok(parsed, `unknown operator ${operator}`);
  const condition = compileCondition(operator, parsed, key, Array.isArray(values) ? values : [values], version === '2012-10-17');
  const map = new Map<string, ContextValue>(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const lookup = (k: string): string | undefined => {
    const v = map.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  return conditionHolds(condition, map, lookup);
}

describe('string operators', () => {
  test('StringEquals is case-sensitive, values are ORed; key names are case-insensitive', () => {
    assert.equal(holds('StringEquals', 's3:x-amz-server-side-encryption', 'AES256', { 's3:x-amz-server-side-encryption': 'AES256' }), true);
    assert.equal(holds('StringEquals', 's3:x-amz-server-side-encryption', 'AES256', { 's3:x-amz-server-side-encryption': 'aes256' }), false);
    assert.equal(holds('StringEquals', 'aws:PrincipalTag/dept', ['finance', 'hr'], { 'AWS:principaltag/DEPT': 'hr' }), true);
    assert.equal(holds('stringequals', 'aws:username', 'a', { 'aws:username': 'a' }), true, 'operator names are accepted in any case');
  });

  test('StringNotEquals with several values: must match none of them (logical AND)', () => {
    assert.equal(holds('StringNotEquals', 'aws:PrincipalAccount', ['111122223333', '222233334444'], { 'aws:PrincipalAccount': '333344445555' }), true);
    assert.equal(holds('StringNotEquals', 'aws:PrincipalAccount', ['111122223333', '222233334444'], { 'aws:PrincipalAccount': '222233334444' }), false);
  });

  test('IgnoreCase variants', () => {
    assert.equal(holds('StringEqualsIgnoreCase', 'aws:PrincipalTag/role', 'Audit', { 'aws:PrincipalTag/role': 'AUDIT' }), true);
    assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/role', 'Audit', { 'aws:PrincipalTag/role': 'audit' }), false);
    assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/role', 'Audit', { 'aws:PrincipalTag/role': 'security' }), true);
  });

  test('StringLike / StringNotLike: * and ? anywhere, case-sensitive, * spans /', () => {
    assert.equal(holds('StringLike', 's3:prefix', ['', 'home/', 'home/David/*'], { 's3:prefix': 'home/David/photos/2024/' }), true);
    assert.equal(holds('StringLike', 's3:prefix', ['', 'home/', 'home/David/*'], { 's3:prefix': '' }), true);
    assert.equal(holds('StringLike', 's3:prefix', ['', 'home/', 'home/David/*'], { 's3:prefix': 'home/Adele/' }), false);
    assert.equal(holds('StringLike', 's3:prefix', 'home/?/x', { 's3:prefix': 'home/a/x' }), true);
    assert.equal(holds('StringLike', 's3:prefix', 'home/?/x', { 's3:prefix': 'home/ab/x' }), false);
    assert.equal(holds('StringLike', 's3:prefix', 'Home/*', { 's3:prefix': 'home/a' }), false);
    assert.equal(holds('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'tmp/x' }), true);
    assert.equal(holds('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/x' }), false);
  });

  test('a pathological pattern stays fast (no backtracking blow-up)', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const started = process.hrtime.bigint();
    assert.equal(holds('StringLike', 's3:prefix', pattern, { 's3:prefix': 'a'.repeat(2000) }), false);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 200, 'matched in well under 200 ms');
  });
});

describe('missing keys', () => {
  test('positive operators are false, negated operators are true', () => {
    assert.equal(holds('StringEquals', 'aws:SourceVpce', 'vpce-1', {}), false);
    assert.equal(holds('StringNotEquals', 'aws:SourceVpce', 'vpce-1', {}), true);
    assert.equal(holds('StringNotLike', 'aws:SourceVpce', 'vpce-*', {}), true);
    assert.equal(holds('ArnNotLike', 'aws:SourceArn', 'arn:aws:sns:*:*:t', {}), true);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', {}), true);
    assert.equal(holds('NumericLessThan', 's3:max-keys', '10', {}), false);
    assert.equal(holds('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', {}), false);
    assert.equal(holds('Bool', 'aws:MultiFactorAuthPresent', 'true', {}), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': undefined as unknown as string }), false, 'an undefined value is a missing key');
  });

  test('…IfExists: missing key → true; present key → evaluated as usual', () => {
    assert.equal(holds('StringLikeIfExists', 'ec2:InstanceType', ['t1.*', 't2.*'], {}), true);
    assert.equal(holds('StringLikeIfExists', 'ec2:InstanceType', ['t1.*', 't2.*'], { 'ec2:InstanceType': 't2.micro' }), true);
    assert.equal(holds('StringLikeIfExists', 'ec2:InstanceType', ['t1.*', 't2.*'], { 'ec2:InstanceType': 'm5.large' }), false);
    assert.equal(holds('StringNotEqualsIfExists', 'aws:SourceVpce', 'vpce-1', {}), true);
    assert.equal(holds('StringNotEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-1' }), false);
    assert.equal(holds('NumericLessThanIfExists', 's3:max-keys', '10', {}), true);
  });

  test('Null: "true" = key absent, "false" = key present', () => {
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', {}), true);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), false);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'false', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), true);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'false', {}), false);
    assert.equal(holds('Null', 's3:RequestObjectTagKeys', 'true', { 's3:RequestObjectTagKeys': [] }), true, 'an empty list is absent');
  });
});

describe('set operators ForAnyValue / ForAllValues', () => {
  const attributes = ['ID', 'Message', 'Tags'];

  test('ForAllValues: every request value must be in the policy set', () => {
    assert.equal(holds('ForAllValues:StringEquals', 'dynamodb:Attributes', attributes, { 'dynamodb:Attributes': ['Message', 'Tags'] }), true);
    assert.equal(holds('ForAllValues:StringEquals', 'dynamodb:Attributes', attributes, { 'dynamodb:Attributes': ['Message', 'UserName'] }), false);
  });

  test('ForAllValues: true for a missing key, an empty list or an empty string (AWS warns about this)', () => {
    assert.equal(holds('ForAllValues:StringEquals', 'dynamodb:Attributes', attributes, {}), true);
    assert.equal(holds('ForAllValues:StringEquals', 'dynamodb:Attributes', attributes, { 'dynamodb:Attributes': [] }), true);
    assert.equal(holds('ForAllValues:StringLike', 's3:prefix', 'home/*', { 's3:prefix': '' }), true);
  });

  test('ForAnyValue: one request value in the policy set; false for a missing key or empty list', () => {
    const denied = ['ID', 'PostDateTime'];
    assert.equal(holds('ForAnyValue:StringEquals', 'dynamodb:Attributes', denied, { 'dynamodb:Attributes': ['PostDateTime', 'Message'] }), true);
    assert.equal(holds('ForAnyValue:StringEquals', 'dynamodb:Attributes', denied, { 'dynamodb:Attributes': ['UserName'] }), false);
    assert.equal(holds('ForAnyValue:StringEquals', 'dynamodb:Attributes', denied, {}), false);
    assert.equal(holds('ForAnyValue:StringEquals', 'dynamodb:Attributes', denied, { 'dynamodb:Attributes': [] }), false);
  });

  test('negated operators under a set operator negate per request value', () => {
    const tags = { 'aws:TagKeys': ['env', 'team'] };
    assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret'], tags), true, 'no request value is "secret"');
    assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['team'], tags), false, '"team" is one of them');
    assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team'], tags), true, '"env" is not "team"');
    assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team', 'env'], tags), false);
    assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team'], {}), false, 'missing key: ForAnyValue is false even negated');
    assert.equal(holds('ForAllValues:StringNotLike', 'aws:TagKeys', ['x*'], {}), true);
  });

  test('a multi-valued key without a set operator: the positive form asks whether any value matches', () => {
    assert.equal(holds('StringEquals', 'aws:TagKeys', 'team', { 'aws:TagKeys': ['env', 'team'] }), true);
    assert.equal(holds('StringNotEquals', 'aws:TagKeys', 'team', { 'aws:TagKeys': ['env', 'team'] }), false);
  });

  test('IfExists combines with set operators', () => {
    assert.equal(holds('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'team', {}), true);
    assert.equal(holds('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'team', { 'aws:TagKeys': ['env'] }), false);
  });
});

describe('numeric, date, bool, binary', () => {
  test('Numeric*: all six comparisons; non-numbers never match', () => {
    const ctx = { 's3:max-keys': '10' };
    assert.equal(holds('NumericEquals', 's3:max-keys', '10', ctx), true);
    assert.equal(holds('NumericEquals', 's3:max-keys', '10.0', ctx), true);
    assert.equal(holds('NumericNotEquals', 's3:max-keys', '10', ctx), false);
    assert.equal(holds('NumericLessThan', 's3:max-keys', '10', ctx), false);
    assert.equal(holds('NumericLessThanEquals', 's3:max-keys', '10', ctx), true);
    assert.equal(holds('NumericGreaterThan', 's3:max-keys', '9', ctx), true);
    assert.equal(holds('NumericGreaterThanEquals', 's3:max-keys', '11', ctx), false);
    assert.equal(holds('NumericLessThan', 's3:max-keys', 'ten', ctx), false, 'a policy value that is not a number never matches');
    assert.equal(holds('NumericLessThan', 's3:max-keys', '100', { 's3:max-keys': 'many' }), false);
    assert.equal(holds('NumericLessThan', 's3:max-keys', '100', { 's3:max-keys': '' }), false, 'an empty string is not 0');
  });

  test('Date*: ISO-8601 and epoch seconds on either side', () => {
    const ctx = { 'aws:CurrentTime': '2024-06-01T12:00:00Z', 'aws:EpochTime': '1717243200' };
    assert.equal(holds('DateGreaterThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', ctx), true);
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2024-01-01', ctx), false);
    assert.equal(holds('DateEquals', 'aws:EpochTime', '2024-06-01T12:00:00Z', ctx), true);
    assert.equal(holds('DateEquals', 'aws:CurrentTime', '1717243200', ctx), true);
    assert.equal(holds('DateNotEquals', 'aws:CurrentTime', '1717243200', ctx), false);
    assert.equal(holds('DateLessThanEquals', 'aws:CurrentTime', '2024-06-01T14:00:00+02:00', ctx), true);
    assert.equal(holds('DateGreaterThanEquals', 'aws:CurrentTime', '2024-06-01T12:00:01Z', ctx), false);
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', 'tomorrow', ctx), false);
    assert.ok(Number.isNaN(parseDate('June 1st')));
    assert.equal(parseDate('1717243200'), Date.UTC(2024, 5, 1, 12));
  });

  test('Bool compares "true"/"false" in any case', () => {
    assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' }), true);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'true' }), false);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'TRUE', { 'aws:SecureTransport': 'true' }), true);
  });

  test('BinaryEquals compares the base64-decoded bytes', () => {
    const b64 = Buffer.from('BinaryValueInBase64').toString('base64');
    assert.equal(holds('BinaryEquals', 'x:key', b64, { 'x:key': b64 }), true);
    assert.equal(holds('BinaryEquals', 'x:key', b64, { 'x:key': Buffer.from('other').toString('base64') }), false);
  });
});

describe('IP addresses', () => {
  test('IPv4 CIDR, bare address = /32, NotIpAddress', () => {
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.77' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.114.1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.5', { 'aws:SourceIp': '203.0.113.5' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.5', { 'aws:SourceIp': '203.0.113.6' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/12', { 'aws:SourceIp': '10.15.255.255' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/12', { 'aws:SourceIp': '10.16.0.0' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '0.0.0.0/0', { 'aws:SourceIp': '198.51.100.1' }), true);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:SourceIp': '192.168.1.1' }), false);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:SourceIp': '8.8.8.8' }), true);
  });

  test('IPv6 CIDR (the AWS example), compressed forms, mixed lists; v4-mapped addresses count as IPv4', () => {
    const list = ['203.0.113.0/24', '2001:DB8:1234:5678::/64'];
    assert.equal(holds('IpAddress', 'aws:SourceIp', list, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', list, { 'aws:SourceIp': '2001:db8:1234:5679::1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', list, { 'aws:SourceIp': '203.0.113.9' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', list, { 'aws:SourceIp': '::ffff:203.0.113.9' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '::1', { 'aws:SourceIp': '::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '::/0', { 'aws:SourceIp': '127.0.0.1' }), false, 'families never mix');
    assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:db8::/33', { 'aws:SourceIp': '2001:db8:7fff::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:db8::/33', { 'aws:SourceIp': '2001:db8:8000::1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/33', { 'aws:SourceIp': '10.0.0.1' }), false, 'an invalid CIDR never matches');
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': 'not-an-ip' }), false);
  });
});

describe('ARN operators', () => {
  test('segments are matched separately: the AWS example where StringLike matches and ArnLike does not', () => {
    const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    assert.equal(holds('StringLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': value }), true);
    assert.equal(holds('ArnLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': value }), false);
    assert.equal(holds('ArnLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/a/b.txt' }), true);
  });

  test('ArnEquals behaves like ArnLike; negations; non-ARN values never match', () => {
    const ctx = { 'aws:PrincipalArn': 'arn:aws:iam::222233334444:role/partner/delivery' };
    assert.equal(holds('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::*:role/partner/*', ctx), true);
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::222233334444:role/*', ctx), true);
    assert.equal(holds('ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::222233334444:role/partner/delivery', ctx), false);
    assert.equal(holds('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:*', ctx), true);
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', { 'aws:PrincipalArn': 'not:an:arn' }), false);
  });
});

describe('policy variables in condition values', () => {
  test('${aws:username} in StringLike (the S3 home-directory example)', () => {
    const values = ['', 'home/', 'home/${aws:username}/*'];
    assert.equal(holds('StringLike', 's3:prefix', values, { 's3:prefix': 'home/David/a', 'aws:username': 'David' }), true);
    assert.equal(holds('StringLike', 's3:prefix', values, { 's3:prefix': 'home/Adele/a', 'aws:username': 'David' }), false);
  });

  test('unresolvable variable: that value does not match (so a negated operator is true)', () => {
    assert.equal(holds('StringEquals', 's3:prefix', '${aws:username}/', { 's3:prefix': '/' }), false);
    assert.equal(holds('StringNotEquals', 's3:prefix', '${aws:username}/', { 's3:prefix': '/' }), true);
  });

  test("default values ${key, 'default'} and the escapes ${*} ${?} ${$}", () => {
    assert.equal(holds('StringEquals', 's3:prefix', "${aws:PrincipalTag/team, 'company-wide'}/", { 's3:prefix': 'company-wide/' }), true);
    assert.equal(holds('StringEquals', 's3:prefix', "${aws:PrincipalTag/team, 'company-wide'}/", { 's3:prefix': 'yellow/', 'aws:PrincipalTag/team': 'yellow' }), true);
    assert.equal(holds('StringLike', 's3:prefix', 'a${*}b', { 's3:prefix': 'a*b' }), true, '${*} is a literal asterisk');
    assert.equal(holds('StringLike', 's3:prefix', 'a${*}b', { 's3:prefix': 'axxb' }), false);
    assert.equal(holds('StringLike', 's3:prefix', 'a${?}', { 's3:prefix': 'a?' }), true);
    assert.equal(holds('StringLike', 's3:prefix', 'a${?}', { 's3:prefix': 'ab' }), false);
    assert.equal(holds('StringEquals', 's3:prefix', 'cost${$}', { 's3:prefix': 'cost$' }), true);
  });

  test('substituted values are literal, not wildcards', () => {
    assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/x', { 's3:prefix': 'home/ab/x', 'aws:username': '*' }), false);
    assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/x', { 's3:prefix': 'home/*/x', 'aws:username': '*' }), true);
  });

  test('2008-10-17 policies have no variables: the text is literal', () => {
    assert.equal(holds('StringEquals', 's3:prefix', '${aws:username}', { 's3:prefix': 'David', 'aws:username': 'David' }, '2008-10-17'), false);
    assert.equal(holds('StringEquals', 's3:prefix', '${aws:username}', { 's3:prefix': '${aws:username}' }, '2008-10-17'), true);
  });

  test('variables work in ARN and IgnoreCase operators but not in Numeric ones', () => {
    const ctx = { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic', 'aws:PrincipalAccount': '111122223333' };
    assert.equal(holds('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:${aws:PrincipalAccount}:*', ctx), true);
    assert.equal(holds('StringEqualsIgnoreCase', 'x:name', '${aws:username}', { 'x:name': 'DAVID', 'aws:username': 'david' }), true);
    assert.equal(holds('NumericEquals', 'x:n', '${x:m}', { 'x:n': '1', 'x:m': '1' }), false);
  });

  test('a multi-valued key cannot be a variable', () => {
    assert.equal(holds('StringEquals', 's3:prefix', '${aws:TagKeys}', { 's3:prefix': 'a', 'aws:TagKeys': ['a'] }), false);
  });
});
