// Accounts, access keys and small settings for the SQLite MetaStore.
import type Database from 'better-sqlite3';
import { StoreConflict } from '../meta-store.js';
import type { AccessKeyRecord, AccountRecord } from '../types.js';

interface AccountRow {
  account_id: string;
  name: string;
  created_ms: number;
  canonical_user_id: string;
}

interface AccessKeyRow {
  account_id: string;
  principal_arn: string;
  record: string;
}

export class SqliteIdentity {
  private readonly insertAccount: Database.Statement;
  private readonly selectAccount: Database.Statement;
  private readonly selectAccounts: Database.Statement;
  private readonly selectKey: Database.Statement;
  private readonly upsertKey: Database.Statement;
  private readonly deleteKeyRow: Database.Statement;
  private readonly selectSetting: Database.Statement;
  private readonly upsertSetting: Database.Statement;

  constructor(db: Database.Database) {
    this.insertAccount = db.prepare(
      'INSERT INTO accounts (account_id, name, created_ms, canonical_user_id) VALUES (?, ?, ?, ?)',
    );
    this.selectAccount = db.prepare('SELECT * FROM accounts WHERE account_id = ?');
    this.selectAccounts = db.prepare('SELECT * FROM accounts ORDER BY created_ms, account_id');
    this.selectKey = db.prepare('SELECT account_id, principal_arn, record FROM access_keys WHERE access_key_id = ?');
    this.upsertKey = db.prepare(
      `INSERT INTO access_keys (access_key_id, account_id, principal_arn, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET record = excluded.record`,
    );
    this.deleteKeyRow = db.prepare('DELETE FROM access_keys WHERE access_key_id = ?');
    this.selectSetting = db.prepare('SELECT value FROM settings WHERE name = ?').pluck();
    this.upsertSetting = db.prepare(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
  }

  /** Fails with AccountExists when the id is taken. */
  createAccount(account: AccountRecord): void {
    if (this.selectAccount.get(account.accountId) !== undefined) throw new StoreConflict('AccountExists');
    this.insertAccount.run(account.accountId, account.name, account.createdMs, account.canonicalUserId);
  }

  getAccount(accountId: string): AccountRecord | undefined {
    const row = this.selectAccount.get(accountId) as AccountRow | undefined;
    return row === undefined ? undefined : toAccount(row);
  }

  listAccounts(): AccountRecord[] {
    return (this.selectAccounts.all() as AccountRow[]).map(toAccount);
  }

  /**
   * Stores a key, or updates it (status, expiry) when the id already belongs to the same account
   * and principal; an id taken by another principal fails with AccessKeyExists.
   */
  putAccessKey(key: AccessKeyRecord): void {
    const existing = this.selectKey.get(key.accessKeyId) as AccessKeyRow | undefined;
    if (existing !== undefined && (existing.account_id !== key.accountId || existing.principal_arn !== key.principalArn)) {
      throw new StoreConflict('AccessKeyExists');
    }
    this.upsertKey.run(key.accessKeyId, key.accountId, key.principalArn, JSON.stringify(key));
  }

  getAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    const row = this.selectKey.get(accessKeyId) as AccessKeyRow | undefined;
    return row === undefined ? undefined : (JSON.parse(row.record) as AccessKeyRecord);
  }

  deleteAccessKey(accessKeyId: string): void {
    this.deleteKeyRow.run(accessKeyId);
  }

  getSetting(name: string): string | undefined {
    return this.selectSetting.get(name) as string | undefined;
  }

  putSetting(name: string, value: string): void {
    this.upsertSetting.run(name, value);
  }
}

function toAccount(row: AccountRow): AccountRecord {
  return { accountId: row.account_id, name: row.name, createdMs: row.created_ms, canonicalUserId: row.canonical_user_id };
}
