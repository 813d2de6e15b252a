import type { DocumentListDto, ReuseSignalListDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { LILLE_SIGNAL, postSignal, publishedFiche } from '../support/publications.js';

/**
 * Reuse signals (issue 13): « Je m'inspire de cette pratique », left on the portal without an
 * account, held for the animateur's moderation, capped per address, honeypot dropped.
 */

const t = useTestInstance({ TRUST_PROXY: 'loopback' });
let rapporteur: Session;
let slug: string;

const signal = (path: string, body: Record<string, string>, address = '203.0.113.7') =>
  postSignal(t.server.url, path, body, address);

const lille = LILLE_SIGNAL;

async function waiting(session: Session): Promise<ReuseSignalListDto['signals']> {
  const response = await session.fetch(`/api/espaces/${t.espaceId}/signals?status=en_attente`);
  expect(response.status).toBe(200);
  return ((await response.json()) as ReuseSignalListDto).signals;
}

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  slug =
    (await publishedFiche(t.admin, t.espaceId, 'Conférences familiales')).publication.documentUrl
      .split('/')
      .pop() ?? '';
});

describe('reuse signals', () => {
  it('holds a signal for moderation, shows nothing to a rapporteur, and lets the animateur approve it once', async () => {
    const response = await signal(slug, { ...lille, email: 'contact@ccas-lille.example' });
    expect(response.status).toBe(201);
    const [held] = await waiting(t.admin);
    expect(held).toMatchObject({
      territoire: 'dep:59',
      territoireLabel: 'Nord (59)',
      structure: 'CCAS de Lille',
      email: 'contact@ccas-lille.example',
      status: 'en_attente',
    });
    expect((await rapporteur.fetch(`/api/espaces/${t.espaceId}/signals`)).status).toBe(403);
    expect((await rapporteur.fetch(`/api/signals/${held?.id}/approve`, { method: 'POST' })).status).toBe(403);
    const approved = await t.admin.fetch(`/api/signals/${held?.id}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await t.admin.fetch(`/api/signals/${held?.id}/reject`, { method: 'POST' })).status).toBe(409);
    expect(
      t.server.services.signals.approvedFor(held?.document.id ?? '').map((s) => [s.structure, s.email]),
    ).toEqual([['CCAS de Lille', null]]);
  });

  it('shows approved signals on the fiche page, never an email, and the form without JavaScript', async () => {
    const page = await (await fetch(`${t.server.url}/pratiques/${slug}?signal=merci`)).text();
    expect(page).toContain('Je m’inspire de cette pratique');
    expect(page).toContain('<strong>CCAS de Lille</strong>');
    expect(page).not.toContain('contact@ccas-lille.example');
    expect(page).toContain(`action="/pratiques/${slug}/inspiration"`);
    expect(page).toMatch(/role="status">Merci/);
    // The frozen page of a version stays as it was published: no signals, no form.
    const frozen = await (await fetch(`${t.server.url}/pratiques/${slug}/v/1`)).text();
    expect(frozen).not.toContain('inspiration');
  });

  it('refuses a signal on an unknown or unpublished practice, and bad fields with French messages', async () => {
    expect((await signal('pas-publiee', lille)).status).toBe(404);
    const bad = await signal(slug, { ...lille, territoire: 'Lille', email: 'pas-une-adresse' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { details: { path: string; message: string }[] };
    expect(body.details.map((d) => d.path).sort()).toEqual(['email', 'territoire']);
    expect((await signal(slug, { ...lille, message: 'x'.repeat(1001) })).status).toBe(400);
    // A code of the right shape that names no département.
    expect((await signal(slug, { ...lille, territoire: 'dep:999' })).status).toBe(400);
  });

  it('thanks a robot that fills the honeypot and keeps nothing', async () => {
    const before = (await waiting(t.admin)).length;
    const response = await signal(slug, { ...lille, site: 'http://spam.example' }, '198.51.100.9');
    expect(response.status).toBe(201);
    expect(await waiting(t.admin)).toHaveLength(before);
  });

  it('keeps at most 5 signals an hour from one address, even when 1,000 arrive at once', async () => {
    const before = (await waiting(t.admin)).length;
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () => signal(slug, lille, '192.0.2.1').then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 201)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(995);
    expect(await waiting(t.admin)).toHaveLength(before + 5);
    // Another address is not held back by the flood.
    expect((await signal(slug, lille, '192.0.2.2')).status).toBe(201);
  });

  it('takes the portal form without JavaScript and answers with a redirection to the fiche', async () => {
    const response = await fetch(`${t.server.url}/pratiques/${slug}/inspiration`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.50' },
      body: new URLSearchParams({
        territoire: 'reg:32',
        structureType: 'association',
        message: '',
      }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/pratiques/${slug}?signal=merci#inspiration`);
    const invalid = await fetch(`${t.server.url}/pratiques/${slug}/inspiration`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'territoire=nulle-part',
      redirect: 'manual',
    });
    expect(invalid.headers.get('location')).toBe(`/pratiques/${slug}?signal=invalide#inspiration`);
    // A territory of the right shape that names no département is told, not a server error.
    const unknown = await fetch(`${t.server.url}/pratiques/${slug}/inspiration`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ territoire: 'dep:999', structureType: 'association' }).toString(),
      redirect: 'manual',
    });
    expect(unknown.status).toBe(303);
    expect(unknown.headers.get('location')).toBe(`/pratiques/${slug}?signal=invalide#inspiration`);
    // An unknown practice: the portal's French page, not a bare text.
    const nowhere = await fetch(`${t.server.url}/pratiques/personne-ici/inspiration`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ territoire: 'dep:59', structureType: 'ccas' }).toString(),
      redirect: 'manual',
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('content-type')).toContain('text/html');
    expect(await nowhere.text()).toContain('lang="fr"');
    // A message of 1,000 « € » (what the field's maxlength lets through) is not a bare 413.
    const long = await fetch(`${t.server.url}/pratiques/${slug}/inspiration`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.60' },
      body: new URLSearchParams({
        territoire: 'dep:59',
        structureType: 'ccas',
        message: '€'.repeat(1000),
      }).toString(),
      redirect: 'manual',
    });
    expect(long.status).toBe(303);
  });

  it('answers in French to a body that is not an object, and takes the addresses the form’s browser check takes', async () => {
    const array = await fetch(`${t.server.url}/api/public/publications/${slug}/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(array.status).toBe(400);
    const body = (await array.json()) as { message: string };
    expect(body.message).toContain('Le corps de la requête doit être un objet JSON.');
    expect(body.message).not.toMatch(/Invalid|expected/);
    expect((await signal(slug, { ...lille, email: 'a@b' }, '192.0.2.61')).status).toBe(201);
    const put = await fetch(`${t.server.url}/pratiques/${slug}`, { method: 'PUT' });
    expect(put.status).toBe(404);
    expect(await put.text()).toContain('lang="fr"');
  });

  it('counts approved signals on the portal cards, on the map by the territory of the reuse, and in the catalogue', async () => {
    const fiche = await publishedFiche(t.admin, t.espaceId, 'Aller-vers en Ardèche');
    const ficheSlug = fiche.publication.documentUrl.split('/').pop() ?? '';
    const documentId = fiche.publication.documentId;
    const approve = async (body: Record<string, string>, address: string) => {
      expect((await signal(ficheSlug, body, address)).status).toBe(201);
      const held = (await waiting(t.admin)).find((s) => s.structure === body.structure);
      expect((await t.admin.fetch(`/api/signals/${held?.id}/approve`, { method: 'POST' })).status).toBe(200);
    };
    await approve(
      { territoire: 'dep:35', structureType: 'association', structure: 'Asso Rennes' },
      '192.0.2.81',
    );
    await approve({ territoire: 'dep:35', structureType: 'ccas', structure: 'CCAS de Rennes' }, '192.0.2.82');
    // A refused one counts nowhere.
    expect(
      (
        await signal(
          ficheSlug,
          { territoire: 'dep:13', structureType: 'ccas', structure: 'Refusé' },
          '192.0.2.83',
        )
      ).status,
    ).toBe(201);
    const refused = (await waiting(t.admin)).find((s) => s.structure === 'Refusé');
    expect((await t.admin.fetch(`/api/signals/${refused?.id}/reject`, { method: 'POST' })).status).toBe(200);

    const search = await (await fetch(`${t.server.url}/pratiques/recherche?q=ardeche`)).text();
    const card = search.slice(search.indexOf(`/pratiques/${ficheSlug}"`));
    expect(card.slice(0, card.indexOf('</li>'))).toContain('2 reprises signalées');

    const map = await (await fetch(`${t.server.url}/pratiques/carte`)).text();
    expect(map).toContain('Ille-et-Vilaine (35) : aucune pratique, 2 reprises signalées');
    expect(map).toContain('essaim-map__dep--reprise');
    expect(map).not.toMatch(/Bouches-du-Rhône \(13\) : [^<]*reprise/);

    const listed = (await (
      await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}`)
    ).json()) as DocumentListDto;
    expect(listed.documents.find((d) => d.id === documentId)?.publication).toEqual({
      number: 1,
      url: `/pratiques/${ficheSlug}`,
      newVersionInProgress: false,
      reuses: 2,
    });
    // Unpublished: out of the catalogue's badges and off the map.
    const [latest] = (
      (await (await t.admin.fetch(`/api/documents/${documentId}/publications`)).json()) as {
        publications: { id: string }[];
      }
    ).publications;
    expect(
      (await t.admin.fetch(`/api/publications/${latest?.id}/unpublish`, { method: 'POST' })).status,
    ).toBe(200);
    const after = (await (await t.admin.fetch(`/api/documents/${documentId}`)).json()) as {
      publication: unknown;
    };
    expect(after.publication).toBeNull();
    const mapAfter = await (await fetch(`${t.server.url}/pratiques/carte`)).text();
    expect(mapAfter).not.toContain('Ille-et-Vilaine (35) : aucune pratique, 2 reprises');
    // Republished: counted again.
    expect(
      (await t.admin.fetch(`/api/publications/${latest?.id}/republish`, { method: 'POST' })).status,
    ).toBe(200);
    expect(await (await fetch(`${t.server.url}/pratiques/carte`)).text()).toContain(
      'Ille-et-Vilaine (35) : aucune pratique, 2 reprises signalées',
    );
  });
});
