import { ARCHIVED_READ_ONLY_MESSAGE } from '@essaim/domain';
import type { ApiErrorDto, ReuseSignalListDto, ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, postJson, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { LILLE_SIGNAL, postSignal, publishedFiche } from '../support/publications.js';

/**
 * The rules of the REST API's inputs, one per kind of field (packages/protocol/src/inputRules.ts):
 * every route taking a field of that kind answers the same way, with a French message.
 */

const t = useTestInstance({ TRUST_PROXY: 'loopback' });
let rapporteur: Session;
let slug: string;

const errorOf = async (response: Response): Promise<ApiErrorDto> => (await response.json()) as ApiErrorDto;

/** An invitation link's token for a new address, made by the administrator. */
async function invitationToken(email: string): Promise<string> {
  const created = await t.admin.fetch(`/api/espaces/${t.espaceId}/invitations`, {
    method: 'POST',
    json: { email, role: 'membre' },
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { link: string }).link.split('/').pop() as string;
}

const signal = (body: Record<string, string>, address: string) =>
  postSignal(t.server.url, slug, body, address);

const lille = LILLE_SIGNAL;

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  slug =
    (await publishedFiche(t.admin, t.espaceId, 'Conférences familiales')).publication.documentUrl
      .split('/')
      .pop() ?? '';
});

describe('single-line human text (names, titles, labels, version names)', () => {
  const hidden = [
    ['a NUL byte', 'Nom\u0000caché'],
    ['a bell', 'Nom\u0007'],
    ['a right-to-left override', 'Nom\u202Etxet'],
    ['a left-to-right mark', 'Nom\u200E'],
    ['a right-to-left mark', 'Nom\u200F'],
    ['an Arabic letter mark', 'Nom\u061C'],
    ['a byte-order mark inside', 'No\uFEFFm'],
    ['a lone zero-width joiner', 'No\u200Dm'],
    ['a line separator', 'Nom\u2028suite'],
    ['a line break', 'Nom\nsuite'],
  ] as const;

  it.each(hidden)(
    'refuses %s in every name, title and label, with the same French message',
    async (_l, text) => {
      const { id: docId } = await createDocument(t.admin, t.espaceId, 'Fiche pour les noms');
      const theme = await t.admin.fetch(`/api/espaces/${t.espaceId}/themes`, {
        method: 'POST',
        json: { label: `Thème ${Math.random().toString(36).slice(2, 8)}` },
      });
      expect(theme.status).toBe(201);
      const themeId = ((await theme.json()) as { id: string }).id;
      const token = await invitationToken(`nom.${Math.random().toString(36).slice(2, 8)}@hcts.example`);
      const attempts: [string, Promise<Response>][] = [
        ['name', t.admin.fetch('/api/espaces', { method: 'POST', json: { name: text } })],
        [
          'title',
          t.admin.fetch('/api/documents', {
            method: 'POST',
            json: { espaceId: t.espaceId, title: text, kind: 'fiche' },
          }),
        ],
        [
          'label',
          t.admin.fetch(`/api/espaces/${t.espaceId}/themes`, { method: 'POST', json: { label: text } }),
        ],
        [
          'label',
          t.admin.fetch(`/api/espaces/${t.espaceId}/themes/${themeId}`, {
            method: 'PATCH',
            json: { label: text },
          }),
        ],
        [
          'label',
          t.admin.fetch(`/api/documents/${docId}/versions`, { method: 'POST', json: { label: text } }),
        ],
        [
          'name',
          postJson(t.server.url, `/api/invitations/${token}/accept`, {
            name: text,
            password: 'un mot de passe assez long',
          }),
        ],
      ];
      for (const [path, attempt] of attempts) {
        const response = await attempt;
        expect(response.status, path).toBe(400);
        const body = await errorOf(response);
        expect(body.details?.find((d) => d.path === path)?.message).toMatch(
          / contient des caractères invisibles ou de contrôle\.$/,
        );
      }
    },
  );

  it('keeps accents, typographic apostrophes and emoji sequences joined by a zero-width joiner', async () => {
    const title = 'L’écrivaine 👩‍💻 « Côté cœur »';
    const response = await t.admin.fetch('/api/documents', {
      method: 'POST',
      json: { espaceId: t.espaceId, title: `  ${title}  `, kind: 'fiche' },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { title: string }).title).toBe(title);
  });

  it('refuses an override in the structure name of a reuse signal, like every name', async () => {
    const response = await signal({ ...lille, structure: 'CCAS\u202E' }, '203.0.113.20');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.[0]).toEqual({
      path: 'structure',
      message: 'Le nom de la structure contient des caractères invisibles ou de contrôle.',
    });
  });
});

