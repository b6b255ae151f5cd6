// Statement matching: wildcards, actions, resources (per ARN segment), variables in Resource, principals, NotPrincipal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globMatches, globFromPieces } from '../../src/iam/policy/glob.js';
import { arnMatches, compileArnPattern, splitArn } from '../../src/iam/policy/arn-pattern.js';
import { parseTemplate } from '../../src/iam/policy/policy-template.js';
import { matchPolicy, statementLevel, type RequestFacts } from '../../src/iam/policy/match-policy.js';
import { parsePolicy } from '../../src/iam/policy/parse-policy.js';
import { callerIdentity, grantLevel, notPrincipalApplies, parsePrincipalSpec, principalGrantLevel } from '../../src/iam/policy/principal-spec.js';
import { policyMessages } from '../../src/iam/policy/policy-error.js';
import { anonymousPrincipal, type Principal } from '../../src/iam/principal.js';
import type { ContextValue } from '../../src/iam/policy/condition.js';

const noVariables = (): undefined => undefined;

function arn(pattern: string, value: string, lookup: (k: string) => string | undefined = noVariables, variables = true): boolean {
  return arnMatches(compileArnPattern(pattern, variables), value, splitArn(value), lookup);
}

const user: Principal = { kind: 'User', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/David', principalArn: 'arn:aws:iam::111122223333:user/David', userId: 'AIDAEXAMPLEUSERID0001', username: 'David' };
const session: Principal = {
  kind: 'AssumedRole', accountId: '222233334444', arn: 'arn:aws:sts::222233334444:assumed-role/delivery/s1',
  principalArn: 'arn:aws:iam::222233334444:role/partner/delivery', userId: 'AROAEXAMPLEROLEID0001:s1',
};
const root: Principal = { kind: 'Root', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root', principalArn: 'arn:aws:iam::111122223333:root', userId: '111122223333' };

function facts(principal: Principal, action: string, context: Record<string, ContextValue> = {}, hasPermissionsBoundary = false): RequestFacts {
  const map = new Map<string, ContextValue>(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    actionLower: action.toLowerCase(), context: map, caller: callerIdentity(principal), hasPermissionsBoundary,
    lookup: (k) => {
      const v = map.get(k);
      return typeof v === 'string' ? v : undefined;
    },
  };
}

describe('glob', () => {
  test('shapes: exact, *, prefix*, general', () => {
    assert.equal(compileGlob('abc').shape, 'exact');
    assert.equal(compileGlob('*').shape, 'any');
    assert.equal(compileGlob('ab*').shape, 'prefix');
    assert.equal(compileGlob('a*c').shape, 'general');
    assert.equal(globMatches(compileGlob('ab*'), 'ab'), true);
    assert.equal(globMatches(compileGlob('ab*'), 'a'), false);
    assert.equal(globMatches(compileGlob('*Object*'), 'GetObjectTagging'), true);
    assert.equal(globMatches(compileGlob('*Object*'), 'ListBucket'), false);
    assert.equal(globMatches(compileGlob('a?c'), 'abc'), true);
    assert.equal(globMatches(compileGlob('a?c'), 'ac'), false);
    assert.equal(globMatches(compileGlob('*a*b'), 'xxaxxb'), true);
    assert.equal(globMatches(compileGlob('*a*b'), 'xxaxxbx'), false);
    assert.equal(globMatches(compileGlob('a**'), 'a'), true);
  });

  test('pieces marked literal keep * and ? literal', () => {
    const g = globFromPieces([{ text: 'home/', wildcards: true }, { text: '*', wildcards: false }, { text: '/*', wildcards: true }]);
    assert.equal(globMatches(g, 'home/*/x'), true);
    assert.equal(globMatches(g, 'home/y/x'), false);
  });
});

describe('Resource patterns', () => {
  test('the AWS wildcard example: * spans / in the resource part', () => {
    const pattern = 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*';
    for (const key of ['1/test/object.jpg', '1/2/test/object.jpg', '1/2/test/3/object.jpg', '1/2/3/test/4/object.jpg', '1///test///object.jpg', '1/test/.jpg', '/test/object.jpg', '1/test/']) {
      assert.equal(arn(pattern, `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`), true, key);
    }
    for (const key of ['1-test/object.jpg', 'test/object.jpg', '1/2/test.jpg']) {
      assert.equal(arn(pattern, `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${key}`), false, key);
    }
  });

  test('bucket ARN does not match objects and bucket/* does not match the bucket; case-sensitive', () => {
    assert.equal(arn('arn:aws:s3:::b', 'arn:aws:s3:::b/k'), false);
    assert.equal(arn('arn:aws:s3:::b/*', 'arn:aws:s3:::b'), false);
    assert.equal(arn('arn:aws:s3:::b/*', 'arn:aws:s3:::b/k'), true);
    assert.equal(arn('arn:aws:s3:::B/*', 'arn:aws:s3:::b/k'), false);
    assert.equal(arn('*', 'arn:aws:s3:::anything/at/all'), true);
    assert.equal(arn('arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs'), true);
    assert.equal(arn('arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar'), false);
  });

  test('wildcards in the first five segments stay within their segment', () => {
    assert.equal(arn('arn:aws:s3:*:111122223333:accesspoint/*', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/a.txt'), true);
    assert.equal(arn('arn:aws:s3:*:111122223333:accesspoint/*', 'arn:aws:s3:us-east-1:999999999999:accesspoint/ap'), false);
    // Fewer than six segments: AWS documents nothing; we match the whole string and let * cross colons.
    assert.equal(arn('arn:aws:s3:*', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap'), true);
    assert.equal(arn('arn:aws:s3:*', 'arn:aws:sqs:us-east-1:111122223333:q'), false);
    assert.equal(arn('arn:aws:*:*:*:*', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap'), true);
    assert.equal(arn('arn:aws:s3:::b/a:*', 'arn:aws:s3:::b/a:b:c'), true, 'colons after the fifth belong to the resource part');
  });

  test('access point object ARNs with a prefix pattern', () => {
    const p = 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/prefix/*';
    assert.equal(arn(p, 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/prefix/a/b.mov'), true);
    assert.equal(arn(p, 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/other/b.mov'), false);
    assert.equal(arn(p, 'arn:aws:s3:us-west-2:111122223333:accesspoint/ap/object/prefix/b.mov'), false);
  });

  test('variables in Resource: ${aws:username}, unresolvable, colons inside values, 2008-10-17 literal', () => {
    const lookup = (k: string): string | undefined => ({ 'aws:username': 'David', 'aws:principalarn': 'arn:aws:iam::1:user/x' } as Record<string, string>)[k];
    assert.equal(arn('arn:aws:s3:::mybucket/home/${aws:username}/*', 'arn:aws:s3:::mybucket/home/David/f', lookup), true);
    assert.equal(arn('arn:aws:s3:::mybucket/home/${aws:username}/*', 'arn:aws:s3:::mybucket/home/Adele/f', lookup), false);
    assert.equal(arn('arn:aws:s3:::mybucket/home/${aws:userid}/*', 'arn:aws:s3:::mybucket/home//f', lookup), false, 'unresolvable → no match');
    assert.equal(arn('arn:aws:s3:::mybucket/${aws:PrincipalArn}', 'arn:aws:s3:::mybucket/arn:aws:iam::1:user/x', lookup), true);
    assert.equal(arn('arn:aws:s3:::mybucket/home/${aws:username}/*', 'arn:aws:s3:::mybucket/home/David/f', lookup, false), false);
    assert.equal(arn('arn:aws:s3:::mybucket/home/${aws:username}/*', 'arn:aws:s3:::mybucket/home/${aws:username}/f', lookup, false), true);
  });

  test('parseTemplate keeps non-variables as text', () => {
    assert.equal(parseTemplate('arn:aws:s3:::b/*', true), undefined);
    assert.equal(parseTemplate('a/${notavariable}/b', true), undefined);
    assert.deepEqual(parseTemplate('a/${aws:username}', true), [{ kind: 'text', text: 'a/' }, { kind: 'variable', key: 'aws:username', name: 'aws:username', fallback: undefined }]);
  });
});

describe('statements: Action/NotAction, Resource/NotResource', () => {
  const policy = parsePolicy(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Get', Effect: 'Allow', Action: 's3:get*', Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::other/*' },
      { Sid: 'DenyOutsideHome', Effect: 'Deny', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::b/home/${aws:username}/*' },
    ],
  }), { kind: 'identity', maxBytes: 10_240 });
  const res = (value: string): { arn: string; segments: string[] | undefined } => ({ arn: value, segments: splitArn(value) });

  test('actions match case-insensitively with wildcards', () => {
    const [get] = policy.statements;
    assert.equal(statementLevel(get!, facts(user, 'S3:GetObjectVersion'), res('arn:aws:s3:::b/k')), grantLevel.direct);
    assert.equal(statementLevel(get!, facts(user, 's3:PutObject'), res('arn:aws:s3:::b/k')), grantLevel.none);
  });

  test('NotAction matches every action not listed', () => {
    const notIam = policy.statements[1]!;
    assert.equal(statementLevel(notIam, facts(user, 's3:DeleteObject'), res('arn:aws:s3:::other/k')), grantLevel.direct);
    assert.equal(statementLevel(notIam, facts(user, 'iam:CreateUser'), res('arn:aws:s3:::other/k')), grantLevel.none);
  });

  test('NotResource with a variable: deny everywhere except the user home', () => {
    const m1 = matchPolicy(policy, facts(user, 's3:PutObject', { 'aws:username': 'David' }), res('arn:aws:s3:::b/home/David/x'));
    assert.equal(m1.denies, undefined);
    const m2 = matchPolicy(policy, facts(user, 's3:PutObject', { 'aws:username': 'David' }), res('arn:aws:s3:::b/home/Adele/x'));
    assert.deepEqual(m2.denies?.map((s) => s.sid), ['DenyOutsideHome']);
  });
});

describe('principals', () => {
  const spec = (value: unknown) => parsePrincipalSpec(value, policyMessages.s3, 'Principal');

  test('grant levels: session/user/root exact → direct, role → role, account → account, "*" → direct', () => {
    const c = callerIdentity(session);
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:sts::222233334444:assumed-role/delivery/s1' }), c), grantLevel.direct);
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:iam::222233334444:role/partner/delivery' }), c), grantLevel.role);
    assert.equal(principalGrantLevel(spec({ AWS: 'AROAEXAMPLEROLEID0001' }), c), grantLevel.role, 'the role unique id');
    assert.equal(principalGrantLevel(spec({ AWS: '222233334444' }), c), grantLevel.account);
    assert.equal(principalGrantLevel(spec('*'), c), grantLevel.direct);
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:sts::222233334444:assumed-role/delivery/s2' }), c), grantLevel.none, 'another session');
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:iam::222233334444:role/delivery' }), c), grantLevel.none, 'the path is part of the role ARN');
    assert.equal(principalGrantLevel(spec({ AWS: '111122223333' }), callerIdentity(root)), grantLevel.direct, 'root is its account');
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:iam::111122223333:user/David' }), callerIdentity(user)), grantLevel.direct);
    assert.equal(principalGrantLevel(spec({ AWS: 'arn:aws:iam::111122223333:user/david' }), callerIdentity(user)), grantLevel.none, 'user names are case-sensitive in Principal');
    assert.equal(principalGrantLevel(spec({ Service: 's3.amazonaws.com' }), callerIdentity(user)), grantLevel.none);
  });

  test('anonymous callers match only everyone', () => {
    const c = callerIdentity(anonymousPrincipal);
    assert.equal(principalGrantLevel(spec('*'), c), grantLevel.direct);
    assert.equal(principalGrantLevel(spec({ AWS: '*' }), c), grantLevel.direct);
    assert.equal(principalGrantLevel(spec({ AWS: '111122223333' }), c), grantLevel.none);
  });

  test('NotPrincipal: the caller is exempt only if every facet (account, role, session/user) is listed', () => {
    const bob = { ...user, arn: 'arn:aws:iam::111122223333:user/Bob', principalArn: 'arn:aws:iam::111122223333:user/Bob', username: 'Bob' };
    assert.equal(notPrincipalApplies(spec({ AWS: ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:root'] }), callerIdentity(bob)), false);
    assert.equal(notPrincipalApplies(spec({ AWS: ['arn:aws:iam::111122223333:user/Bob'] }), callerIdentity(bob)), true, 'the account facet is not listed');
    assert.equal(notPrincipalApplies(spec({ AWS: ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:root'] }), callerIdentity(user)), true, 'David is not listed');
    const all = ['arn:aws:sts::222233334444:assumed-role/delivery/s1', 'arn:aws:iam::222233334444:role/partner/delivery', 'arn:aws:iam::222233334444:root'];
    assert.equal(notPrincipalApplies(spec({ AWS: all }), callerIdentity(session)), false);
    assert.equal(notPrincipalApplies(spec({ AWS: all.slice(1) }), callerIdentity(session)), true, 'session not listed');
    assert.equal(notPrincipalApplies(spec({ AWS: '111122223333' }), callerIdentity(root)), false);
    assert.equal(notPrincipalApplies(spec({ AWS: '111122223333' }), callerIdentity(anonymousPrincipal)), true);
  });
});
