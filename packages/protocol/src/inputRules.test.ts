import { describe, expect, it } from 'vitest';
import { createDocumentInput, documentTitle } from './api.js';
import {
  acceptInvitationInput,
  createEspaceInput,
  invitationInput,
  loginInput,
  newPasswordInput,
  setupInput,
} from './auth.js';
import { activityQuery, catalogueQuery, createThemeInput, updateThemeInput } from './catalogue.js';
import { CATALOGUE_PAGE_SIZE, CATALOGUE_PAGE_SIZE_MAX } from './catalogueOptions.js';
import { commentBody, mentionToken, notificationListQuery, parseCommentBody } from './comments.js';
import { tooLongMessage } from './inputLimits.js';
import { publicSearchQuery } from './publications.js';
import { reviewSectionInput } from './review.js';
import { reuseSignalInput } from './signals.js';
import { isPlainText, isSingleLineText, toSingleLineText } from './text.js';
import { nameVersionInput } from './versions.js';

/** The French message of the first issue of a failed parse, and its path. */
function refusal(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  if (result.success || !result.error) throw new Error('the parse was expected to fail');
  const issue = result.error.issues[0];
  return { path: issue?.path.join('.'), message: issue?.message };
}

const hidden = {
  NUL: 'a\u0000b',
  BEL: 'a\u0007b',
  ESC: 'a\u001b[31mb',
  DEL: 'a\u007fb',
  'C1 NEL': 'a\u0085b',
  'RTL override': 'a\u202Eb',
  'LTR embedding': 'a\u202Ab',
  'first-strong isolate': 'a\u2068b\u2069',
  LRM: 'a\u200Eb',
  RLM: 'a\u200Fb',
  ALM: 'a\u061Cb',
  'zero-width space': 'a\u200Bb',
  'zero-width non-joiner': 'a\u200Cb',
  'lone zero-width joiner': 'a\u200Db',
  'byte-order mark inside': 'a\uFEFFb',
  'word joiner': 'a\u2060b',
};

const singleLineFields = [
  [
    'a person’s name (setup)',
    'Le nom',
    (v: string) =>
      setupInput.safeParse({ email: 'a@b.fr', name: v, password: 'x'.repeat(12), espaceName: 'Espace' }),
    'name',
  ],
  [
    'a person’s name (invitation)',
    'Le nom',
    (v: string) => acceptInvitationInput.safeParse({ name: v, password: 'x'.repeat(12) }),
    'name',
  ],
  ['an espace’s name', 'Le nom de l’espace', (v: string) => createEspaceInput.safeParse({ name: v }), 'name'],
  [
    'a document title',
    'Le titre',
    (v: string) => createDocumentInput.safeParse({ espaceId: 'e', title: v, kind: 'fiche' }),
    'title',
  ],
  ['a theme label (create)', 'Le libellé', (v: string) => createThemeInput.safeParse({ label: v }), 'label'],
  ['a theme label (PATCH)', 'Le libellé', (v: string) => updateThemeInput.safeParse({ label: v }), 'label'],
  [
    'a version name',
    'Le nom de la version',
    (v: string) => nameVersionInput.safeParse({ label: v }),
    'label',
  ],
  [
    'a structure name',
    'Le nom de la structure',
    (v: string) => reuseSignalInput.safeParse({ territoire: 'dep:59', structureType: 'ccas', structure: v }),
    'structure',
  ],
] as const;

