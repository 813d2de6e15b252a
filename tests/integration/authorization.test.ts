import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every REST route times every kind of caller, with the status each must get. The espace under
 * test (E) has an animateur, a rapporteur assigned to the document, one who is not, and a membre.
 * The administrator runs the instance but holds no role in E; the outsider belongs to another espace.
 */
const actors = [
  'anonyme',
  'administrateur',
  'animateur',
  'rapporteurAssigné',
  'rapporteurNonAssigné',
  'membre',
  'extérieur',
] as const;
type Who = (typeof actors)[number];

let server: TestServer;
const sessions = new Map<Who, Session>();
let E: string;
let docId: string;
let spareId: string;
let memberId: string;
let unassignedId: string;
let versionId: string;
const NOBODY = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  server = await startTestServer();
  const { admin, espaceId: other } = await setupInstance(server.url);
  const created = await admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Aller-vers' } });
  E = ((await created.json()) as { id: string }).id;
  const animateur = await invite(admin, E, 'animateur', 'Anne Animatrice');
  const rapporteurA = await invite(animateur, E, 'rapporteur', 'Rachid Rapporteur');
  const rapporteurN = await invite(animateur, E, 'rapporteur', 'Rose Rapporteuse');
  const membre = await invite(animateur, E, 'membre', 'Marc Membre');
  const exterieur = await invite(admin, other, 'animateur', 'Esther Extérieure');
  sessions.set('administrateur', admin);
  sessions.set('animateur', animateur);
  sessions.set('rapporteurAssigné', rapporteurA);
  sessions.set('rapporteurNonAssigné', rapporteurN);
  sessions.set('membre', membre);
  sessions.set('extérieur', exterieur);
  memberId = membre.userId;
  unassignedId = rapporteurN.userId;
  docId = (await createDocument(animateur, E, 'Pair-aidance')).id;
  spareId = (await createDocument(animateur, E, 'Aller-vers en milieu rural')).id;
  const assigned = await animateur.fetch(`/api/documents/${docId}/assignments`, {
    method: 'POST',
    json: { userId: rapporteurA.userId },
  });
  expect(assigned.status).toBe(200);
  const version = await animateur.fetch(`/api/documents/${docId}/versions`, {
    method: 'POST',
    json: { label: 'Version de départ' },
  });
  versionId = ((await version.json()) as { version: { id: string } }).version.id;
});

/**
 * Comment threads (issue 10): each caller gets threads and messages of its own for the routes
 * that change them (resolving, deleting), so every row shows the permission and not whether an
 * earlier caller already changed the state. Threads are about a whole section, messages by the membre.
 */
const threadKinds = ['toResolve', 'toReopen', 'toDelete', 'toRead'] as const;
const threadsOf = new Map<string, Record<Who, string>>();
const messagesOf = new Map<string, Record<Who, string>>();
let sharedThreadId: string;
/** The document's section ids, so that each caller's review step has a section of its own. */
let reviewSections: string[] = [];

beforeAll(async () => {
  const membre = sessions.get('membre') as Session;
  const animateur = sessions.get('animateur') as Session;
  const sectionsBody = (await (await animateur.fetch(`/api/documents/${docId}/sections`)).json()) as {
    sections: { id: string }[];
  };
  const sectionId = sectionsBody.sections[0]?.id as string;
  reviewSections = sectionsBody.sections.map((s) => s.id);
  const newThread = async (): Promise<{ threadId: string; commentId: string }> => {
    const response = await membre.fetch(`/api/documents/${docId}/threads`, {
      method: 'POST',
      json: { sectionId, body: 'Remarque du membre.' },
    });
    expect(response.status).toBe(201);
    const { thread } = (await response.json()) as { thread: { id: string; comments: { id: string }[] } };
    return { threadId: thread.id, commentId: thread.comments[0]?.id as string };
  };
  sharedThreadId = (await newThread()).threadId;
  for (const kind of threadKinds) {
    const threads = {} as Record<Who, string>;
    const messages = {} as Record<Who, string>;
    for (const who of actors) {
      const { threadId, commentId } = await newThread();
      threads[who] = threadId;
      messages[who] = commentId;
      if (kind === 'toReopen') {
        const resolved = await animateur.fetch(`/api/threads/${threadId}/resolve`, { method: 'POST' });
        expect(resolved.status).toBe(200);
      }
    }
    threadsOf.set(kind, threads);
    messagesOf.set(kind, messages);
  }
});

afterAll(async () => {
  await server.stop();
});

