// The SQLite PortalStore: Slate's users and sessions in the metadata database (migration 4).
import type Database from 'better-sqlite3';
import { PortalConflict, type PortalSession, type PortalStore, type PortalUser } from '../portal-store.js';

function prepareStatements(db: Database.Database) {
  return {
    insertUser: db.prepare('INSERT INTO portal_users (id, name, partner_id, body) VALUES (?, ?, ?, ?)'),
    updateUser: db.prepare('UPDATE portal_users SET name = ?, partner_id = ?, body = ? WHERE id = ?'),
    selectUser: db.prepare('SELECT body FROM portal_users WHERE id = ?').pluck(),
    selectUserByName: db.prepare('SELECT body FROM portal_users WHERE name = ?').pluck(),
    selectUsers: db.prepare('SELECT body FROM portal_users ORDER BY name').pluck(),
    selectUsersOf: db.prepare('SELECT body FROM portal_users WHERE partner_id = ? ORDER BY name').pluck(),
    deleteUser: db.prepare('DELETE FROM portal_users WHERE id = ?'),
    insertSession: db.prepare(`INSERT INTO portal_sessions (token_hash, user_id, created_ms, last_seen_ms, expires_ms, source_ip)
      VALUES (?, ?, ?, ?, ?, ?)`),
    selectSession: db.prepare('SELECT token_hash, user_id, created_ms, last_seen_ms, expires_ms, source_ip FROM portal_sessions WHERE token_hash = ?'),
    touchSession: db.prepare('UPDATE portal_sessions SET last_seen_ms = ? WHERE token_hash = ?'),
    deleteSession: db.prepare('DELETE FROM portal_sessions WHERE token_hash = ?'),
    deleteUserSessions: db.prepare('DELETE FROM portal_sessions WHERE user_id = ?'),
    deleteStale: db.prepare('DELETE FROM portal_sessions WHERE last_seen_ms < ? OR expires_ms <= ?'),
  };
}

interface SessionRow { token_hash: string; user_id: string; created_ms: number; last_seen_ms: number; expires_ms: number; source_ip: string }

export class SqlitePortalStore implements PortalStore {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly transaction: Database.Transaction<<T>(work: () => T) => T>;

  constructor(db: Database.Database) {
    this.statements = prepareStatements(db);
    this.transaction = db.transaction(<T>(work: () => T): T => work());
  }

  private write<T>(work: () => T): T {
    return this.transaction.immediate(work) as T;
  }

  async createUser(user: PortalUser): Promise<void> {
    this.write(() => {
      if (this.statements.selectUserByName.get(user.name) !== undefined) throw new PortalConflict('Conflict', `A user named ${user.name} exists already.`);
      this.statements.insertUser.run(user.id, user.name, user.partnerId ?? null, JSON.stringify(user));
    });
  }

  async updateUser(user: PortalUser): Promise<void> {
    this.write(() => {
      const sameName = parse<PortalUser>(this.statements.selectUserByName.get(user.name));
      if (sameName && sameName.id !== user.id) throw new PortalConflict('Conflict', `A user named ${user.name} exists already.`);
      const changed = this.statements.updateUser.run(user.name, user.partnerId ?? null, JSON.stringify(user), user.id).changes;
      if (changed === 0) throw new PortalConflict('NotFound', `No user ${user.id}.`);
    });
  }

  async getUser(id: string): Promise<PortalUser | undefined> {
    return parse(this.statements.selectUser.get(id));
  }

  async getUserByName(name: string): Promise<PortalUser | undefined> {
    return parse(this.statements.selectUserByName.get(name));
  }

  async listUsers(partnerId?: string): Promise<PortalUser[]> {
    const rows = partnerId === undefined ? this.statements.selectUsers.all() : this.statements.selectUsersOf.all(partnerId);
    return (rows as string[]).map((b) => JSON.parse(b) as PortalUser);
  }

  async deleteUser(id: string): Promise<void> {
    this.write(() => {
      this.statements.deleteUserSessions.run(id);
      this.statements.deleteUser.run(id);
    });
  }

  async createSession(session: PortalSession): Promise<void> {
    this.write(() => this.statements.insertSession.run(session.tokenHash, session.userId, session.createdMs, session.lastSeenMs, session.expiresMs, session.sourceIp));
  }

  async getSession(tokenHash: string): Promise<PortalSession | undefined> {
    const row = this.statements.selectSession.get(tokenHash) as SessionRow | undefined;
    return row && {
      tokenHash: row.token_hash, userId: row.user_id, createdMs: row.created_ms, lastSeenMs: row.last_seen_ms, expiresMs: row.expires_ms, sourceIp: row.source_ip,
    };
  }

  async touchSession(tokenHash: string, lastSeenMs: number): Promise<void> {
    this.write(() => this.statements.touchSession.run(lastSeenMs, tokenHash));
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.write(() => this.statements.deleteSession.run(tokenHash));
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.write(() => this.statements.deleteUserSessions.run(userId).changes);
  }

  async deleteStaleSessions(nowMs: number, idleBeforeMs: number): Promise<number> {
    return this.write(() => this.statements.deleteStale.run(idleBeforeMs, nowMs).changes);
  }
}

function parse<T>(body: unknown): T | undefined {
  return typeof body === 'string' ? (JSON.parse(body) as T) : undefined;
}
