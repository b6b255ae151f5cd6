// S3 access points for the SQLite IamStore: by account and name, by alias, by bucket.
import type Database from 'better-sqlite3';
import { IamConflict, type AccessPointRecord } from '../iam-store.js';

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO access_points (account_id, name, bucket, alias, body) VALUES (?, ?, ?, ?, ?)'),
    select: db.prepare('SELECT body FROM access_points WHERE account_id = ? AND name = ?').pluck(),
    selectByAlias: db.prepare('SELECT body FROM access_points WHERE alias = ?').pluck(),
    selectByAccount: db.prepare('SELECT body FROM access_points WHERE account_id = ? ORDER BY name').pluck(),
    selectByAccountAndBucket: db.prepare('SELECT body FROM access_points WHERE account_id = ? AND bucket = ? ORDER BY name').pluck(),
    countByBucket: db.prepare('SELECT count(*) FROM access_points WHERE bucket = ?').pluck(),
    countByAccount: db.prepare('SELECT count(*) FROM access_points WHERE account_id = ?').pluck(),
    update: db.prepare('UPDATE access_points SET body = ? WHERE account_id = ? AND name = ?'),
    delete: db.prepare('DELETE FROM access_points WHERE account_id = ? AND name = ?'),
    bucketExists: db.prepare('SELECT 1 FROM buckets WHERE name = ?').pluck(),
  };
}

export class SqliteAccessPoints {
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  create(accessPoint: AccessPointRecord, accountLimit: number): void {
    if (this.statements.select.get(accessPoint.accountId, accessPoint.name)) throw new IamConflict('EntityAlreadyExists', 'Your previous request to create the named accesspoint succeeded and you already own it.');
    if (this.statements.selectByAlias.get(accessPoint.alias) || this.statements.bucketExists.get(accessPoint.alias)) {
      throw new IamConflict('EntityAlreadyExists', `The alias ${accessPoint.alias} is taken.`);
    }
    if ((this.statements.countByAccount.get(accessPoint.accountId) as number) >= accountLimit) throw new IamConflict('LimitExceeded', 'You have reached the maximum number of access points.');
    this.statements.insert.run(accessPoint.accountId, accessPoint.name, accessPoint.bucket, accessPoint.alias, JSON.stringify(accessPoint));
  }

  get(accountId: string, name: string): AccessPointRecord | undefined {
    return parse(this.statements.select.get(accountId, name));
  }

  getByAlias(alias: string): AccessPointRecord | undefined {
    return parse(this.statements.selectByAlias.get(alias));
  }

  list(accountId: string, bucket?: string): AccessPointRecord[] {
    const rows = bucket === undefined ? this.statements.selectByAccount.all(accountId) : this.statements.selectByAccountAndBucket.all(accountId, bucket);
    return (rows as string[]).map((body) => JSON.parse(body) as AccessPointRecord);
  }

  countOfBucket(bucket: string): number {
    return this.statements.countByBucket.get(bucket) as number;
  }

  delete(accountId: string, name: string): void {
    if (this.statements.delete.run(accountId, name).changes === 0) throw new IamConflict('NoSuchEntity', 'The specified accesspoint does not exist');
  }

  putPolicy(accountId: string, name: string, policy: string | undefined): void {
    const current = this.get(accountId, name);
    if (!current) throw new IamConflict('NoSuchEntity', 'The specified accesspoint does not exist');
    const next: AccessPointRecord = { ...current };
    if (policy === undefined) delete next.policy;
    else next.policy = policy;
    this.statements.update.run(JSON.stringify(next), accountId, name);
  }
}

function parse(body: unknown): AccessPointRecord | undefined {
  return typeof body === 'string' ? (JSON.parse(body) as AccessPointRecord) : undefined;
}
