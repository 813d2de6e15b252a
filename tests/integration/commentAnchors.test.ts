import { FRAGMENT, type ThreadDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import {
  createThread,
  deleteWords,
  getThread,
  highlighted,
  joinBackward,
  listThreads,
  sectionId,
  sectionsOf,
  splitBefore,
  textHolding,
  threadInput,
  writeInSection,
} from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, requestMove, type NodeClient } from '../support/provider.js';

/**
 * Anchors of comment threads (issue 10): two people edit around, inside and across commented
 * words with real providers while a membre's threads exist; the threads must keep pointing at the
 * same words (the server re-anchors with the quote and its context when the Yjs relative
 * positions fall behind, y-prosemirror#204), and a thread whose words are deleted stays listed,
 * orphaned, with its quote.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let rapporteur: Session;
let membre: Session;

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rachid Rapporteur');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
});

async function open(session: Session, name: string): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, name));
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

/** A document written by the animateur (A) and an assigned rapporteur (B), read by a membre (M). */
async function threeEditors(
  title: string,
): Promise<{ id: string; a: NodeClient; b: NodeClient; m: NodeClient }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const assigned = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  expect(assigned.status).toBe(200);
  const [a, b, m] = await Promise.all([
    open(t.admin, doc.name),
    open(rapporteur, doc.name),
    open(membre, doc.name),
  ]);
  return { id: doc.id, a: a as NodeClient, b: b as NodeClient, m: m as NodeClient };
}

/** Every client has what the others wrote. */
async function settle(...clients: NodeClient[]): Promise<void> {
  await expect.poll(() => clients.every(isSettled), SETTLE).toBe(true);
  const state = (c: NodeClient) => Buffer.from(Y.encodeStateVector(c.ydoc)).toString('base64');
  await expect.poll(() => new Set(clients.map(state)).size, SETTLE).toBe(1);
}

/**
 * {@link threeEditors}, once A has written `text` in the first paragraph of section n° `index`
 * (0-based) and every client has it; `section` is that section's id.
 */
async function threeEditorsWithText(
  title: string,
  index: number,
  text: string,
): Promise<{ id: string; section: string; a: NodeClient; b: NodeClient; m: NodeClient }> {
  const editors = await threeEditors(title);
  const { a, b, m } = editors;
  const section = sectionId(a.ydoc, index);
  writeInSection(a.ydoc, section, text);
  await settle(a, b, m);
  return { ...editors, section };
}

const WORDS = 'les familles décident ensemble';
const SENTENCE = `Avant tout, ${WORDS} du plan d’aide. Ensuite vient le suivi.`;
/** Two sentences; threads go on « la suite », in the second one. */
const TWO_SENTENCES = 'Avant tout, on se réunit. Puis vient la suite du plan d’aide.';

/**
 * Someone (A) types inside the commented words, « la suite » becoming « la grande suite », and the
 * server, reading the thread, now finds those words under it.
 */
async function growCommentedWords(
  { a, b, m }: { a: NodeClient; b: NodeClient; m: NodeClient },
  threadId: string,
): Promise<void> {
  const inside = textHolding(a.ydoc, 'la suite');
  inside.text.insert(inside.index + 'la '.length, 'grande ');
  await settle(a, b, m);
  expect((await getThread(membre, threadId)).currentQuote).toBe('la grande suite');
}

