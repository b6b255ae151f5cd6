// PortalStore: Slate's local users (operators, and partner users scoped to one partner) and their login
// sessions. Sessions are stored by the SHA-256 of their token, so the database never holds a usable token.

export type PortalRole = 'operator' | 'partner';

export interface PortalUser {
  id: string;
  /** Login name, unique without regard to case. */
  name: string;
  role: PortalRole;
  /** For partner users: the one partner whose data they see. */
  partnerId?: string | undefined;
  /** `scrypt$N$r$p$salt$hash` (core/password-hash.ts). */
  passwordHash: string;
  createdMs: number;
  updatedMs: number;
  createdBy: string;
}

export interface PortalSession {
  /** SHA-256 (hex) of the session token the browser holds. */
  tokenHash: string;
  userId: string;
  createdMs: number;
  /** Last request seen; the session ends when idle for too long. */
  lastSeenMs: number;
  /** Absolute end, whatever the activity. */
  expiresMs: number;
  sourceIp: string;
}

/** Thrown for expected conflicts in portal data; the API maps them to 404 / 409. */
export class PortalConflict extends Error {
  constructor(readonly reason: 'NotFound' | 'Conflict', message: string) {
    super(message);
    this.name = 'PortalConflict';
  }
}

export interface PortalStore {
  /** Creates a user; PortalConflict('Conflict') when the name is taken (any case). */
  createUser(user: PortalUser): Promise<void>;
  /** Replaces a user's fields (password change); PortalConflict('NotFound') when it is gone. */
  updateUser(user: PortalUser): Promise<void>;
  getUser(id: string): Promise<PortalUser | undefined>;
  getUserByName(name: string): Promise<PortalUser | undefined>;
  /** All users, or a partner's users; ordered by name. */
  listUsers(partnerId?: string): Promise<PortalUser[]>;
  /** Deletes the user and every session it has. */
  deleteUser(id: string): Promise<void>;

  createSession(session: PortalSession): Promise<void>;
  getSession(tokenHash: string): Promise<PortalSession | undefined>;
  touchSession(tokenHash: string, lastSeenMs: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a user (password change, deletion); returns how many. */
  deleteUserSessions(userId: string): Promise<number>;
  /** Removes sessions idle since before `idleBeforeMs` or past their absolute end; returns how many. */
  deleteStaleSessions(nowMs: number, idleBeforeMs: number): Promise<number>;
}
