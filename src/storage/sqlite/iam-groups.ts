// IAM groups and their members for the SQLite IamStore (rows, quotas, conflicts on delete).
import type Database from 'better-sqlite3';
import { limits } from '../../core/limits.js';
import { IamConflict, type GroupRecord } from '../iam-store.js';

interface GroupRow { account_id: string; name: string; path: string; group_id: string; arn: string; created_ms: number }

function prepareStatements(db: Database.Database) {
  return {
    insertGroup: db.prepare('INSERT INTO iam_groups (account_id, name, path, group_id, arn, created_ms) VALUES (?, ?, ?, ?, ?, ?)'),
    selectGroup: db.prepare('SELECT * FROM iam_groups WHERE account_id = ? AND name = ?'),
    selectGroups: db.prepare('SELECT * FROM iam_groups WHERE account_id = ? AND substr(path, 1, length(?)) = ? ORDER BY name'),
    countGroups: db.prepare('SELECT count(*) FROM iam_groups WHERE account_id = ?').pluck(),
    deleteGroup: db.prepare('DELETE FROM iam_groups WHERE account_id = ? AND name = ?'),
    insertMember: db.prepare('INSERT OR IGNORE INTO iam_group_members (account_id, group_name, user_name) VALUES (?, ?, ?)'),
    deleteMember: db.prepare('DELETE FROM iam_group_members WHERE account_id = ? AND group_name = ? AND user_name = ?'),
    selectMemberNames: db.prepare('SELECT user_name FROM iam_group_members WHERE account_id = ? AND group_name = ? ORDER BY user_name').pluck(),
    selectGroupsOfUser: db.prepare(`SELECT g.* FROM iam_group_members m JOIN iam_groups g ON g.account_id = m.account_id AND g.name = m.group_name
      WHERE m.account_id = ? AND m.user_name = ? ORDER BY g.name`),
    countMembers: db.prepare('SELECT count(*) FROM iam_group_members WHERE account_id = ? AND group_name = ?').pluck(),
    countInline: db.prepare("SELECT count(*) FROM iam_inline_policies WHERE owner_kind = 'group' AND account_id = ? AND owner_name = ?").pluck(),
    countAttached: db.prepare("SELECT count(*) FROM iam_attachments WHERE owner_kind = 'group' AND account_id = ? AND owner_name = ?").pluck(),
  };
}

export class SqliteIamGroups {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  create(group: GroupRecord): void {
    if (this.get(group.accountId, group.name)) throw new IamConflict('EntityAlreadyExists', `Group with name ${group.name} already exists.`);
    if ((this.statements.countGroups.get(group.accountId) as number) >= limits.groupsPerAccountMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for GroupsPerAccount: ${limits.groupsPerAccountMax}`);
    }
    this.statements.insertGroup.run(group.accountId, group.name, group.path, group.groupId, group.arn, group.createdMs);
  }

  get(accountId: string, name: string): GroupRecord | undefined {
    const row = this.statements.selectGroup.get(accountId, name) as GroupRow | undefined;
    return row && toGroup(row);
  }

  list(accountId: string, pathPrefix: string): GroupRecord[] {
    return (this.statements.selectGroups.all(accountId, pathPrefix, pathPrefix) as GroupRow[]).map(toGroup);
  }

  /** AWS names what is left, in this order. */
  delete(accountId: string, name: string): void {
    const group = this.require(accountId, name);
    if ((this.statements.countMembers.get(accountId, group.name) as number) > 0) throw new IamConflict('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
    if ((this.statements.countInline.get(accountId, group.name) as number) > 0) throw new IamConflict('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    if ((this.statements.countAttached.get(accountId, group.name) as number) > 0) throw new IamConflict('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    this.statements.deleteGroup.run(accountId, group.name);
  }

  /** The caller checked that the user exists; `userName` is its stored spelling. */
  addMember(accountId: string, groupName: string, userName: string): void {
    const group = this.require(accountId, groupName);
    const groups = this.groupsOfUser(accountId, userName);
    if (!groups.some((g) => g.groupId === group.groupId) && groups.length >= limits.groupsPerUserMax) {
      throw new IamConflict('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${limits.groupsPerUserMax}`);
    }
    this.statements.insertMember.run(accountId, group.name, userName);
  }

  removeMember(accountId: string, groupName: string, userName: string): void {
    const group = this.require(accountId, groupName);
    if (this.statements.deleteMember.run(accountId, group.name, userName).changes === 0) {
      throw new IamConflict('NoSuchEntity', `The user with name ${userName} cannot be found in group ${group.name}.`);
    }
  }

  memberNames(accountId: string, groupName: string): string[] {
    return this.statements.selectMemberNames.all(accountId, groupName) as string[];
  }

  groupsOfUser(accountId: string, userName: string): GroupRecord[] {
    return (this.statements.selectGroupsOfUser.all(accountId, userName) as GroupRow[]).map(toGroup);
  }

  require(accountId: string, name: string): GroupRecord {
    const group = this.get(accountId, name);
    if (!group) throw new IamConflict('NoSuchEntity', `The group with name ${name} cannot be found.`);
    return group;
  }
}

function toGroup(row: GroupRow): GroupRecord {
  return { accountId: row.account_id, name: row.name, path: row.path, groupId: row.group_id, arn: row.arn, createdMs: row.created_ms };
}
