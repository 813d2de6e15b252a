import { parsePublicationChangedMessage } from '@essaim/protocol';
import type {
  PublicationListDto,
  PublicSearchDto,
  PublishReplyDto,
  ReviewedDocumentSectionsDto,
} from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, type NodeClient } from '../support/provider.js';
import { approveAll as approveAllSections } from '../support/publications.js';
import { syncedOpener } from '../support/sessions.js';

/**
 * Publication (issue 13): only a document prête à publier is published, by the animateur; each
 * publication is frozen; the public search finds published words in their French forms and never
 * a draft; unpublishing hides a document from the search.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let rapporteur: Session;
let membre: Session;

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
});

const open = syncedOpener(t, SETTLE.timeout);

async function sections(id: string): Promise<ReviewedDocumentSectionsDto> {
  return (await (await t.admin.fetch(`/api/documents/${id}/sections`)).json()) as ReviewedDocumentSectionsDto;
}

const approveAll = (id: string): Promise<void> => approveAllSections(t.admin, id);

/** A fiche written by the animateur: `words[i]` in section i + 1, everything stored. */
async function fiche(title: string, words: string[]): Promise<{ id: string; writer: NodeClient }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const writer = await open(t.admin, doc.name);
  words.forEach((w, i) => writeInSection(writer.ydoc, sectionId(writer.ydoc, i + 1), w));
  await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  return { id: doc.id, writer };
}

const publish = (session: Session, id: string) =>
  session.fetch(`/api/documents/${id}/publications`, { method: 'POST' });

