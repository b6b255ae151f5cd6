// The SQLite IamStore: IAM entities and access points in the metadata database, one transaction per
// mutation, each bumping the IAM generation so caches of parsed policies notice the change.
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import type {
  AccessPointRecord, GroupRecord, IamStore, InlinePolicyRecord, LongTermKeySummary, ManagedPolicyRecord, PolicyOwner, PolicyVersionRecord, RolePatch, RoleRecord,
  UserRecord,
} from '../iam-store.js';
import { IamConflict } from '../iam-store.js';
import type { AccessKeyRecord } from '../types.js';
import { SqliteAccessPoints } from './access-points.js';
import { SqliteIamGroups } from './iam-groups.js';
import { SqliteIamPolicies } from './iam-policies.js';
import { SqliteIamPrincipals } from './iam-principals.js';

export class SqliteIamStore implements IamStore {
  private readonly principals: SqliteIamPrincipals;
  private readonly groups: SqliteIamGroups;
  private readonly policies: SqliteIamPolicies;
  private readonly accessPoints: SqliteAccessPoints;
  private readonly transaction: Database.Transaction<<T>(work: () => T) => T>;
  private readonly bumpGeneration: Database.Statement;
  private readonly selectGeneration: Database.Statement;

  /** Times are given by the callers (records carry them). */
  constructor(db: Database.Database) {
    this.groups = new SqliteIamGroups(db);
    this.principals = new SqliteIamPrincipals(db, this.groups);
    this.policies = new SqliteIamPolicies(db);
    this.accessPoints = new SqliteAccessPoints(db);
    this.transaction = db.transaction(<T>(work: () => T): T => work());
    this.bumpGeneration = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'iam_generation'");
    this.selectGeneration = db.prepare("SELECT value FROM counters WHERE name = 'iam_generation'").pluck();
  }

  /** One IMMEDIATE transaction that also advances the IAM generation. */
  private write<T>(work: () => T): T {
    return this.transaction.immediate(() => {
      const result = work();
      this.bumpGeneration.run();
      return result;
    }) as T;
  }

  async createUser(user: UserRecord): Promise<void> { this.write(() => this.principals.createUser(user)); }
  async getUser(accountId: string, name: string): Promise<UserRecord | undefined> { return this.principals.getUser(accountId, name); }
  async listUsers(accountId: string, pathPrefix: string): Promise<UserRecord[]> { return this.principals.listUsers(accountId, pathPrefix); }
  async deleteUser(accountId: string, name: string): Promise<void> { this.write(() => this.principals.deleteUser(accountId, name)); }

  async createGroup(group: GroupRecord): Promise<void> { this.write(() => this.groups.create(group)); }
  async getGroup(accountId: string, name: string): Promise<GroupRecord | undefined> { return this.groups.get(accountId, name); }
  async listGroups(accountId: string, pathPrefix: string): Promise<GroupRecord[]> { return this.groups.list(accountId, pathPrefix); }
  async deleteGroup(accountId: string, name: string): Promise<void> { this.write(() => this.groups.delete(accountId, name)); }
  async addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void> {
    this.write(() => this.groups.addMember(accountId, groupName, this.requireUser(accountId, userName).name));
  }
  async removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<void> {
    this.write(() => this.groups.removeMember(accountId, groupName, this.requireUser(accountId, userName).name));
  }
  async listGroupMembers(accountId: string, groupName: string): Promise<UserRecord[]> {
    return this.groups.memberNames(accountId, groupName).flatMap((name) => this.principals.getUser(accountId, name) ?? []);
  }
  async listGroupsForUser(accountId: string, userName: string): Promise<GroupRecord[]> { return this.groups.groupsOfUser(accountId, userName); }

  private requireUser(accountId: string, name: string): UserRecord {
    const user = this.principals.getUser(accountId, name);
    if (!user) throw new IamConflict('NoSuchEntity', `The user with name ${name} cannot be found.`);
    return user;
  }

  async createRole(role: RoleRecord): Promise<void> { this.write(() => this.principals.createRole(role)); }
  async getRole(accountId: string, name: string): Promise<RoleRecord | undefined> { return this.principals.getRole(accountId, name); }
  async listRoles(accountId: string, pathPrefix: string): Promise<RoleRecord[]> { return this.principals.listRoles(accountId, pathPrefix); }
  async updateRole(accountId: string, name: string, patch: RolePatch): Promise<RoleRecord> { return this.write(() => this.principals.updateRole(accountId, name, patch)); }
  async deleteRole(accountId: string, name: string): Promise<void> { this.write(() => this.principals.deleteRole(accountId, name)); }

