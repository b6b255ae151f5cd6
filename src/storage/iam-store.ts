// IamStore: users, groups, roles, inline and managed policies, attachments and access points, per account.
// Implemented by the same backends as MetaStore (one database); the contract suite covers both.
import type { AccessKeyRecord } from './types.js';

export type PolicyOwnerKind = 'user' | 'role' | 'group';

export interface PolicyOwner {
  kind: PolicyOwnerKind;
  accountId: string;
  name: string;
}

export interface IamTag {
  key: string;
  value: string;
}

export interface UserRecord {
  accountId: string;
  name: string;
  path: string;
  /** AIDA… */
  userId: string;
  arn: string;
  createdMs: number;
  permissionsBoundaryArn?: string | undefined;
  tags: IamTag[];
}

export interface GroupRecord {
  accountId: string;
  name: string;
  path: string;
  /** AGPA… */
  groupId: string;
  arn: string;
  createdMs: number;
}

export interface RoleRecord {
  accountId: string;
  name: string;
  path: string;
  /** AROA… */
  roleId: string;
  arn: string;
  createdMs: number;
  /** The trust (assume-role) policy JSON text. */
  trustPolicy: string;
  maxSessionDurationSeconds: number;
  description?: string | undefined;
  permissionsBoundaryArn?: string | undefined;
  tags: IamTag[];
}

export type RolePatch = Partial<Pick<RoleRecord, 'trustPolicy' | 'maxSessionDurationSeconds' | 'description'>>;

export interface ManagedPolicyRecord {
  accountId: string;
  name: string;
  path: string;
  /** ANPA… */
  policyId: string;
  arn: string;
  description?: string | undefined;
  createdMs: number;
  updatedMs: number;
  defaultVersionId: string;
  attachmentCount: number;
  tags: IamTag[];
}

export interface PolicyVersionRecord {
  policyArn: string;
  /** v1, v2, … */
  versionId: string;
  document: string;
  isDefault: boolean;
  createdMs: number;
}

export interface InlinePolicyRecord {
  owner: PolicyOwner;
  policyName: string;
  document: string;
}

export interface AccessPointRecord {
  accountId: string;
  name: string;
  region: string;
  bucket: string;
  bucketAccountId: string;
  /** NAME-prefix-<34 [a-z0-9]>-s3alias */
  alias: string;
  arn: string;
  networkOrigin: 'Internet' | 'VPC';
  vpcId?: string | undefined;
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
  createdMs: number;
  /** Access point policy JSON text. */
  policy?: string | undefined;
}

export interface LongTermKeySummary {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdMs: number;
}

/** Thrown for expected IAM conflicts; the API layer maps them to IAM / S3 Control errors. */
export class IamConflict extends Error {
  constructor(readonly reason: 'EntityAlreadyExists' | 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded', message: string) {
    super(message);
    this.name = 'IamConflict';
  }
}

export interface IamStore {
  /** EntityAlreadyExists for a name taken in any letter case; LimitExceeded beyond `limits.usersPerAccountMax`. */
  createUser(user: UserRecord): Promise<void>;
  /** Names match in any letter case, as IAM's do. */
  getUser(accountId: string, name: string): Promise<UserRecord | undefined>;
  /** Users whose path starts with `pathPrefix`, by name. */
  listUsers(accountId: string, pathPrefix: string): Promise<UserRecord[]>;
  /** NoSuchEntity, or DeleteConflict while the user has access keys, inline or attached policies, or groups. */
  deleteUser(accountId: string, name: string): Promise<void>;

  /** EntityAlreadyExists for a name taken in any letter case; LimitExceeded beyond `limits.groupsPerAccountMax`. */
  createGroup(group: GroupRecord): Promise<void>;
  /** Names match in any letter case, as IAM's do. */
  getGroup(accountId: string, name: string): Promise<GroupRecord | undefined>;
  /** Groups whose path starts with `pathPrefix`, by name. */
  listGroups(accountId: string, pathPrefix: string): Promise<GroupRecord[]>;
  /** NoSuchEntity, or DeleteConflict while the group has members, inline or attached policies. */
  deleteGroup(accountId: string, name: string): Promise<void>;
  /** Idempotent; NoSuchEntity for a missing group or user; LimitExceeded beyond `limits.groupsPerUserMax`. */
  addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void>;
  /** NoSuchEntity for a missing group or user, or a user that is not a member. */
  removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<void>;
  /** Members of the group, by name. */
  listGroupMembers(accountId: string, groupName: string): Promise<UserRecord[]>;
  /** Groups the user belongs to, by name. */
  listGroupsForUser(accountId: string, userName: string): Promise<GroupRecord[]>;

