// authorize(): AWS's evaluation logic — same account, cross account, sessions, boundaries, access points, trust, root, anonymous.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessDeniedMessage, authorize, explainDecision, type AuthorizeInput, type ParsedPolicyRef, type ResourceLayer } from '../../src/iam/authorize.js';
import { parsePolicy } from '../../src/iam/policy/parse-policy.js';
import { anonymousPrincipal, type Principal } from '../../src/iam/principal.js';

const platform = '111122223333';
const partner = '222233334444';

function ref(kind: ParsedPolicyRef['kind'], doc: unknown, source = `${kind} policy`): ParsedPolicyRef {
  const parseKind = kind === 'bucket' || kind === 'accessPoint' ? 'resource' : kind === 'trust' ? 'trust' : 'identity';
  return { source, kind, policy: parsePolicy(JSON.stringify(doc), { kind: parseKind, maxBytes: 20_480 }) };
}
const statements = (...s: object[]) => ({ Version: '2012-10-17', Statement: s });

function userIn(account: string, name: string): Principal {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return { kind: 'User', accountId: account, arn, principalArn: arn, userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`, username: name };
}
function sessionOf(account: string, role: string, sessionName: string, path = ''): Principal {
  return {
    kind: 'AssumedRole', accountId: account, arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`,
    principalArn: `arn:aws:iam::${account}:role/${path}${role}`, userId: `AROAEXAMPLEROLEID0001:${sessionName}`,
  };
}
function rootOf(account: string): Principal {
  const arn = `arn:aws:iam::${account}:root`;
  return { kind: 'Root', accountId: account, arn, principalArn: arn, userId: account };
}
function bucketLayer(bucket: string, key: string | undefined, owner: string, policy?: ParsedPolicyRef): ResourceLayer {
  return { kind: 'bucket', resourceArn: `arn:aws:s3:::${bucket}${key === undefined ? '' : `/${key}`}`, ownerAccountId: owner, ...(policy ? { policy } : {}) };
}
function input(principal: Principal, action: string, layers: ResourceLayer[], extra: Partial<AuthorizeInput> = {}): AuthorizeInput {
  return { principal, action, identityPolicies: [], layers, context: {}, ...extra };
}

