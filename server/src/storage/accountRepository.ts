import type { Db } from './db.js';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  disabledAt: string | null;
  createdAt: string;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface PasswordResetRecord {
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Accounts: users, their sessions, password resets and failed logins. */
export interface AccountRepository {
  countUsers(): number;
  insertUser(user: UserRecord): void;
  findUserById(id: string): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  listUsers(): UserRecord[];
  setPassword(userId: string, passwordHash: string): void;
  setDisabled(userId: string, disabledAt: string | null): void;

  insertSession(session: SessionRecord & { userAgent: string | null; ip: string | null }): void;
  findSession(id: string): SessionRecord | undefined;
  touchSession(id: string, lastSeenAt: number, expiresAt: number): void;
  revokeSession(id: string, at: number): void;
  /** Revokes every live session of a user; returns the ids revoked. */
  revokeUserSessions(userId: string, at: number): string[];

  insertReset(reset: PasswordResetRecord & { tokenHash: string; createdBy: string | null }): void;
  findResetByTokenHash(tokenHash: string): PasswordResetRecord | undefined;
  markResetUsed(id: string, at: number): void;

  recordLoginFailure(keys: string[], at: number): void;
  /** Failures for a key since `since` (epoch ms), and the oldest of them. */
  loginFailures(key: string, since: number): { count: number; oldest: number | null };
  clearLoginFailures(key: string): void;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  disabled_at: string | null;
  created_at: string;
}
const userFromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

interface SessionRow {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}
const sessionFromRow = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function sqliteAccountRepository(db: Db): AccountRepository {
  const q = {
    countUsers: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
    insertUser: db.prepare(
      `INSERT INTO users (id, email, name, password_hash, is_admin, disabled_at, created_at)
       VALUES (@id, @email, @name, @passwordHash, @isAdmin, @disabledAt, @createdAt)`,
    ),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name COLLATE NOCASE'),
    setPassword: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
    setDisabled: db.prepare<[string | null, string]>('UPDATE users SET disabled_at = ? WHERE id = ?'),
    insertSession: db.prepare(
      `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, revoked_at, user_agent, ip)
       VALUES (@id, @userId, @createdAt, @lastSeenAt, @expiresAt, @revokedAt, @userAgent, @ip)`,
    ),
    sessionById: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    touchSession: db.prepare<[number, number, string]>(
      'UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?',
    ),
    revokeSession: db.prepare<[number, string]>(
      'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    liveSessionsOf: db.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL',
    ),
    revokeUserSessions: db.prepare<[number, string]>(
      'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
    ),
    insertReset: db.prepare(
      `INSERT INTO password_resets (id, token_hash, user_id, created_by, created_at, expires_at, used_at)
       VALUES (@id, @tokenHash, @userId, @createdBy, @createdAt, @expiresAt, @usedAt)`,
    ),
    resetByHash: db.prepare<
      [string],
      { id: string; user_id: string; created_at: number; expires_at: number; used_at: number | null }
    >('SELECT * FROM password_resets WHERE token_hash = ?'),
    markResetUsed: db.prepare<[number, string]>('UPDATE password_resets SET used_at = ? WHERE id = ?'),
    insertFailure: db.prepare<[string, number]>('INSERT INTO login_failures (key, at) VALUES (?, ?)'),
    failures: db.prepare<[string, number], { count: number; oldest: number | null }>(
      'SELECT COUNT(*) AS count, MIN(at) AS oldest FROM login_failures WHERE key = ? AND at >= ?',
    ),
    clearFailures: db.prepare<[string]>('DELETE FROM login_failures WHERE key = ?'),
    pruneFailures: db.prepare<[number]>('DELETE FROM login_failures WHERE at < ?'),
  };
  const revokeUserSessions = db.transaction((userId: string, at: number) => {
    const ids = q.liveSessionsOf.all(userId).map((r) => r.id);
    q.revokeUserSessions.run(at, userId);
    return ids;
  });
  const recordFailure = db.transaction((keys: string[], at: number) => {
    for (const key of keys) q.insertFailure.run(key, at);
    // Keep the table small: nothing older than a day matters to any window.
    q.pruneFailures.run(at - 24 * 3600 * 1000);
  });

  return {
    countUsers: () => q.countUsers.get()?.n ?? 0,
    insertUser: (u) => void q.insertUser.run({ ...u, isAdmin: u.isAdmin ? 1 : 0 }),
    findUserById: (id) => {
      const row = q.userById.get(id);
      return row && userFromRow(row);
    },
    findUserByEmail: (email) => {
      const row = q.userByEmail.get(email);
      return row && userFromRow(row);
    },
    listUsers: () => q.listUsers.all().map(userFromRow),
    setPassword: (userId, hash) => void q.setPassword.run(hash, userId),
    setDisabled: (userId, at) => void q.setDisabled.run(at, userId),
    insertSession: (s) => void q.insertSession.run(s),
    findSession: (id) => {
      const row = q.sessionById.get(id);
      return row && sessionFromRow(row);
    },
    touchSession: (id, lastSeenAt, expiresAt) => void q.touchSession.run(lastSeenAt, expiresAt, id),
    revokeSession: (id, at) => void q.revokeSession.run(at, id),
    revokeUserSessions: (userId, at) => revokeUserSessions.immediate(userId, at),
    insertReset: (r) => void q.insertReset.run(r),
    findResetByTokenHash: (hash) => {
      const r = q.resetByHash.get(hash);
      return (
        r && {
          id: r.id,
          userId: r.user_id,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        }
      );
    },
    markResetUsed: (id, at) => void q.markResetUsed.run(at, id),
    recordLoginFailure: (keys, at) => recordFailure.immediate(keys, at),
    loginFailures: (key, since) => q.failures.get(key, since) ?? { count: 0, oldest: null },
    clearLoginFailures: (key) => void q.clearFailures.run(key),
  };
}
