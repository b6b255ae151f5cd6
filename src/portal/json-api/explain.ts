// `s3push explain` behind the admin API: re-runs the authorization decision for a principal, action and
// resource (S3 bucket/object or access point ARN) and returns the decision, deciding statements and a narrative.
import { objectFacts } from '../../api/s3/authorize-s3.js';
import { S3Error } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import { authorize, explainDecision } from '../../iam/authorize.js';
import { anonymousPrincipal, type Principal } from '../../iam/principal.js';
import { s3AuthorizeInput, type S3Target } from '../../iam/s3-authorization.js';
import type { JsonContext } from './json-context.js';

export interface ExplainRequest {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
}

async function principalFromArn(app: JsonContext, arnText: string): Promise<Principal> {
  if (arnText === '*' || arnText === 'anonymous') return anonymousPrincipal;
  const arn = parseArn(arnText);
  if (!arn || !/^\d{12}$/.test(arn.account)) throw new S3Error('InvalidArgument', `Not a principal ARN: ${arnText}`);
  const { iam } = app.services;
  if (arn.service === 'iam' && arn.resource === 'root') {
    return { kind: 'Root', accountId: arn.account, arn: arnText, principalArn: arnText, userId: arn.account };
  }
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) {
    const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
    const user = await iam.getUser(arn.account, name);
    if (!user) throw new S3Error('NotFound', `No user ${arnText}.`);
    return { kind: 'User', accountId: arn.account, arn: user.arn, principalArn: user.arn, userId: user.userId, username: user.name };
  }
  const session = /^assumed-role\/([^/]+)\/(.+)$/.exec(arn.resource);
  const roleName = arn.service === 'iam' && arn.resource.startsWith('role/') ? arn.resource.slice(arn.resource.lastIndexOf('/') + 1) : session?.[1];
  if (roleName) {
    const role = await iam.getRole(arn.account, roleName);
    if (!role) throw new S3Error('NotFound', `No role ${roleName} in account ${arn.account}.`);
    const sessionName = session?.[2] ?? 'explain';
    return {
      kind: 'AssumedRole', accountId: arn.account, arn: `arn:aws:sts::${arn.account}:assumed-role/${role.name}/${sessionName}`,
      principalArn: role.arn, userId: `${role.roleId}:${sessionName}`,
    };
  }
  throw new S3Error('InvalidArgument', `Not a principal ARN: ${arnText}`);
}

async function targetFromArn(app: JsonContext, arnText: string): Promise<S3Target> {
  const arn = parseArn(arnText);
  if (!arn || arn.service !== 's3') throw new S3Error('InvalidArgument', `Not an S3 resource ARN: ${arnText}`);
  const { meta, iam } = app.services;
  const ap = /^accesspoint\/([a-z0-9-]+)(?:\/object\/(.*))?$/.exec(arn.resource);
  if (ap) {
    const accessPoint = await iam.getAccessPoint(arn.account, ap[1]!);
    if (!accessPoint) throw new S3Error('NotFound', `No access point ${ap[1]} in account ${arn.account}.`);
    const bucket = await meta.getBucket(accessPoint.bucket);
    if (!bucket) throw new S3Error('NotFound', `The bucket of access point ${ap[1]} is gone.`);
    return { bucket, accessPoint, key: ap[2] };
  }
  const slash = arn.resource.indexOf('/');
  const bucketName = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
  const bucket = await meta.getBucket(bucketName);
  if (!bucket) throw new S3Error('NotFound', `No bucket ${bucketName}.`);
  return { bucket, key: slash < 0 ? undefined : arn.resource.slice(slash + 1) };
}

export async function explainAccess(app: JsonContext, request: ExplainRequest): Promise<unknown> {
  if (typeof request.principal !== 'string' || typeof request.action !== 'string' || typeof request.resource !== 'string') {
    throw new S3Error('InvalidArgument', 'principal, action and resource are required strings.');
  }
  const principal = await principalFromArn(app, request.principal);
  const target = await targetFromArn(app, request.resource);
  const callerPolicies = await app.services.identityPolicies.forPrincipal(principal);
  const nowMs = app.services.clock.nowMs();
  // As requests are decided: an object action sees the existing version's owner, ACL and tags (--context wins).
  const facts = target.key === undefined ? {} : await objectFacts(app.services.meta, target, target.key, request.context?.['s3:versionid']);
  target.object = facts.object;
  const context = {
    'aws:CurrentTime': new Date(nowMs).toISOString(), 'aws:EpochTime': String(Math.floor(nowMs / 1000)), 'aws:SecureTransport': 'false',
    ...facts.context, ...request.context,
  };
  const input = s3AuthorizeInput(principal, callerPolicies, request.action, target, context, app.services.policyCache);
  const decision = authorize(input);
  return {
    decision: decision.effect,
    reason: decision.reason,
    deciding: decision.statements,
    layers: input.layers.map((l) => ({ kind: l.kind, resource: l.resourceArn, owner: l.ownerAccountId, policy: l.policy?.source ?? null })),
    explanation: explainDecision(input, decision),
  };
}