describe('e-mail addresses', () => {
  it('trims and lower-cases the address of a reuse signal, as for invitations and login', async () => {
    const response = await signal({ ...lille, email: '  Contact@CCAS-Roubaix.Example ' }, '203.0.113.21');
    expect(response.status).toBe(201);
    const list = await t.admin.fetch(`/api/espaces/${t.espaceId}/signals?status=en_attente`);
    const { signals } = (await list.json()) as ReuseSignalListDto;
    expect(signals.map((s) => s.email)).toContain('contact@ccas-roubaix.example');
  });
});

describe('changes to an archived document', () => {
  it('answers 409 with one French message for every change, and still lets it be read', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Fiche bientôt archivée');
    const sections = (await (
      await t.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as ReviewedDocumentSectionsDto;
    const sectionId = sections.sections[0]?.id ?? '';
    const version = await t.admin.fetch(`/api/documents/${doc.id}/versions`, {
      method: 'POST',
      json: { label: 'Avant archivage' },
    });
    const versionId = ((await version.json()) as { id: string }).id;
    expect((await t.admin.fetch(`/api/documents/${doc.id}/archive`, { method: 'POST' })).status).toBe(200);

    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const changes: [string, Promise<Response>][] = [
      [
        'version',
        t.admin.fetch(`/api/documents/${doc.id}/versions`, { method: 'POST', json: { label: 'Après' } }),
      ],
      [
        'restore',
        t.admin.fetch(`/api/documents/${doc.id}/versions/${versionId}/restore`, { method: 'POST' }),
      ],
      [
        'file',
        t.admin.fetch(`/api/documents/${doc.id}/files`, {
          method: 'POST',
          headers: { 'content-type': 'image/png' },
          body: png,
        }),
      ],
      [
        'assign',
        t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
          method: 'POST',
          json: { userId: rapporteur.userId },
        }),
      ],
      [
        'unassign',
        t.admin.fetch(`/api/documents/${doc.id}/assignments/${rapporteur.userId}`, { method: 'DELETE' }),
      ],
      [
        'review',
        t.admin.fetch(`/api/documents/${doc.id}/sections/${sectionId}/review`, {
          method: 'POST',
          json: { action: 'lock' },
        }),
      ],
    ];
    for (const [what, change] of changes) {
      const response = await change;
      expect(response.status, what).toBe(409);
      expect((await errorOf(response)).message, what).toBe(ARCHIVED_READ_ONLY_MESSAGE);
    }
    expect((await t.admin.fetch(`/api/documents/${doc.id}`)).status).toBe(200);
    // Who may not make the change at all is still told so (403), archived or not.
    const refused = await rapporteur.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: rapporteur.userId },
    });
    expect(refused.status).toBe(403);
  });
});

