import { describe, expect, it } from 'vitest';
import { INBOUND_MESSAGES_PER_TURN } from '../../server/src/collab/transport.js';
import { createDocument } from '../support/accounts.js';
import { firstParagraphText, storedDoc, typeInFirstParagraph } from '../support/documents.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, type NodeClient } from '../support/provider.js';

/**
 * Issue 16, « a writer in a hurry »: with the default setting, a burst of updates from one socket is
 * handed to Hocuspocus a bounded number per event-loop turn and each turn's updates reach readers
 * merged into one message; a typist's keystroke is handed, stored and broadcast at once, alone.
 */

const t = useTestInstance();
const BURST = 3_000;

async function openAll(name: string, count: number): Promise<NodeClient[]> {
  const clients = Array.from({ length: count }, () => t.open(name));
  await expect.poll(() => clients.every(isSettled), { timeout: 15_000 }).toBe(true);
  return clients;
}

/** The `n`-th character the burst types: digits in a cycle, so the order shows in the text. */
const burstChar = (n: number): string => String(n % 10);
const paragraph = (text: string): string => `<paragraph>${text}</paragraph>`;

/** What each applied message added to a reader's first paragraph, and whether it only appended. */
function watchGrowth(reader: NodeClient): { sizes: number[]; outOfOrder: string[] } {
  const sizes: number[] = [];
  const outOfOrder: string[] = [];
  let before = firstParagraphText(reader.ydoc);
  reader.ydoc.on('update', () => {
    const now = firstParagraphText(reader.ydoc);
    const text = now.replace(/^<paragraph>|<\/paragraph>$/g, '');
    const expected = Array.from({ length: text.length }, (_, i) => burstChar(i)).join('');
    if (text !== expected) outOfOrder.push(text.slice(-20));
    sizes.push(now.length - before.length);
    before = now;
  });
  return { sizes, outOfOrder };
}

describe('a writer in a hurry, with the default setting', () => {
  it('reaches both readers complete and in order, in merged messages of bounded size, and each acknowledgement follows its commit', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Conférences familiales dans le Nord');
    const [writer, ...readers] = await openAll(doc.name, 3);
    if (!writer) throw new Error('no writer');
    const growth = readers.map(watchGrowth);
    // At every 250th acknowledgement, what SQLite holds must already contain the acknowledged text.
    const durableChecks: { acknowledged: number; stored: number }[] = [];
    let sending = true;
    writer.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      // The count also rises while the burst is being sent; only its fall is acknowledgements.
      if (sending) return;
      const acknowledged = BURST - number;
      if (acknowledged % 250 !== 0 || acknowledged === 0) return;
      const stored = firstParagraphText(storedDoc(t.server.dataDir, doc.id)).length - paragraph('').length;
      durableChecks.push({ acknowledged, stored });
    });

    // One transaction per character, all sent without yielding: 3,000 frames reach the server at once.
    for (let i = 0; i < BURST; i++) typeInFirstParagraph(writer.ydoc, burstChar(i));
    sending = false;
    expect(writer.provider.unsyncedChanges).toBe(BURST);
    const expected = paragraph(Array.from({ length: BURST }, (_, i) => burstChar(i)).join(''));

    for (const reader of readers)
      await expect.poll(() => firstParagraphText(reader.ydoc), { timeout: 30_000 }).toBe(expected);
    await expect.poll(() => writer.provider.unsyncedChanges, { timeout: 30_000 }).toBe(0);
    expect(firstParagraphText(storedDoc(t.server.dataDir, doc.id))).toBe(expected);

    for (const { sizes, outOfOrder } of growth) {
      expect(outOfOrder).toEqual([]);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(BURST);
      // Coalesced: far fewer messages than updates…
      expect(sizes.length).toBeLessThanOrEqual(BURST / 10);
      // …but never one merge of the whole backlog: at most two turns' worth of one socket.
      expect(Math.max(...sizes)).toBeLessThanOrEqual(2 * INBOUND_MESSAGES_PER_TURN);
    }
    expect(durableChecks.length).toBe(BURST / 250);
    for (const check of durableChecks) expect(check.stored).toBeGreaterThanOrEqual(check.acknowledged);
  });

  it('hands a paced typist’s keystrokes one by one, each its own broadcast, while a burst floods another document', async () => {
    const busy = await createDocument(t.admin, t.espaceId, 'Aller-vers dans l’Oise');
    const calm = await createDocument(t.admin, t.espaceId, 'Pair-aidance en Ille-et-Vilaine');
    const [flooder, busyReader] = await openAll(busy.name, 2);
    const [typist, calmReader] = await openAll(calm.name, 2);
    if (!flooder || !busyReader || !typist || !calmReader) throw new Error('clients missing');

    const burstText = paragraph(Array.from({ length: BURST }, (_, i) => burstChar(i)).join(''));
    let calmMessages = 0;
    // How much of the burst the busy document's reader held when each keystroke reached the calm reader.
    const burstSeenAtKeystroke: number[] = [];
    calmReader.ydoc.on('update', () => {
      calmMessages++;
      burstSeenAtKeystroke.push(firstParagraphText(busyReader.ydoc).length);
    });

    for (let i = 0; i < BURST; i++) typeInFirstParagraph(flooder.ydoc, burstChar(i));
    const keys = 'Bonjour';
    for (let i = 0; i < keys.length; i++) {
      typeInFirstParagraph(typist.ydoc, keys[i] ?? '');
      await expect.poll(() => firstParagraphText(calmReader.ydoc)).toBe(paragraph(keys.slice(0, i + 1)));
    }
    await expect.poll(() => firstParagraphText(busyReader.ydoc), { timeout: 30_000 }).toBe(burstText);

    // One message per keystroke: nothing held back to be merged with later ones.
    expect(calmMessages).toBe(keys.length);
    // The first keystroke did not wait for the burst: it arrived while the burst was still coming in.
    expect(burstSeenAtKeystroke[0]).toBeLessThan(burstText.length);
  });
});
