import type {
  DocumentListDto,
  NotificationListDto,
  ReviewedDocumentSectionsDto,
  ReviewQueueDto,
  SectionReviewReplyDto,
  ThreadListDto,
} from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';
import { outsider, syncedOpener } from '../support/sessions.js';

/**
 * Section-by-section review (issue 12): submissions, requests for changes, approvals that go
 * stale when their section is edited, the document's state, the queue, the journal, and two
 * decisions racing.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let rapporteur: Session;
let other: Session;
let membre: Session;
let exterieur: Session;

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  other = await invite(t.admin, t.espaceId, 'rapporteur', 'Rémi Rapporteur');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
  exterieur = await outsider(t.admin, 'Esther Extérieure');
});

const open = syncedOpener(t, SETTLE.timeout);

async function assigned(title: string): Promise<{ id: string; name: string }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const response = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  expect(response.status).toBe(200);
  return doc;
}

async function sections(session: Session, id: string): Promise<ReviewedDocumentSectionsDto> {
  const response = await session.fetch(`/api/documents/${id}/sections`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReviewedDocumentSectionsDto;
}

function review(
  session: Session,
  id: string,
  section: string,
  body: Record<string, unknown>,
): Promise<Response> {
  return session.fetch(`/api/documents/${id}/sections/${section}/review`, { method: 'POST', json: body });
}

async function step(
  session: Session,
  id: string,
  section: string,
  body: Record<string, unknown>,
): Promise<SectionReviewReplyDto['section']> {
  const response = await review(session, id, section, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as SectionReviewReplyDto).section;
}

const state = async (session: Session, id: string, section: string) =>
  (await sections(session, id)).sections.find((s) => s.id === section)?.review;

describe('section review', () => {
  it('takes a section from brouillon to soumise, modifications demandées with a thread, resubmitted and approved', async () => {
    const doc = await assigned('Pair-aidance en CHRS');
    const before = await sections(rapporteur, doc.id);
    const first = before.sections[1];
    if (!first) throw new Error('pas de section');
    expect(first.review.state).toBe('brouillon');
    expect(first.review.actions).toEqual(['submit']);
    expect(before.reviewState).toBe('en_redaction');

    const submitted = await step(rapporteur, doc.id, first.id, { action: 'submit', message: 'À relire' });
    expect(submitted.review.state).toBe('soumise');
    expect(submitted.review.submittedBy?.name).toBe('Rose Rapporteuse');
    expect((await sections(membre, doc.id)).reviewState).toBe('en_relecture');

    // A request without a message is refused with a field error; with one, it opens a thread.
    const empty = await review(t.admin, doc.id, first.id, { action: 'request_changes', message: '  ' });
    expect(empty.status).toBe(400);
    const requested = await step(t.admin, doc.id, first.id, {
      action: 'request_changes',
      message: 'Précisez le public accueilli.',
    });
    expect(requested.review.state).toBe('modifications_demandees');
    const threads = (await (
      await rapporteur.fetch(`/api/documents/${doc.id}/threads`)
    ).json()) as ThreadListDto;
    const thread = threads.threads.find((th) => th.sectionId === first.id);
    expect(thread?.comments[0]?.body).toBe('Précisez le public accueilli.');
    const notifications = (await (
      await rapporteur.fetch('/api/notifications')
    ).json()) as NotificationListDto;
    expect(notifications.notifications.map((n) => [n.kind, n.section?.title, n.threadId])).toContainEqual([
      'review_changes_requested',
      first.title,
      thread?.id,
    ]);

    await step(rapporteur, doc.id, first.id, { action: 'submit' });
    const approved = await step(t.admin, doc.id, first.id, { action: 'approve' });
    expect(approved.review).toMatchObject({ state: 'approuvee', stale: false, approvedHash: first.hash });
    expect(approved.review.approvedVersionId).toBeTruthy();
    const versions = (await (await membre.fetch(`/api/documents/${doc.id}/versions`)).json()) as {
      versions: { id: string; kind: string }[];
    };
    expect(versions.versions.find((v) => v.id === approved.review.approvedVersionId)?.kind).toBe('revue');
  });

  it('refuses decisions to rapporteurs and membres, and everything to people outside the espace', async () => {
    const doc = await assigned('Conférences familiales');
    const section = (await sections(t.admin, doc.id)).sections[1]?.id ?? '';
    expect((await review(rapporteur, doc.id, section, { action: 'approve' })).status).toBe(403);
    expect((await review(membre, doc.id, section, { action: 'submit' })).status).toBe(403);
    // A rapporteur not assigned to the document does not submit it.
    expect((await review(other, doc.id, section, { action: 'submit' })).status).toBe(403);
    // Outside the espace, as for the document itself (GET /api/documents/:id): 403.
    expect((await review(exterieur, doc.id, section, { action: 'submit' })).status).toBe(403);
    expect((await exterieur.fetch(`/api/documents/${doc.id}/sections`)).status).toBe(403);
    expect((await membre.fetch(`/api/espaces/${t.espaceId}/review-queue`)).status).toBe(403);
    // The state machine refuses, with a French sentence: locking a section not approved.
    const refused = await review(t.admin, doc.id, section, { action: 'lock' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(/approuvée/);
    expect((await review(t.admin, doc.id, 'pas-une-section', { action: 'approve' })).status).toBe(404);
    expect((await review(t.admin, doc.id, section, { action: 'publish' })).status).toBe(400);
    // A message is plain text: no control character, which a CSV or a terminal would obey.
    const control = await review(rapporteur, doc.id, section, {
      action: 'submit',
      message: 'ok\u0000\u001b[31m',
    });
    expect(control.status).toBe(400);
  });

  it('marks an approval stale when its section is edited, not when another section is, and back when approved again', async () => {
    const doc = await assigned('Aller-vers en zone rurale');
    const writer = await open(rapporteur, doc.name);
    const approvedSection = sectionId(writer.ydoc, 1);
    const otherSection = sectionId(writer.ydoc, 2);
    const all = await sections(t.admin, doc.id);
    for (const s of all.sections) await step(t.admin, doc.id, s.id, { action: 'approve' });
    expect((await sections(membre, doc.id)).reviewState).toBe('prete_a_publier');

    writeInSection(writer.ydoc, otherSection, 'Une ligne de plus.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await expect.poll(async () => (await state(membre, doc.id, otherSection))?.stale, SETTLE).toBe(true);
    expect((await state(membre, doc.id, approvedSection))?.stale).toBe(false);

    writeInSection(writer.ydoc, approvedSection, 'Une équipe mobile va vers les familles.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await expect.poll(async () => (await state(membre, doc.id, approvedSection))?.stale, SETTLE).toBe(true);
    const now = await sections(membre, doc.id);
    expect(now.reviewState).toBe('en_redaction');
    expect(now.review.approved).toBe(now.review.total - 2);

    await step(t.admin, doc.id, approvedSection, { action: 'approve' });
    await step(t.admin, doc.id, otherSection, { action: 'approve' });
    const again = await sections(membre, doc.id);
    expect(again.reviewState).toBe('prete_a_publier');
    expect(again.review.approved).toBe(again.review.total);
  });

  it('counts a section approved right after it was typed in as approved, in the queue and the catalogue', async () => {
    const doc = await assigned('Approuvée aussitôt écrite');
    const writer = await open(rapporteur, doc.name);
    const id = sectionId(writer.ydoc, 1);
    writeInSection(writer.ydoc, id, 'Écrit à l’instant, avant tout enregistrement.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    // Within the store's debounce: the catalogue's mirror still has the hash from before.
    await step(t.admin, doc.id, id, { action: 'approve' });
    const queue = (await (
      await t.admin.fetch(`/api/espaces/${t.espaceId}/review-queue?documentId=${doc.id}`)
    ).json()) as ReviewQueueDto;
    expect(queue.entries.filter((e) => e.section.id === id)).toEqual([]);
    expect(queue.documents[0]?.review.approved).toBe(1);
    const list = (await (
      await membre.fetch(`/api/documents?espaceId=${t.espaceId}`)
    ).json()) as DocumentListDto;
    expect(list.documents.find((d) => d.id === doc.id)?.progress.approved).toBe(1);
  });

  it('refuses an approval of words the animateur has not seen (hash given and changed meanwhile)', async () => {
    const doc = await assigned('Développement du pouvoir d’agir');
    const writer = await open(rapporteur, doc.name);
    const id = sectionId(writer.ydoc, 1);
    const seen = (await state(t.admin, doc.id, id)) && (await sections(t.admin, doc.id)).sections[1]?.hash;
    writeInSection(writer.ydoc, id, 'Ajouté pendant la relecture.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const response = await review(t.admin, doc.id, id, { action: 'approve', hash: seen });
    expect(response.status).toBe(409);
    expect((await state(t.admin, doc.id, id))?.state).toBe('brouillon');
  });

  it('takes one of two decisions racing on the same section, and answers 409 to the other', async () => {
    const doc = await assigned('Coordination pluridisciplinaire');
    const id = (await sections(t.admin, doc.id)).sections[1]?.id ?? '';
    await step(rapporteur, doc.id, id, { action: 'submit' });
    const answers = await Promise.all([
      review(t.admin, doc.id, id, { action: 'approve' }),
      review(t.admin, doc.id, id, { action: 'request_changes', message: 'Non, à reprendre.' }),
      review(t.admin, doc.id, id, { action: 'approve' }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const journal = (await (await t.admin.fetch(`/api/documents/${doc.id}/review-journal`)).json()) as {
      entries: { action: string; fromState: string; toState: string }[];
    };
    // Each step the journal holds starts where the previous one ended: no decision was lost.
    for (let i = 1; i < journal.entries.length; i++)
      expect(journal.entries[i]?.fromState).toBe(journal.entries[i - 1]?.toState);
    expect(journal.entries.length).toBe(1 + statuses.filter((s) => s === 200).length);
  });

  it('lists waiting sections oldest first for the animateur and requested changes for the rapporteur', async () => {
    const doc = await assigned('File de relecture');
    const ids = (await sections(t.admin, doc.id)).sections.map((s) => s.id);
    await step(rapporteur, doc.id, ids[2] ?? '', { action: 'submit' });
    await step(rapporteur, doc.id, ids[1] ?? '', { action: 'submit' });
    await step(rapporteur, doc.id, ids[3] ?? '', { action: 'submit' });
    await step(t.admin, doc.id, ids[3] ?? '', { action: 'request_changes', message: 'Ajoutez un exemple.' });

    const queue = (await (
      await t.admin.fetch(`/api/espaces/${t.espaceId}/review-queue?documentId=${doc.id}`)
    ).json()) as ReviewQueueDto;
    expect(queue.entries.map((e) => [e.section.id, e.state])).toEqual([
      [ids[2], 'soumise'],
      [ids[1], 'soumise'],
      [ids[3], 'modifications_demandees'],
    ]);
    expect(queue.entries[0]?.actions).toContain('approve');
    expect(queue.documents).toHaveLength(1);
    expect(queue.documents[0]?.reviewState).toBe('en_relecture');

    const mine = (await (
      await rapporteur.fetch(`/api/espaces/${t.espaceId}/review-queue?documentId=${doc.id}`)
    ).json()) as ReviewQueueDto;
    expect(mine.entries.map((e) => [e.section.id, e.message])).toEqual([[ids[3], 'Ajoutez un exemple.']]);
  });

  it('exports the journal as CSV, with formulas defused', async () => {
    const doc = await assigned('Journal exporté');
    const id = (await sections(t.admin, doc.id)).sections[1]?.id ?? '';
    await step(rapporteur, doc.id, id, { action: 'submit', message: '=HYPERLINK("http://x")' });
    await step(t.admin, doc.id, id, { action: 'approve', message: 'Très bien ; merci.' });
    const response = await membre.fetch(`/api/documents/${doc.id}/review-journal?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Date;Section;Action;État avant;État après;Par;Message;Version;Empreinte');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`;Brouillon;Soumise;Rose Rapporteuse;"'=HYPERLINK(""http://x"")";`);
    expect(lines[2]).toContain('"Très bien ; merci."');
  });

  it('shows real progress in the catalogue and filters it by review state', async () => {
    const doc = await assigned('Catalogue avec relecture');
    const all = (await sections(t.admin, doc.id)).sections;
    for (const s of all) await step(t.admin, doc.id, s.id, { action: 'approve' });
    const response = await membre.fetch(`/api/documents?espaceId=${t.espaceId}&reviewState=prete_a_publier`);
    const list = (await response.json()) as DocumentListDto;
    const found = list.documents.find((d) => d.id === doc.id);
    expect(found?.reviewState).toBe('prete_a_publier');
    expect(found?.progress).toEqual({ sections: all.length, approved: all.length });
    const drafts = (await (
      await membre.fetch(`/api/documents?espaceId=${t.espaceId}&reviewState=en_redaction`)
    ).json()) as DocumentListDto;
    expect(drafts.documents.some((d) => d.id === doc.id)).toBe(false);
  });
});