describe('single-line human text: one rule for every name, title and label', () => {
  const cases = Object.entries({
    ...hidden,
    'line break': 'a\nb',
    tab: 'a\tb',
    CR: 'a\rb',
    'line separator': 'a\u2028b',
    'paragraph separator': 'a\u2029b',
  });

  it.each(singleLineFields)(
    'refuses every invisible or control character in %s, with its French message',
    (_l, subject, parse, path) => {
      for (const [name, text] of cases) {
        expect({ name, ...refusal(parse(`Nom ${text}`)) }).toEqual({
          name,
          path,
          message: `${subject} contient des caractères invisibles ou de contrôle.`,
        });
      }
    },
  );

  it.each(singleLineFields)(
    'keeps accents, apostrophes and emoji sequences in %s, trimmed',
    (_l, _s, parse, path) => {
      const result = parse('  L’écrivaine 👩‍💻 et 👍🏽 « Côté cœur »  ');
      expect(result.success).toBe(true);
      expect((result.data as Record<string, unknown>)[path]).toBe('L’écrivaine 👩‍💻 et 👍🏽 « Côté cœur »');
    },
  );

  it('says in French, naming the field, that a name is too long', () => {
    expect(refusal(createEspaceInput.safeParse({ name: 'x'.repeat(121) })).message).toBe(
      'Le nom de l’espace ne peut pas dépasser 120 caractères.',
    );
    expect(refusal(nameVersionInput.safeParse({ label: '   ' })).message).toBe('Donnez un nom à la version.');
  });

  it.each(singleLineFields)(
    'counts and keeps accents composed in %s, as the person sees them (an « é » pasted from macOS is two code points)',
    (_l, _s, parse, path) => {
      const decomposed = 'Pe\u0301riode e\u0301te\u0301';
      const result = parse(decomposed);
      expect(result.success).toBe(true);
      expect((result.data as Record<string, unknown>)[path]).toBe('Période été');
    },
  );

  it('takes a title of 120 « é » pasted decomposed: 120 characters, not 240 (tester BR38 F7)', () => {
    const title = 'e\u0301'.repeat(120);
    const parsed = documentTitle.safeParse(title);
    expect(parsed.success && parsed.data).toBe('é'.repeat(120));
  });

  it('refuses a zero-width joiner that joins no emoji, even after one', () => {
    expect(isSingleLineText('👩‍💻')).toBe(true);
    expect(isSingleLineText('👩\u200D')).toBe(false);
    expect(isSingleLineText('a\u200D💻')).toBe(false);
  });
});

describe('multi-line text (comments, review and signal messages)', () => {
  it.each(Object.entries(hidden))('refuses a %s, like single-line texts do', (_name, text) => {
    expect(isPlainText(text)).toBe(false);
    expect(refusal(commentBody.safeParse(text)).message).toBe(
      'Le message contient des caractères invisibles ou de contrôle.',
    );
    expect(reviewSectionInput.safeParse({ action: 'submit', message: text }).success).toBe(false);
    expect(
      reuseSignalInput.safeParse({ territoire: 'dep:59', structureType: 'ccas', message: text }).success,
    ).toBe(false);
  });

  it('keeps line breaks, tabs and emoji sequences', () => {
    expect(isPlainText('Ligne 1\r\nLigne\t2 👨‍👩‍👧')).toBe(true);
  });
});

describe('mention tokens', () => {
  it('cannot carry what a name may not hold, even from a name stored before the rule', () => {
    const token = mentionToken({ id: 'u1', name: 'Ève\u202E\u0000[x]\nLà 👩‍💻' });
    expect(token).toBe('@[Ève x  Là 👩‍💻](user:u1)');
    expect(parseCommentBody(token)).toEqual([{ kind: 'mention', name: 'Ève x  Là 👩‍💻', userId: 'u1' }]);
    expect(isPlainText(token)).toBe(true);
    expect(toSingleLineText('a\u200Fb\tc')).toBe('ab c');
  });
});

describe('e-mail addresses', () => {
  it('trims and lower-cases every address, the reuse signal’s contact included', () => {
    const address = '  Contact@CCAS-Lille.Example ';
    const expected = 'contact@ccas-lille.example';
    expect(loginInput.parse({ email: address, password: 'p' }).email).toBe(expected);
    expect(invitationInput.parse({ email: address, role: 'membre' }).email).toBe(expected);
    expect(
      reuseSignalInput.parse({ territoire: 'dep:59', structureType: 'ccas', email: address }).email,
    ).toBe(expected);
    expect(reuseSignalInput.parse({ territoire: 'dep:59', structureType: 'ccas', email: '   ' }).email).toBe(
      '',
    );
    expect(reuseSignalInput.parse({ territoire: 'dep:59', structureType: 'ccas' }).email).toBe('');
    // The browsers' rule of `<input type="email">`, on every form alike.
    expect(invitationInput.parse({ email: 'a@b', role: 'membre' }).email).toBe('a@b');
    expect(reuseSignalInput.parse({ territoire: 'dep:59', structureType: 'ccas', email: 'a@b' }).email).toBe(
      'a@b',
    );
    expect(invitationInput.safeParse({ email: 'a b@c.fr', role: 'membre' }).success).toBe(false);
    expect(
      refusal(
        reuseSignalInput.safeParse({ territoire: 'dep:59', structureType: 'ccas', email: 'pas-une-adresse' }),
      ),
    ).toEqual({
      path: 'email',
      message: 'L’adresse électronique n’est pas valide.',
    });
  });
});

