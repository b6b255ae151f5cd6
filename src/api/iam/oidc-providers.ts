// OpenID Connect providers: s3push federates no web identities, so no provider can be created and
// ListOpenIDConnectProviders answers the account's list as it is: empty. Account clean-up scripts (the Ceph
// s3-tests IAM fixtures among them) call it after deleting users, groups and roles.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html
import type { QueryAction } from '../query-api.js';
import { authorizeIam } from './authorize-iam.js';
import { callerAccount } from './iam-entities.js';
import { xmlList } from './iam-xml.js';

export const listOpenIdConnectProviders: QueryAction = async (ctx) => {
  await authorizeIam(ctx, 'ListOpenIDConnectProviders', { arn: `arn:aws:iam::${callerAccount(ctx)}:oidc-provider/*` });
  return xmlList('OpenIDConnectProviderList', []);
};
