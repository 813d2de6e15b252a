import { ydocToJSON, ydocToText, type DocJSON } from '@essaim/editor';
import type {
  ReviewQueueDto,
  ReuseSignalListDto,
  AdminUserDto,
  DocumentDto,
  DocumentListDto,
  EspaceDto,
  MeDto,
  TerritoiresDto,
} from '@essaim/protocol';
import { applyStored } from '@essaim/server/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { login, type Session } from '../support/accounts.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

const DEMO = { DEMO: 'true' };

async function json<T>(session: Session, path: string): Promise<T> {
  const response = await session.fetch(path);
  if (!response.ok) throw new Error(`${path} : ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const anonymousMe = async (server: TestServer): Promise<MeDto> =>
  (await (await fetch(`${server.url}/api/auth/me`)).json()) as MeDto;

/** The stored content of a document, read the way the collaboration server loads it. */
function storedDoc(server: TestServer, id: string): Y.Doc {
  const ydoc = new Y.Doc();
  applyStored(ydoc, server.services.collabStore.load(id));
  return ydoc;
}

function nodesOfType(node: DocJSON, type: string): DocJSON[] {
  return [
    ...(node.type === type ? [node] : []),
    ...(node.content ?? []).flatMap((c) => nodesOfType(c, type)),
  ];
}

describe('demonstration data on a fresh data folder', () => {
  const dataDir = tempDataDir('essaim-demo');
  let server: TestServer;
  let me: MeDto;
  let documents: DocumentDto[];
  let espaceId: string;

  const account = (email: string) => {
    const found = me.demoAccounts.find((a) => a.email === email);
    if (!found) throw new Error(`compte ${email} absent`);
    return found;
  };

  beforeAll(async () => {
    server = await startTestServer({ dataDir, env: DEMO });
    me = await anonymousMe(server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('announces the demonstration and its five accounts on the login page', () => {
    expect(me.setupNeeded).toBe(false);
    expect(me.demo).toBe(true);
    expect(me.user).toBeNull();
    expect(me.demoAccounts.map((a) => a.email)).toEqual([
      'administrateur@demo.essaim.fr',
      'animatrice@demo.essaim.fr',
      'rapporteur1@demo.essaim.fr',
      'rapporteur2@demo.essaim.fr',
      'membre@demo.essaim.fr',
    ]);
    for (const a of me.demoAccounts) {
      expect(a.password.length).toBeGreaterThanOrEqual(12);
      expect(a.name).not.toBe('');
      expect(a.role).not.toBe('');
    }
  });

  it('lets each account log in with its password, with its role in the espace', async () => {
    const roles: Record<string, { isAdmin: boolean; role: string | null }> = {
      'administrateur@demo.essaim.fr': { isAdmin: true, role: null },
      'animatrice@demo.essaim.fr': { isAdmin: false, role: 'animateur' },
      'rapporteur1@demo.essaim.fr': { isAdmin: false, role: 'rapporteur' },
      'rapporteur2@demo.essaim.fr': { isAdmin: false, role: 'rapporteur' },
      'membre@demo.essaim.fr': { isAdmin: false, role: 'membre' },
    };
    for (const a of me.demoAccounts) {
      const session = await login(server.url, a.email, a.password);
      const mine = await json<MeDto>(session, '/api/auth/me');
      expect(mine.user?.name).toBe(a.name);
      expect(mine.user?.isAdmin).toBe(roles[a.email]?.isAdmin);
      expect(mine.user?.espaces.map((e) => e.role)).toEqual(
        roles[a.email]?.role ? [roles[a.email]?.role] : [],
      );
    }
  });

  it('fills one espace with six fiches and the synthesis, each assigned to a rapporteur', async () => {
    const membre = account('membre@demo.essaim.fr');
    const session = await login(server.url, membre.email, membre.password);
    const { espaces } = await json<{ espaces: EspaceDto[] }>(session, '/api/espaces');
    expect(espaces.map((e) => e.name)).toEqual(['Pratiques émergentes du travail social']);
    espaceId = espaces[0]?.id as string;
    ({ documents } = await json<DocumentListDto>(session, `/api/documents?espaceId=${espaceId}`));

    const fiches = documents.filter((d) => d.kind === 'fiche');
    const syntheses = documents.filter((d) => d.kind === 'synthese');
    expect(fiches).toHaveLength(6);
    expect(syntheses.map((d) => d.title)).toEqual(['Document de synthèse — pratiques émergentes']);

    const rapporteurs = new Set(
      [account('rapporteur1@demo.essaim.fr'), account('rapporteur2@demo.essaim.fr')].map((a) => a.name),
    );
    for (const fiche of fiches) {
      expect(fiche.assignees.map((a) => a.name).every((name) => rapporteurs.has(name))).toBe(true);
      expect(fiche.assignees).toHaveLength(1);
      expect(fiche.metadata.themes.length).toBeGreaterThan(0);
      expect(fiche.metadata.territoire).toMatch(/^dep:/);
      expect(fiche.metadata.anneeDemarrage).toBeGreaterThanOrEqual(2015);
      expect(fiche.metadata.anneeDemarrage).toBeLessThanOrEqual(2021);
      expect(fiche.pages).toBeGreaterThanOrEqual(1);
      expect(fiche.access).toBe('read');
    }
    expect(syntheses[0]?.assignees.map((a) => a.name).sort()).toEqual([...rapporteurs].sort());

    // The three conférences familiales of the report's annexes, and the five themes covered.
    expect(
      fiches
        .filter((f) => f.metadata.themes.includes('conferences-familiales'))
        .map((f) => f.metadata.territoire)
        .sort(),
    ).toEqual(['dep:07', 'dep:33', 'dep:59']);
    expect(new Set(fiches.flatMap((f) => f.metadata.themes))).toEqual(
      new Set(['conferences-familiales', 'aller-vers', 'pair-aidance', 'coordination', 'pouvoir-d-agir']),
    );
    expect(new Set(fiches.map((f) => f.metadata.categorie))).toEqual(
      new Set(['naissante', 'renaissante', 'confidentielle']),
    );
    expect(new Set(fiches.map((f) => f.metadata.structureType)).size).toBeGreaterThanOrEqual(5);
  });

  it('shows the group at work: three fiches published on the portal, one under review, the rest in writing', async () => {
    const states = documents
      .filter((d) => d.kind === 'fiche')
      .map((d) => d.reviewState)
      .sort();
    expect(states).toEqual(['en_redaction', 'en_redaction', 'en_relecture', 'publiee', 'publiee', 'publiee']);
    const portal = await (await fetch(`${server.url}/pratiques/`)).text();
    for (const fiche of documents.filter((d) => d.reviewState === 'publiee'))
      expect(portal).toContain(fiche.title);
    const animatrice = account('animatrice@demo.essaim.fr');
    const session = await login(server.url, animatrice.email, animatrice.password);
    const queue = await json<ReviewQueueDto>(session, `/api/espaces/${espaceId}/review-queue`);
    expect(queue.entries.map((e) => e.state)).toEqual(['soumise', 'modifications_demandees']);
  });

  it('shows where the published practices are reused: three signals approved on the map and the fiches, one left to moderate', async () => {
    const animatrice = account('animatrice@demo.essaim.fr');
    const session = await login(server.url, animatrice.email, animatrice.password);
    const waiting = await json<ReuseSignalListDto>(
      session,
      `/api/espaces/${espaceId}/signals?status=en_attente`,
    );
    expect(waiting.signals.map((s) => s.territoireLabel)).toEqual(['Rhône (69)']);
    const map = await (await fetch(`${server.url}/pratiques/carte`)).text();
    for (const line of ['Ille-et-Vilaine (35)', 'Nord (59)', 'Bouches-du-Rhône (13)'])
      expect(map).toMatch(new RegExp(`${line.replace(/[()]/g, '\\$&')} : [^<]*1 reprise signalée`));
    const reused = documents.filter((d) => d.kind === 'fiche' && d.reviewState === 'publiee');
    const listed = await json<DocumentListDto>(session, `/api/documents?espaceId=${espaceId}`);
    expect(
      listed.documents
        .filter((d) => reused.some((r) => r.id === d.id))
        .map((d) => d.publication?.reuses ?? 0)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it('writes each fiche’s text into its sections', () => {
    const ardeche = documents.find((d) => d.metadata.territoire === 'dep:07');
    if (!ardeche) throw new Error('fiche Ardèche absente');
    const text = ydocToText(storedDoc(server, ardeche.id));
    expect(text).toContain('Identification');
    expect(text).toContain('conseil départemental de l’Ardèche');
    expect(text).toContain('temps privé');
    expect(text).toContain('Nouvelle-Zélande');
    for (const fiche of documents.filter((d) => d.kind === 'fiche')) {
      const json = ydocToJSON(storedDoc(server, fiche.id));
      const sections = nodesOfType(json, 'section');
      expect(sections).toHaveLength(13);
      // Most sections carry text beyond their title.
      const written = sections.filter((s) =>
        (s.content ?? []).slice(1).some((block) => nodesOfType(block, 'text').length > 0),
      );
      expect(written.length, fiche.title).toBeGreaterThanOrEqual(11);
    }
  });

  it('links the synthesis’ annexes to every fiche', () => {
    const synthese = documents.find((d) => d.kind === 'synthese');
    if (!synthese) throw new Error('synthèse absente');
    const json = ydocToJSON(storedDoc(server, synthese.id));
    const annexes = nodesOfType(json, 'section').find((s) => s.attrs?.key === 'annexes');
    const refs = nodesOfType(annexes ?? { type: 'none' }, 'docRef');
    expect(refs.map((r) => r.attrs?.documentId).sort()).toEqual(
      documents
        .filter((d) => d.kind === 'fiche')
        .map((d) => d.id)
        .sort(),
    );
    const text = ydocToText(storedDoc(server, synthese.id));
    expect(text).toContain('Haut Conseil du travail social');
    expect(text).toContain('Ardèche (07)');
  });

  it('does not seed again when restarted on the same data', async () => {
    await server.stop();
    server = await startTestServer({ dataDir, env: DEMO });
    const again = await anonymousMe(server);
    expect(again.demo).toBe(true);
    const admin = account('administrateur@demo.essaim.fr');
    const session = await login(server.url, admin.email, admin.password);
    const { users } = await json<{ users: AdminUserDto[] }>(session, '/api/users');
    expect(users).toHaveLength(5);
    const { espaces } = await json<{ espaces: EspaceDto[] }>(session, '/api/espaces');
    expect(espaces).toHaveLength(1);
    const list = await json<DocumentListDto>(session, `/api/documents?espaceId=${espaceId}`);
    expect(list.documents.map((d) => d.id).sort()).toEqual(documents.map((d) => d.id).sort());
  });
});

describe('without demonstration', () => {
  it('starts empty on a fresh data folder with DEMO=false, asking for the first-run setup', async () => {
    const server = await startTestServer({ env: { DEMO: 'false' } });
    try {
      const me = await anonymousMe(server);
      expect(me.setupNeeded).toBe(true);
      expect(me.demo).toBe(false);
      expect(me.demoAccounts).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('reference data', () => {
  it('serves the French territories to anyone, cached for a day', async () => {
    const server = await startTestServer();
    try {
      const response = await fetch(`${server.url}/api/reference/territoires`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
      const body = (await response.json()) as TerritoiresDto;
      expect(body.regions).toHaveLength(18);
      expect(body.departements).toHaveLength(101);
      expect(body.departements.find((d) => d.code === '07')).toEqual({
        code: '07',
        nom: 'Ardèche',
        region: '84',
      });
    } finally {
      await server.stop();
    }
  });
});
