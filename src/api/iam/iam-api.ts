// The IAM Query API: the table of actions s3push implements (users, keys, groups, roles, policies).
// Each action authorizes `iam:<Action>` itself (authorize-iam.ts); every mutation invalidates this
// process's cached identity policies, so the change applies to the very next request.
import type { QueryApi } from '../query-api.js';
import { createAccessKey, deleteAccessKey, listAccessKeys, updateAccessKey } from './access-keys.js';
import { attachmentActions } from './attachments.js';
import { groupActions } from './groups.js';
import { inlinePolicyActions } from './inline-policies.js';
import { listOpenIdConnectProviders } from './oidc-providers.js';
import {
  createPolicy, createPolicyVersion, deletePolicy, deletePolicyVersion, getPolicy, getPolicyVersion, listPolicies,
  listPolicyVersions, setDefaultPolicyVersion,
} from './managed-policies.js';
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole } from './roles.js';
import { createUser, deleteUser, getUser, listUsers } from './users.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export const iamApi: QueryApi = {
  namespace: IAM_NAMESPACE,
  actions: {
    CreateUser: createUser,
    GetUser: getUser,
    ListUsers: listUsers,
    DeleteUser: deleteUser,

    CreateAccessKey: createAccessKey,
    ListAccessKeys: listAccessKeys,
    UpdateAccessKey: updateAccessKey,
    DeleteAccessKey: deleteAccessKey,

    ...groupActions,

    CreateRole: createRole,
    GetRole: getRole,
    ListRoles: listRoles,
    UpdateRole: updateRole,
    UpdateAssumeRolePolicy: updateAssumeRolePolicy,
    DeleteRole: deleteRole,

    ...inlinePolicyActions,

    CreatePolicy: createPolicy,
    GetPolicy: getPolicy,
    ListPolicies: listPolicies,
    DeletePolicy: deletePolicy,
    CreatePolicyVersion: createPolicyVersion,
    GetPolicyVersion: getPolicyVersion,
    ListPolicyVersions: listPolicyVersions,
    DeletePolicyVersion: deletePolicyVersion,
    SetDefaultPolicyVersion: setDefaultPolicyVersion,

    ...attachmentActions,

    ListOpenIDConnectProviders: listOpenIdConnectProviders,
  },
};
