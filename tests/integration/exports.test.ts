import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VersionDto } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';
import { publishDocument } from '../support/publications.js';
import { outsider, syncedOpener } from '../support/sessions.js';

/**
 * Downloads (issue 14): a draft for its readers, marked « Document de travail », now or as a
 * version of its history; a publication for anyone, without the mark, as it was published.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let membre: Session;
let exterieur: Session;
let doc: { id: string; name: string };
let firstVersion: VersionDto;

const open = syncedOpener(t, SETTLE.timeout);

/** The text of a PDF, read back by poppler's `pdftotext`. */
function pdfText(bytes: ArrayBuffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-export-')), 'document.pdf');
  fs.writeFileSync(file, Buffer.from(bytes));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

let prepared: Promise<void> | null = null;

/**
 * The document the tests export, written once (in the first test that needs it: providers and
 * polls belong in tests): a first paragraph kept as version « V1 », then replaced.
 */
function ready(): Promise<void> {
  prepared ??= (async () => {
    membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
    exterieur = await outsider(t.admin, 'Esther Extérieure');
    doc = await createDocument(t.admin, t.espaceId, 'Conférences familiales en Ardèche');
    const writer = await open(t.admin, doc.name);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Les familles élargies décident ensemble.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const named = await t.admin.fetch(`/api/documents/${doc.id}/versions`, {
      method: 'POST',
      json: { label: 'V1' },
    });
    firstVersion = ((await named.json()) as { version: VersionDto }).version;
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Un coordinateur indépendant prépare la réunion.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  })();
  return prepared;
}

describe('exports', () => {
  it('gives a reader the draft as it stands, marked as a working document, in Markdown and in PDF', async () => {
    await ready();
    const md = await membre.fetch(`/api/documents/${doc.id}/export?format=md`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-disposition')).toContain('Conferences-familiales-en-Ardeche.md');
    const text = await md.text();
    expect(text).toContain('Document de travail');
    expect(text).toContain('Un coordinateur indépendant prépare la réunion.');
    const pdf = await membre.fetch(`/api/documents/${doc.id}/export?format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfContent = pdfText(await pdf.arrayBuffer());
    expect(pdfContent).toContain('Document de travail');
    expect(pdfContent).toContain('coordinateur indépendant');
  });

  it('exports a version of the history as it was', async () => {
    await ready();
    const response = await membre.fetch(
      `/api/documents/${doc.id}/export?format=md&version=${firstVersion.id}`,
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Les familles élargies décident ensemble.');
    expect(text).not.toContain('coordinateur');
    // Marked with the version's number and date, not the download's.
    expect(text).toContain(`Document de travail — non publié (version ${firstVersion.number}`);
  });

  it('refuses drafts to people who cannot read them, and unknown formats and versions', async () => {
    await ready();
    expect((await exterieur.fetch(`/api/documents/${doc.id}/export?format=md`)).status).toBe(403);
    expect((await fetch(`${t.server.url}/api/documents/${doc.id}/export?format=md`)).status).toBe(401);
    expect((await membre.fetch(`/api/documents/${doc.id}/export?format=exe`)).status).toBe(400);
    expect((await membre.fetch(`/api/documents/${doc.id}/export?format=md&version=inconnue`)).status).toBe(
      404,
    );
  });

  it('gives anyone a publication without the working-document mark, and nothing once unpublished', async () => {
    await ready();
    const { url, publication } = await publishDocument(t.admin, doc.id);
    const md = await fetch(`${t.server.url}${url}/export.md`);
    expect(md.status).toBe(200);
    const text = await md.text();
    expect(text).toContain('Un coordinateur indépendant prépare la réunion.');
    expect(text).not.toContain('Document de travail');
    const docx = await fetch(`${t.server.url}${url}/export.docx`);
    expect(docx.headers.get('content-type')).toContain('officedocument.wordprocessingml');
    expect((await fetch(`${t.server.url}${url}/export.exe`)).status).toBe(404);
    expect((await fetch(`${t.server.url}${url.replace(/\/v\/1$/, '/v/2')}/export.md`)).status).toBe(404);
    await t.admin.fetch(`/api/publications/${publication.id}/unpublish`, { method: 'POST' });
    expect((await fetch(`${t.server.url}${url}/export.md`)).status).toBe(404);
  });
});
