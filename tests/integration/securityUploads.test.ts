import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';

/**
 * Issue 15, uploads as a resource an attacker could exhaust: quotas per document and per account
 * (checked atomically, with French 413 messages), and images that no document shows removed
 * once a grace period has passed.
 */

const DOCUMENT_QUOTA = 300_000;
const ACCOUNT_QUOTA = 500_000;
const GRACE_SECONDS = 3600;
const t = useTestInstance({
  UPLOAD_QUOTA_DOCUMENT_BYTES: String(DOCUMENT_QUOTA),
  UPLOAD_QUOTA_ACCOUNT_BYTES: String(ACCOUNT_QUOTA),
  ORPHAN_UPLOAD_GRACE_SECONDS: String(GRACE_SECONDS),
});

/** A valid 1×1 PNG; bytes after its end keep it a PNG and make each image distinct. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const image = (bytes: number): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.concat([PNG, randomBytes(bytes - PNG.length)]));

/** A rapporteur of her own, so that each test starts with an account that has uploaded nothing. */
const newRapporteur = (name: string): Promise<Session> => invite(t.admin, t.espaceId, 'rapporteur', name);

/** A document of the espace assigned to `who`. */
async function documentFor(who: Session, title: string): Promise<{ id: string; name: string }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const assigned = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: who.userId },
  });
  expect(assigned.status).toBe(200);
  return doc;
}

const upload = (who: Session, documentId: string, bytes: Uint8Array<ArrayBuffer>): Promise<Response> =>
  who.fetch(`/api/documents/${documentId}/files`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: bytes,
  });

const hashOf = async (response: Response): Promise<string> =>
  ((await response.json()) as { hash: string }).hash;
const messageOf = async (response: Response): Promise<string> =>
  ((await response.json()) as { message: string }).message;
const onDisk = (hash: string): boolean =>
  fs.existsSync(path.join(t.server.dataDir, 'files', hash.slice(0, 2), hash));

describe('upload quotas', () => {
  it('refuses an image past the document’s quota with 413 in French and keeps nothing of it', async () => {
    const writer = await newRapporteur('Dora Document');
    const doc = await documentFor(writer, 'Quota du document');
    expect((await upload(writer, doc.id, image(140_000))).status).toBe(201);
    expect((await upload(writer, doc.id, image(140_000))).status).toBe(201);
    const refused = await upload(writer, doc.id, image(40_000));
    expect(refused.status).toBe(413);
    expect(await messageOf(refused)).toBe(
      'Ce document a atteint sa limite d’images (293 Kio). Retirez des images dont il n’a plus besoin ou réduisez leur taille, puis réessayez.',
    );
    const files = fs.readdirSync(path.join(t.server.dataDir, 'files'), { recursive: true });
    expect(files.filter((f) => String(f).includes('.tmp'))).toEqual([]);
  });

  it('counts an image once: the same bytes again still pass at the quota', async () => {
    const writer = await newRapporteur('Mia Même');
    const doc = await documentFor(writer, 'Même image');
    const bytes = image(290_000);
    const first = await upload(writer, doc.id, bytes);
    expect(first.status).toBe(201);
    const again = await upload(writer, doc.id, bytes);
    expect(again.status).toBe(201);
    expect(await hashOf(again)).toBe(await hashOf(first));
  });

  it('lets only what fits through when uploads arrive at the same moment', async () => {
    const writer = await newRapporteur('Sam Simultané');
    const doc = await documentFor(writer, 'Envois simultanés');
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => upload(writer, doc.id, image(110_000))));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 413, 413, 413]);
  });

  it('refuses an account past its own quota, whatever the document', async () => {
    const rapporteur = await newRapporteur('Irène Images');
    const first = await documentFor(rapporteur, 'Compte, premier document');
    const second = await documentFor(rapporteur, 'Compte, second document');
    for (const doc of [first, first, second, second]) {
      expect((await upload(rapporteur, doc.id, image(120_000))).status).toBe(201);
    }
    const third = await documentFor(rapporteur, 'Compte, troisième document');
    const refused = await upload(rapporteur, third.id, image(30_000));
    expect(refused.status).toBe(413);
    expect(await messageOf(refused)).toBe(
      'Vous avez atteint votre limite d’images téléversées (488,3 Kio). Réduisez la taille de vos images ou demandez à l’administrateur de relever la limite.',
    );
  });
});

