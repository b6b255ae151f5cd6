// Micro-benchmark of authorize(): decisions per second for typical requests, policies pre-parsed.
// Run: npx tsc -p . --outDir dist-bench && node dist-bench/bench/authorize.bench.js

import { authorize, type AuthorizeInput, type ParsedPolicyRef } from '../src/iam/authorize.js';
import { parsePolicy } from '../src/iam/policy/parse-policy.js';
import type { Principal } from '../src/iam/principal.js';

const platform = '111122223333';
const partner = '222233334444';
const apArn = `arn:aws:s3:us-east-1:${platform}:accesspoint/partner-ap`;

function ref(kind: ParsedPolicyRef['kind'], doc: unknown): ParsedPolicyRef {
  const parseKind = kind === 'bucket' || kind === 'accessPoint' ? 'resource' : kind === 'trust' ? 'trust' : 'identity';
  return { source: `${kind} policy`, kind, policy: parsePolicy(JSON.stringify(doc), { kind: parseKind, maxBytes: 20_480 }) };
}

const session: Principal = {
  kind: 'AssumedRole', accountId: partner, arn: `arn:aws:sts::${partner}:assumed-role/s3push-delivery/d1`,
  principalArn: `arn:aws:iam::${partner}:role/s3push-delivery`, userId: 'AROAEXAMPLEROLEID0001:d1',
};

// The partner guide's policies: identity (3 statements), access point (2), bucket delegation (1).
const identity = ref('identity', {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadSource', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'], Resource: 'arn:aws:s3:::partner-source/*' },
    { Sid: 'Deliver', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], Resource: `${apArn}/object/prefix/*` },
    { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: apArn, Condition: { StringLike: { 's3:prefix': 'prefix/*' } } },
  ],
});
const accessPoint = ref('accessPoint', {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Objects', Effect: 'Allow', Principal: { AWS: session.principalArn }, Action: ['s3:PutObject', 's3:GetObject'], Resource: `${apArn}/object/prefix/*` },
    { Sid: 'List', Effect: 'Allow', Principal: { AWS: session.principalArn }, Action: 's3:ListBucket', Resource: apArn, Condition: { StringLike: { 's3:prefix': 'prefix/*' } } },
  ],
});
const bucket = ref('bucket', {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'RequireTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::delivery', 'arn:aws:s3:::delivery/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Delegate', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::delivery', 'arn:aws:s3:::delivery/*'], Condition: { StringEquals: { 's3:DataAccessPointAccount': platform } } },
  ],
});

function request(key: string): AuthorizeInput {
  return {
    principal: session,
    action: 's3:PutObject',
    identityPolicies: [identity],
    layers: [
      { kind: 'accessPoint', resourceArn: `${apArn}/object/${key}`, ownerAccountId: platform, policy: accessPoint },
      { kind: 'bucket', resourceArn: `arn:aws:s3:::delivery/${key}`, ownerAccountId: platform, policy: bucket },
    ],
    context: {
      'aws:SourceIp': '203.0.113.10', 'aws:SecureTransport': 'true', 'aws:CurrentTime': '2024-06-01T12:00:00Z', 'aws:EpochTime': '1717243200',
      's3:DataAccessPointAccount': platform, 's3:DataAccessPointArn': apArn, 's3:AccessPointNetworkOrigin': 'Internet',
      's3:x-amz-server-side-encryption': 'AES256', 's3:x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    },
  };
}

function bench(name: string, input: AuthorizeInput, expected: string): void {
  const check = authorize(input);
  if (check.effect !== expected) throw new Error(`${name}: expected ${expected}, got ${check.effect} (${check.reason})`);
  for (let i = 0; i < 50_000; i++) authorize(input); // warm-up
  const iterations = 500_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) authorize(input);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const perSecond = Math.round(iterations / (elapsedNs / 1e9));
  console.log(`${name.padEnd(44)} ${perSecond.toLocaleString('en-US').padStart(12)} decisions/s  ${(elapsedNs / iterations / 1000).toFixed(2)} µs/decision`);
}

console.log(`node ${process.version}`);
bench('2 layers (access point + bucket), allow', request('prefix/show/ep1/master.mov'), 'Allow');
bench('2 layers, implicit deny (outside the prefix)', request('other/show/ep1/master.mov'), 'ImplicitDeny');
bench('2 layers, explicit deny (no TLS)', { ...request('prefix/a.mov'), context: { ...request('prefix/a.mov').context, 'aws:SecureTransport': 'false' } }, 'ExplicitDeny');
bench('1 layer (source bucket read), cross-account', {
  principal: session, action: 's3:GetObject', identityPolicies: [identity],
  layers: [{ kind: 'bucket', resourceArn: 'arn:aws:s3:::partner-source/show/ep1/master.mov', ownerAccountId: partner }],
  context: { 'aws:SourceIp': '203.0.113.10', 'aws:SecureTransport': 'true' },
}, 'Allow');
