// S3 ACL grants as an input of authorize(): who a grant names, how it combines with policies (a Deny wins,
// cross-account callers still need their identity side), what it reports as the deciding "statement", and how
// an S3 request becomes layers with ACL grants (s3AuthorizeInput: bucket vs object ACL, object owners,
// BucketOwnerEnforced, IgnorePublicAcls). AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, explainDecision, type AclGrantRef, type AuthorizeInput, type ParsedPolicyRef, type ResourceLayer } from '../../src/iam/authorize.js';
import { aclPermissionAllows, aclScopeOf, aclsEnabled, effectiveObjectOwner, isPublicAcl } from '../../src/iam/acl-permissions.js';
import { PolicyCache } from '../../src/iam/identity-policies.js';
import { parsePolicy } from '../../src/iam/policy/parse-policy.js';
import { anonymousPrincipal, type Principal } from '../../src/iam/principal.js';
import { s3AuthorizeInput, type S3Target } from '../../src/iam/s3-authorization.js';
import type { AclGrant, BucketRecord } from '../../src/storage/types.js';

const owner = '111122223333';
const other = '222233334444';

function rootOf(account: string): Principal {
  const arn = `arn:aws:iam::${account}:root`;
  return { kind: 'Root', accountId: account, arn, principalArn: arn, userId: account };
}
function userIn(account: string, name: string): Principal {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return { kind: 'User', accountId: account, arn, principalArn: arn, userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`, username: name };
}
function ref(kind: ParsedPolicyRef['kind'], doc: unknown): ParsedPolicyRef {
  return { source: `${kind} policy`, kind, policy: parsePolicy(JSON.stringify(doc), { kind: kind === 'bucket' ? 'resource' : 'identity', maxBytes: 20_480 }) };
}
const statements = (...s: object[]) => ({ Version: '2012-10-17', Statement: s });

const allUsersRead: AclGrant = { grantee: { type: 'Group', group: 'AllUsers' }, permission: 'READ' };
const authenticatedRead: AclGrant = { grantee: { type: 'Group', group: 'AuthenticatedUsers' }, permission: 'READ' };
const otherAccountRead: AclGrant = { grantee: { type: 'CanonicalUser', id: 'c'.repeat(64), accountId: other }, permission: 'READ' };

function layer(grants: AclGrant[], policy?: ParsedPolicyRef): ResourceLayer {
  const aclGrants: AclGrantRef[] = grants.map((grant, index) => ({ source: 'object ACL of b/k', index, grant }));
  return { kind: 'bucket', resourceArn: 'arn:aws:s3:::b/k', ownerAccountId: owner, aclGrants, ...(policy ? { policy } : {}) };
}
function input(principal: Principal, grants: AclGrant[], extra: Partial<AuthorizeInput> & { policy?: ParsedPolicyRef } = {}): AuthorizeInput {
  const { policy, ...rest } = extra;
  return { principal, action: 's3:GetObject', identityPolicies: [], layers: [layer(grants, policy)], context: {}, ...rest };
}

describe('ACL grants in authorize()', () => {
  test('AllUsers names everyone, anonymous callers included; the grant is the deciding statement', () => {
    const decision = authorize(input(anonymousPrincipal, [allUsersRead]));
    assert.equal(decision.effect, 'Allow');
    assert.deepEqual(decision.statements, [{ source: 'object ACL of b/k', kind: 'acl', index: 0, effect: 'Allow', grant: 'READ for group AllUsers' }]);
    assert.equal(authorize(input(anonymousPrincipal, [])).effect, 'ImplicitDeny');
  });

  test('AuthenticatedUsers names every signed caller but not anonymous ones', () => {
    assert.equal(authorize(input(anonymousPrincipal, [authenticatedRead])).effect, 'ImplicitDeny');
    assert.equal(authorize(input(rootOf(other), [authenticatedRead])).effect, 'Allow');
  });

  test('a canonical user grant names that account: its root directly, its users only with their identity allow', () => {
    assert.equal(authorize(input(rootOf(other), [otherAccountRead])).effect, 'Allow');
    assert.equal(authorize(input(rootOf('333344445555'), [otherAccountRead])).effect, 'ImplicitDeny');
    const alice = userIn(other, 'alice');
    const denied = authorize(input(alice, [otherAccountRead]));
    assert.equal(denied.effect, 'ImplicitDeny');
    assert.equal(denied.reason, 'no identity-based policy allows the s3:GetObject action');
    const identity = ref('identity', statements({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    const allowed = authorize(input(alice, [otherAccountRead], { identityPolicies: [identity] }));
    assert.equal(allowed.effect, 'Allow');
    assert.deepEqual(allowed.statements.map((s) => s.kind), ['identity', 'acl']);
  });

  test('a cross-account IAM user needs its identity allow even with an AllUsers grant', () => {
    assert.equal(authorize(input(userIn(other, 'bob'), [allUsersRead])).effect, 'ImplicitDeny');
  });

  test('an explicit Deny in a policy wins over an ACL grant', () => {
    const deny = ref('bucket', statements({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    const decision = authorize(input(anonymousPrincipal, [allUsersRead], { policy: deny }));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.statements[0]!.kind, 'bucket');
  });

  test('a resource-policy grant and an ACL grant: the one naming the caller more specifically decides', () => {
    const byAccount = ref('bucket', statements({ Effect: 'Allow', Principal: { AWS: other }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    const decision = authorize(input(anonymousPrincipal, [allUsersRead], { policy: byAccount }));
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.statements[0]!.kind, 'acl');
  });

  test('explain names the ACL and the grant', () => {
    const i = input(anonymousPrincipal, [allUsersRead]);
    const text = explainDecision(i, authorize(i));
    assert.match(text, /ACL: object ACL of b\/k, grant 0 \(READ for group AllUsers\)/);
    const none = input(rootOf('333344445555'), [otherAccountRead]);
    assert.match(explainDecision(none, authorize(none)), /ACL: no grant gives s3:GetObject to this caller/);
  });
});

describe('ACL permissions → actions (AWS mapping table)', () => {
  test('bucket ACL', () => {
    assert.equal(aclPermissionAllows('READ', 's3:ListBucket', 'bucket'), true);
    assert.equal(aclPermissionAllows('READ', 's3:ListBucketMultipartUploads', 'bucket'), true);
    assert.equal(aclPermissionAllows('READ', 's3:GetObject', 'bucket'), false);
    assert.equal(aclPermissionAllows('WRITE', 's3:PutObject', 'bucket'), true);
    assert.equal(aclPermissionAllows('WRITE', 's3:DeleteObject', 'bucket'), true);
    assert.equal(aclPermissionAllows('WRITE', 's3:PutBucketAcl', 'bucket'), false);
    assert.equal(aclPermissionAllows('READ_ACP', 's3:GetBucketAcl', 'bucket'), true);
    assert.equal(aclPermissionAllows('WRITE_ACP', 's3:PutBucketAcl', 'bucket'), true);
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:PutBucketAcl', 'bucket'), true);
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:PutBucketPolicy', 'bucket'), false);
  });

  test('object ACL', () => {
    assert.equal(aclPermissionAllows('READ', 's3:GetObject', 'object'), true);
    assert.equal(aclPermissionAllows('READ', 's3:GetObjectVersion', 'object'), true);
    assert.equal(aclPermissionAllows('READ', 's3:GetObjectAcl', 'object'), false);
    assert.equal(aclPermissionAllows('READ_ACP', 's3:GetObjectAcl', 'object'), true);
    assert.equal(aclPermissionAllows('WRITE_ACP', 's3:PutObjectVersionAcl', 'object'), true);
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:GetObject', 'object'), true);
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:GetObjectTagging', 'object'), false);
    assert.equal(aclPermissionAllows('WRITE', 's3:PutObject', 'object'), false);
  });

  test('which ACL decides an action', () => {
    assert.equal(aclScopeOf('s3:ListBucket', false, false), 'bucket');
    assert.equal(aclScopeOf('s3:GetObject', true, false), 'object');
    assert.equal(aclScopeOf('s3:PutObject', true, false), 'bucket');
    assert.equal(aclScopeOf('s3:DeleteObjectVersion', true, false), 'bucket');
    assert.equal(aclScopeOf('s3:PutObjectTagging', true, false), 'object');
    assert.equal(aclScopeOf('s3:PutObjectTagging', true, true), 'bucket');
    assert.equal(aclScopeOf('s3:AbortMultipartUpload', true, false), 'upload');
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:AbortMultipartUpload', 'upload'), true);
    assert.equal(aclPermissionAllows('FULL_CONTROL', 's3:GetObject', 'upload'), false);
  });

  test('ownership: BucketOwnerEnforced disables ACLs and owns every object', () => {
    const enforced = { ownership: 'BucketOwnerEnforced' as const, accountId: owner };
    assert.equal(aclsEnabled(enforced), false);
    assert.equal(effectiveObjectOwner(enforced, other), owner);
    assert.equal(aclsEnabled({ ownership: 'ObjectWriter' }), true);
    assert.equal(aclsEnabled({ ownership: undefined }), true);
    assert.equal(effectiveObjectOwner({ ownership: 'ObjectWriter', accountId: owner }, other), other);
    assert.equal(isPublicAcl({ grants: [authenticatedRead] }), true);
    assert.equal(isPublicAcl({ grants: [otherAccountRead] }), false);
    assert.equal(isPublicAcl(undefined), false);
  });
});

describe('s3AuthorizeInput with ACLs', () => {
  const policies = new PolicyCache();
  const bucket = (extra: Partial<BucketRecord> = {}): BucketRecord => ({
    name: 'b', accountId: owner, region: 'us-east-1', createdMs: 0, versioning: 'Unversioned', ownership: 'ObjectWriter', ...extra,
  });
  const decide = (principal: Principal, action: string, target: S3Target) =>
    authorize(s3AuthorizeInput(principal, { identity: [] }, action, target, {}, policies));

  test('bucket actions use the bucket ACL, object reads the object ACL', () => {
    const publicBucket = bucket({ acl: { grants: [allUsersRead] } });
    assert.equal(decide(anonymousPrincipal, 's3:ListBucket', { bucket: publicBucket }).effect, 'Allow');
    assert.equal(decide(anonymousPrincipal, 's3:GetObject', { bucket: publicBucket, key: 'k', object: { ownerAccountId: owner } }).effect, 'ImplicitDeny');
    assert.equal(decide(anonymousPrincipal, 's3:GetObject', { bucket: bucket(), key: 'k', object: { ownerAccountId: owner, acl: { grants: [allUsersRead] } } }).effect, 'Allow');
  });

  test('BucketOwnerEnforced: ACL grants are ignored', () => {
    const enforced = bucket({ ownership: 'BucketOwnerEnforced', acl: { grants: [allUsersRead] } });
    const built = s3AuthorizeInput(anonymousPrincipal, { identity: [] }, 's3:ListBucket', { bucket: enforced }, {}, policies);
    assert.equal(built.layers[0]!.aclGrants, undefined);
    assert.equal(authorize(built).effect, 'ImplicitDeny');
  });

  test('IgnorePublicAcls makes AllUsers and AuthenticatedUsers grants inert, not others', () => {
    const ignoring = bucket({
      acl: { grants: [allUsersRead, otherAccountRead] },
      publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
    });
    assert.equal(decide(anonymousPrincipal, 's3:ListBucket', { bucket: ignoring }).effect, 'ImplicitDeny');
    assert.equal(decide(rootOf(other), 's3:ListBucket', { bucket: ignoring }).effect, 'Allow');
  });

  test('an object another account owns: its owner decides, the bucket owner needs a grant, the bucket policy only denies', () => {
    const everyone = JSON.stringify(statements({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] }));
    const target: S3Target = { bucket: bucket({ policy: everyone }), key: 'k', object: { ownerAccountId: other } };
    assert.equal(decide(rootOf(owner), 's3:GetObject', target).effect, 'ImplicitDeny');
    assert.equal(decide(anonymousPrincipal, 's3:GetObject', target).effect, 'ImplicitDeny');
    assert.equal(decide(rootOf(other), 's3:GetObject', target).effect, 'Allow');
    const readable: S3Target = { ...target, object: { ownerAccountId: other, acl: { grants: [{ grantee: { type: 'CanonicalUser', id: 'o', accountId: owner }, permission: 'READ' }] } } };
    assert.equal(decide(rootOf(owner), 's3:GetObject', readable).effect, 'Allow');
    // Deleting is the bucket's business: the bucket owner may.
    assert.equal(decide(rootOf(owner), 's3:DeleteObject', target).effect, 'Allow');
  });

  test('a multipart upload\'s initiator may abort it and list its parts', () => {
    const target: S3Target = { bucket: bucket(), key: 'k', upload: { initiatorAccountId: other } };
    assert.equal(decide(rootOf(other), 's3:AbortMultipartUpload', target).effect, 'Allow');
    assert.equal(decide(rootOf(other), 's3:ListMultipartUploadParts', target).effect, 'Allow');
    assert.equal(decide(rootOf('333344445555'), 's3:AbortMultipartUpload', target).effect, 'ImplicitDeny');
    assert.equal(decide(rootOf(owner), 's3:AbortMultipartUpload', target).effect, 'Allow');
  });

  test('the tags of an object being written are part of the write the bucket\'s WRITE grant allows', () => {
    const writable = bucket({ acl: { grants: [{ grantee: { type: 'Group', group: 'AllUsers' }, permission: 'WRITE' }] } });
    assert.equal(decide(anonymousPrincipal, 's3:PutObjectTagging', { bucket: writable, key: 'k', createsObject: true }).effect, 'Allow');
    assert.equal(decide(anonymousPrincipal, 's3:PutObjectTagging', { bucket: writable, key: 'k', object: { ownerAccountId: owner } }).effect, 'ImplicitDeny');
  });
});
