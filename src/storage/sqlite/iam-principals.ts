// IAM users and roles for the SQLite IamStore (rows, conflicts on delete, long-term access keys of users and root).
// Groups live in iam-groups.ts; a user's memberships block its deletion and groups own policies too.
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import { IamConflict, type LongTermKeySummary, type PolicyOwner, type RoleRecord, type RolePatch, type UserRecord } from '../iam-store.js';
import type { AccessKeyRecord } from '../types.js';
import type { SqliteIamGroups } from './iam-groups.js';

interface UserRow { account_id: string; name: string; path: string; user_id: string; arn: string; created_ms: number; boundary_arn: string | null; tags: string }
interface RoleRow { account_id: string; name: string; path: string; role_id: string; arn: string; created_ms: number; trust_policy: string; max_session_seconds: number; description: string | null; boundary_arn: string | null; tags: string }

function prepareStatements(db: Database.Database) {
  return {
    insertUser: db.prepare('INSERT INTO iam_users (account_id, name, path, user_id, arn, created_ms, boundary_arn, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    selectUser: db.prepare('SELECT * FROM iam_users WHERE account_id = ? AND name = ?'),
    selectUsers: db.prepare('SELECT * FROM iam_users WHERE account_id = ? AND substr(path, 1, length(?)) = ? ORDER BY name'),
    countUsers: db.prepare('SELECT count(*) FROM iam_users WHERE account_id = ?').pluck(),
    userWithArn: db.prepare('SELECT 1 FROM iam_users WHERE account_id = ? AND arn = ?').pluck(),
    deleteUser: db.prepare('DELETE FROM iam_users WHERE account_id = ? AND name = ?'),
    insertRole: db.prepare('INSERT INTO iam_roles (account_id, name, path, role_id, arn, created_ms, trust_policy, max_session_seconds, description, boundary_arn, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    selectRole: db.prepare('SELECT * FROM iam_roles WHERE account_id = ? AND name = ?'),
    selectRoles: db.prepare('SELECT * FROM iam_roles WHERE account_id = ? AND substr(path, 1, length(?)) = ? ORDER BY name'),
    countRoles: db.prepare('SELECT count(*) FROM iam_roles WHERE account_id = ?').pluck(),
    updateRole: db.prepare('UPDATE iam_roles SET trust_policy = ?, max_session_seconds = ?, description = ? WHERE account_id = ? AND name = ?'),
    deleteRole: db.prepare('DELETE FROM iam_roles WHERE account_id = ? AND name = ?'),
    countInline: db.prepare('SELECT count(*) FROM iam_inline_policies WHERE owner_kind = ? AND account_id = ? AND owner_name = ?').pluck(),
    countAttached: db.prepare('SELECT count(*) FROM iam_attachments WHERE owner_kind = ? AND account_id = ? AND owner_name = ?').pluck(),
    selectKeysOf: db.prepare('SELECT record FROM access_keys WHERE account_id = ? AND principal_arn = ?').pluck(),
    selectKey: db.prepare('SELECT account_id, principal_arn, record FROM access_keys WHERE access_key_id = ?'),
    insertKey: db.prepare('INSERT INTO access_keys (access_key_id, account_id, principal_arn, record) VALUES (?, ?, ?, ?)'),
    updateKey: db.prepare('UPDATE access_keys SET record = ? WHERE access_key_id = ?'),
    deleteKey: db.prepare('DELETE FROM access_keys WHERE access_key_id = ?'),
  };
}

export class SqliteIamPrincipals {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database, private readonly groups: SqliteIamGroups) {
    this.statements = prepareStatements(db);
  }

  createUser(user: UserRecord): void {
    if (this.statements.selectUser.get(user.accountId, user.name)) throw new IamConflict('EntityAlreadyExists', `User with name ${user.name} already exists.`);
    if ((this.statements.countUsers.get(user.accountId) as number) >= limits.usersPerAccountMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for UsersPerAccount: ${limits.usersPerAccountMax}`);
    }
    this.statements.insertUser.run(user.accountId, user.name, user.path, user.userId, user.arn, user.createdMs, user.permissionsBoundaryArn ?? null, JSON.stringify(user.tags));
  }

  getUser(accountId: string, name: string): UserRecord | undefined {
    const row = this.statements.selectUser.get(accountId, name) as UserRow | undefined;
    return row && toUser(row);
  }

  listUsers(accountId: string, pathPrefix: string): UserRecord[] {
    return (this.statements.selectUsers.all(accountId, pathPrefix, pathPrefix) as UserRow[]).map(toUser);
  }

  deleteUser(accountId: string, name: string): void {
    const user = this.getUser(accountId, name);
    if (!user) throw new IamConflict('NoSuchEntity', `The user with name ${name} cannot be found.`);
    const owner: PolicyOwner = { kind: 'user', accountId, name: user.name };
    if (this.longTermKeysOf(accountId, user.arn).length > 0) throw new IamConflict('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
    this.checkNoPolicies(owner);
    if (this.groups.groupsOfUser(accountId, user.name).length > 0) throw new IamConflict('DeleteConflict', 'Cannot delete entity, must remove user from all groups first.');
    this.statements.deleteUser.run(accountId, name);
  }

  createRole(role: RoleRecord): void {
    if (this.statements.selectRole.get(role.accountId, role.name)) throw new IamConflict('EntityAlreadyExists', `Role with name ${role.name} already exists.`);
    if ((this.statements.countRoles.get(role.accountId) as number) >= limits.rolesPerAccountMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for RolesPerAccount: ${limits.rolesPerAccountMax}`);
    }
    this.statements.insertRole.run(role.accountId, role.name, role.path, role.roleId, role.arn, role.createdMs, role.trustPolicy, role.maxSessionDurationSeconds, role.description ?? null, role.permissionsBoundaryArn ?? null, JSON.stringify(role.tags));
  }

  getRole(accountId: string, name: string): RoleRecord | undefined {
    const row = this.statements.selectRole.get(accountId, name) as RoleRow | undefined;
    return row && toRole(row);
  }

  listRoles(accountId: string, pathPrefix: string): RoleRecord[] {
    return (this.statements.selectRoles.all(accountId, pathPrefix, pathPrefix) as RoleRow[]).map(toRole);
  }

  updateRole(accountId: string, name: string, patch: RolePatch): RoleRecord {
    const role = this.requireRole(accountId, name);
    const next = { ...role, ...definedOnly(patch) };
    this.statements.updateRole.run(next.trustPolicy, next.maxSessionDurationSeconds, next.description ?? null, accountId, name);
    return next;
  }

  deleteRole(accountId: string, name: string): void {
    const role = this.requireRole(accountId, name);
    this.checkNoPolicies({ kind: 'role', accountId, name: role.name });
    this.statements.deleteRole.run(accountId, name);
  }

  requireOwner(owner: PolicyOwner): void {
    if (owner.kind === 'group') {
      this.groups.require(owner.accountId, owner.name);
      return;
    }
    if (owner.kind === 'user' ? !this.getUser(owner.accountId, owner.name) : !this.getRole(owner.accountId, owner.name)) {
      throw new IamConflict('NoSuchEntity', `The ${owner.kind} with name ${owner.name} cannot be found.`);
    }
  }

  createAccessKey(key: AccessKeyRecord): void {
    if (key.principalKind === 'User' && !this.statements.userWithArn.get(key.accountId, key.principalArn)) {
      throw new IamConflict('NoSuchEntity', `The user with name ${key.principalArn.slice(key.principalArn.lastIndexOf('/') + 1)} cannot be found.`);
    }
    if (this.longTermKeysOf(key.accountId, key.principalArn).length >= limits.accessKeysPerUserMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${limits.accessKeysPerUserMax}`);
    }
    this.statements.insertKey.run(key.accessKeyId, key.accountId, key.principalArn, JSON.stringify(key));
  }

  /** Long-term keys of a user or root (temporary STS keys of the same principal excluded), oldest first. */
  longTermKeysOf(accountId: string, principalArn: string): LongTermKeySummary[] {
    return (this.statements.selectKeysOf.all(accountId, principalArn) as string[])
      .map((text) => JSON.parse(text) as AccessKeyRecord)
      .filter((key) => key.sessionToken === undefined)
      .sort((a, b) => a.createdMs - b.createdMs || (a.accessKeyId < b.accessKeyId ? -1 : 1))
      .map((key) => ({ accessKeyId: key.accessKeyId, status: key.status, createdMs: key.createdMs }));
  }

  updateAccessKeyStatus(accountId: string, principalArn: string, accessKeyId: string, status: 'Active' | 'Inactive'): void {
    const key = this.requireLongTermKey(accountId, principalArn, accessKeyId);
    this.statements.updateKey.run(JSON.stringify({ ...key, status }), accessKeyId);
  }

  deleteAccessKey(accountId: string, principalArn: string, accessKeyId: string): void {
    this.requireLongTermKey(accountId, principalArn, accessKeyId);
    this.statements.deleteKey.run(accessKeyId);
  }

  /** A key id of another principal answers the same NoSuchEntity as an unknown one, so ids cannot be probed. */
  private requireLongTermKey(accountId: string, principalArn: string, accessKeyId: string): AccessKeyRecord {
    const row = this.statements.selectKey.get(accessKeyId) as { account_id: string; principal_arn: string; record: string } | undefined;
    const key = row && row.account_id === accountId && row.principal_arn === principalArn ? (JSON.parse(row.record) as AccessKeyRecord) : undefined;
    if (!key || key.sessionToken !== undefined) throw new IamConflict('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
    return key;
  }

  private requireRole(accountId: string, name: string): RoleRecord {
    const role = this.getRole(accountId, name);
    if (!role) throw new IamConflict('NoSuchEntity', `The role with name ${name} cannot be found.`);
    return role;
  }

  /** AWS names what is left, in this order. */
  private checkNoPolicies(owner: PolicyOwner): void {
    if ((this.statements.countInline.get(owner.kind, owner.accountId, owner.name) as number) > 0) {
      throw new IamConflict('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    }
    if ((this.statements.countAttached.get(owner.kind, owner.accountId, owner.name) as number) > 0) {
      throw new IamConflict('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    }
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toUser(row: UserRow): UserRecord {
  return {
    accountId: row.account_id, name: row.name, path: row.path, userId: row.user_id, arn: row.arn, createdMs: row.created_ms,
    permissionsBoundaryArn: row.boundary_arn ?? undefined, tags: JSON.parse(row.tags),
  };
}

function toRole(row: RoleRow): RoleRecord {
  return {
    accountId: row.account_id, name: row.name, path: row.path, roleId: row.role_id, arn: row.arn, createdMs: row.created_ms,
    trustPolicy: row.trust_policy, maxSessionDurationSeconds: row.max_session_seconds, description: row.description ?? undefined,
    permissionsBoundaryArn: row.boundary_arn ?? undefined, tags: JSON.parse(row.tags),
  };
}
