import { ydocToJSON, type DocJSON } from '@essaim/editor';
import {
  FRAGMENT,
  parseSectionLockedMessage,
  type AuditEntryDto,
  type ReviewedDocumentSectionsDto,
  type SectionLockedMessage,
} from '@essaim/protocol';
import { applyStored } from '@essaim/server/storage';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';

/**
 * Issue 12, locked sections: the server keeps a locked section exactly as approved, whatever a
 * client sends (here Node providers, which have none of the editor's guards), and keeps the rest
 * of the same update.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };

interface Doc {
  id: string;
  name: string;
}

/** A fiche assigned to a new rapporteur, with the ids of its sections in order. */
async function ficheWithRapporteur(title: string, name: string): Promise<{ doc: Doc; rapporteur: Session }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', name);
  const assigned = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  expect(assigned.status).toBe(200);
  return { doc, rapporteur };
}

async function synced(session: Session, doc: Doc, ydoc?: Y.Doc): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, doc.name, ydoc ? { ydoc } : {}));
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

/** The `section-locked` messages a client receives. */
function lockedNotices(client: NodeClient): SectionLockedMessage[] {
  const notices: SectionLockedMessage[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = parseSectionLockedMessage(payload);
    if (message) notices.push(message);
  });
  return notices;
}

const sections = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');
const idsOf = (ydoc: Y.Doc): string[] => sections(ydoc).map((s) => s.getAttribute('id') as string);
const sectionOf = (ydoc: Y.Doc, id: string): Y.XmlElement => {
  const found = sections(ydoc).find((s) => s.getAttribute('id') === id);
  if (!found) throw new Error(`section ${id} introuvable`);
  return found;
};

/** The Y.XmlText of a section's first paragraph. */
function paragraphText(ydoc: Y.Doc, id: string): Y.XmlText {
  const paragraph = sectionOf(ydoc, id)
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  const text = paragraph?.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`pas de texte dans la section ${id}`);
  return text;
}

const sectionJSON = (json: DocJSON, id: string): DocJSON | undefined =>
  json.content?.find((s) => s.attrs?.id === id);

/** The document as SQLite holds it (state, then log), read through the server's own store. */
function stored(documentId: string): DocJSON {
  const ydoc = new Y.Doc();
  applyStored(ydoc, t.server.services.collabStore.load(documentId));
  return ydocToJSON(ydoc);
}

const live = (doc: Doc): Y.Doc => {
  const found = t.server.app.hocuspocus.documents.get(doc.name);
  if (!found) throw new Error('document non chargé');
  return found;
};

