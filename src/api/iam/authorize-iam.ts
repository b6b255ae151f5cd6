// Authorization of IAM calls: `iam:<Action>` on the entity's ARN through authorize(), with AWS's AccessDenied wording.
// Resources per https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
import { S3Error } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import { authorize, type Decision } from '../../iam/authorize.js';
import type { IamTag } from '../../storage/iam-store.js';
import { requestConditionContext, type ConditionContext } from '../condition-context.js';
import type { RequestContext } from '../context.js';

export interface IamTarget {
  /** The resource the action applies to, as policies name it: `arn:aws:iam::A:user/PATH/NAME`, `…:role/`, `…:policy/NAME`. */
  arn: string;
  /**
   * How AWS names the resource in the AccessDenied message when not by its ARN. For existing users and
   * roles AWS writes `user NAME` / `role NAME`, for ListPolicies `policy path /` (messages quoted in
   * public issues, e.g. aws/aws-cdk#27067, hashicorp/boundary#3877, aws/aws-sam-cli#394).
   */
  label?: string;
  /** Action-specific condition keys (iam:PolicyARN, iam:PermissionsBoundary, aws:RequestTag/…). */
  context?: ConditionContext;
}

/**
 * Throws AccessDenied unless the caller may perform `iam:<action>` on the target. The account's root
 * user may do anything in its own account; every other caller needs an identity-policy Allow (within
 * its permissions boundary and session policies). IAM has no resource policies, so a resource of
 * another account is always denied. AWS-managed policy ARNs (account `aws`) are readable by everyone.
 */
export async function authorizeIam(ctx: RequestContext, action: string, target: IamTarget): Promise<void> {
  const principal = ctx.principal;
  const resourceAccount = parseArn(target.arn)?.account;
  const ownerAccountId = resourceAccount === 'aws' || resourceAccount === undefined ? principal.accountId! : resourceAccount;
  const policies = await ctx.services.identityPolicies.forPrincipal(principal);
  const iamAction = `iam:${action}`;
  const decision = authorize({
    principal,
    action: iamAction,
    identityPolicies: policies.identity,
    ...(policies.session ? { sessionPolicies: policies.session } : {}),
    ...(policies.boundary ? { permissionsBoundary: policies.boundary } : {}),
    layers: [{ resourceArn: target.arn, ownerAccountId, kind: 'other' }],
    context: { ...requestConditionContext(ctx), ...target.context },
  });
  if (decision.effect !== 'Allow') throw new S3Error('AccessDenied', iamAccessDeniedMessage(principal.arn, iamAction, target.label ?? target.arn, decision));
}

/** IAM's wording, which (unlike S3's) does not quote the resource. */
export function iamAccessDeniedMessage(principalArn: string, action: string, resource: string, decision: Decision): string {
  const joiner = decision.effect === 'ExplicitDeny' ? 'with' : 'because';
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${joiner} ${decision.reason}`;
}

/** aws:RequestTag/KEY and aws:TagKeys for actions that create tagged entities. */
export function requestTagContext(tags: readonly IamTag[]): ConditionContext {
  if (tags.length === 0) return {};
  const context: ConditionContext = { 'aws:TagKeys': tags.map((t) => t.key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.key}`] = tag.value;
  return context;
}

/** aws:ResourceTag/KEY (and its iam: alias) for actions on an existing user or role. */
export function resourceTagContext(tags: readonly IamTag[]): ConditionContext {
  const context: ConditionContext = {};
  for (const tag of tags) {
    context[`aws:ResourceTag/${tag.key}`] = tag.value;
    context[`iam:ResourceTag/${tag.key}`] = tag.value;
  }
  return context;
}