describe('passwords', () => {
  const spaces = ' '.repeat(20);
  const message = 'Le mot de passe doit contenir autre chose que des espaces.';

  it('refuses a password of spaces only wherever a password is set', () => {
    expect(refusal(newPasswordInput.safeParse({ password: spaces }))).toEqual({ path: 'password', message });
    expect(refusal(acceptInvitationInput.safeParse({ name: 'Ana', password: spaces }))).toEqual({
      path: 'password',
      message,
    });
    expect(
      refusal(setupInput.safeParse({ email: 'a@b.fr', name: 'Ana', password: spaces, espaceName: 'Espace' })),
    ).toEqual({ path: 'password', message });
    expect(newPasswordInput.safeParse({ password: '  espaces autour  ' }).success).toBe(true);
  });

  it('says a login password is too long, not missing', () => {
    expect(refusal(loginInput.safeParse({ email: 'a@b.fr', password: 'x'.repeat(5000) }))).toEqual({
      path: 'password',
      message: 'Le mot de passe ne peut pas dépasser 200 caractères.',
    });
  });
});

describe('query parameters', () => {
  it.each(['0x7E0', '2e3', '2016.0', '-2016', ' 2016', '２０１６', 'abc'])(
    'reads only decimal digits as a number: %s is refused',
    (value) => {
      expect(refusal(catalogueQuery.safeParse({ annee: value })).path).toBe('annee');
      expect(refusal(activityQuery.safeParse({ limit: value })).path).toBe('limit');
      expect(refusal(notificationListQuery.safeParse({ limit: value })).path).toBe('limit');
      expect(refusal(publicSearchQuery.safeParse({ limit: value })).path).toBe('limit');
    },
  );

  it('reads digits as numbers and keeps the defaults', () => {
    expect(catalogueQuery.parse({ annee: '2016' }).annee).toBe(2016);
    expect(activityQuery.parse({ limit: '7' }).limit).toBe(7);
    expect(activityQuery.parse({}).limit).toBe(30);
    expect(refusal(activityQuery.safeParse({ limit: '0' })).message).toBe('limit vaut entre 1 et 100.');
  });

  it('gives a search too long the same message in the catalogue and in the public search', () => {
    const message = tooLongMessage('La recherche', 200);
    expect(message).toBe('La recherche ne peut pas dépasser 200 caractères.');
    expect(refusal(catalogueQuery.safeParse({ q: 'a'.repeat(201) })).message).toBe(message);
    expect(refusal(publicSearchQuery.safeParse({ q: 'a'.repeat(201) })).message).toBe(message);
  });

  it('pages the catalogue by 50 documents from the first when no page is asked for', () => {
    expect(CATALOGUE_PAGE_SIZE).toBe(50);
    expect(CATALOGUE_PAGE_SIZE_MAX).toBe(200);
    const parsed = catalogueQuery.parse({ espaceId: 'e' });
    expect({ limit: parsed.limit, offset: parsed.offset }).toEqual({ limit: 50, offset: 0 });
    expect(catalogueQuery.parse({ limit: '200', offset: '350' })).toMatchObject({ limit: 200, offset: 350 });
    expect(catalogueQuery.parse({ limit: '1', offset: '0' })).toMatchObject({ limit: 1, offset: 0 });
  });

  it('refuses a page of no document or of more than 200, in French', () => {
    for (const limit of ['0', '201', '100000'])
      expect(refusal(catalogueQuery.safeParse({ limit }))).toEqual({
        path: 'limit',
        message: 'limit vaut entre 1 et 200.',
      });
  });

  it.each([
    ['ten', '1234567890'],
    ['400', '9'.repeat(400)],
  ])(
    'says an offset of %s digits is out of range, not that it is not written in digits',
    (_count, offset) => {
      expect(refusal(catalogueQuery.safeParse({ offset }))).toEqual({
        path: 'offset',
        message: expect.stringMatching(/^offset vaut entre 0 et [0-9]/) as unknown as string,
      });
    },
  );

  it.each(['-1', '1.5', '1e3', 'abc', ' 10', '0x10'])(
    'refuses an offset that is not a whole number written in digits: %s',
    (offset) => {
      expect(refusal(catalogueQuery.safeParse({ offset }))).toEqual({
        path: 'offset',
        message: 'offset doit être un nombre entier écrit en chiffres (0 à 9).',
      });
      expect(refusal(catalogueQuery.safeParse({ limit: offset })).path).toBe('limit');
    },
  );

  it('refuses a territory that has not the shape of a code', () => {
    expect(refusal(catalogueQuery.safeParse({ territoire: 'zzz' }))).toEqual({
      path: 'territoire',
      message: 'territoire n’est pas un territoire connu (dep:07, reg:84, national).',
    });
  });
});
