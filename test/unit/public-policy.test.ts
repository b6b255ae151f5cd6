// "Public" as S3 Block Public Access defines it, one rule per case of the AWS page
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../../src/iam/policy/parse-policy.js';
import { isPublicPolicy, type PublicPolicyKind } from '../../src/iam/policy/public-policy.js';

const resource = 'arn:aws:s3:::media/*';

function statement(extra: Record<string, unknown>): Record<string, unknown> {
  return { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource, ...extra };
}

function isPublic(statements: Record<string, unknown>[], kind: PublicPolicyKind = 'bucket'): boolean {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return isPublicPolicy(parsePolicy(text, { kind: 'resource', maxBytes: 20_480 }), kind);
}

const condition = (operator: string, key: string, value: string | string[]): Record<string, unknown> => ({ Condition: { [operator]: { [key]: value } } });

describe('isPublicPolicy', () => {
  const publicCases: [string, Record<string, unknown>[]][] = [
    ['Principal "*"', [statement({})]],
    ['Principal {"AWS": "*"}', [statement({ Principal: { AWS: '*' } })]],
    ['"*" among named principals', [statement({ Principal: { AWS: ['*', '111122223333'] } })]],
    ['a federated principal', [statement({ Principal: { Federated: 'graph.facebook.com' } })]],
    ['NotPrincipal (everyone but someone)', [statement({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } })]],
    ['a condition on a key that names no caller', [statement(condition('StringLike', 's3:prefix', 'home/'))]],
    ['aws:SecureTransport', [statement(condition('Bool', 'aws:SecureTransport', 'true'))]],
    ['a wildcard in a confining key', [statement(condition('StringLike', 'aws:SourceVpc', 'vpc-*'))]],
    ['a policy variable in a confining key', [statement(condition('StringEquals', 'aws:SourceAccount', '${aws:PrincipalAccount}'))]],
    ['a negated operator', [statement(condition('StringNotEquals', 'aws:SourceAccount', '111122223333'))]],
    ['an IfExists operator', [statement(condition('StringEqualsIfExists', 'aws:SourceAccount', '111122223333'))]],
    ['ForAllValues (true without the key)', [statement(condition('ForAllValues:StringEquals', 'aws:PrincipalOrgID', 'o-abc'))]],
    ['an IPv4 block broader than /8', [statement(condition('IpAddress', 'aws:SourceIp', '0.0.0.0/1'))]],
    ['one broad block among narrow ones', [statement(condition('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '64.0.0.0/7']))]],
    ['an IPv6 block broader than /32', [statement(condition('IpAddress', 'aws:SourceIp', '2001:db8::/31'))]],
    ['NotIpAddress', [statement(condition('NotIpAddress', 'aws:SourceIp', '10.0.0.0/32'))]],
    ['aws:userid AROLEID:*', [statement(condition('StringLike', 'aws:userid', 'AROAEXAMPLEROLEID:*'))]],
    ['one public statement among fixed ones', [statement({ Principal: { AWS: '111122223333' } }), statement({})]],
  ];
  for (const [what, statements] of publicCases) {
    test(`public: ${what}`, () => assert.equal(isPublic(statements), true));
  }

  const nonPublicCases: [string, Record<string, unknown>[]][] = [
    ['an account principal', [statement({ Principal: { AWS: '111122223333' } })]],
    ['a role and a service principal', [statement({ Principal: { AWS: 'arn:aws:iam::111122223333:role/R', Service: 'cloudtrail.amazonaws.com' } })]],
    ['a Deny to everyone', [statement({ Effect: 'Deny' })]],
    ['aws:SourceIp narrower than /8', [statement(condition('IpAddress', 'aws:SourceIp', ['10.0.0.0/32', '192.168.0.0/16', '10.0.0.0/8']))]],
    ['aws:SourceIp IPv6 /32 or narrower', [statement(condition('IpAddress', 'aws:SourceIp', '2001:db8::/48'))]],
    ['a fixed aws:SourceVpc', [statement(condition('StringEquals', 'aws:SourceVpc', 'vpc-91237329'))]],
    ['a fixed aws:SourceArn (ArnEquals)', [statement(condition('ArnEquals', 'aws:SourceArn', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t'))]],
    ['a fixed aws:SourceAccount, key written in another case', [statement(condition('StringEquals', 'AWS:SOURCEACCOUNT', '111122223333'))]],
    ['a fixed aws:PrincipalOrgID', [statement(condition('StringEquals', 'aws:PrincipalOrgID', 'o-abc123'))]],
    ['a fixed aws:PrincipalAccount', [statement(condition('StringEquals', 'aws:PrincipalAccount', '111122223333'))]],
    ['ForAnyValue on a fixed key', [statement(condition('ForAnyValue:StringEquals', 'aws:PrincipalOrgID', 'o-abc'))]],
    ['a fixed aws:userid', [statement(condition('StringEquals', 'aws:userid', 'AIDAEXAMPLEUSERID'))]],
    ['a fixed s3:DataAccessPointAccount', [statement(condition('StringEquals', 's3:DataAccessPointAccount', '111122223333'))]],
    ['s3:DataAccessPointArn for all access points of one account', [statement(condition('ArnLike', 's3:DataAccessPointArn', 'arn:aws:s3:us-west-2:111122223333:accesspoint/*'))]],
    ['a confining condition beside a non-confining one', [statement({ Condition: { StringLike: { 's3:prefix': '*' }, StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } })]],
  ];
  for (const [what, statements] of nonPublicCases) {
    test(`not public: ${what}`, () => assert.equal(isPublic(statements), false));
  }

  test('in an access point policy, s3:DataAccessPointArn with a wildcard is public', () => {
    const statements = [statement(condition('ArnLike', 's3:DataAccessPointArn', 'arn:aws:s3:us-west-2:111122223333:accesspoint/*'))];
    assert.equal(isPublic(statements, 'accessPoint'), true);
    assert.equal(isPublic(statements, 'bucket'), false);
  });
});
