// IamStore: users, roles, inline and managed policies, attachments and access points, per account.
// Implemented by the same backends as MetaStore (one database); the contract suite covers both.

export type PolicyOwnerKind = 'user' | 'role';

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

/** Thrown for expected IAM conflicts; the API layer maps them to IAM / S3 Control errors. */
export class IamConflict extends Error {
  constructor(readonly reason: 'EntityAlreadyExists' | 'NoSuchEntity' | 'DeleteConflict' | 'LimitExceeded', message: string) {
    super(message);
    this.name = 'IamConflict';
  }
}

export interface IamStore {
  createUser(user: UserRecord): Promise<void>;
  getUser(accountId: string, name: string): Promise<UserRecord | undefined>;
  listUsers(accountId: string, pathPrefix: string): Promise<UserRecord[]>;
  /** DeleteConflict while the user has access keys, inline or attached policies. */
  deleteUser(accountId: string, name: string): Promise<void>;

  createRole(role: RoleRecord): Promise<void>;
  getRole(accountId: string, name: string): Promise<RoleRecord | undefined>;
  listRoles(accountId: string, pathPrefix: string): Promise<RoleRecord[]>;
  updateRole(accountId: string, name: string, patch: RolePatch): Promise<RoleRecord>;
  /** DeleteConflict while the role has inline or attached policies. */
  deleteRole(accountId: string, name: string): Promise<void>;

  putInlinePolicy(policy: InlinePolicyRecord): Promise<void>;
  getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined>;
  listInlinePolicies(owner: PolicyOwner): Promise<InlinePolicyRecord[]>;
  deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void>;

  createManagedPolicy(policy: ManagedPolicyRecord, firstVersion: PolicyVersionRecord): Promise<void>;
  getManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>;
  listManagedPolicies(accountId: string, options: { pathPrefix: string; onlyAttached: boolean }): Promise<ManagedPolicyRecord[]>;
  /** DeleteConflict while attached or while non-default versions remain. */
  deleteManagedPolicy(arn: string): Promise<void>;
  /** Assigns the next version id (v2, v3, …, never reused); LimitExceeded beyond 5 versions. */
  createPolicyVersion(version: Omit<PolicyVersionRecord, 'versionId'>): Promise<PolicyVersionRecord>;
  getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
  listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]>;
  /** DeleteConflict for the default version. */
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;
  setDefaultPolicyVersion(arn: string, versionId: string): Promise<void>;

  attachPolicy(owner: PolicyOwner, policyArn: string): Promise<void>;
  detachPolicy(owner: PolicyOwner, policyArn: string): Promise<void>;
  listAttachedPolicies(owner: PolicyOwner): Promise<ManagedPolicyRecord[]>;
  /** Default-version documents of every managed policy attached to the owner. */
  attachedPolicyDocuments(owner: PolicyOwner): Promise<{ arn: string; name: string; document: string }[]>;

  listAccessKeysOf(accountId: string, userArn: string): Promise<{ accessKeyId: string; status: string; createdMs: number }[]>;
  updateAccessKeyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;

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
