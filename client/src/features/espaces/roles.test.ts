import { describe, expect, it } from 'vitest';
import { espaceRoles, roleLabels } from '@essaim/domain';
import { ESPACE_ROLES, isEspaceRole, roleLabel } from './roles.js';

describe('role names shown in the interface', () => {
  it('are the words of the domain, for every role the domain knows', () => {
    expect(roleLabel).toEqual(roleLabels);
    expect([...ESPACE_ROLES].sort()).toEqual([...espaceRoles].sort());
  });

  it('recognise only the three roles', () => {
    expect(isEspaceRole('rapporteur')).toBe(true);
    expect(isEspaceRole('administrateur')).toBe(false);
  });
});
