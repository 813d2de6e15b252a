import http from 'node:http';
import { parseFeed } from '@rowanmanning/feed-parser';
import type { PublishReplyDto, ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { META_MAP, type DocumentMetadata } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { sectionId, sectionsOf, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, type NodeClient } from '../support/provider.js';
import { syncedOpener } from '../support/sessions.js';

/**
 * The public portal (issue 13): server-rendered pages of what is published, readable without
 * JavaScript and without an account. Publication N stays byte for byte at its address; an
 * unpublished practice leaves pages, search, map and feed; nothing typed becomes markup; images
 * are served only while a publication shows them; filters are in the address; the feed is Atom.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
const open = syncedOpener(t, SETTLE.timeout);

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface Page {
  status: number;
  body: string;
  headers: Headers;
}

/** A GET as an anonymous reader (no cookie). */
/** A GET with a `Host` header of our choosing (fetch would not send one). */
function rawGet(path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(t.server.url);
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
  });
}

async function get(path: string): Promise<Page> {
  const response = await fetch(`${t.server.url}${path}`);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

async function approveAll(id: string): Promise<void> {
  const { sections } = (await (
    await t.admin.fetch(`/api/documents/${id}/sections`)
  ).json()) as ReviewedDocumentSectionsDto;
  for (const s of sections) {
    if (s.review.state === 'approuvee' && !s.review.stale) continue;
    const response = await t.admin.fetch(`/api/documents/${id}/sections/${s.id}/review`, {
      method: 'POST',
      json: { action: 'approve' },
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }
}

async function publish(id: string): Promise<PublishReplyDto> {
  await approveAll(id);
  const response = await t.admin.fetch(`/api/documents/${id}/publications`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as PublishReplyDto;
}

interface Fiche {
  id: string;
  writer: NodeClient;
  slug: string;
}

/**
 * A fiche written by the animateur (`words[i]` in section i + 1, `meta` in its metadata map),
 * stored, approved and published. Its slug is that of its portal page.
 */
async function publishedFiche(
  title: string,
  words: string[],
  meta: Partial<DocumentMetadata> = {},
  kind: 'fiche' | 'synthese' = 'fiche',
): Promise<Fiche> {
  const doc = await createDocument(t.admin, t.espaceId, title, kind);
  const writer = await open(t.admin, doc.name);
  words.forEach((w, i) => writeInSection(writer.ydoc, sectionId(writer.ydoc, i), w));
  writer.ydoc.transact(() => {
    const map = writer.ydoc.getMap<unknown>(META_MAP);
    for (const [key, value] of Object.entries(meta)) map.set(key, value);
  });
  await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  const { publication } = await publish(doc.id);
  return { id: doc.id, writer, slug: publication.documentUrl.replace('/pratiques/', '') };
}

/** The titles of the practices a list page shows, in order. */
const listedTitles = (body: string): string[] =>
  [...body.matchAll(/<h[23] class="fr-card__title"><a href="\/pratiques\/[a-z0-9-]+">([^<]*)<\/a>/g)].map(
    (m) => (m[1] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );

const search = async (query: string): Promise<string[]> => {
  const page = await get(`/pratiques/recherche?${query}`);
  expect(page.status).toBe(200);
  return listedTitles(page.body);
};

describe('pages of a publication', () => {
  it('serves publication 1 byte for byte at its address after publication 2, which becomes the default page', async () => {
    const f = await publishedFiche('Conférences familiales en Gironde', [
      'Les familles élargies préparent un plan avec un coordinateur.',
    ]);
    const first = await get(`/pratiques/${f.slug}/v/1`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('Les familles élargies préparent un plan');
    expect(first.body).toMatch(/Version 1 du \d{1,2}(er)? \p{L}+ \d{4}/u);
    const defaultPage = await get(`/pratiques/${f.slug}`);
    expect(defaultPage.body).toContain('Les familles élargies préparent un plan');

    writeInSection(f.writer.ydoc, sectionId(f.writer.ydoc, 0), 'Le plan est suivi par le juge des enfants.');
    await expect.poll(() => isSettled(f.writer), SETTLE).toBe(true);
    // The draft is not the portal's: nothing changes until it is published.
    expect((await get(`/pratiques/${f.slug}`)).body).toBe(defaultPage.body);
    const second = await publish(f.id);
    expect(second.number).toBe(2);

    const again = await get(`/pratiques/${f.slug}/v/1`);
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    const latest = await get(`/pratiques/${f.slug}`);
    expect(latest.body).toContain('Le plan est suivi par le juge des enfants.');
    expect(latest.body).not.toContain('Les familles élargies préparent un plan');
    expect(latest.body).toContain(`href="/pratiques/${f.slug}/v/1"`);
    expect(latest.body).toContain(`href="/pratiques/${f.slug}/v/2"`);
    expect((await get(`/pratiques/${f.slug}/v/2`)).body).toContain('Le plan est suivi');
  });

  it('answers unknown addresses, numbers and practices with the French 404 page', async () => {
    const f = await publishedFiche('Pair-aidance en santé mentale', ['Des pairs aidants salariés.']);
    for (const path of [
      '/pratiques/aucune-pratique-de-ce-nom',
      `/pratiques/${f.slug}/v/2`,
      `/pratiques/${f.slug}/v/0`,
      `/pratiques/${f.slug}/v/abc`,
      '/pratiques/Majuscules',
      '/pratiques/un/chemin/inconnu',
      '/pratiques/fichiers/pas-un-hash',
    ]) {
      const page = await get(path);
      expect(page.status, path).toBe(404);
      expect(page.body, path).toContain('<h1>Page non trouvée</h1>');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });

  it('leads a synthesis’s links to the fiches it cites to their portal pages', async () => {
    const fiche = await publishedFiche('Aller-vers en milieu rural', ['Une équipe mobile va au-devant.']);
    const doc = await createDocument(t.admin, t.espaceId, 'Synthèse des pratiques', 'synthese');
    const writer = await open(t.admin, doc.name);
    const paragraph = sectionsOf(writer.ydoc)[0]
      ?.toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    writer.ydoc.transact(() => {
      const ref = new Y.XmlElement('docRef');
      ref.setAttribute('documentId', fiche.id);
      ref.setAttribute('title', 'Aller-vers en milieu rural');
      paragraph?.insert(0, [new Y.XmlText('Voir la fiche '), ref]);
    });
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const { publication } = await publish(doc.id);
    const page = await get(publication.documentUrl);
    expect(page.body).toContain(
      `<a class="essaim-doc-ref" href="/pratiques/${fiche.slug}">Aller-vers en milieu rural</a>`,
    );
    expect(page.body).toContain('Document de synthèse');
  });
});

describe('what the portal shows and hides', () => {
  it('hides an unpublished or archived practice from its pages, the search, the map and the feed, and shows it again when republished or restored', async () => {
    const f = await publishedFiche(
      'Maraude sociale en Corrèze',
      ['Une maraude hebdomadaire rencontre les personnes isolées du plateau.'],
      { territoire: 'dep:19', themes: ['aller-vers'] },
    );
    const [{ id }] = (
      (await (await t.admin.fetch(`/api/documents/${f.id}/publications`)).json()) as {
        publications: { id: string }[];
      }
    ).publications as [{ id: string }];
    const shown = async () => ({
      page: (await get(`/pratiques/${f.slug}`)).status,
      version: (await get(`/pratiques/${f.slug}/v/1`)).status,
      search: await search('q=maraude+hebdomadaire'),
      home: listedTitles((await get('/pratiques/')).body).includes('Maraude sociale en Corrèze'),
      map: (await get('/pratiques/carte')).body.includes('Corrèze (19) : 1 pratique'),
      feed: parseFeed((await get('/pratiques/flux.atom')).body).items.some(
        (i) => i.title === 'Maraude sociale en Corrèze',
      ),
    });
    expect(await shown()).toEqual({
      page: 200,
      version: 200,
      search: ['Maraude sociale en Corrèze'],
      home: true,
      map: true,
      feed: true,
    });
    const hidden = await t.admin.fetch(`/api/publications/${id}/unpublish`, { method: 'POST' });
    expect(hidden.status).toBe(200);
    expect(await shown()).toEqual({
      page: 404,
      version: 404,
      search: [],
      home: false,
      map: false,
      feed: false,
    });
    expect((await t.admin.fetch(`/api/publications/${id}/republish`, { method: 'POST' })).status).toBe(200);
    expect((await shown()).page).toBe(200);
    // An archived document leaves the portal too, and comes back when restored.
    expect((await t.admin.fetch(`/api/documents/${f.id}/archive`, { method: 'POST' })).status).toBe(200);
    expect(await shown()).toEqual({
      page: 404,
      version: 404,
      search: [],
      home: false,
      map: false,
      feed: false,
    });
    expect((await t.admin.fetch(`/api/documents/${f.id}/restore`, { method: 'POST' })).status).toBe(200);
    expect((await shown()).home).toBe(true);
  });

  it('serves every page with a CSP that runs no script, and no page has a script element', async () => {
    const f = await publishedFiche('Coordination de parcours', ['Une réunion mensuelle des partenaires.']);
    const pages = [
      '/pratiques/',
      '/pratiques',
      '/pratiques/recherche?q=reunion',
      '/pratiques/carte',
      '/pratiques/a-propos',
      `/pratiques/${f.slug}`,
      `/pratiques/${f.slug}/v/1`,
      '/pratiques/inconnue/tout-a-fait',
    ];
    for (const path of pages) {
      const page = await get(path);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
      expect(csp, path).toContain("form-action 'self'");
      expect(page.body, path).not.toMatch(/<script/i);
      expect(page.body, path).toContain('<html lang="fr"');
    }
    // The stylesheet and the DSFR files it names come from this site.
    const home = await get('/pratiques/');
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)?.[1] ?? '';
    expect(href).toMatch(/^\/pratiques\/static\/portail\.[0-9a-f]{16}\.css$/);
    const css = await fetch(`${t.server.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toContain('immutable');
    const text = await css.text();
    const urls = [...text.matchAll(/url\(([^)]+)\)/g)]
      .map((m) => (m[1] ?? '').replace(/^['"]/, ''))
      .filter((u) => !u.startsWith('data:'));
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => !u.startsWith('/pratiques/static/dsfr-'))).toEqual([]);
    for (const url of [...new Set(urls)].slice(0, 40)) {
      expect((await fetch(`${t.server.url}${url}`)).status, url).toBe(200);
    }
  });

  it('escapes hostile metadata: markup and javascript: in the title and the contact never become markup or links', async () => {
    const title = 'Fiche <script>alert("titre")</script> <img src=x onerror=alert(1)> ]]> ]]> \u0001 & fin';
    const f = await publishedFiche('Fiche piégée', ['Texte du piège ordinaire.'], {
      title,
      contact: '<a href="javascript:alert(1)">écrire</a> javascript:alert(2) contact@cd33.example',
      structure: '"><svg onload=alert(3)>',
      public: "Familles ' onmouseover='alert(4)",
      themes: ['<b>theme</b>', 'aller-vers'],
    });
    const pages = [
      (await get(`/pratiques/${f.slug}`)).body,
      (await get('/pratiques/')).body,
      (await get('/pratiques/recherche?q=piege')).body,
    ];
    for (const body of pages) {
      // No element from what was typed, and no tag with an event handler.
      expect(body).not.toMatch(/<(script|img src=x|svg|b>)/i);
      expect(body).not.toMatch(/<[^>]*\son[a-z]+=/i);
      expect(body).not.toMatch(/href="javascript:/i);
      expect(body).toContain('Fiche &lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;');
    }
    const page = pages[0] ?? '';
    expect(page).toContain('<a href="mailto:contact@cd33.example">contact@cd33.example</a>');
    expect(page).toContain(
      '&lt;a href=&quot;javascript:alert(1)&quot;&gt;écrire&lt;/a&gt; javascript:alert(2)',
    );
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
    // The feed stays well-formed XML (no character XML forbids, CDATA never closed early), and
    // reads the title back as it was typed.
    const feed = parseFeed((await get('/pratiques/flux.atom')).body);
    expect(feed.items.map((i) => i.title)).toContain(title.replace('\u0001', ''));
  });
});

describe('images of published pages', () => {
  it('serves an uploaded image only while a visible publication shows it', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Fiche illustrée');
    const upload = async (bytes: Buffer) => {
      const response = await t.admin.fetch(`/api/documents/${doc.id}/files`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(bytes),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { hash: string }).hash;
    };
    const shownHash = await upload(PNG);
    // Another image of the same document, uploaded and never placed: never public.
    const otherPng = Buffer.concat([PNG, Buffer.from('fin')]);
    const unplacedHash = await upload(otherPng);
    const writer = await open(t.admin, doc.name);
    writer.ydoc.transact(() => {
      const img = new Y.XmlElement('image');
      img.setAttribute('src', `/api/files/${shownHash}`);
      img.setAttribute('alt', 'Schéma de la démarche');
      sectionsOf(writer.ydoc)[1]?.insert(1, [img]);
    });
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const image = `/pratiques/fichiers/${shownHash}`;
    expect((await fetch(`${t.server.url}${image}`)).status).toBe(404);

    const { publication } = await publish(doc.id);
    const page = await get(publication.documentUrl);
    expect(page.body).toContain(`<img src="${image}" alt="Schéma de la démarche"`);
    const served = await fetch(`${t.server.url}${image}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${t.server.url}/pratiques/fichiers/${unplacedHash}`)).status).toBe(404);
    // The application's own address still asks for a session.
    expect((await fetch(`${t.server.url}/api/files/${shownHash}`)).status).toBe(401);

    await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' });
    expect((await fetch(`${t.server.url}${image}`)).status).toBe(404);
    await t.admin.fetch(`/api/publications/${publication.id}/republish`, { method: 'POST' });
    expect((await fetch(`${t.server.url}${image}`)).status).toBe(200);
  });
});

describe('search, map and feed', () => {
  it('filters the search by theme, category, territory (a région finds its départements), public and year, every filter in the address', async () => {
    const common = 'Quenouillage';
    await publishedFiche('Conférences familiales en Ardèche', [`${common} : les familles décident.`], {
      territoire: 'dep:07',
      themes: ['conferences-familiales'],
      categorie: 'naissante',
      anneeDemarrage: 2016,
      public: 'Familles suivies en protection de l’enfance',
    });
    await publishedFiche('Équipe mobile en Auvergne-Rhône-Alpes', [`${common} : une équipe va vers.`], {
      territoire: 'reg:84',
      themes: ['aller-vers'],
      categorie: 'renaissante',
      anneeDemarrage: 2019,
      public: 'Jeunes sans solution',
    });
    await publishedFiche('Pair-aidance dans le Nord', [`${common} : des pairs accompagnent.`], {
      territoire: 'dep:59',
      themes: ['pair-aidance'],
      categorie: 'confidentielle',
      anneeDemarrage: 2016,
      public: 'Personnes sans domicile',
    });
    const q = `q=${common.toLowerCase()}`;
    expect((await search(q)).sort()).toEqual([
      'Conférences familiales en Ardèche',
      'Pair-aidance dans le Nord',
      'Équipe mobile en Auvergne-Rhône-Alpes',
    ]);
    expect((await search(`${q}&territoire=reg:84`)).sort()).toEqual([
      'Conférences familiales en Ardèche',
      'Équipe mobile en Auvergne-Rhône-Alpes',
    ]);
    expect(await search(`${q}&territoire=dep:07`)).toEqual(['Conférences familiales en Ardèche']);
    expect(await search(`${q}&theme=aller-vers`)).toEqual(['Équipe mobile en Auvergne-Rhône-Alpes']);
    expect(await search(`${q}&categorie=confidentielle`)).toEqual(['Pair-aidance dans le Nord']);
    expect((await search(`${q}&annee=2016`)).sort()).toEqual([
      'Conférences familiales en Ardèche',
      'Pair-aidance dans le Nord',
    ]);
    expect(await search(`${q}&public=FAMILLE+enfance`)).toEqual(['Conférences familiales en Ardèche']);
    expect(await search(`${q}&annee=2016&territoire=reg:32`)).toEqual(['Pair-aidance dans le Nord']);
    // Without words: filters alone, newest first.
    expect(await search('territoire=reg:84')).toEqual([
      'Équipe mobile en Auvergne-Rhône-Alpes',
      'Conférences familiales en Ardèche',
    ]);
    // Lenient: an unknown value is no filter.
    expect((await search(`${q}&categorie=inconnue&territoire=Lille&annee=12`)).length).toBe(3);

    const page = await get(`/pratiques/recherche?q=familles+decident&territoire=dep%3A07&annee=2016`);
    expect(page.body).toContain('<mark>familles</mark>');
    expect(page.body).toContain('<mark>décident</mark>');
    expect(page.body).toContain('value="familles decident"');
    expect(page.body).toContain('<option value="dep:07" selected>Ardèche (07)</option>');
    expect(page.body).toContain('<option value="2016" selected>2016</option>');
    expect(page.body).toMatch(
      /1 pratique trouvée pour « familles decident », territoire Ardèche \(07\), démarrée en 2016/,
    );

    const map = (await get('/pratiques/carte')).body;
    expect(map).toContain(
      '<a href="/pratiques/recherche?territoire=dep%3A07" aria-label="Ardèche (07) : 1 pratique">',
    );
    expect(map).toContain(
      '<a href="/pratiques/recherche?territoire=dep%3A59" aria-label="Nord (59) : 1 pratique">',
    );
    expect(map).toMatch(/Auvergne-Rhône-Alpes<\/strong> : 2 pratiques/);
    expect(map).toContain('À l’échelle de la région : 1 pratique');
    expect(map).toContain('<title>Cantal (15) : aucune pratique</title>');
  });

  it('publishes an Atom feed that parses back, newest first, for the whole portal and per theme', async () => {
    await publishedFiche('Premier flux', ['Un.'], { themes: ['coordination'] });
    await publishedFiche('Deuxième flux', ['Deux.'], { themes: ['pouvoir-d-agir'] });
    await publishedFiche('Troisième flux', ['Trois.'], { themes: ['coordination'] });
    const response = await get('/pratiques/flux.atom');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseFeed(response.body);
    expect(feed.meta.type).toBe('atom');
    const titles = feed.items.map((i) => i.title);
    expect(titles.slice(0, 3)).toEqual(['Troisième flux', 'Deuxième flux', 'Premier flux']);
    const dates = feed.items.map((i) => i.updated?.getTime() ?? 0);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(feed.items[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pratiques\/troisieme-flux$/);
    // Without PUBLIC_URL the links follow the request's host, so no shared cache may keep them.
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const forged = await rawGet('/pratiques/flux.atom', 'evil.example/x?<script>');
    expect(forged.body).not.toContain('evil.example/x');
    expect(forged.body).not.toContain('<script>');
    expect(parseFeed(forged.body).items[0]?.url).toMatch(/^http:\/\/localhost\/pratiques\/troisieme-flux$/);

    const theme = parseFeed((await get('/pratiques/flux.atom?theme=coordination')).body);
    expect(theme.title).toContain('Coordination et interventions pluridisciplinaires');
    expect(theme.items.map((i) => i.title).slice(0, 2)).toEqual(['Troisième flux', 'Premier flux']);
    expect(theme.items.every((i) => i.categories.some((c) => c.term === 'coordination'))).toBe(true);
    expect(parseFeed((await get('/pratiques/flux.atom?theme=personne')).body).items).toEqual([]);
    expect((await get('/pratiques/flux.atom?theme=%3Cb%3E')).status).toBe(404);

    const themed = (await get('/pratiques/recherche?theme=coordination')).body;
    expect(themed).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Thème « Coordination et interventions pluridisciplinaires » (flux Atom)" href="/pratiques/flux.atom?theme=coordination">',
    );
    const home = (await get('/pratiques/')).body;
    expect(home).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Toutes les publications (flux Atom)" href="/pratiques/flux.atom">',
    );
  });
});