describe('images no document shows', () => {
  it('are removed once the grace period has passed, while the images placed in a document stay', async () => {
    const doc = await documentFor(t.admin, 'Images placées et oubliées');
    const placed = await hashOf(await upload(t.admin, doc.id, image(2_000)));
    const forgotten = await hashOf(await upload(t.admin, doc.id, image(2_000)));

    const writer = t.open(doc.name);
    await expect.poll(() => isSettled(writer)).toBe(true);
    const section = writer.ydoc
      .getXmlFragment('default')
      .toArray()
      .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'section') as Y.XmlElement;
    const img = new Y.XmlElement('image');
    img.setAttribute('src', `/api/files/${placed}`);
    section.insert(1, [img]);
    await expect.poll(() => isSettled(writer)).toBe(true);

    const files = t.server.services.files;
    const graceMs = GRACE_SECONDS * 1000;
    // Within the grace period nothing goes, placed or not.
    expect(await files.sweepOrphans(graceMs)).toEqual({ removed: 0, bytes: 0 });
    expect(onDisk(forgotten)).toBe(true);

    const later = new Date(Date.now() + graceMs + 60_000);
    const swept = await files.sweepOrphans(graceMs, later);
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(onDisk(forgotten)).toBe(false);
    expect((await t.admin.fetch(`/api/files/${forgotten}`)).status).toBe(404);
    expect(onDisk(placed)).toBe(true);
    expect((await t.admin.fetch(`/api/files/${placed}`)).status).toBe(200);

    // The same bytes uploaded again are stored again, and usable.
    const back = await upload(t.admin, doc.id, image(2_000));
    expect(back.status).toBe(201);
    const { entries } = (await (await t.admin.fetch('/api/audit?limit=50')).json()) as {
      entries: { action: string; details: { count: number } | null }[];
    };
    expect(entries.find((e) => e.action === 'file.orphans_removed')?.details?.count).toBe(swept.removed);
  });
});

describe('images of publications', () => {
  it('are kept after the draft stops showing them: a frozen publication keeps its images', async () => {
    const doc = await documentFor(t.admin, 'Image publiée puis retirée');
    const hash = await hashOf(await upload(t.admin, doc.id, image(3_000)));
    const writer = t.open(doc.name);
    await expect.poll(() => isSettled(writer)).toBe(true);
    const section = writer.ydoc
      .getXmlFragment('default')
      .toArray()
      .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'section') as Y.XmlElement;
    const img = new Y.XmlElement('image');
    img.setAttribute('src', `/api/files/${hash}`);
    section.insert(1, [img]);
    await expect.poll(() => isSettled(writer)).toBe(true);
    const { sections } = (await (await t.admin.fetch(`/api/documents/${doc.id}/sections`)).json()) as {
      sections: { id: string }[];
    };
    for (const s of sections)
      await t.admin.fetch(`/api/documents/${doc.id}/sections/${s.id}/review`, {
        method: 'POST',
        json: { action: 'approve' },
      });
    expect((await t.admin.fetch(`/api/documents/${doc.id}/publications`, { method: 'POST' })).status).toBe(
      201,
    );
    // The draft no longer shows the image, and everything it stored is compacted away.
    section.delete(1, 1);
    await expect.poll(() => isSettled(writer)).toBe(true);
    await t.server.app.hocuspocus.flushPendingStores();
    const later = new Date(Date.now() + GRACE_SECONDS * 1000 + 60_000);
    await t.server.services.files.sweepOrphans(GRACE_SECONDS * 1000, later);
    expect(onDisk(hash)).toBe(true);
    expect((await fetch(`${t.server.url}/pratiques/fichiers/${hash}`)).status).toBe(200);
  });
});
