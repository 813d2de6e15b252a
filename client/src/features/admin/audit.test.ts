import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditDetails, auditTarget, type AuditNames } from './audit.js';

const names: AuditNames = {
  users: new Map([['u-1', 'Amélie Durand']]),
  espaces: new Map([['e-1', 'Groupe Ardèche']]),
  documents: new Map([['d-1', 'Conférences familiales']]),
};

describe('audit log in French', () => {
  it('names every action the server records', () => {
    const actions = [
      'setup',
      'login.success',
      'login.failure',
      'login.rate_limited',
      'logout',
      'user.create',
      'user.disable',
      'user.enable',
      'espace.create',
      'member.role',
      'member.remove',
      'document.assign',
      'document.unassign',
      'invitation.create',
      'invitation.revoke',
      'invitation.accept',
      'password_reset.create',
      'password_reset.use',
      'document.create',
      'document.archive',
      'document.restore',
      'theme.create',
      'theme.update',
      'file.upload',
      'password_reset.rate_limited',
      'file.quota_reached',
      'file.orphans_removed',
      'version.name',
      'review.approve',
      'review.locked_change_reverted',
      'publication.unpublish',
      'signal.moderate',
      'thread.moderate',
    ];
    for (const action of actions) expect(auditActionLabel(action)).not.toBe(action);
    expect(auditActionLabel('login.failure')).toBe('Échec de connexion');
    expect(auditActionLabel('action.future')).toBe('action.future');
  });

  it('shows targets by name, and a short identifier when the name is unknown', () => {
    expect(auditTarget({ targetType: 'user', targetId: 'u-1' }, names)).toBe('Compte : Amélie Durand');
    expect(auditTarget({ targetType: 'document', targetId: 'd-1' }, names)).toBe(
      'Document : Conférences familiales',
    );
    expect(auditTarget({ targetType: 'espace', targetId: '0123456789abcdef' }, names)).toBe(
      'Espace : 01234567…',
    );
    expect(auditTarget({ targetType: null, targetId: null }, names)).toBe('');
  });

  it('writes details as French words: roles, reasons, people and espaces by name', () => {
    expect(auditDetails({ espaceId: 'e-1', from: 'membre', to: 'rapporteur' }, names)).toBe(
      'rôle : Membre → Rapporteur ou rapporteuse ; espace : Groupe Ardèche',
    );
    expect(auditDetails({ email: 'a@b.fr', reason: 'password' }, names)).toBe(
      'adresse : a@b.fr ; motif : mot de passe erroné',
    );
    expect(auditDetails({ userId: 'u-1' }, names)).toBe('personne : Amélie Durand');
    expect(auditDetails({ email: 'x@y.fr', admin: false }, names)).toBe(
      'adresse : x@y.fr ; administration : non',
    );
    expect(auditDetails({ espaceId: 'e-1', from: null, to: 'membre' }, names)).toBe(
      'rôle : aucun → Membre ; espace : Groupe Ardèche',
    );
    expect(auditDetails(null, names)).toBe('');
  });

  it('writes an aggregated flood row as a count with its limit', () => {
    expect(auditDetails({ key: 'ip', count: 412 }, names)).toBe('limite : par adresse IP ; nombre : 412');
    expect(auditDetails({ quota: 'account' }, names)).toBe('limite : du compte');
  });
});
