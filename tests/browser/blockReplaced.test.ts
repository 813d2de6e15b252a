import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  blockTextsIn,
  sectionOf,
  storedDocument,
  useTwoRapporteurs,
  placeCaret,
} from './support/coWriting.js';

/** Every textblock of the editor as `tag:text` (section titles included), without carets. */
const blocksIn = (page: Page): Promise<string[]> => blockTextsIn(page, 'p, h2, h3, h4', { tags: true });

/** The same list as the server stores the document. */
async function storedBlocks(documentName: string): Promise<string[]> {
  const blocks: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    const name = node.type.name;
    if (name === 'paragraph') blocks.push(`p:${node.textContent}`);
    else if (name === 'sectionTitle') blocks.push(`h2:${node.textContent}`);
    else if (name === 'heading') blocks.push(`h${String(node.attrs.level)}:${node.textContent}`);
    return true;
  });
  return blocks;
}

/**
 * A block replaced by the other person while someone types in it (issue 8, remaining class).
 * The editor's Yjs binding changes a paragraph into a heading (or back) by deleting the element
 * and inserting a new one: the typist's keystrokes still on their way arrive for the deleted
 * element, and their caret must be put back in the new one, at the same offset, never in the
 * next section's title.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Milliseconds between two keystrokes: the level changes land between them. */
const KEY_DELAY = 35;

describe('a block replaced by one person while the other types in it', () => {
  it('keeps every keystroke of the typist in the block, in order, while the other changes its level again and again', async () => {
    const doc = await people.openSharedFiche('Mise en œuvre à Lille');
    const [brunoTab, chloeTab] = doc.tabs;
    const block = (page: Page) => sectionOf(page, 'description').locator('p, h3, h4').first();
    await placeCaret(brunoTab, chloeTab, block);
    await brunoTab.page.keyboard.type('Étapes de la mise en œuvre');
    await expect.poll(() => block(chloeTab.page).textContent()).toContain('Étapes de la mise en œuvre');
    await placeCaret(chloeTab, brunoTab, block);
    await brunoTab.page.keyboard.press('Home');
    const before = await blocksIn(brunoTab.page);

    const typed = ' et calendrier détaillé pour chaque partenaire';
    const typing = chloeTab.page.keyboard.type(typed, { delay: KEY_DELAY });
    const editorText = async () => (await blocksIn(brunoTab.page)).join('').length;
    for (const key of ['Control+Alt+3', 'Control+Alt+4', 'Control+Alt+0', 'Control+Alt+3']) {
      // Each change lands while Chloé's keystrokes keep arriving.
      const seen = await editorText();
      await expect.poll(editorText).toBeGreaterThan(seen);
      await brunoTab.page.keyboard.press(key);
    }
    await typing;

    const expected = before.map((line) =>
      line === 'p:Étapes de la mise en œuvre' ? `h3:Étapes de la mise en œuvre${typed}` : line,
    );
    for (const { page } of doc.tabs) await expect.poll(() => blocksIn(page)).toEqual(expected);
    await expect.poll(() => storedBlocks(doc.name)).toEqual(expected);

    // The caret stayed in the block: what Chloé types next ends it.
    await chloeTab.page.keyboard.type('.');
    await expect
      .poll(() => block(brunoTab.page).textContent())
      .toContain(`Étapes de la mise en œuvre${typed}.`);
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
