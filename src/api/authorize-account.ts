// Authorization of actions on the caller's own account (s3:ListAllMyBuckets, s3:CreateBucket, S3 Control,
// IAM): identity policies decide; root is allowed; another account's resources are never reached here.
import { S3Error } from '../core/errors.js';
import { authorize, accessDeniedMessage } from '../iam/authorize.js';
import { requestConditionContext } from './condition-context.js';
import type { RequestContext } from './context.js';

/** Actions on the caller's own account (s3:ListAllMyBuckets, s3:CreateBucket): identity policies decide. */
export async function authorizeOwnAccount(ctx: RequestContext, action: string, resourceArn: string): Promise<void> {
  const { principal } = ctx;
  if (principal.kind === 'Anonymous' || !principal.accountId) throw new S3Error('AccessDenied');
  const callerPolicies = await ctx.services.identityPolicies.forPrincipal(principal);
  const decision = authorize({
    principal,
    action,
    identityPolicies: callerPolicies.identity,
    ...(callerPolicies.session ? { sessionPolicies: callerPolicies.session } : {}),
    ...(callerPolicies.boundary ? { permissionsBoundary: callerPolicies.boundary } : {}),
    layers: [{ resourceArn, ownerAccountId: principal.accountId, kind: 'other' }],
    context: requestConditionContext(ctx),
  });
  if (decision.effect !== 'Allow') throw new S3Error('AccessDenied', accessDeniedMessage(principal.arn, action, resourceArn, decision));
}
