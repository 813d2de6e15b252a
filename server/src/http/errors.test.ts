import { loginInput, markNotificationsReadInput } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as mini } from 'zod/mini';
import { fromZodError } from './errors.js';

/** The `details` of the 400 a failed parse becomes. */
function detailsOf(result: { success: boolean; error?: z.core.$ZodError }) {
  if (result.success || !result.error) throw new Error('the parse was expected to fail');
  return fromZodError(result.error).details;
}

describe('the French 400 of an invalid body', () => {
  it('says in French what a zod/mini schema of the protocol refuses, with its own messages', () => {
    expect(detailsOf(loginInput.safeParse({ email: 'pas-une-adresse', password: '' }))).toEqual([
      { path: 'email', message: 'L’adresse électronique n’est pas valide.' },
      { path: 'password', message: 'Le mot de passe est obligatoire.' },
    ]);
    expect(detailsOf(loginInput.safeParse([]))).toEqual([
      { path: '(corps)', message: 'Le corps de la requête doit être un objet JSON.' },
    ]);
  });

  it('translates the English fallbacks of classic and mini schemas alike', () => {
    const classic = z.object({ ids: z.array(z.string()).max(1) }).strict();
    const small = mini.strictObject({ ids: mini.array(mini.string()).check(mini.maxLength(1)) });
    const body = { ids: ['a', 'b'], extra: 1 };
    const expected = [
      { path: 'ids', message: 'Valeur hors des limites admises.' },
      { path: '(corps)', message: 'Champ inconnu.' },
    ];
    expect(detailsOf(classic.safeParse(body))).toEqual(expected);
    expect(detailsOf(small.safeParse(body))).toEqual(expected);
    expect(detailsOf(markNotificationsReadInput.safeParse({ ids: [] }))).toEqual([
      { path: 'ids', message: 'Indiquez au moins une notification.' },
    ]);
  });

  it('translates the bare « Invalid input » zod gives when no locale is loaded (zod/mini alone)', () => {
    const error = new z.core.$ZodError([
      { code: 'invalid_type', expected: 'string', path: ['title'], message: 'Invalid input', input: 3 },
      { code: 'invalid_value', values: ['a'], path: ['kind'], message: 'Invalid input', input: 'b' },
    ]);
    expect(fromZodError(error).details).toEqual([
      { path: 'title', message: 'Type de valeur inattendu.' },
      { path: 'kind', message: 'Valeur non reconnue.' },
    ]);
    expect(fromZodError(error).message).toBe(
      'Requête invalide : Type de valeur inattendu. Valeur non reconnue.',
    );
  });
});