  async putInlinePolicy(policy: InlinePolicyRecord): Promise<void> {
    this.write(() => {
      this.principals.requireOwner(policy.owner);
      this.policies.putInline(policy);
    });
  }
  async getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined> { return this.policies.getInline(owner, policyName); }
  async listInlinePolicies(owner: PolicyOwner): Promise<InlinePolicyRecord[]> { return this.policies.listInline(owner); }
  async deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void> {
    this.write(() => {
      this.principals.requireOwner(owner);
      this.policies.deleteInline(owner, policyName);
    });
  }

  async createManagedPolicy(policy: ManagedPolicyRecord, firstVersion: PolicyVersionRecord): Promise<void> { this.write(() => this.policies.createManaged(policy, firstVersion)); }
  async getManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined> { return this.policies.getManaged(arn); }
  async listManagedPolicies(accountId: string, options: { pathPrefix: string; onlyAttached: boolean }): Promise<ManagedPolicyRecord[]> {
    return this.policies.listManaged(accountId, options.pathPrefix, options.onlyAttached);
  }
  async deleteManagedPolicy(arn: string): Promise<void> { this.write(() => this.policies.deleteManaged(arn)); }
  async createPolicyVersion(version: Omit<PolicyVersionRecord, 'versionId'>): Promise<PolicyVersionRecord> { return this.write(() => this.policies.createVersion(version)); }
  async getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined> { return this.policies.getVersion(arn, versionId); }
  async listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]> { return this.policies.listVersions(arn); }
  async deletePolicyVersion(arn: string, versionId: string): Promise<void> { this.write(() => this.policies.deleteVersion(arn, versionId)); }
  async setDefaultPolicyVersion(arn: string, versionId: string): Promise<void> { this.write(() => this.policies.setDefaultVersion(arn, versionId)); }

  async attachPolicy(owner: PolicyOwner, policyArn: string): Promise<void> {
    this.write(() => {
      this.principals.requireOwner(owner);
      this.policies.attach(owner, policyArn);
    });
  }
  async detachPolicy(owner: PolicyOwner, policyArn: string): Promise<void> {
    this.write(() => {
      this.principals.requireOwner(owner);
      this.policies.detach(owner, policyArn);
    });
  }
  async listAttachedPolicies(owner: PolicyOwner): Promise<ManagedPolicyRecord[]> { return this.policies.listAttached(owner); }
  async attachedPolicyDocuments(owner: PolicyOwner): Promise<{ arn: string; name: string; document: string }[]> { return this.policies.attachedDocuments(owner); }

  async listPolicyAttachments(policyArn: string): Promise<PolicyOwner[]> { return this.policies.attachmentsOf(policyArn); }

  async createAccessKey(key: AccessKeyRecord): Promise<void> { this.write(() => this.principals.createAccessKey(key)); }
  async listAccessKeysOf(accountId: string, principalArn: string): Promise<LongTermKeySummary[]> { return this.principals.longTermKeysOf(accountId, principalArn); }
  async updateAccessKeyStatus(accountId: string, principalArn: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    this.write(() => this.principals.updateAccessKeyStatus(accountId, principalArn, accessKeyId, status));
  }
  async deleteAccessKey(accountId: string, principalArn: string, accessKeyId: string): Promise<void> {
    this.write(() => this.principals.deleteAccessKey(accountId, principalArn, accessKeyId));
  }

  async createAccessPoint(accessPoint: AccessPointRecord): Promise<void> { this.write(() => this.accessPoints.create(accessPoint, limits.accessPointsPerAccountMax)); }
  async getAccessPoint(accountId: string, name: string): Promise<AccessPointRecord | undefined> { return this.accessPoints.get(accountId, name); }
  async getAccessPointByAlias(alias: string): Promise<AccessPointRecord | undefined> { return this.accessPoints.getByAlias(alias); }
  async listAccessPoints(accountId: string, bucket?: string): Promise<AccessPointRecord[]> { return this.accessPoints.list(accountId, bucket); }
  async countAccessPointsOfBucket(bucket: string): Promise<number> { return this.accessPoints.countOfBucket(bucket); }
  async deleteAccessPoint(accountId: string, name: string): Promise<void> { this.write(() => this.accessPoints.delete(accountId, name)); }
  async putAccessPointPolicy(accountId: string, name: string, policy: string | undefined): Promise<void> { this.write(() => this.accessPoints.putPolicy(accountId, name, policy)); }

  async iamGeneration(): Promise<number> {
    return this.selectGeneration.get() as number;
  }
}