describe('query parameters', () => {
  it.each([
    ['/api/documents?territoire=zzz', 'territoire'],
    ['/api/documents?territoire=dep:999', 'territoire'],
    ['/api/documents?annee=0x7E0', 'annee'],
    ['/api/documents?annee=2e3', 'annee'],
    ['/api/documents?annee=2016.0', 'annee'],
    ['/api/documents?annee=-2016', 'annee'],
    ['/api/documents?theme=a&theme=b', 'theme'],
    ['/api/audit?limit=-1', 'limit'],
    ['/api/audit?limit=abc', 'limit'],
    ['/api/audit?limit=1e2', 'limit'],
    ['/api/audit?before=x', 'before'],
    ['/api/notifications?limit=0x10', 'limit'],
    ['/api/public/search?q=a&limit=2.5', 'limit'],
  ])('refuses %s with a French message on %s', async (url, path) => {
    const response = await t.admin.fetch(url);
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.details?.map((d) => d.path)).toEqual([path]);
    expect(body.message).toMatch(/^Requête invalide : /);
    expect(body.details?.[0]?.message).toContain(path);
  });

  it('refuses an unknown format of the review journal', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Fiche au journal');
    const response = await t.admin.fetch(`/api/documents/${doc.id}/review-journal?format=xml`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details).toEqual([
      { path: 'format', message: 'format vaut json ou csv.' },
    ]);
    expect((await t.admin.fetch(`/api/documents/${doc.id}/review-journal?format=csv`)).status).toBe(200);
  });

  it('takes years, limits and known territories written plainly', async () => {
    for (const url of [
      '/api/documents?annee=2016',
      '/api/documents?territoire=dep:59',
      '/api/documents?territoire=reg:32',
      '/api/audit?limit=5',
    ])
      expect((await t.admin.fetch(url)).status, url).toBe(200);
  });

  it('answers 404 for an espace that does not exist, 403 for one the caller is not a member of', async () => {
    expect((await t.admin.fetch('/api/documents?espaceId=zzz')).status).toBe(404);
    const other = await t.admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Autre espace' } });
    const otherId = ((await other.json()) as { id: string }).id;
    expect((await rapporteur.fetch(`/api/documents?espaceId=${otherId}`)).status).toBe(403);
    expect((await rapporteur.fetch('/api/documents?espaceId=zzz')).status).toBe(404);
  });
});

describe('messages of limits', () => {
  it('says the same thing of a search that is too long in the catalogue and in the public search', async () => {
    const q = 'a'.repeat(201);
    const message = 'La recherche ne peut pas dépasser 200 caractères.';
    for (const url of [`/api/documents?q=${q}`, `/api/public/search?q=${q}`]) {
      const response = await t.admin.fetch(url);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([{ path: 'q', message }]);
    }
  });

  it('says a login password is too long, not missing', async () => {
    const response = await postJson(t.server.url, '/api/auth/login', {
      email: t.admin.email,
      password: 'x'.repeat(5000),
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details).toEqual([
      { path: 'password', message: 'Le mot de passe ne peut pas dépasser 200 caractères.' },
    ]);
  });

  it.each(['null', '3', '"texte"'])('says a JSON body %s is not an object', async (text) => {
    const response = await t.admin.fetch('/api/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('Le corps de la requête doit être un objet JSON.');
  });

  it('gives the same message and detail for a territory that does not exist', async () => {
    const response = await signal({ ...lille, territoire: 'dep:999' }, '203.0.113.22');
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.details).toEqual([
      { path: 'territoire', message: 'Choisissez un territoire dans la liste.' },
    ]);
    expect(body.message).toBe('Requête invalide : Choisissez un territoire dans la liste.');
  });
});

describe('new passwords', () => {
  const spaces = ' '.repeat(16);
  const message = 'Le mot de passe doit contenir autre chose que des espaces.';

  it('refuses a password of spaces only when accepting an invitation', async () => {
    const token = await invitationToken('espaces.invitation@hcts.example');
    const response = await postJson(t.server.url, `/api/invitations/${token}/accept`, {
      name: 'Personne Espacée',
      password: spaces,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details).toEqual([{ path: 'password', message }]);
  });

  it('refuses a password of spaces only on a reset link', async () => {
    const person = await invite(t.admin, t.espaceId, 'membre', 'Oubli Espacé');
    const made = await t.admin.fetch(`/api/users/${person.userId}/password-reset`, { method: 'POST' });
    const token = ((await made.json()) as { link: string }).link.split('/').pop() as string;
    const response = await postJson(t.server.url, `/api/auth/password-resets/${token}`, { password: spaces });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details).toEqual([{ path: 'password', message }]);
  });
});