async function search(q: string): Promise<PublicSearchDto['results']> {
  const response = await fetch(`${t.server.url}/api/public/search?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as PublicSearchDto).results;
}

describe('publication', () => {
  it('refuses to publish a document that is not prête à publier, with a French message', async () => {
    const { id } = await fiche('Fiche pas prête', ['Du texte.']);
    const response = await publish(t.admin, id);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toMatch(/pas prêt à publier/);
  });

  it('lets only the animateur publish', async () => {
    const { id } = await fiche('Fiche réservée', ['Du texte.']);
    await approveAll(id);
    expect((await publish(rapporteur, id)).status).toBe(403);
    expect((await publish(membre, id)).status).toBe(403);
    // Without a session: 401.
    const anonymous = await fetch(`${t.server.url}/api/documents/${id}/publications`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });

  it('freezes each publication: a later draft changes neither the first nor the search until published again', async () => {
    const { id, writer } = await fiche('Conférences familiales en Ardèche', [
      'Les familles élargies se réunissent pour décider ensemble.',
    ]);
    await approveAll(id);
    const first = await publish(t.admin, id);
    expect(first.status).toBe(201);
    const one = (await first.json()) as PublishReplyDto;
    expect(one.number).toBe(1);
    expect(one.url).toMatch(/^\/pratiques\/conferences-familiales-en-ardeche\/v\/1$/);
    // Publishing the same text again is refused.
    expect((await publish(t.admin, id)).status).toBe(409);
    expect((await sections(id)).reviewState).toBe('publiee');

    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Un coordinateur indépendant prépare la réunion.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await expect.poll(async () => (await sections(id)).review.newVersionInProgress, SETTLE).toBe(true);
    // The draft is not searchable; the publication still is.
    expect(await search('coordinateur indépendant')).toEqual([]);
    expect((await search('familles élargies')).map((r) => r.title)).toEqual([
      'Conférences familiales en Ardèche',
    ]);

    // Not prête à publier again until the edited section is approved again.
    expect((await publish(t.admin, id)).status).toBe(409);
    await approveAll(id);
    const second = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    expect(second.number).toBe(2);
    expect(await search('familles élargies')).toEqual([]);
    expect((await search('coordinateur')).map((r) => r.url)).toEqual([
      '/pratiques/conferences-familiales-en-ardeche',
    ]);
    const list = (await (
      await membre.fetch(`/api/documents/${id}/publications`)
    ).json()) as PublicationListDto;
    expect(list.publications.map((p) => [p.number, p.hidden])).toEqual([
      [2, false],
      [1, false],
    ]);
  });

  it('finds French word forms, without accents or hyphens, and ranks a title match above a text match', async () => {
    const a = await fiche('Pair-aidance en CHRS', ['Des pairs accompagnent les personnes hébergées.']);
    const b = await fiche('Coordination de territoire', [
      'La pair-aidance complète la coordination des intervenants.',
    ]);
    const c = await fiche('Équipe mobile rurale', ['Une démarche d’aller-vers auprès des familles isolées.']);
    for (const f of [a, b, c]) {
      await approveAll(f.id);
      expect((await publish(t.admin, f.id)).status).toBe(201);
    }
    expect((await search('pair aidance')).map((r) => r.title)).toEqual([
      'Pair-aidance en CHRS',
      'Coordination de territoire',
    ]);
    expect((await search('aller vers')).map((r) => r.title)).toEqual(['Équipe mobile rurale']);
    expect((await search('FAMILLE ISOLEE')).map((r) => r.title)).toEqual(['Équipe mobile rurale']);
    expect((await search('equipe')).map((r) => r.title)).toEqual(['Équipe mobile rurale']);
    const [hit] = await search('démarches');
    expect(hit?.snippet).toContain('<mark>démarche</mark>');
    // Nothing typed is read as search syntax.
    expect(await search('"pair" OR NEAR(*')).toBeInstanceOf(Array);
  });

  it('counts a change of the metadata alone as a new version to publish', async () => {
    const { id, writer } = await fiche('Contact à corriger', ['Un texte.']);
    await approveAll(id);
    expect((await publish(t.admin, id)).status).toBe(201);
    writer.ydoc.getMap('meta').set('contact', 'accueil@cias.example');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    expect((await sections(id)).review.newVersionInProgress).toBe(true);
    const again = await publish(t.admin, id);
    expect(again.status).toBe(201);
    expect(((await again.json()) as PublishReplyDto).number).toBe(2);
  });

  it('tells every open editor of the document when it is published and unpublished', async () => {
    const { id, writer } = await fiche('Annoncée en direct', ['Un texte.']);
    const heard: unknown[] = [];
    writer.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = parsePublicationChangedMessage(payload);
      if (message) heard.push(message);
    });
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' });
    await expect
      .poll(() => heard, SETTLE)
      .toEqual([
        { type: 'publication-changed', number: 1, hidden: false },
        { type: 'publication-changed', number: 1, hidden: true },
      ]);
  });

  it('hides an unpublished document from search and shows it again when republished', async () => {
    const { id } = await fiche('Développement du pouvoir d’agir', [
      'Les habitants choisissent leurs projets.',
    ]);
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    expect(await search('habitants')).toHaveLength(1);
    expect(
      (await rapporteur.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(403);
    expect(
      (await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(200);
    expect(await search('habitants')).toEqual([]);
    expect(
      (await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(409);
    expect(
      (await t.admin.fetch(`/api/publications/${publication.id}/republish`, { method: 'POST' })).status,
    ).toBe(200);
    expect(await search('habitants')).toHaveLength(1);
  });

  it('refuses to publish an unpublished text again as a copy, and points to « Republier »', async () => {
    const { id } = await fiche('Permanences délocalisées', ['Les agents tiennent des permanences.']);
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    expect(
      (await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(200);
    const again = await publish(t.admin, id);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toContain('Republier');
    expect(
      (
        (await (await t.admin.fetch(`/api/documents/${id}/publications`)).json()) as {
          publications: unknown[];
        }
      ).publications,
    ).toHaveLength(1);
  });

  it('takes an archived document off every public address: page, downloads, signals; and refuses to put it back online', async () => {
    const { id } = await fiche('Maraudes archivées', ['Les maraudes ont lieu le soir.']);
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    const page = publication.documentUrl;
    expect((await fetch(`${t.server.url}${page}/v/1/export.md`)).status).toBe(200);
    expect((await t.admin.fetch(`/api/documents/${id}/archive`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${t.server.url}${page}`)).status).toBe(404);
    for (const ext of ['md', 'pdf', 'docx'])
      expect((await fetch(`${t.server.url}${page}/v/1/export.${ext}`)).status).toBe(404);
    const slug = page.split('/').pop() ?? '';
    const signal = await fetch(`${t.server.url}/api/public/publications/${slug}/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ territoire: 'dep:59', structureType: 'ccas' }),
    });
    expect(signal.status).toBe(404);
    // Unpublished while archived, it cannot be put back online before it is restored.
    expect(
      (await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(200);
    const republished = await t.admin.fetch(`/api/publications/${publication.id}/republish`, {
      method: 'POST',
    });
    expect(republished.status).toBe(409);
    expect(((await republished.json()) as { message: string }).message).toContain('archivé');
  });

  it('finds « œ » words whether typed with the ligature or as « oe », after the index is rebuilt too', async () => {
    const { id } = await fiche('Cœur de quartier', ['La mise en œuvre associe les sœurs et les frères.']);
    await approveAll(id);
    expect((await publish(t.admin, id)).status).toBe(201);
    for (const q of ['coeur', 'CŒUR', 'soeurs', 'sœur'])
      expect({ q, found: (await search(q)).map((r) => r.title) }).toEqual({ q, found: ['Cœur de quartier'] });
    // « mise en œuvre » is also in every fiche's section titles: both spellings find the same.
    const titles = async (q: string) => (await search(q)).map((r) => r.title).sort();
    expect(await titles('oeuvre')).toContain('Cœur de quartier');
    expect(await titles('oeuvre')).toEqual(await titles('œuvre'));
    expect(t.server.services.publications.reindexSearch()).toBeGreaterThan(0);
    expect((await search('soeurs')).map((r) => r.title)).toEqual(['Cœur de quartier']);
    const [hit] = await search('soeurs');
    expect(hit?.snippet).toContain('<mark>sœurs</mark>');
  });

  it('freezes no invisible control a raw client slipped in: a NUL in a link, an override in a name', async () => {
    const { id, writer } = await fiche('Accueil de jour', ['Texte\u202E inversé.']);
    const text = writeInSection(writer.ydoc, sectionId(writer.ydoc, 2), 'Voir ');
    writer.ydoc.transact(() => {
      text.insert(5, 'le site', { link: { href: 'https://exemple.fr/\u0000page' } });
      text.insert(12, ' ou appeler', { link: { href: 'tel:+33102030405' } });
      writer.ydoc.getMap('meta').set('structure', 'CCAS\u202E de Lille');
    });
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    const page = await (await fetch(`${t.server.url}${publication.documentUrl}`)).text();
    expect(page.includes('\u0000') || page.includes('\u202E')).toBe(false);
    expect(page).toContain('href="https://exemple.fr/page"');
    expect(page).toContain('href="tel:+33102030405"');
    expect(page).toContain('CCAS de Lille');
    const markdown = await (await fetch(`${t.server.url}${publication.url}/export.md`)).text();
    expect(markdown.includes('\u0000') || markdown.includes('\u202E')).toBe(false);
  });

  it('serves a frozen page byte for byte after a theme is renamed', async () => {
    const { id, writer } = await fiche('Conférences familiales au Havre', ['Un coordinateur prépare.']);
    writer.ydoc.getMap('meta').set('themes', ['conferences-familiales']);
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await approveAll(id);
    const { publication } = (await (await publish(t.admin, id)).json()) as PublishReplyDto;
    const frozen = async () => (await fetch(`${t.server.url}${publication.url}`)).text();
    const before = await frozen();
    expect(before).toContain('Conférences familiales');
    const renamed = await t.admin.fetch(`/api/espaces/${t.espaceId}/themes/conferences-familiales`, {
      method: 'PATCH',
      json: { label: 'Conférences familiales (renommé)' },
    });
    expect(renamed.status).toBe(200);
    expect(await frozen()).toBe(before);
  });
});
