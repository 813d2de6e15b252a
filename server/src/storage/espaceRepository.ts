import type { ThemeDef } from '@essaim/domain';
import type { EspaceRole } from '@essaim/domain';
import type { Db } from './db.js';

export interface EspaceRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface MemberRecord {
  userId: string;
  name: string;
  email: string;
  role: EspaceRole;
  disabled: boolean;
  since: string;
}

export interface InvitationRecord {
  id: string;
  espaceId: string;
  email: string;
  role: EspaceRole;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
}

/** Espaces de travail, who belongs to them with which role, and pending invitations. */
export interface EspaceRepository {
  /** Inserts an espace with its starting themes, in one transaction. */
  insert(espace: EspaceRecord, themes: readonly ThemeDef[]): void;
  findById(id: string): EspaceRecord | undefined;
  listAll(): EspaceRecord[];
  listForUser(userId: string): (EspaceRecord & { role: EspaceRole })[];
  /** Every role of a user, by espace id (to build an Actor). */
  rolesOf(userId: string): Map<string, EspaceRole>;
  members(espaceId: string): MemberRecord[];
  roleOf(espaceId: string, userId: string): EspaceRole | undefined;
  /** Adds or changes a membership. */
  setRole(espaceId: string, userId: string, role: EspaceRole, at: string): void;
  removeMember(espaceId: string, userId: string): void;
  /**
   * Sets a person's assignments to the documents of one espace aside (`suspended_assignments`):
   * they no longer count, and {@link restoreAssignments} brings them back. Returns the documents.
   */
  suspendAssignments(espaceId: string, userId: string, at: string): string[];
  /** Makes a person's suspended assignments in one espace active again. Returns the documents. */
  restoreAssignments(espaceId: string, userId: string): string[];
  /** Forgets a person's suspended assignments in one espace (when they leave it). */
  dropSuspendedAssignments(espaceId: string, userId: string): void;
  /** How many suspended assignments a person has in one espace. */
  suspendedAssignmentCount(espaceId: string, userId: string): number;

  insertInvitation(invitation: InvitationRecord & { tokenHash: string }): void;
  findInvitationByTokenHash(tokenHash: string): InvitationRecord | undefined;
  findInvitation(id: string): InvitationRecord | undefined;
  pendingInvitations(espaceId: string, now: number): InvitationRecord[];
  markInvitationAccepted(id: string, at: number): void;
  revokeInvitation(id: string, at: number): void;
}

interface InvitationRow {
  id: string;
  espace_id: string;
  email: string;
  role: EspaceRole;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}
const invitationFromRow = (r: InvitationRow): InvitationRecord => ({
  id: r.id,
  espaceId: r.espace_id,
  email: r.email,
  role: r.role,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  revokedAt: r.revoked_at,
});
const espaceFromRow = (r: { id: string; name: string; created_at: string }): EspaceRecord => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