type Row = [method: string, path: (who: Who) => string, body: unknown, expected: Record<Who, number>];
/** The thread (or message) of a kind set aside for one caller. */
const threadFor = (kind: (typeof threadKinds)[number], who: Who): string =>
  threadsOf.get(kind)?.[who] ?? ':id';
const messageFor = (kind: (typeof threadKinds)[number], who: Who): string =>
  messagesOf.get(kind)?.[who] ?? ':id';
/** A section of the document for one caller's review step (`offset` keeps two routes apart). */
const sectionFor = (who: Who, offset: number): string =>
  reviewSections[(actors.indexOf(who) + offset) % reviewSections.length] ?? ':id';
const all = (status: number): Record<Who, number> =>
  Object.fromEntries(actors.map((a) => [a, status])) as Record<Who, number>;
const statuses = (s: number[]): Record<Who, number> =>
  Object.fromEntries(actors.map((a, i) => [a, s[i] as number])) as Record<Who, number>;

//                                                    anon  admin anim  rapA  rapN  memb  ext
const routes: Row[] = [
  ['GET', () => '/api/health', undefined, all(200)],
  ['GET', () => '/api/auth/me', undefined, all(200)],
  ['POST', () => '/api/auth/collab-token', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['GET', () => '/api/espaces', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['POST', () => '/api/espaces', { name: 'Nouvel espace' }, statuses([401, 201, 403, 403, 403, 403, 403])],
  ['GET', () => `/api/espaces/${E}`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  [
    'PUT',
    () => `/api/espaces/${E}/members/${memberId}`,
    { role: 'membre' },
    statuses([401, 200, 200, 403, 403, 403, 403]),
  ],
  // Enrolling an account without invitation is the administrator's (issue 15): an unknown id is a
  // 404 for them, a 403 for the animateur, who invites.
  [
    'PUT',
    () => `/api/espaces/${E}/members/${NOBODY}`,
    { role: 'membre' },
    statuses([401, 404, 403, 403, 403, 403, 403]),
  ],
  [
    'DELETE',
    () => `/api/espaces/${E}/members/${NOBODY}`,
    undefined,
    statuses([401, 404, 404, 403, 403, 403, 403]),
  ],
  [
    'POST',
    () => `/api/espaces/${E}/invitations`,
    { email: 'nouvelle@hcts.example', role: 'membre' },
    statuses([401, 201, 201, 403, 403, 403, 403]),
  ],
  [
    'DELETE',
    () => `/api/espaces/${E}/invitations/${NOBODY}`,
    undefined,
    statuses([401, 404, 404, 403, 403, 403, 403]),
  ],
  ['GET', () => '/api/documents', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['GET', () => `/api/documents?espaceId=${E}`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  [
    'POST',
    () => '/api/documents',
    () => ({ title: 'Fiche', kind: 'fiche', espaceId: E }),
    statuses([401, 403, 201, 201, 201, 403, 403]),
  ],
  ['GET', () => `/api/documents/${docId}`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  [
    'POST',
    () => `/api/documents/${docId}/assignments`,
    { userId: 'x' },
    statuses([401, 403, 400, 403, 403, 403, 403]),
  ],
  [
    'DELETE',
    () => `/api/documents/${docId}/assignments/${NOBODY}`,
    undefined,
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  ['GET', () => `/api/documents/${docId}/sections`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  [
    'POST',
    () => `/api/documents/${spareId}/archive`,
    undefined,
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  [
    'POST',
    () => `/api/documents/${spareId}/restore`,
    undefined,
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  ['GET', () => `/api/espaces/${E}/activity`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  ['GET', () => `/api/espaces/${E}/themes`, undefined, statuses([401, 200, 200, 200, 200, 200, 403])],
  [
    'POST',
    () => `/api/espaces/${E}/themes`,
    () => ({ label: `Thème ${Math.random().toString(36).slice(2, 8)}` }),
    statuses([401, 403, 201, 403, 403, 403, 403]),
  ],
  [
    'PATCH',
    () => `/api/espaces/${E}/themes/aller-vers`,
    { archived: false },
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  ['GET', () => '/api/reference/territoires', undefined, all(200)],
  ['GET', () => `/api/files/${'0'.repeat(64)}`, undefined, statuses([401, 404, 404, 404, 404, 404, 404])],
  ['GET', () => '/api/users', undefined, statuses([401, 200, 403, 403, 403, 403, 403])],
  ['POST', () => `/api/users/${NOBODY}/disable`, undefined, statuses([401, 404, 403, 403, 403, 403, 403])],
  ['POST', () => `/api/users/${NOBODY}/enable`, undefined, statuses([401, 404, 403, 403, 403, 403, 403])],
  [
    'POST',
    () => `/api/users/${NOBODY}/password-reset`,
    undefined,
    statuses([401, 404, 403, 403, 403, 403, 403]),
  ],
  ['GET', () => '/api/audit', undefined, statuses([401, 200, 403, 403, 403, 403, 403])],
  // Comment threads: outsiders learn nothing (404); the administrator reads but does not comment.
  ['GET', () => `/api/documents/${docId}/threads`, undefined, statuses([401, 200, 200, 200, 200, 200, 404])],
  [
    'POST',
    () => `/api/documents/${docId}/threads`,
    () => ({ sectionId: 'inconnue', body: 'Un avis.' }),
    statuses([401, 403, 400, 400, 400, 400, 404]),
  ],
  ['GET', () => `/api/threads/${sharedThreadId}`, undefined, statuses([401, 200, 200, 200, 200, 200, 404])],
  [
    'POST',
    () => `/api/threads/${sharedThreadId}/comments`,
    { body: 'Une réponse.' },
    statuses([401, 403, 201, 201, 201, 201, 404]),
  ],
  [
    'POST',
    (who) => `/api/threads/${threadFor('toResolve', who)}/resolve`,
    undefined,
    statuses([401, 403, 200, 200, 200, 403, 404]),
  ],
  [
    'POST',
    (who) => `/api/threads/${threadFor('toReopen', who)}/reopen`,
    undefined,
    statuses([401, 403, 200, 200, 200, 403, 404]),
  ],
  [
    'PATCH',
    (who) => `/api/comments/${messageFor('toRead', who)}`,
    { body: 'Corrigé.' },
    statuses([401, 403, 403, 403, 403, 200, 404]),
  ],
  [
    'DELETE',
    (who) => `/api/comments/${messageFor('toResolve', who)}`,
    undefined,
    statuses([401, 403, 200, 403, 403, 200, 404]),
  ],
  [
    'DELETE',
    (who) => `/api/threads/${threadFor('toDelete', who)}`,
    undefined,
    statuses([401, 403, 204, 403, 403, 403, 404]),
  ],
  // Version history (issue 11): readers read and compare, writers name and restore (the
  // administrator reads, as for comments, but does not write).
  ['GET', () => `/api/documents/${docId}/versions`, undefined, statuses([401, 200, 200, 200, 200, 200, 404])],
  [
    'GET',
    () => `/api/documents/${docId}/versions/${versionId}?format=text`,
    undefined,
    statuses([401, 200, 200, 200, 200, 200, 404]),
  ],
  [
    'GET',
    () => `/api/documents/${docId}/diff?from=${versionId}&to=current`,
    undefined,
    statuses([401, 200, 200, 200, 200, 200, 404]),
  ],
  [
    'POST',
    () => `/api/documents/${docId}/versions`,
    { label: 'Relecture' },
    statuses([401, 403, 201, 201, 403, 403, 404]),
  ],
  [
    'POST',
    () => `/api/documents/${docId}/versions/${versionId}/restore`,
    undefined,
    statuses([401, 403, 200, 200, 403, 403, 404]),
  ],
  // Section review (issue 12): everyone who reads the document reads its review; assigned
  // rapporteurs and the animateur submit; only the animateur decides; the administrator oversees.
  [
    'POST',
    (who) => `/api/documents/${docId}/sections/${sectionFor(who, 0)}/review`,
    { action: 'submit' },
    statuses([401, 403, 200, 200, 403, 403, 403]),
  ],
  [
    'POST',
    (who) => `/api/documents/${docId}/sections/${sectionFor(who, 6)}/review`,
    { action: 'approve' },
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  [
    'POST',
    (who) => `/api/documents/${docId}/sections/${sectionFor(who, 0)}/review`,
    { action: 'request_changes', message: 'À reprendre.' },
    statuses([401, 403, 200, 403, 403, 403, 403]),
  ],
  // The state machine answers once can() agreed: a draft cannot be locked.
  [
    'POST',
    (who) => `/api/documents/${docId}/sections/${sectionFor(who, 0)}/review`,
    { action: 'lock' },
    statuses([401, 403, 409, 403, 403, 403, 403]),
  ],
  [
    'POST',
    (who) => `/api/documents/${docId}/sections/${sectionFor(who, 6)}/review`,
    { action: 'unlock' },
    statuses([401, 403, 409, 403, 403, 403, 403]),
  ],
  ['GET', () => `/api/espaces/${E}/review-queue`, undefined, statuses([401, 200, 200, 200, 200, 403, 403])],
  [
    'GET',
    () => `/api/documents/${docId}/review-journal?format=csv`,
    undefined,
    statuses([401, 200, 200, 200, 200, 200, 403]),
  ],
  // Publication (issue 13): the animateur publishes (the document is not prête à publier: 409
  // once can() agreed); whoever reads the document lists its publications; the search is public.
  [
    'POST',
    () => `/api/documents/${docId}/publications`,
    undefined,
    statuses([401, 403, 409, 403, 403, 403, 403]),
  ],
  [
    'GET',
    () => `/api/documents/${docId}/publications`,
    undefined,
    statuses([401, 200, 200, 200, 200, 200, 403]),
  ],
  [
    'POST',
    () => `/api/publications/${NOBODY}/unpublish`,
    undefined,
    statuses([401, 404, 404, 404, 404, 404, 404]),
  ],
  ['GET', () => '/api/public/search?q=famille', undefined, all(200)],
  // Reuse signals (issue 13): the animateur moderates.
  ['GET', () => `/api/espaces/${E}/signals`, undefined, statuses([401, 403, 200, 403, 403, 403, 403])],
  ['POST', () => `/api/signals/${NOBODY}/approve`, undefined, statuses([401, 404, 404, 404, 404, 404, 404])],
  ['GET', () => '/api/notifications', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['GET', () => '/api/notifications/unread-count', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['POST', () => '/api/notifications/read', { all: true }, statuses([401, 200, 200, 200, 200, 200, 200])],
  ['GET', () => '/api/notifications/preferences', undefined, statuses([401, 200, 200, 200, 200, 200, 200])],
  [
    'PUT',
    () => '/api/notifications/preferences',
    { email: 'daily' },
    statuses([401, 200, 200, 200, 200, 200, 200]),
  ],
  ['GET', () => '/api/invitations/lien-inconnu', undefined, all(404)],
  ['GET', () => '/api/auth/password-resets/lien-inconnu', undefined, all(404)],
  [
    'POST',
    () => '/api/auth/setup',
    { email: 'x@y.fr', name: 'X', password: 'un-mot-de-passe-long', espaceName: 'E' },
    all(409),
  ],
];

const cases = routes.flatMap(([method, path, body, expected]) =>
  actors.map((who) => ({
    method,
    path,
    body,
    who,
    expected: expected[who],
    label: `${method} ${path(who).replace(/[0-9a-f-]{36}/g, ':id')}`,
  })),
);

describe('authorization of every REST route for every role', () => {
  it.each(cases)(
    '$label as $who answers $expected',
    async ({ method, path, body: lazyBody, who, expected }) => {
      const body: unknown = typeof lazyBody === 'function' ? (lazyBody as () => unknown)() : lazyBody;
      const init = { method, ...(body === undefined ? {} : { json: body }) };
      const session = sessions.get(who);
      const response = session
        ? await session.fetch(path(who), init)
        : await fetch(`${server.url}${path(who)}`, {
            method,
            headers: { 'content-type': 'application/json', origin: server.url },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
      expect(response.status, await response.text()).toBe(expected);
    },
  );

  it('lets a rapporteur who creates a document write it, and tells others they only read it', async () => {
    const rapporteur = sessions.get('rapporteurNonAssigné') as Session;
    const created = await createDocument(rapporteur, E, 'Développement du pouvoir d’agir');
    const mine = (await (await rapporteur.fetch(`/api/documents/${created.id}`)).json()) as {
      access: string;
    };
    expect(mine.access).toBe('write');
    const membre = sessions.get('membre') as Session;
    const theirs = (await (await membre.fetch(`/api/documents/${created.id}`)).json()) as { access: string };
    expect(theirs.access).toBe('read');
    expect(unassignedId).toBe(rapporteur.userId);
  });

  it('refuses a cookie-authenticated write coming from another site, or with no origin at all', async () => {
    const admin = sessions.get('administrateur') as Session;
    const foreign = await fetch(`${server.url}/api/espaces`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        origin: 'https://site-malveillant.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Piège' }),
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { message: string }).message).toContain('CSRF');
    const noOrigin = await fetch(`${server.url}/api/espaces`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Piège' }),
    });
    expect(noOrigin.status).toBe(403);
  });
});