  /** EntityAlreadyExists for a name taken in any letter case; LimitExceeded beyond `limits.rolesPerAccountMax`. */
  createRole(role: RoleRecord): Promise<void>;
  /** Names match in any letter case, as IAM's do. */
  getRole(accountId: string, name: string): Promise<RoleRecord | undefined>;
  /** Roles whose path starts with `pathPrefix`, by name. */
  listRoles(accountId: string, pathPrefix: string): Promise<RoleRecord[]>;
  /** NoSuchEntity for a missing role; undefined fields of the patch are left unchanged. */
  updateRole(accountId: string, name: string, patch: RolePatch): Promise<RoleRecord>;
  /** NoSuchEntity, or DeleteConflict while the role has inline or attached policies. */
  deleteRole(accountId: string, name: string): Promise<void>;

  /** Creates or replaces; NoSuchEntity when the owner does not exist. */
  putInlinePolicy(policy: InlinePolicyRecord): Promise<void>;
  getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined>;
  listInlinePolicies(owner: PolicyOwner): Promise<InlinePolicyRecord[]>;
  /** NoSuchEntity when the owner or the policy does not exist. */
  deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void>;

  /** EntityAlreadyExists for a name taken in the account (any letter case); `firstVersion.versionId` must be 'v1'. */
  createManagedPolicy(policy: ManagedPolicyRecord, firstVersion: PolicyVersionRecord): Promise<void>;
  getManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>;
  listManagedPolicies(accountId: string, options: { pathPrefix: string; onlyAttached: boolean }): Promise<ManagedPolicyRecord[]>;
  /** NoSuchEntity, or DeleteConflict while attached or while non-default versions remain. */
  deleteManagedPolicy(arn: string): Promise<void>;
  /** Assigns the next version id (v2, v3, …, never reused); LimitExceeded beyond 5 versions. */
  createPolicyVersion(version: Omit<PolicyVersionRecord, 'versionId'>): Promise<PolicyVersionRecord>;
  getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
  /** Newest first; NoSuchEntity for a missing policy. */
  listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]>;
  /** DeleteConflict for the default version. */
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;
  /** Leaves `updatedMs` alone: on AWS UpdateDate is when the newest version was created. */
  setDefaultPolicyVersion(arn: string, versionId: string): Promise<void>;

  /** Idempotent; NoSuchEntity for a missing owner or policy; LimitExceeded beyond `limits.managedPoliciesPerPrincipalMax`. */
  attachPolicy(owner: PolicyOwner, policyArn: string): Promise<void>;
  /** NoSuchEntity when the owner does not exist or the policy is not attached to it. */
  detachPolicy(owner: PolicyOwner, policyArn: string): Promise<void>;
  listAttachedPolicies(owner: PolicyOwner): Promise<ManagedPolicyRecord[]>;
  /** Default-version documents of every managed policy attached to the owner. */
  attachedPolicyDocuments(owner: PolicyOwner): Promise<{ arn: string; name: string; document: string }[]>;

  /** Every managed-policy attachment of the policy (users, groups and roles). */
  listPolicyAttachments(policyArn: string): Promise<PolicyOwner[]>;

  /**
   * Stores a new long-term key of an IAM user or of the account root (`principalKind` says which), in
   * one transaction with its checks: NoSuchEntity when the user no longer exists, LimitExceeded when the
   * principal already has `limits.accessKeysPerUserMax` long-term keys.
   */
  createAccessKey(key: AccessKeyRecord): Promise<void>;
  /** Long-term keys of a user or root (temporary STS keys of the same principal excluded), oldest first. */
  listAccessKeysOf(accountId: string, principalArn: string): Promise<LongTermKeySummary[]>;
  /** NoSuchEntity unless the key is a long-term key of that principal. */
  updateAccessKeyStatus(accountId: string, principalArn: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;
  /** NoSuchEntity unless the key is a long-term key of that principal. */
  deleteAccessKey(accountId: string, principalArn: string, accessKeyId: string): Promise<void>;

  createAccessPoint(accessPoint: AccessPointRecord): Promise<void>;
  getAccessPoint(accountId: string, name: string): Promise<AccessPointRecord | undefined>;
  getAccessPointByAlias(alias: string): Promise<AccessPointRecord | undefined>;
  listAccessPoints(accountId: string, bucket?: string): Promise<AccessPointRecord[]>;
  countAccessPointsOfBucket(bucket: string): Promise<number>;
  deleteAccessPoint(accountId: string, name: string): Promise<void>;
  /** Sets or (undefined) removes the access point policy. */
  putAccessPointPolicy(accountId: string, name: string, policy: string | undefined): Promise<void>;

  /** Increases on every IAM or access point change; caches of parsed policies compare it. */
  iamGeneration(): Promise<number>;
}