describe('a thread keeps its words while two people edit the document', () => {
  it('follows inserts and deletes before, inside and after the commented words', async () => {
    const { id, section, a, b, m } = await threeEditorsWithText('Ancres et frappes', 1, SENTENCE);
    const created = await createThread(
      membre,
      id,
      threadInput(m.ydoc, section, WORDS, 'Qui décide vraiment ?'),
    );
    expect(created.currentQuote).toBe(WORDS);
    expect(highlighted(m.ydoc, created)).toBe(WORDS);

    // Before and after the words, at the same time from two people.
    const { text: ta } = textHolding(a.ydoc, WORDS);
    const { text: tb } = textHolding(b.ydoc, WORDS);
    ta.insert(0, 'Dès le départ. ');
    tb.delete(tb.toString().indexOf('Ensuite'), 'Ensuite vient le suivi.'.length);
    tb.insert(tb.length, 'Puis le bilan.');
    await settle(a, b, m);
    let thread = await getThread(membre, created.id);
    expect(thread.orphaned).toBe(false);
    expect(thread.currentQuote).toBe(WORDS);
    expect(highlighted(b.ydoc, thread)).toBe(WORDS);

    // Inside: the highlight grows and shrinks with the words.
    const inside = textHolding(a.ydoc, 'familles');
    inside.text.insert(inside.index + 'familles'.length, ' elles-mêmes');
    await settle(a, b, m);
    thread = await getThread(membre, created.id);
    expect(thread.currentQuote).toBe('les familles elles-mêmes décident ensemble');
    expect(highlighted(m.ydoc, thread)).toBe('les familles elles-mêmes décident ensemble');
    const shrink = textHolding(b.ydoc, ' elles-mêmes');
    shrink.text.delete(shrink.index, ' elles-mêmes'.length);
    await settle(a, b, m);
    thread = await getThread(membre, created.id);
    expect(thread.currentQuote).toBe(WORDS);
    expect(highlighted(a.ydoc, thread)).toBe(WORDS);
    expect(thread.quote).toBe(WORDS);
  });

  it('finds the words again when the paragraph is split with Enter right before them (y-prosemirror#204)', async () => {
    const { id, section, a, b, m } = await threeEditorsWithText('Ancres et Entrée', 2, SENTENCE);
    const input = threadInput(m.ydoc, section, WORDS, 'À préciser.');
    const created = await createThread(membre, id, input);

    splitBefore(b.ydoc, WORDS);
    await settle(a, b, m);
    // The words now open a paragraph of their own.
    const paragraphs = sectionsOf(a.ydoc)[2]
      ?.toArray()
      .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
      .map((p) =>
        p
          .toArray()
          .map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
          .join(''),
      );
    expect(paragraphs).toEqual(['Avant tout, ', `${WORDS} du plan d’aide. Ensuite vient le suivi.`]);

    // The trap: neither the positions the editor took nor those first stored cover the words now.
    expect(highlighted(a.ydoc, { ...created, anchor: input.anchor })).not.toBe(WORDS);
    expect(highlighted(a.ydoc, created)).not.toBe(WORDS);
    const thread = await getThread(membre, created.id);
    expect(thread.anchor).not.toEqual(created.anchor);
    expect(thread.orphaned).toBe(false);
    expect(thread.sectionId).toBe(section);
    expect(thread.currentQuote).toBe(WORDS);
    expect(highlighted(a.ydoc, thread)).toBe(WORDS);
    expect(highlighted(m.ydoc, thread)).toBe(WORDS);
  });

  it('keeps a thread on its edited words when their paragraph is joined to the one before with Backspace', async () => {
    const editors = await threeEditorsWithText('Ancres et Retour arrière', 1, TWO_SENTENCES);
    const { id, section, a, b, m } = editors;
    splitBefore(b.ydoc, 'Puis vient');
    await settle(a, b, m);
    const edited = await createThread(membre, id, threadInput(m.ydoc, section, 'la suite', 'Laquelle ?'));
    const untouched = await createThread(membre, id, threadInput(m.ydoc, section, 'plan d’aide', 'Lequel ?'));
    await growCommentedWords(editors, edited.id);

    // Then the paragraph is joined to the one before: every character of it is a new Yjs item.
    joinBackward(b.ydoc, 'Puis vient');
    await settle(a, b, m);
    expect(textHolding(a.ydoc, 'la grande suite').text.toString()).toBe(
      'Avant tout, on se réunit. Puis vient la grande suite du plan d’aide.',
    );
    const { threads } = await listThreads(membre, id);
    const byId = new Map(threads.map((x) => [x.id, x]));
    expect(byId.get(edited.id)).toMatchObject({
      orphaned: false,
      currentQuote: 'la grande suite',
      quote: 'la suite',
    });
    expect(byId.get(untouched.id)).toMatchObject({ orphaned: false, currentQuote: 'plan d’aide' });
    expect(highlighted(a.ydoc, byId.get(edited.id) as ThreadDto)).toBe('la grande suite');
    expect(highlighted(m.ydoc, byId.get(untouched.id) as ThreadDto)).toBe('plan d’aide');

    // Once everyone has left, the stored document still has the thread on its words.
    for (const client of [a, b, m]) client.destroy();
    await expect
      .poll(async () => {
        const thread = await getThread(membre, edited.id);
        return [thread.orphaned, thread.currentQuote];
      }, SETTLE)
      .toEqual([false, 'la grande suite']);
  });

  it('finds edited words again after they were cut and typed back elsewhere, where no forwarding leads', async () => {
    const editors = await threeEditorsWithText('Ancres et couper-coller', 1, TWO_SENTENCES);
    const { id, section, a, b, m } = editors;
    const created = await createThread(membre, id, threadInput(m.ydoc, section, 'la suite', 'Laquelle ?'));
    // The server reads the thread and keeps the words now under it.
    await growCommentedWords(editors, created.id);

    // Cut: the sentence is gone, the thread is orphaned meanwhile.
    deleteWords(b.ydoc, 'Puis vient la grande suite du plan d’aide.');
    await settle(a, b, m);
    expect(await getThread(membre, created.id)).toMatchObject({ orphaned: true, quote: 'la suite' });
    // Pasted at the start of the paragraph: new characters, no forwarding, only the words.
    textHolding(a.ydoc, 'Avant tout').text.insert(0, 'Puis vient la grande suite du plan d’aide. ');
    await settle(a, b, m);
    const thread = await getThread(membre, created.id);
    expect(thread).toMatchObject({ orphaned: false, currentQuote: 'la grande suite', quote: 'la suite' });
    expect(highlighted(a.ydoc, thread)).toBe('la grande suite');
  });

  it('keeps the words and the section when the section is moved up by the server', async () => {
    const { id, section, a, b, m } = await threeEditorsWithText('Ancres et déplacement', 4, SENTENCE);
    const created = await createThread(membre, id, threadInput(m.ydoc, section, WORDS, 'Et les enfants ?'));

    expect(await requestMove(b, section, sectionId(b.ydoc, 2))).toBe('moved');
    await settle(a, b, m);
    expect(sectionId(a.ydoc, 3)).toBe(section);

    const { threads } = await listThreads(membre, id);
    const thread = threads.find((x) => x.id === created.id) as ThreadDto;
    expect(thread.orphaned).toBe(false);
    expect(thread.sectionId).toBe(section);
    expect(thread.currentQuote).toBe(WORDS);
    expect(highlighted(b.ydoc, thread)).toBe(WORDS);
  });

  it('orphans a thread whose words are deleted, keeps its quote, and lists it after the anchored ones', async () => {
    const { id, a, b, m } = await threeEditors('Ancres supprimées');
    const first = sectionId(a.ydoc, 1);
    const second = sectionId(a.ydoc, 2);
    writeInSection(a.ydoc, first, SENTENCE);
    writeInSection(a.ydoc, second, 'Le suivi dure six mois en moyenne.');
    await settle(a, b, m);
    const doomed = await createThread(membre, id, threadInput(m.ydoc, first, WORDS, 'Vague.'));
    const kept = await createThread(membre, id, threadInput(m.ydoc, second, 'six mois', 'Source ?'));

    deleteWords(a.ydoc, WORDS);
    await settle(a, b, m);
    const { threads } = await listThreads(membre, id);
    expect(threads.map((x) => x.id)).toEqual([kept.id, doomed.id]);
    const orphan = threads[1] as ThreadDto;
    expect(orphan).toMatchObject({
      orphaned: true,
      quote: WORDS,
      currentQuote: null,
      anchor: null,
      sectionId: first,
    });
    expect(orphan.comments[0]?.body).toBe('Vague.');
    expect(threads[0]).toMatchObject({ orphaned: false, currentQuote: 'six mois' });
  });

  it('orphans a thread whose short words are deleted rather than moving it to the same words elsewhere', async () => {
    const text =
      'Les enfants parlent avec la famille élargie. Le coordinateur rencontre la famille chaque semaine.';
    const editors = await threeEditorsWithText('Ancres et mots répétés', 1, text);
    const { id, section, a, b, m } = editors;
    const created = await createThread(membre, id, threadInput(m.ydoc, section, 'la famille', 'Qui ?', 1));
    deleteWords(a.ydoc, 'rencontre la famille chaque');
    await settle(a, b, m);
    expect(await getThread(membre, created.id)).toMatchObject({
      orphaned: true,
      quote: 'la famille',
      currentQuote: null,
    });
  });

  it('keeps a thread on the document when its whole section is deleted', async () => {
    // « Adaptations pendant la crise sanitaire » is optional: deleting it stays deleted.
    const visits = 'Des visites à distance pendant le confinement.';
    const { id, section: optional, a, b, m } = await threeEditorsWithText('Section supprimée', 9, visits);
    const onWords = await createThread(
      membre,
      id,
      threadInput(m.ydoc, optional, 'visites à distance', 'Combien ?'),
    );
    const onSection = await createThread(membre, id, { sectionId: optional, body: 'Section utile ?' });
    expect(onSection).toMatchObject({ wholeSection: true, quote: 'Adaptations pendant la crise sanitaire' });

    a.ydoc.transact(() => a.ydoc.getXmlFragment(FRAGMENT).delete(9, 1));
    await settle(a, b, m);
    expect(sectionsOf(a.ydoc).map((s) => s.getAttribute('id'))).not.toContain(optional);
    const { threads } = await listThreads(membre, id);
    expect(threads.map((x) => [x.id, x.orphaned, x.sectionTitle])).toEqual([
      [onWords.id, true, null],
      [onSection.id, true, null],
    ]);
    expect(threads.map((x) => x.quote)).toEqual([
      'visites à distance',
      'Adaptations pendant la crise sanitaire',
    ]);
  });

  it('keeps an inner thread anchored and open after the outer one is resolved and the page reloaded (tiptap#6354)', async () => {
    const { id, section, a, b, m } = await threeEditorsWithText('Fils imbriqués', 1, SENTENCE);
    const outer = await createThread(membre, id, threadInput(m.ydoc, section, WORDS, 'Tout le passage.'));
    const inner = await createThread(rapporteur, id, threadInput(b.ydoc, section, 'familles', 'Ce mot.'));
    const resolved = await rapporteur.fetch(`/api/threads/${outer.id}/resolve`, { method: 'POST' });
    expect(resolved.status).toBe(200);

    // « Reload »: a fresh read of the list, from a fresh client.
    b.destroy();
    const fresh = await open(rapporteur, `doc.${id}`);
    await settle(a, fresh, m);
    const open_ = await listThreads(rapporteur, id, 'open');
    expect(open_.threads.map((x) => x.id)).toEqual([inner.id]);
    expect(open_.threads[0]).toMatchObject({ status: 'open', orphaned: false, currentQuote: 'familles' });
    expect(highlighted(fresh.ydoc, open_.threads[0] as ThreadDto)).toBe('familles');
    const all = await listThreads(rapporteur, id, 'all');
    expect(all.threads.map((x) => [x.id, x.status])).toEqual([
      [outer.id, 'resolved'],
      [inner.id, 'open'],
    ]);
    expect(highlighted(fresh.ydoc, all.threads[0] as ThreadDto)).toBe(WORDS);
    expect(all.counts).toEqual({ open: 1, resolved: 1 });
  });

  it('refuses a quote that is not the text under the anchor, and an anchor the server does not have yet', async () => {
    const { id, section, a, m } = await threeEditorsWithText('Citation fausse', 1, SENTENCE);
    const input = threadInput(m.ydoc, section, WORDS, 'Faux.');
    const wrong = await membre.fetch(`/api/documents/${id}/threads`, {
      method: 'POST',
      json: { ...input, quote: 'les parents décident seuls' },
    });
    expect(wrong.status).toBe(400);
    const body = (await wrong.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe('invalid_input');
    expect(body.details[0]?.path).toBe('quote');

    // Words typed offline: their positions name items the server has never seen.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(m.ydoc));
    const { text } = textHolding(offline, WORDS);
    text.insert(0, 'Inédit ');
    const unknown = await membre.fetch(`/api/documents/${id}/threads`, {
      method: 'POST',
      json: threadInput(offline, section, 'Inédit', 'Pas encore là.'),
    });
    expect(unknown.status).toBe(400);

    const elsewhere = await membre.fetch(`/api/documents/${id}/threads`, {
      method: 'POST',
      json: { ...input, sectionId: sectionId(a.ydoc, 3) },
    });
    expect(elsewhere.status).toBe(400);
  });
});
