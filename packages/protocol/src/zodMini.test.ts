import { describe, expect, it } from 'vitest';
import { createDocumentInput, loginInput, nameVersionInput } from './index.js';

describe('the schemas of the protocol in zod/mini (issue 16: no classic zod in the client)', () => {
  it('keep their French messages without any zod locale loaded', () => {
    const label = nameVersionInput.safeParse({ label: '   ' });
    expect(label.error?.issues.map((issue) => issue.message)).toEqual(['Donnez un nom à la version.']);
    const email = loginInput.safeParse({ email: 'pas-une-adresse', password: 'x' });
    expect(email.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['email', 'L’adresse électronique n’est pas valide.'],
    ]);
  });

  it('still trim, lower-case and fill defaults as they did with classic zod', () => {
    expect(loginInput.parse({ email: '  Alice@Exemple.FR ', password: 'x' }).email).toBe('alice@exemple.fr');
    expect(createDocumentInput.parse({ espaceId: 'e', title: '  Titre  ', kind: 'fiche' })).toEqual({
      espaceId: 'e',
      title: 'Titre',
      kind: 'fiche',
      themes: [],
    });
  });
});
