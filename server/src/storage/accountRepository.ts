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
  /**
   * Inserts a user unless the email is taken, in one transaction (two invitations accepted at the
   * same moment must not both pass a check made before hashing). False when taken.
   */
  insertUserIfEmailFree(user: UserRecord): boolean;
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

  /**
   * Counts one attempt under every key of `limits`, atomically, before the attempt is checked
   * (issue 15: 300 parallel logins were all checked because failures were only counted after
   * each check). In one IMMEDIATE transaction, shared with every process on the database: when
   * a key already holds `max` attempts within its window, nothing is recorded and that key is
   * returned with the time (epoch ms) its oldest attempt leaves the window; otherwise one row per
   * key is recorded and their ids returned, for {@link cancelAttempts} when the attempt succeeds.
   */
  reserveAttempts(
    limits: readonly AttemptLimit[],
    at: number,
  ): { ok: true; ids: number[] } | { ok: false; key: string; freeAt: number };
  /** Forgets attempts recorded by {@link reserveAttempts} (a login that succeeded, a request refused unchecked). */
  cancelAttempts(ids: readonly number[]): void;
  /** Forgets every attempt under a key (a password that was changed). */
  clearLoginFailures(key: string): void;
}

/** At most `max` attempts under `key` within `windowMs` (ms). */
export interface AttemptLimit {
  key: string;
  max: number;
  windowMs: number;
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
    deleteAttempt: db.prepare<[number]>('DELETE FROM login_failures WHERE rowid = ?'),
    clearFailures: db.prepare<[string]>('DELETE FROM login_failures WHERE key = ?'),
    pruneFailures: db.prepare<[number]>('DELETE FROM login_failures WHERE at < ?'),
  };
  const revokeUserSessions = db.transaction((userId: string, at: number) => {
    const ids = q.liveSessionsOf.all(userId).map((r) => r.id);
    q.revokeUserSessions.run(at, userId);
    return ids;
  });
  /** The first limit of `limits` already full at `at`, or null. */
  const fullLimit = (
    limits: readonly AttemptLimit[],
    at: number,
  ): { ok: false; key: string; freeAt: number } | null => {
    for (const { key, max, windowMs } of limits) {
      const { count, oldest } = q.failures.get(key, at - windowMs) ?? { count: 0, oldest: null };
      if (count >= max) return { ok: false, key, freeAt: (oldest ?? at) + windowMs };
    }
    return null;
  };
  const reserve = db.transaction(
    (
      limits: readonly AttemptLimit[],
      at: number,
    ): { ok: true; ids: number[] } | { ok: false; key: string; freeAt: number } => {
      const full = fullLimit(limits, at);
      if (full) return full;
      const ids = limits.map(({ key }) => Number(q.insertFailure.run(key, at).lastInsertRowid));
      // Keep the table small: no window is longer than a day.
      q.pruneFailures.run(at - 24 * 3600 * 1000);
      return { ok: true, ids };
    },
  );
  const cancel = db.transaction((ids: readonly number[]) => {
    for (const id of ids) q.deleteAttempt.run(id);
  });

  const insertIfFree = db.transaction((u: UserRecord): boolean => {
    if (q.userByEmail.get(u.email)) return false;
    q.insertUser.run({ ...u, isAdmin: u.isAdmin ? 1 : 0 });
    return true;
  });

  return {
    countUsers: () => q.countUsers.get()?.n ?? 0,
    insertUser: (u) => void q.insertUser.run({ ...u, isAdmin: u.isAdmin ? 1 : 0 }),
    insertUserIfEmailFree: (u) => insertIfFree.immediate(u),
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
    // A limit already full is refused by a plain read: a flood of refusals writes nothing.
    reserveAttempts: (limits, at) => fullLimit(limits, at) ?? reserve.immediate(limits, at),
    cancelAttempts: (ids) => {
      if (ids.length > 0) cancel.immediate(ids);
    },
    clearLoginFailures: (key) => void q.clearFailures.run(key),
  };
}