async function review(doc: Doc, sectionId: string, action: 'approve' | 'lock' | 'unlock'): Promise<void> {
  const response = await t.admin.fetch(`/api/documents/${doc.id}/sections/${sectionId}/review`, {
    method: 'POST',
    json: { action },
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Approves then locks a section; returns it as approved (ProseMirror JSON). */
async function approveAndLock(doc: Doc, sectionId: string): Promise<DocJSON> {
  await review(doc, sectionId, 'approve');
  const approved = sectionJSON(ydocToJSON(live(doc)), sectionId);
  await review(doc, sectionId, 'lock');
  const listed = (await (
    await t.admin.fetch(`/api/documents/${doc.id}/sections`)
  ).json()) as ReviewedDocumentSectionsDto;
  expect(listed.sections.find((s) => s.id === sectionId)?.review.locked).toBe(true);
  if (!approved) throw new Error('section approuvée introuvable');
  return approved;
}

/** The reverted attempts on a document, as the administrator reads them in the audit log. */
async function revertedAttempts(doc: Doc): Promise<{ actor: string | null; sectionId: unknown }[]> {
  const response = await t.admin.fetch('/api/audit?limit=500');
  expect(response.status).toBe(200);
  const { entries } = (await response.json()) as { entries: AuditEntryDto[] };
  return entries
    .filter((e) => e.action === 'review.locked_change_reverted' && e.targetId === doc.id)
    .map((e) => ({ actor: e.actor?.id ?? null, sectionId: e.details?.sectionId }));
}

/** Every client, the live document and SQLite hold the same document. */
async function expectEverywhere(
  doc: Doc,
  clients: NodeClient[],
  check: (json: DocJSON) => void,
): Promise<void> {
  await expect.poll(() => clients.every(isSettled), SETTLE).toBe(true);
  await expect
    .poll(() => clients.map((c) => JSON.stringify(ydocToJSON(c.ydoc))), SETTLE)
    .toEqual(clients.map(() => JSON.stringify(ydocToJSON(live(doc)))));
  const json = ydocToJSON(live(doc));
  check(json);
  expect(stored(doc.id)).toEqual(json);
}

describe('a locked section', () => {
  it('is put back as approved on every client and in SQLite when a raw client edits it, and the same update’s other edit stays', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur(
      'Conférences familiales en Gironde',
      'Karima Haddad',
    );
    const writer = await synced(rapporteur, doc);
    const reader = await synced(t.admin, doc);
    const [, , locked, unlocked] = idsOf(writer.ydoc) as [string, string, string, string];
    paragraphText(writer.ydoc, locked).insert(0, 'Les familles réunies décident du plan.');
    paragraphText(writer.ydoc, unlocked).insert(0, 'Les enfants sont associés.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const approved = await approveAndLock(doc, locked);
    const writerNotices = lockedNotices(writer);
    const readerNotices = lockedNotices(reader);

    // One update from the writer, touching both sections; the reader types at the same time.
    writer.ydoc.transact(() => {
      paragraphText(writer.ydoc, locked).insert(4, 'grandes ');
      paragraphText(writer.ydoc, locked).delete(20, 6);
      paragraphText(writer.ydoc, unlocked).insert(0, 'Aussi : ');
    });
    paragraphText(reader.ydoc, unlocked).insert(
      paragraphText(reader.ydoc, unlocked).length,
      ' Et les voisins.',
    );

    await expectEverywhere(doc, [writer, reader], (json) => {
      expect(sectionJSON(json, locked)).toEqual(approved);
      const text = JSON.stringify(sectionJSON(json, unlocked));
      expect(text).toContain('Aussi : Les enfants sont associés.');
      expect(text).toContain('Et les voisins.');
    });
    await expect
      .poll(() => writerNotices)
      .toEqual([{ type: 'section-locked', sectionId: locked, title: expect.any(String) }]);
    expect(readerNotices).toEqual([]);
    expect(await revertedAttempts(doc)).toEqual([{ actor: rapporteur.userId, sectionId: locked }]);
  });

  it('is put back, and its author told, when a raw client empties it down to its title', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Section vidée jusqu’au titre', 'Lina Benali');
    const writer = await synced(rapporteur, doc);
    const [, , locked] = idsOf(writer.ydoc) as [string, string, string];
    paragraphText(writer.ydoc, locked).insert(0, 'Un texte approuvé.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const approved = await approveAndLock(doc, locked);
    const notices = lockedNotices(writer);
    const element = sectionOf(writer.ydoc, locked);
    element.delete(1, element.length - 1);
    await expectEverywhere(doc, [writer], (json) => expect(sectionJSON(json, locked)).toEqual(approved));
    await expect.poll(() => notices.map((n) => n.sectionId)).toEqual([locked]);
    expect(await revertedAttempts(doc)).toEqual([{ actor: rapporteur.userId, sectionId: locked }]);
  });

  it('reverts what an offline client typed in it once it reconnects, and keeps its other edits', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Aller-vers dans l’Oise', 'Thomas Girard');
    const writer = await synced(rapporteur, doc);
    const [first, second] = idsOf(writer.ydoc) as [string, string];
    paragraphText(writer.ydoc, first).insert(0, 'Maraudes du mardi.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await review(doc, first, 'approve');
    const approved = sectionJSON(ydocToJSON(live(doc)), first);
    const notices = lockedNotices(writer);

    writer.socket.disconnect();
    await expect.poll(() => writer.socket.status, SETTLE).toBe('disconnected');
    paragraphText(writer.ydoc, first).insert(0, 'Hors ligne : ');
    paragraphText(writer.ydoc, second).insert(0, 'Écrit hors ligne.');
    await review(doc, first, 'lock');
    void writer.socket.connect();

    await expectEverywhere(doc, [writer], (json) => {
      expect(sectionJSON(json, first)).toEqual(approved);
      expect(JSON.stringify(sectionJSON(json, second))).toContain('Écrit hors ligne.');
    });
    await expect.poll(() => notices.map((n) => n.sectionId)).toEqual([first]);
    expect(await revertedAttempts(doc)).toEqual([{ actor: rapporteur.userId, sectionId: first }]);
  });

  it('comes back at its place when a raw client deletes it wholesale, while the same update’s deletion of an unlocked section stays', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Pair-aidance en Ille-et-Vilaine', 'Paul Renaud');
    const writer = await synced(rapporteur, doc);
    const reader = await synced(t.admin, doc);
    const ids = idsOf(writer.ydoc);
    // Optional sections of the fiche template: only the lock guard can bring them back.
    const locked = ids[9] as string;
    const unlocked = ids[10] as string;
    const required = ids[3] as string;
    paragraphText(writer.ydoc, locked).insert(0, 'Pendant la crise, les pairs ont gardé le lien.');
    paragraphText(writer.ydoc, required).insert(0, 'Des personnes concernées.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const approved = await approveAndLock(doc, locked);
    const approvedRequired = await approveAndLock(doc, required);
    const notices = lockedNotices(writer);

    writer.ydoc.transact(() => {
      const fragment = writer.ydoc.getXmlFragment(FRAGMENT);
      paragraphText(writer.ydoc, required).insert(0, 'Supprimé : ');
      fragment.delete(ids.indexOf(unlocked), 1);
      fragment.delete(ids.indexOf(locked), 1);
      fragment.delete(ids.indexOf(required), 1);
    });

    await expectEverywhere(doc, [writer, reader], (json) => {
      expect(json.content?.map((s) => s.attrs?.id)).toEqual(ids.filter((id) => id !== unlocked));
      expect(sectionJSON(json, locked)).toEqual(approved);
      expect(sectionJSON(json, required)).toEqual(approvedRequired);
    });
    await expect.poll(() => notices.map((n) => n.sectionId).sort()).toEqual([locked, required].sort());
    const attempts = await revertedAttempts(doc);
    expect(attempts.map((a) => a.sectionId).sort()).toEqual([locked, required].sort());
    expect(attempts.every((a) => a.actor === rapporteur.userId)).toBe(true);
  });

  it('takes edits again once unlocked', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Coordination dans le Nord', 'Sophie Lambert');
    const writer = await synced(rapporteur, doc);
    const [first] = idsOf(writer.ydoc) as [string];
    await approveAndLock(doc, first);
    await review(doc, first, 'unlock');
    const notices = lockedNotices(writer);
    paragraphText(writer.ydoc, first).insert(0, 'Repris après déverrouillage.');
    await expectEverywhere(doc, [writer], (json) => {
      expect(JSON.stringify(sectionJSON(json, first))).toContain('Repris après déverrouillage.');
    });
    expect(notices).toEqual([]);
  });
});

describe('a section’s id', () => {
  it('is given back on the same element, with its approval, when a raw client rewrites or removes it, and the same update’s text stays', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Pair-aidance dans l’Aude', 'Inès Castagné');
    const writer = await synced(rapporteur, doc);
    const other = await synced(rapporteur, doc);
    const [first, second] = idsOf(writer.ydoc) as [string, string];
    await review(doc, first, 'approve');
    const element = sectionOf(live(doc), first);
    const [a, b, text] = [
      sectionOf(writer.ydoc, first),
      sectionOf(writer.ydoc, second),
      paragraphText(writer.ydoc, second),
    ];
    writer.ydoc.transact(() => {
      a.setAttribute('id', 'pirate');
      b.removeAttribute('id');
      text.insert(0, 'Gardé.');
    });
    await expectEverywhere(doc, [writer, other], (json) => {
      expect(json.content?.slice(0, 2).map((s) => s.attrs?.id)).toEqual([first, second]);
      expect(JSON.stringify(sectionJSON(json, second))).toContain('Gardé.');
    });
    expect(sectionOf(live(doc), first)).toBe(element);
    const listed = (await (
      await t.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as ReviewedDocumentSectionsDto;
    expect(listed.sections.find((s) => s.id === first)?.review.state).toBe('approuvee');
  });

  it('stays with its section when a raw client gives it to another section, which keeps its own', async () => {
    const { doc, rapporteur } = await ficheWithRapporteur('Aller-vers dans le Cher', 'Lucien Marchal');
    const writer = await synced(rapporteur, doc);
    const [first, second] = idsOf(writer.ydoc) as [string, string];
    sectionOf(writer.ydoc, second).setAttribute('id', first);
    await expectEverywhere(doc, [writer], (json) => {
      expect(json.content?.slice(0, 2).map((s) => s.attrs?.id)).toEqual([first, second]);
    });
  });
});