describe('same account (AWS evaluation-logic example: carlossalazar)', () => {
  const carlos = userIn('123456789012', 'carlossalazar');
  const identity = ref('identity', statements(
    { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*' },
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  ), 'user policy of carlossalazar');
  const bucketPolicy = ref('bucket', statements(
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/carlossalazar' }, Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
  ));

  test('an explicit Deny in the identity policy wins over everything', () => {
    const d = authorize(input(carlos, 's3:ListBucket', [bucketLayer('carlossalazar-logs', undefined, '123456789012')], { identityPolicies: [identity] }));
    assert.equal(d.effect, 'ExplicitDeny');
    assert.equal(d.reason, 'an explicit deny in an identity-based policy');
    assert.deepEqual(d.statements, [{ source: 'user policy of carlossalazar', kind: 'identity', sid: 'DenyS3Logs', index: 2, effect: 'Deny' }]);
    assert.equal(d.layer, 'arn:aws:s3:::carlossalazar-logs');
  });

  test('allowed by the identity policy and by the bucket policy', () => {
    const d = authorize(input(carlos, 's3:PutObject', [bucketLayer('carlossalazar', 'f.txt', '123456789012', bucketPolicy)], { identityPolicies: [identity] }));
    assert.equal(d.effect, 'Allow');
    assert.equal(d.reason, '');
    assert.deepEqual(d.statements.map((s) => s.sid ?? s.kind), ['AllowS3Self']);
  });

  test('either side alone suffices within one account', () => {
    const layer = bucketLayer('carlossalazar', 'f.txt', '123456789012', bucketPolicy);
    assert.equal(authorize(input(carlos, 's3:PutObject', [layer])).effect, 'Allow', 'bucket policy names the user');
    assert.equal(authorize(input(carlos, 's3:PutObject', [bucketLayer('carlossalazar', 'f.txt', '123456789012')], { identityPolicies: [identity] })).effect, 'Allow');
    const none = authorize(input(carlos, 's3:PutObject', [bucketLayer('carlossalazar', 'f.txt', '123456789012')]));
    assert.equal(none.effect, 'ImplicitDeny');
    assert.equal(none.reason, 'no identity-based policy allows the s3:PutObject action');
    assert.equal(none.crossAccount, false);
  });

  test('a bucket policy naming only the account delegates to IAM: it grants nothing by itself', () => {
    const byAccount = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:*', Resource: 'arn:aws:s3:::carlossalazar/*' }));
    const d = authorize(input(carlos, 's3:GetObject', [bucketLayer('carlossalazar', 'f', '123456789012', byAccount)]));
    assert.equal(d.effect, 'ImplicitDeny');
    assert.equal(d.reason, 'no identity-based policy allows the s3:GetObject action');
    const everyone = ref('bucket', statements({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::carlossalazar/*' }));
    assert.equal(authorize(input(carlos, 's3:GetObject', [bucketLayer('carlossalazar', 'f', '123456789012', everyone)])).effect, 'Allow', '"*" grants directly');
  });
});

describe('cross account (AWS example: Production bucket)', () => {
  const carlos = userIn('111111111111', 'carlossalazar');
  const identity = ref('identity', statements(
    { Sid: 'AllowS3ProductionObjectActions', Effect: 'Allow', Action: 's3:*Object*', Resource: 'arn:aws:s3:::Production/*' },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::*log*', 'arn:aws:s3:::*log*/*'] },
  ));
  const production = ref('bucket', statements({
    Effect: 'Allow', Action: ['s3:GetObject*', 's3:PutObject*', 's3:ReplicateObject', 's3:RestoreObject'],
    Principal: { AWS: 'arn:aws:iam::111111111111:user/carlossalazar' }, Resource: 'arn:aws:s3:::Production/*',
  }));

  test('identity allows and the bucket policy names the user → Allow', () => {
    const d = authorize(input(carlos, 's3:PutObject', [bucketLayer('Production', 'f', '222222222222', production)], { identityPolicies: [identity] }));
    assert.equal(d.effect, 'Allow');
    assert.deepEqual(d.statements.map((s) => s.kind), ['identity', 'bucket']);
  });

  test('explicit deny for the logs bucket in the trusted account', () => {
    const d = authorize(input(carlos, 's3:PutObject', [bucketLayer('Production-logs', 'f', '222222222222')], { identityPolicies: [identity] }));
    assert.equal(d.effect, 'ExplicitDeny');
    assert.equal(d.crossAccount, true);
  });

  test('both evaluations must allow', () => {
    const noBucketGrant = authorize(input(carlos, 's3:PutObject', [bucketLayer('Production', 'f', '222222222222')], { identityPolicies: [identity] }));
    assert.equal(noBucketGrant.effect, 'ImplicitDeny');
    assert.equal(noBucketGrant.reason, 'no resource-based policy allows the s3:PutObject action');
    assert.equal(noBucketGrant.crossAccount, true);
    const noIdentity = authorize(input(carlos, 's3:PutObject', [bucketLayer('Production', 'f', '222222222222', production)]));
    assert.equal(noIdentity.reason, 'no identity-based policy allows the s3:PutObject action');
    const deleteNotGranted = authorize(input(carlos, 's3:DeleteObject', [bucketLayer('Production', 'f', '222222222222', production)], { identityPolicies: [identity] }));
    assert.equal(deleteNotGranted.reason, 'no resource-based policy allows the s3:DeleteObject action');
  });

  test('naming the whole trusted account works cross-account (with the identity allow)', () => {
    const byAccount = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::Production/*' }));
    assert.equal(authorize(input(carlos, 's3:PutObject', [bucketLayer('Production', 'f', '222222222222', byAccount)], { identityPolicies: [identity] })).effect, 'Allow');
  });
});

describe('role sessions, session policies and permissions boundaries', () => {
  const s = sessionOf(platform, 'ingest', 'run-1');
  const roleS3 = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'inline policy s3 of role ingest');
  const getOnly = ref('session', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'session policy');
  const layer = (policy?: ParsedPolicyRef) => bucketLayer('media', 'a.mov', platform, policy);

  test('session policy intersects the role policies', () => {
    assert.equal(authorize(input(s, 's3:GetObject', [layer()], { identityPolicies: [roleS3], sessionPolicies: [getOnly] })).effect, 'Allow');
    const put = authorize(input(s, 's3:PutObject', [layer()], { identityPolicies: [roleS3], sessionPolicies: [getOnly] }));
    assert.equal(put.effect, 'ImplicitDeny');
    assert.equal(put.reason, 'no session policy allows the s3:PutObject action');
    const noRole = authorize(input(s, 's3:GetObject', [layer()], { sessionPolicies: [getOnly] }));
    assert.equal(noRole.reason, 'no identity-based policy allows the s3:GetObject action', 'a session policy grants nothing by itself');
    assert.equal(authorize(input(s, 's3:PutObject', [layer()], { identityPolicies: [roleS3], sessionPolicies: [] })).effect, 'Allow', 'an empty list means no session policy');
  });

  test('several session policies (inline + PolicyArns) are one combined limit', () => {
    const putOnly = ref('session', statements({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }), 'managed session policy');
    assert.equal(authorize(input(s, 's3:PutObject', [layer()], { identityPolicies: [roleS3], sessionPolicies: [getOnly, putOnly] })).effect, 'Allow');
    assert.equal(authorize(input(s, 's3:DeleteObject', [layer()], { identityPolicies: [roleS3], sessionPolicies: [getOnly, putOnly] })).effect, 'ImplicitDeny');
  });

  test('a bucket policy naming the role ARN matches its sessions, but stays limited by the session policy', () => {
    const toRole = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${platform}:role/ingest` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*' }));
    assert.equal(authorize(input(s, 's3:PutObject', [layer(toRole)])).effect, 'Allow', 'no identity policy needed in the same account');
    const limited = authorize(input(s, 's3:PutObject', [layer(toRole)], { sessionPolicies: [getOnly] }));
    assert.equal(limited.effect, 'ImplicitDeny');
  });

  test('a bucket policy naming the session ARN is not limited by the session policy (same account, as AWS documents)', () => {
    const toSession = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: s.arn }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*' }));
    assert.equal(authorize(input(s, 's3:PutObject', [layer(toSession)], { sessionPolicies: [getOnly] })).effect, 'Allow');
    const other = sessionOf(platform, 'ingest', 'run-2');
    assert.equal(authorize(input(other, 's3:PutObject', [layer(toSession)])).effect, 'ImplicitDeny', 'another session of the role is not named');
  });

  test('cross account, a grant to the session ARN does not bypass the trusted account\'s session policy', () => {
    const ps = sessionOf(partner, 'delivery', 's1');
    const toSession = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: ps.arn }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*' }));
    const role = ref('identity', statements({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }));
    assert.equal(authorize(input(ps, 's3:PutObject', [layer(toSession)], { identityPolicies: [role] })).effect, 'Allow');
    const d = authorize(input(ps, 's3:PutObject', [layer(toSession)], { identityPolicies: [role], sessionPolicies: [getOnly] }));
    assert.equal(d.effect, 'ImplicitDeny');
    assert.equal(d.reason, 'no session policy allows the s3:PutObject action');
  });

  test('permissions boundary intersects identity policies; a bucket policy naming the user is not limited by it', () => {
    const u = userIn(platform, 'ops');
    const boundary = ref('permissionsBoundary', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'boundary ReadOnly');
    const all = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    assert.equal(authorize(input(u, 's3:GetObject', [layer()], { identityPolicies: [all], permissionsBoundary: boundary })).effect, 'Allow');
    const put = authorize(input(u, 's3:PutObject', [layer()], { identityPolicies: [all], permissionsBoundary: boundary }));
    assert.equal(put.reason, 'no permissions boundary allows the s3:PutObject action');
    const toUser = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: u.arn }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*' }));
    assert.equal(authorize(input(u, 's3:PutObject', [layer(toUser)], { identityPolicies: [all], permissionsBoundary: boundary })).effect, 'Allow');
    const toRole = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${platform}:role/ingest` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*' }));
    assert.equal(authorize(input(s, 's3:PutObject', [layer(toRole)], { permissionsBoundary: boundary })).effect, 'ImplicitDeny', 'role grants are limited by the boundary');
  });
});

describe('explicit Deny in every kind of policy overrides an Allow', () => {
  const s = sessionOf(partner, 'delivery', 's1');
  const apArn = `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/a.txt`;
  const allowAll = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
  const apAllow = { Sid: 'Grant', Effect: 'Allow', Principal: { AWS: s.principalArn }, Action: 's3:*', Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/*` };
  const bucketAllow = { Sid: 'Delegate', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::media', 'arn:aws:s3:::media/*'], Condition: { StringEquals: { 's3:DataAccessPointAccount': platform } } };
  const denyPut = (extra: object = {}) => ({ Sid: 'NoPut', Effect: 'Deny', Action: 's3:PutObject', Resource: '*', ...extra });
  const build = (over: Partial<AuthorizeInput> & { ap?: object[]; bucket?: object[] } = {}): AuthorizeInput => {
    const { ap = [apAllow], bucket = [bucketAllow], ...rest } = over;
    return input(s, 's3:PutObject', [
      { kind: 'accessPoint', resourceArn: apArn, ownerAccountId: platform, policy: ref('accessPoint', statements(...ap)) },
      bucketLayer('media', 'prefix/a.txt', platform, ref('bucket', statements(...bucket))),
    ], { identityPolicies: [allowAll], context: { 's3:DataAccessPointAccount': platform, 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${platform}:accesspoint/ap` }, ...rest });
  };

  test('baseline: allowed', () => assert.equal(authorize(build()).effect, 'Allow'));

  test('identity policy', () => {
    const d = authorize(build({ identityPolicies: [allowAll, ref('identity', statements(denyPut()), 'deny policy')] }));
    assert.equal(d.effect, 'ExplicitDeny');
    assert.equal(d.reason, 'an explicit deny in an identity-based policy');
    assert.deepEqual(d.statements, [{ source: 'deny policy', kind: 'identity', sid: 'NoPut', index: 0, effect: 'Deny' }], 'one statement, though it matched both layers');
  });

  test('session policy', () => {
    const d = authorize(build({ sessionPolicies: [ref('session', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, denyPut()))] }));
    assert.equal(d.reason, 'an explicit deny in a session policy');
  });

  test('permissions boundary', () => {
    const d = authorize(build({ permissionsBoundary: ref('permissionsBoundary', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, denyPut())) }));
    assert.equal(d.reason, 'an explicit deny in a permissions boundary');
  });

  test('access point policy', () => {
    const d = authorize(build({ ap: [apAllow, { ...denyPut(), Principal: '*' }] }));
    assert.equal(d.reason, 'an explicit deny in a resource-based policy');
    assert.equal(d.statements[0]!.kind, 'accessPoint');
    assert.equal(d.layer, apArn);
  });

  test('bucket policy (e.g. require SSE: StringNotEquals on a missing header key is true)', () => {
    const requireSse = { Sid: 'RequireSSE', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::media/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } } };
    const d = authorize(build({ bucket: [bucketAllow, requireSse] }));
    assert.equal(d.effect, 'ExplicitDeny');
    assert.equal(d.layer, 'arn:aws:s3:::media/prefix/a.txt');
    const ok = authorize(build({ bucket: [bucketAllow, requireSse], context: { 's3:DataAccessPointAccount': platform, 's3:x-amz-server-side-encryption': 'AES256' } }));
    assert.equal(ok.effect, 'Allow');
  });
});

describe('access points (aws-semantics §1.5, §1.6)', () => {
  const apBase = `arn:aws:s3:us-east-1:${platform}:accesspoint/ap`;
  const delegation = ref('bucket', statements({
    Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::media', 'arn:aws:s3:::media/*'],
    Condition: { StringEquals: { 's3:DataAccessPointAccount': platform } },
  }), 'bucket policy of media');
  const apContext = { 's3:DataAccessPointAccount': platform, 's3:DataAccessPointArn': apBase, 's3:AccessPointNetworkOrigin': 'Internet' };
  const viaAp = (principal: Principal, action: string, key: string, apPolicy: ParsedPolicyRef | undefined, bucketPolicy: ParsedPolicyRef | undefined, extra: Partial<AuthorizeInput> = {}): AuthorizeInput =>
    input(principal, action, [
      { kind: 'accessPoint', resourceArn: `${apBase}/object/${key}`, ownerAccountId: platform, ...(apPolicy ? { policy: apPolicy } : {}) },
      bucketLayer('media', key, platform, bucketPolicy),
    ], { context: apContext, ...extra });

  describe('the partner guide: a role in 222233334444 writes under its prefix', () => {
    const partnerSession = sessionOf(partner, 's3push-delivery', 'delivery-1');
    const partnerIdentity = ref('identity', statements({
      Sid: 'DeliverThroughAccessPoint', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'],
      Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/*`,
    }, {
      Sid: 'ListPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap`,
      Condition: { StringLike: { 's3:prefix': 'prefix/*' } },
    }), 'inline policy s3push-delivery of role s3push-delivery');
    const apPolicy = ref('accessPoint', statements({
      Sid: 'PartnerRoles', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partner}:role/s3push-delivery` },
      Action: ['s3:PutObject', 's3:GetObject'], Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/*`,
    }, {
      Sid: 'PartnerList', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partner}:role/s3push-delivery` },
      Action: 's3:ListBucket', Resource: apBase, Condition: { StringLike: { 's3:prefix': 'prefix/*' } },
    }), 'access point policy of ap');
    const identityPolicies = [partnerIdentity];

    test('PutObject under the prefix is allowed, and says which statements granted it', () => {
      const d = authorize(viaAp(partnerSession, 's3:PutObject', 'prefix/show/ep1.mov', apPolicy, delegation, { identityPolicies }));
      assert.equal(d.effect, 'Allow');
      assert.deepEqual(d.statements.map((s) => `${s.kind}:${s.sid ?? s.index}`), ['identity:DeliverThroughAccessPoint', 'accessPoint:PartnerRoles', 'bucket:0']);
    });

    test('outside the prefix: denied, the identity policy does not cover it', () => {
      const d = authorize(viaAp(partnerSession, 's3:PutObject', 'other/ep1.mov', apPolicy, delegation, { identityPolicies }));
      assert.equal(d.effect, 'ImplicitDeny');
      assert.equal(d.reason, 'no identity-based policy allows the s3:PutObject action');
      assert.equal(d.layer, `${apBase}/object/other/ep1.mov`);
      assert.equal(
        accessDeniedMessage(partnerSession.arn, 's3:PutObject', d.layer!, d),
        `User: arn:aws:sts::${partner}:assumed-role/s3push-delivery/delivery-1 is not authorized to perform: s3:PutObject on resource: "${apBase}/object/other/ep1.mov" because no identity-based policy allows the s3:PutObject action`,
      );
    });

    test('the access point policy must grant the cross-account role even when the identity policy allows', () => {
      const wide = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
      const d = authorize(viaAp(partnerSession, 's3:DeleteObject', 'prefix/a', apPolicy, delegation, { identityPolicies: [wide] }));
      assert.equal(d.reason, 'no resource-based policy allows the s3:DeleteObject action');
      assert.equal(d.layer, `${apBase}/object/prefix/a`);
    });

    test('without the delegating bucket policy the bucket layer denies', () => {
      const d = authorize(viaAp(partnerSession, 's3:PutObject', 'prefix/a', apPolicy, undefined, { identityPolicies }));
      assert.equal(d.effect, 'ImplicitDeny');
      assert.equal(d.layer, 'arn:aws:s3:::media/prefix/a');
      assert.equal(d.reason, 'no resource-based policy allows the s3:PutObject action');
    });

    test('another partner role of the same account is not granted by the access point policy', () => {
      const other = sessionOf(partner, 'someone-else', 'x');
      const d = authorize(viaAp(other, 's3:PutObject', 'prefix/a', apPolicy, delegation, { identityPolicies }));
      assert.equal(d.reason, 'no resource-based policy allows the s3:PutObject action');
    });

    test('ListBucket through the access point, with the s3:prefix condition on both sides', () => {
      const list = (prefix: string) => authorize(input(partnerSession, 's3:ListBucket', [
        { kind: 'accessPoint', resourceArn: apBase, ownerAccountId: platform, policy: apPolicy },
        bucketLayer('media', undefined, platform, delegation),
      ], { identityPolicies, context: { ...apContext, 's3:prefix': prefix } }));
      assert.equal(list('prefix/show/').effect, 'Allow');
      assert.equal(list('other/').effect, 'ImplicitDeny');
    });

    test('the same role going to the bucket directly (no access point) is denied', () => {
      const d = authorize(input(partnerSession, 's3:PutObject', [bucketLayer('media', 'prefix/a', platform, delegation)], { identityPolicies }));
      assert.equal(d.effect, 'ImplicitDeny');
    });
  });

  test('a bucket Deny with StringNotEquals s3:DataAccessPointAccount blocks direct access only', () => {
    const onlyViaAp = ref('bucket', statements({
      Sid: 'OnlyThroughAccessPoints', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::media', 'arn:aws:s3:::media/*'],
      Condition: { StringNotEquals: { 's3:DataAccessPointAccount': platform } },
    }, {
      Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::media', 'arn:aws:s3:::media/*'],
      Condition: { StringEquals: { 's3:DataAccessPointAccount': platform } },
    }));
    const u = userIn(platform, 'editor');
    const identity = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::media/*', `${apBase}/object/*`] }));
    const direct = authorize(input(u, 's3:GetObject', [bucketLayer('media', 'k', platform, onlyViaAp)], { identityPolicies: [identity] }));
    assert.equal(direct.effect, 'ExplicitDeny');
    assert.deepEqual(direct.statements.map((s) => s.sid), ['OnlyThroughAccessPoints']);
    assert.equal(authorize(viaAp(u, 's3:GetObject', 'k', undefined, onlyViaAp, { identityPolicies: [identity] })).effect, 'Allow');
  });

  test('same account: the identity policy naming the access point ARN is enough with a delegating bucket policy', () => {
    const u = userIn(platform, 'editor');
    const apOnly = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${apBase}/object/*` }));
    assert.equal(authorize(viaAp(u, 's3:GetObject', 'k', undefined, delegation, { identityPolicies: [apOnly] })).effect, 'Allow');
    const d = authorize(viaAp(u, 's3:GetObject', 'k', undefined, undefined, { identityPolicies: [apOnly] }));
    assert.equal(d.effect, 'ImplicitDeny', 'without delegation the identity policy must also name the bucket');
    assert.equal(d.layer, 'arn:aws:s3:::media/k');
    assert.equal(d.reason, 'no identity-based policy allows the s3:GetObject action');
    const both = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: [`${apBase}/object/*`, 'arn:aws:s3:::media/*'] }));
    assert.equal(authorize(viaAp(u, 's3:GetObject', 'k', undefined, undefined, { identityPolicies: [both] })).effect, 'Allow', 'identity naming both ARNs needs no resource policy');
  });

  test('cross-account access point: the bucket owner must delegate to the access point account', () => {
    const apOwner = '333344445555';
    const u = userIn(apOwner, 'ops');
    const identity = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    const layers = (bucketPolicy?: ParsedPolicyRef): ResourceLayer[] => [
      { kind: 'accessPoint', resourceArn: `arn:aws:s3:us-east-1:${apOwner}:accesspoint/x/object/k`, ownerAccountId: apOwner },
      bucketLayer('media', 'k', platform, bucketPolicy),
    ];
    const context = { 's3:DataAccessPointAccount': apOwner };
    assert.equal(authorize(input(u, 's3:GetObject', layers(delegation), { identityPolicies: [identity], context })).effect, 'ImplicitDeny', 'delegation names the platform account only');
    const toApAccount = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: 'arn:aws:s3:::media/*', Condition: { StringEquals: { 's3:DataAccessPointAccount': apOwner } } }));
    assert.equal(authorize(input(u, 's3:GetObject', layers(toApAccount), { identityPolicies: [identity], context })).effect, 'Allow');
  });
});

describe('root user and anonymous callers', () => {
  test('root of the owning account: allowed everything, except an explicit Deny in a resource policy', () => {
    const root = rootOf(platform);
    assert.equal(authorize(input(root, 's3:DeleteBucket', [bucketLayer('media', undefined, platform)])).effect, 'Allow');
    const deny = ref('bucket', statements({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::media' }));
    const d = authorize(input(root, 's3:DeleteBucket', [bucketLayer('media', undefined, platform, deny)]));
    assert.equal(d.effect, 'ExplicitDeny');
    assert.equal(d.reason, 'an explicit deny in a resource-based policy');
  });

  test('root of another account needs the resource policy to grant its account', () => {
    const root = rootOf(partner);
    assert.equal(authorize(input(root, 's3:GetObject', [bucketLayer('media', 'k', platform)])).reason, 'no resource-based policy allows the s3:GetObject action');
    const grant = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: partner }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/*' }));
    assert.equal(authorize(input(root, 's3:GetObject', [bucketLayer('media', 'k', platform, grant)])).effect, 'Allow');
  });

  test('anonymous: only what a resource policy grants to "*"; never through an access point', () => {
    const publicRead = ref('bucket', statements({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }));
    const awsStar = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }));
    const toAccount = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: platform }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }));
    assert.equal(authorize(input(anonymousPrincipal, 's3:GetObject', [bucketLayer('site', 'index.html', platform, publicRead)])).effect, 'Allow');
    assert.equal(authorize(input(anonymousPrincipal, 's3:GetObject', [bucketLayer('site', 'index.html', platform, awsStar)])).effect, 'Allow');
    assert.equal(authorize(input(anonymousPrincipal, 's3:PutObject', [bucketLayer('site', 'index.html', platform, publicRead)])).reason, 'no resource-based policy allows the s3:PutObject action');
    assert.equal(authorize(input(anonymousPrincipal, 's3:GetObject', [bucketLayer('site', 'index.html', platform, toAccount)])).effect, 'ImplicitDeny');
    const viaAp = authorize(input(anonymousPrincipal, 's3:GetObject', [
      { kind: 'accessPoint', resourceArn: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/k`, ownerAccountId: platform, policy: ref('accessPoint', statements({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' })) },
      bucketLayer('site', 'k', platform, publicRead),
    ]));
    assert.equal(viaAp.reason, 'access points do not accept anonymous requests');
  });

  test('anonymous callers have aws:PrincipalType Anonymous and aws:userid anonymous', () => {
    const policy = ref('bucket', statements({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Anonymous', 'aws:userid': 'anonymous' } } }));
    assert.equal(authorize(input(anonymousPrincipal, 's3:GetObject', [bucketLayer('site', 'k', platform, policy)])).effect, 'Allow');
  });
});

describe('role trust policies (sts:AssumeRole, aws-semantics §4.3)', () => {
  const roleArn = `arn:aws:iam::${platform}:role/s3push-partner`;
  const roleLayer = (policy: ParsedPolicyRef): ResourceLayer => ({ kind: 'role', resourceArn: roleArn, ownerAccountId: platform, policy });
  const assume = ref('identity', statements({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }));

  test('same account: naming the user suffices; naming only the account needs the identity allow', () => {
    const u = userIn(platform, 'ops');
    const toUser = ref('trust', statements({ Effect: 'Allow', Principal: { AWS: u.arn }, Action: 'sts:AssumeRole' }));
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(toUser)])).effect, 'Allow');
    const toAccount = ref('trust', statements({ Effect: 'Allow', Principal: { AWS: platform }, Action: 'sts:AssumeRole' }));
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(toAccount)])).reason, 'no identity-based policy allows the sts:AssumeRole action');
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(toAccount)], { identityPolicies: [assume] })).effect, 'Allow');
  });

  test('identity allow alone is not enough: the trust policy must name the caller', () => {
    const u = userIn(platform, 'ops');
    const other = ref('trust', statements({ Effect: 'Allow', Principal: { AWS: partner }, Action: 'sts:AssumeRole' }));
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(other)], { identityPolicies: [assume] })).reason, 'no resource-based policy allows the sts:AssumeRole action');
  });

  test('cross account with sts:ExternalId; a trusted account\'s root may assume (s3push allows what AWS refuses)', () => {
    const u = userIn(partner, 'deployer');
    const trust = ref('trust', statements({ Effect: 'Allow', Principal: { AWS: partner }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }));
    const partnerAssume = ref('identity', statements({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }));
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(trust)], { identityPolicies: [partnerAssume], context: { 'sts:ExternalId': 'ext-123' } })).effect, 'Allow');
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(trust)], { identityPolicies: [partnerAssume], context: { 'sts:ExternalId': 'wrong' } })).effect, 'ImplicitDeny');
    assert.equal(authorize(input(u, 'sts:AssumeRole', [roleLayer(trust)], { context: { 'sts:ExternalId': 'ext-123' } })).reason, 'no identity-based policy allows the sts:AssumeRole action');
    assert.equal(authorize(input(rootOf(partner), 'sts:AssumeRole', [roleLayer(trust)], { context: { 'sts:ExternalId': 'ext-123' } })).effect, 'Allow');
    assert.equal(authorize(input(rootOf(partner), 'sts:AssumeRole', [roleLayer(trust)], { context: { 'sts:ExternalId': 'wrong' } })).effect, 'ImplicitDeny');
    assert.equal(authorize(input(rootOf('999988887777'), 'sts:AssumeRole', [roleLayer(trust)], { context: { 'sts:ExternalId': 'ext-123' } })).reason, 'no resource-based policy allows the sts:AssumeRole action');
  });

  test('role chaining: a trust policy naming a role matches its sessions', () => {
    const chained = sessionOf(partner, 'ci', 'build-7');
    const trust = ref('trust', statements({ Effect: 'Allow', Principal: { AWS: chained.principalArn }, Action: 'sts:AssumeRole' }));
    const ciPolicy = ref('identity', statements({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    assert.equal(authorize(input(chained, 'sts:AssumeRole', [roleLayer(trust)], { identityPolicies: [ciPolicy] })).effect, 'Allow');
  });
});

describe('NotPrincipal with Deny', () => {
  const bob = userIn(platform, 'Bob');
  const alice = userIn(platform, 'Alice');
  const allowBoth = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
  const exceptBob = (names: string[]) => ref('bucket', statements({ Effect: 'Deny', NotPrincipal: { AWS: names }, Action: 's3:*', Resource: ['arn:aws:s3:::audit', 'arn:aws:s3:::audit/*'] }));

  test('everyone except Bob (listed with his account) is denied', () => {
    const policy = exceptBob([bob.arn, `arn:aws:iam::${platform}:root`]);
    assert.equal(authorize(input(bob, 's3:GetObject', [bucketLayer('audit', 'k', platform, policy)], { identityPolicies: [allowBoth] })).effect, 'Allow');
    assert.equal(authorize(input(alice, 's3:GetObject', [bucketLayer('audit', 'k', platform, policy)], { identityPolicies: [allowBoth] })).effect, 'ExplicitDeny');
    assert.equal(authorize(input(anonymousPrincipal, 's3:GetObject', [bucketLayer('audit', 'k', platform, policy)])).effect, 'ExplicitDeny');
  });

  test('without the account ARN the account facet is denied, so Bob is too (AWS\'s warning)', () => {
    const policy = exceptBob([bob.arn]);
    assert.equal(authorize(input(bob, 's3:GetObject', [bucketLayer('audit', 'k', platform, policy)], { identityPolicies: [allowBoth] })).effect, 'ExplicitDeny');
  });

  test('a principal with a permissions boundary is always denied by NotPrincipal + Deny (AWS)', () => {
    const policy = exceptBob([bob.arn, `arn:aws:iam::${platform}:root`]);
    const boundary = ref('permissionsBoundary', statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    assert.equal(authorize(input(bob, 's3:GetObject', [bucketLayer('audit', 'k', platform, policy)], { identityPolicies: [allowBoth], permissionsBoundary: boundary })).effect, 'ExplicitDeny');
  });
});

describe('condition context and variables', () => {
  test('aws:username, aws:PrincipalAccount, aws:PrincipalArn are filled from the principal', () => {
    const david = userIn(platform, 'David');
    const home = ref('identity', statements({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { StringEquals: { 'aws:PrincipalAccount': platform, 'aws:PrincipalType': 'User' }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${platform}:user/*` } } }));
    assert.equal(authorize(input(david, 's3:PutObject', [bucketLayer('home', 'David/a', platform)], { identityPolicies: [home] })).effect, 'Allow');
    assert.equal(authorize(input(david, 's3:PutObject', [bucketLayer('home', 'Adele/a', platform)], { identityPolicies: [home] })).effect, 'ImplicitDeny');
  });

  test('a role session: aws:PrincipalArn is the role ARN (ArnLike with a wildcard, the alternative to partial-wildcard principals)', () => {
    const s = sessionOf(partner, 'delivery', 's1', 'partners/');
    const policy = ref('bucket', statements({
      Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/partners/*' } },
    }));
    const role = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    assert.equal(authorize(input(s, 's3:GetObject', [bucketLayer('media', 'k', platform, policy)], { identityPolicies: [role] })).effect, 'Allow');
    const other = sessionOf(partner, 'delivery', 's1');
    assert.equal(authorize(input(other, 's3:GetObject', [bucketLayer('media', 'k', platform, policy)], { identityPolicies: [role] })).effect, 'ImplicitDeny');
  });

  test('context keys given by the caller win over the filled ones and may use any case', () => {
    const u = userIn(platform, 'ops');
    const policy = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'true' } } }));
    const layers = [bucketLayer('media', 'k', platform)];
    assert.equal(authorize(input(u, 's3:GetObject', layers, { identityPolicies: [policy], context: { 'AWS:SourceIP': '10.1.2.3', 'aws:SecureTransport': 'true' } })).effect, 'Allow');
    assert.equal(authorize(input(u, 's3:GetObject', layers, { identityPolicies: [policy], context: { 'aws:SourceIp': '192.0.2.1', 'aws:SecureTransport': 'true' } })).effect, 'ImplicitDeny');
  });
});

describe('programmer errors', () => {
  test('a policy parsed with the wrong kind is refused (a bucket policy parsed as identity would apply to everyone)', () => {
    const u = userIn(platform, 'ops');
    const asIdentity: ParsedPolicyRef = { source: 'bucket policy parsed wrongly', kind: 'bucket', policy: parsePolicy(JSON.stringify(statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' })), { kind: 'identity', maxBytes: 1000 }) };
    assert.throws(() => authorize(input(u, 's3:GetObject', [bucketLayer('media', 'k', platform, asIdentity)])), /must be parsed with kind 'resource'/);
    const bucketAsIdentity = { ...ref('bucket', statements({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' })), kind: 'identity' as const };
    assert.throws(() => authorize(input(u, 's3:GetObject', [bucketLayer('media', 'k', platform)], { identityPolicies: [bucketAsIdentity] })), /must be parsed with kind 'identity'/);
    assert.throws(() => authorize(input(u, 's3:GetObject', [])), /at least one resource layer/);
  });
});

describe('accessDeniedMessage and explainDecision', () => {
  test('explicit deny wording', () => {
    const m = accessDeniedMessage('arn:aws:iam::1:user/u', 's3:GetObject', 'arn:aws:s3:::b/k', { effect: 'ExplicitDeny', reason: 'an explicit deny in a resource-based policy', statements: [] });
    assert.equal(m, 'User: arn:aws:iam::1:user/u is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a resource-based policy');
  });

  test('explain names the layers, what allowed each side and what to change', () => {
    const s = sessionOf(partner, 's3push-delivery', 'd1');
    const identity = ref('identity', statements({ Sid: 'Deliver', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/*` }), 'inline policy s3push-delivery of role s3push-delivery');
    const ap = ref('accessPoint', statements({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: s.principalArn }, Action: 's3:PutObject', Resource: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/*` }), 'access point policy of ap');
    const req = input(s, 's3:PutObject', [
      { kind: 'accessPoint', resourceArn: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/prefix/a`, ownerAccountId: platform, policy: ap },
      bucketLayer('media', 'prefix/a', platform),
    ], { identityPolicies: [identity], context: { 's3:DataAccessPointAccount': platform } });
    const d = authorize(req);
    assert.equal(d.effect, 'ImplicitDeny');
    const text = explainDecision(req, d);
    assert.match(text, /^Decision: ImplicitDeny: no resource-based policy allows the s3:PutObject action/);
    assert.match(text, /Layer 1: access point arn:aws:s3:us-east-1:111122223333:accesspoint\/ap\/object\/prefix\/a \(owner 111122223333, cross-account\)/);
    assert.match(text, /identity-based policies: allowed by inline policy s3push-delivery of role s3push-delivery, statement 0 \(Sid Deliver\)/);
    assert.match(text, /access point policy: access point policy of ap, statement 0 \(Sid Partner\) names the caller's role/);
    assert.match(text, /Layer 2: bucket arn:aws:s3:::media\/prefix\/a \(owner 111122223333, cross-account, reached through the access point\)/);
    assert.match(text, /Layer 2[^\n]*\n  identity-based policies: not consulted here/);
    assert.match(text, /bucket policy: none/);
    assert.match(text, /→ this layer denies: no resource-based policy allows the s3:PutObject action/);
    assert.match(text, /What to change: account 111122223333 must allow arn:aws:iam::222233334444:role\/s3push-delivery to s3:PutObject on "arn:aws:s3:::media\/prefix\/a" in the bucket policy\.$/);
  });

  test('explain lists every missing piece: identity allow and the resource owner\'s grant', () => {
    const s = sessionOf(partner, 's3push-delivery', 'd1');
    const req = input(s, 's3:PutObject', [
      { kind: 'accessPoint', resourceArn: `arn:aws:s3:us-east-1:${platform}:accesspoint/ap/object/other/a`, ownerAccountId: platform },
      bucketLayer('media', 'other/a', platform),
    ]);
    const d = authorize(req);
    const text = explainDecision(req, d);
    assert.match(text, /What to change: add an Allow for s3:PutObject on "arn:aws:s3:us-east-1:111122223333:accesspoint\/ap\/object\/other\/a" to the caller's identity-based policy \(the IAM policy of arn:aws:iam::222233334444:role\/s3push-delivery\); and account 111122223333 must allow arn:aws:iam::222233334444:role\/s3push-delivery to s3:PutObject on "[^"]+" in the access point policy\./);
  });

  test('explain for an explicit deny points at the statement', () => {
    const u = userIn(platform, 'ops');
    const req = input(u, 's3:GetObject', [bucketLayer('media', 'k', platform, ref('bucket', statements({ Sid: 'Lock', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::media/*' }), 'bucket policy of media'))]);
    const text = explainDecision(req, authorize(req));
    assert.match(text, /explicit Deny: bucket policy of media, statement 0 \(Sid Lock\)/);
    assert.match(text, /What to change: remove or narrow bucket policy of media, statement 0 \(Sid Lock\) in the bucket policy/);
  });
});