export function sqliteEspaceRepository(db: Db): EspaceRepository {
  const q = {
    insert: db.prepare<[string, string, string]>(
      'INSERT INTO espaces (id, name, created_at) VALUES (?, ?, ?)',
    ),
    byId: db.prepare<[string], { id: string; name: string; created_at: string }>(
      'SELECT * FROM espaces WHERE id = ?',
    ),
    all: db.prepare<[], { id: string; name: string; created_at: string }>(
      'SELECT * FROM espaces ORDER BY name COLLATE NOCASE',
    ),
    forUser: db.prepare<[string], { id: string; name: string; created_at: string; role: EspaceRole }>(
      `SELECT e.*, m.role FROM espaces e JOIN memberships m ON m.espace_id = e.id
       WHERE m.user_id = ? ORDER BY e.name COLLATE NOCASE`,
    ),
    rolesOf: db.prepare<[string], { espace_id: string; role: EspaceRole }>(
      'SELECT espace_id, role FROM memberships WHERE user_id = ?',
    ),
    members: db.prepare<
      [string],
      {
        user_id: string;
        name: string;
        email: string;
        role: EspaceRole;
        disabled_at: string | null;
        created_at: string;
      }
    >(
      `SELECT m.user_id, u.name, u.email, m.role, u.disabled_at, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.espace_id = ? ORDER BY u.name COLLATE NOCASE`,
    ),
    roleOf: db.prepare<[string, string], { role: EspaceRole }>(
      'SELECT role FROM memberships WHERE espace_id = ? AND user_id = ?',
    ),
    setRole: db.prepare<[string, string, string, string]>(
      `INSERT INTO memberships (espace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (espace_id, user_id) DO UPDATE SET role = excluded.role`,
    ),
    removeMember: db.prepare<[string, string]>('DELETE FROM memberships WHERE espace_id = ? AND user_id = ?'),
    insertInvitation: db.prepare(
      `INSERT INTO invitations (id, token_hash, espace_id, email, role, created_by, created_at, expires_at, accepted_at, revoked_at)
       VALUES (@id, @tokenHash, @espaceId, @email, @role, @createdBy, @createdAt, @expiresAt, @acceptedAt, @revokedAt)`,
    ),
    invitationByHash: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
    invitationById: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE id = ?'),
    pending: db.prepare<[string, number], InvitationRow>(
      `SELECT * FROM invitations WHERE espace_id = ? AND accepted_at IS NULL AND revoked_at IS NULL
       AND expires_at > ? ORDER BY created_at DESC`,
    ),
    accept: db.prepare<[number, string]>('UPDATE invitations SET accepted_at = ? WHERE id = ?'),
    activeInEspace: db.prepare<[string, string], { document_id: string }>(
      `SELECT a.document_id FROM assignments a JOIN documents d ON d.id = a.document_id
       WHERE d.espace_id = ? AND a.user_id = ?`,
    ),
    suspendedInEspace: db.prepare<[string, string], { document_id: string }>(
      `SELECT s.document_id FROM suspended_assignments s JOIN documents d ON d.id = s.document_id
       WHERE d.espace_id = ? AND s.user_id = ?`,
    ),
    suspendOne: db.prepare<[string, string, string]>(
      `INSERT OR REPLACE INTO suspended_assignments (document_id, user_id, assigned_by, assigned_at, suspended_at)
       SELECT document_id, user_id, assigned_by, assigned_at, ? FROM assignments
       WHERE document_id = ? AND user_id = ?`,
    ),
    restoreOne: db.prepare<[string, string]>(
      `INSERT OR IGNORE INTO assignments (document_id, user_id, assigned_by, assigned_at)
       SELECT document_id, user_id, assigned_by, assigned_at FROM suspended_assignments
       WHERE document_id = ? AND user_id = ?`,
    ),
    deleteActive: db.prepare<[string, string]>(
      'DELETE FROM assignments WHERE document_id = ? AND user_id = ?',
    ),
    deleteSuspended: db.prepare<[string, string]>(
      'DELETE FROM suspended_assignments WHERE document_id = ? AND user_id = ?',
    ),
    revoke: db.prepare<[number, string]>('UPDATE invitations SET revoked_at = ? WHERE id = ?'),
  };
  const insertTheme = db.prepare<[string, string, string, number]>(
    'INSERT INTO espace_themes (espace_id, id, label, position) VALUES (?, ?, ?, ?)',
  );
  const insertEspace = db.transaction((e: EspaceRecord, themes: readonly ThemeDef[]) => {
    q.insert.run(e.id, e.name, e.createdAt);
    themes.forEach((t, position) => insertTheme.run(e.id, t.id, t.label, position));
  });
  const suspend = db.transaction((espaceId: string, userId: string, at: string): string[] => {
    const ids = q.activeInEspace.all(espaceId, userId).map((r) => r.document_id);
    for (const id of ids) {
      q.suspendOne.run(at, id, userId);
      q.deleteActive.run(id, userId);
    }
    return ids;
  });
  const restore = db.transaction((espaceId: string, userId: string): string[] => {
    const ids = q.suspendedInEspace.all(espaceId, userId).map((r) => r.document_id);
    for (const id of ids) {
      q.restoreOne.run(id, userId);
      q.deleteSuspended.run(id, userId);
    }
    return ids;
  });
  const dropSuspended = db.transaction((espaceId: string, userId: string) => {
    for (const r of q.suspendedInEspace.all(espaceId, userId)) q.deleteSuspended.run(r.document_id, userId);
  });

  return {
    insert: (e, themes) => insertEspace.immediate(e, themes),
    suspendAssignments: (espaceId, userId, at) => suspend.immediate(espaceId, userId, at),
    restoreAssignments: (espaceId, userId) => restore.immediate(espaceId, userId),
    dropSuspendedAssignments: (espaceId, userId) => dropSuspended.immediate(espaceId, userId),
    suspendedAssignmentCount: (espaceId, userId) => q.suspendedInEspace.all(espaceId, userId).length,
    findById: (id) => {
      const row = q.byId.get(id);
      return row && espaceFromRow(row);
    },
    listAll: () => q.all.all().map(espaceFromRow),
    listForUser: (userId) => q.forUser.all(userId).map((r) => ({ ...espaceFromRow(r), role: r.role })),
    rolesOf: (userId) => new Map(q.rolesOf.all(userId).map((r) => [r.espace_id, r.role])),
    members: (espaceId) =>
      q.members.all(espaceId).map((r) => ({
        userId: r.user_id,
        name: r.name,
        email: r.email,
        role: r.role,
        disabled: r.disabled_at !== null,
        since: r.created_at,
      })),
    roleOf: (espaceId, userId) => q.roleOf.get(espaceId, userId)?.role,
    setRole: (espaceId, userId, role, at) => void q.setRole.run(espaceId, userId, role, at),
    removeMember: (espaceId, userId) => void q.removeMember.run(espaceId, userId),
    insertInvitation: (i) => void q.insertInvitation.run(i),
    findInvitationByTokenHash: (hash) => {
      const row = q.invitationByHash.get(hash);
      return row && invitationFromRow(row);
    },
    findInvitation: (id) => {
      const row = q.invitationById.get(id);
      return row && invitationFromRow(row);
    },
    pendingInvitations: (espaceId, now) => q.pending.all(espaceId, now).map(invitationFromRow),
    markInvitationAccepted: (id, at) => void q.accept.run(at, id),
    revokeInvitation: (id, at) => void q.revoke.run(at, id),
  };
}
