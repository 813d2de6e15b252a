import { describe, expect, it } from 'vitest';
import { createDocument, invite } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';

/**
 * Issue 17, tester BR33 F1: one account created 3,000 documents in 52 s, and the espace's
 * catalogue then weighed 2.2 MB. An account creates at most `DOCUMENTS_PER_HOUR_PER_ACCOUNT`
 * documents in a sliding hour (3 here, 60 by default). A membre looping on the catalogue slowed
 * everyone (tester BR36): an account asks at most `CATALOGUE_REQUESTS_PER_10_SECONDS` pages in
 * 10 s (5 here, 40 by default).
 */

const t = useTestInstance({ DOCUMENTS_PER_HOUR_PER_ACCOUNT: '3', CATALOGUE_REQUESTS_PER_10_SECONDS: '5' });

describe('documents one account may create in an hour', () => {
  it('refuses the fourth creation of the hour with a 429, a French message and a Retry-After, and keeps the three already made', async () => {
    const rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rachida Rapporteure');
    const made = [];
    for (const title of ['Aller-vers 1', 'Aller-vers 2', 'Aller-vers 3'])
      made.push(await createDocument(rapporteur, t.espaceId, title));
    const refused = await rapporteur.fetch('/api/documents', {
      method: 'POST',
      json: { title: 'Aller-vers 4', kind: 'fiche', espaceId: t.espaceId },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(3600);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe('rate_limited');
    expect(body.message).toMatch(/Vous avez créé 3 documents dans l’heure/);
    for (const { id } of made) expect((await rapporteur.fetch(`/api/documents/${id}`)).status).toBe(200);

    // Another account is not concerned.
    const other = await invite(t.admin, t.espaceId, 'rapporteur', 'Olivier Rapporteur');
    await createDocument(other, t.espaceId, 'Pair-aidance');
  });

  it('lets exactly three of ten parallel creations through', async () => {
    const rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Paula Pressée');
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        rapporteur
          .fetch('/api/documents', {
            method: 'POST',
            json: { title: `Conférence familiale ${i + 1}`, kind: 'fiche', espaceId: t.espaceId },
          })
          .then((response) => response.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const list = await rapporteur.fetch(`/api/documents?espaceId=${t.espaceId}&assignee=me`);
    const { documents } = (await list.json()) as { documents: { title: string }[] };
    expect(documents.filter((d) => d.title.startsWith('Conférence familiale'))).toHaveLength(3);
  });
});

describe('catalogue pages one account may ask in 10 s', () => {
  it('refuses the sixth page of the window with a 429, a French message and a Retry-After, and serves another account', async () => {
    const membre = await invite(t.admin, t.espaceId, 'membre', 'Martin Membre');
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await membre.fetch(`/api/documents?espaceId=${t.espaceId}&offset=${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await membre.fetch(`/api/documents?espaceId=${t.espaceId}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body).toEqual({
      error: 'rate_limited',
      message:
        'Trop de demandes de la liste des documents en peu de temps : réessayez dans quelques secondes.',
    });
    const other = await invite(t.admin, t.espaceId, 'membre', 'Mona Membre');
    expect((await other.fetch(`/api/documents?espaceId=${t.espaceId}`)).status).toBe(200);
  });
});
