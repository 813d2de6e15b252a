import { beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { blockTextsIn, editorOf, sectionOf, storedDocument } from './support/coWriting.js';

/**
 * An arrow key pressed right after a mouse drag selection moves the caret, whatever the timing
 * (issue 8). prosemirror-view 1.42.9 wrote its own selection back into the page in a timer it set
 * at the mouse-up of a drag in Chrome (`LeftMouseDown.done()`, then `selectionToDOM`): a key that
 * reached the page before that timer ran, pressed in the same moment as the mouse-up or on a busy
 * machine, was undone, the dragged words came back selected and the next letter replaced them.
 * prosemirror-view 1.43.0 and later make the selection of a drag themselves, without that timer
 * (pinned to 1.44.0 by the root package.json's `overrides`).
 *
 * Deterministic here: the mouse-up and the key go to Chromium back to back through the DevTools
 * protocol, and the page's main thread is kept busy after the mouse-up until the key is queued
 * (`navigator.scheduling.isInputPending`), as a long task on a loaded machine would keep it. The
 * key then runs before any timer of the page.
 */

const app = useBrowserApp();
let bruno: Session;

beforeAll(async () => {
  bruno = await invite(app.admin, app.espaceId, 'rapporteur', 'Bruno');
});

/** The sentence of each round's paragraph, and the words the mouse drags over in it. */
const SENTENCE = 'Alpha beta gamma delta epsilon';
const DRAGGED = 'beta gamma';

/** Rounds per key, each in a new paragraph (a new line, so no drag starts as a double click). */
const ROUNDS = 4;

/** The paragraphs of « Origine » as shown, without carets. */
const shownParagraphs = (page: Page): Promise<string[]> =>
  blockTextsIn(page, 'section[data-section-key="origine"] p');

/** The paragraphs of « Origine » as the server stores them. */
async function storedParagraphs(documentName: string): Promise<string[]> {
  const texts: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name === 'section') {
      if (node.attrs['key'] === 'origine')
        node.descendants((child) => {
          if (child.type.name === 'paragraph') texts.push(child.textContent);
          return true;
        });
      return false;
    }
    return true;
  });
  return texts;
}

/** A new fiche Bruno may write, open in his browser, with the caret in « Origine »'s paragraph. */
async function openFiche(title: string) {
  const doc = await createDocument(app.admin, app.espaceId, title, 'fiche');
  const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: bruno.userId },
  });
  expect(assigned.status).toBe(200);
  const tab = await app.open({ as: bruno });
  await tab.page.goto(`${app.baseUrl}/documents/${doc.id}`);
  await expect.poll(() => editorOf(tab.page).getAttribute('contenteditable')).toBe('true');
  // The section's review header comes with the chunk loaded after the first drawing and moves the
  // text down: the drags below aim at coordinates read before them.
  await sectionOf(tab.page, 'origine').locator('[data-review-status]').waitFor();
  await sectionOf(tab.page, 'origine').locator('p').first().click();
  return { ...doc, ...tab };
}

/**
 * Viewport coordinates (CSS pixels) of the left edge of `words`' first character, the right edge
 * of their last one, and their line's middle, in « Origine »'s paragraph number `index`.
 */
function wordsBounds(
  page: Page,
  index: number,
  words: string,
): Promise<{ x1: number; x2: number; y: number }> {
  return sectionOf(page, 'origine')
    .locator('p')
    .nth(index)
    .evaluate((element, needle) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node as Text;
        const at = text.data.indexOf(needle);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        const first = range.getBoundingClientRect();
        range.setStart(text, at + needle.length - 1);
        range.setEnd(text, at + needle.length);
        const last = range.getBoundingClientRect();
        return { x1: first.left, x2: last.right, y: first.top + first.height / 2 };
      }
      throw new Error(`« ${needle} » n'est pas dans le paragraphe`);
    }, words);
}

/** What the page's DOM selection holds, as text. */
const selectedText = (page: Page): Promise<string> => page.evaluate(() => String(document.getSelection()));

/**
 * Makes the page's next mouse-up a long task: after the page's own handlers (ProseMirror's among
 * them), the main thread stays busy until a key press is queued behind it, 5 s at most. Resolves
 * to a getter telling whether a key was queued before the task ended.
 */
async function busyAtNextMouseUpUntilKeyQueued(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const marks = window as unknown as { keyQueuedAtMouseUp?: boolean };
    delete marks.keyQueuedAtMouseUp;
    const scheduling = (
      navigator as unknown as {
        scheduling: { isInputPending(options?: { includeContinuous: boolean }): boolean };
      }
    ).scheduling;
    window.addEventListener(
      'mouseup',
      () => {
        const end = performance.now() + 5_000;
        let queued = false;
        while (!queued && performance.now() < end)
          queued = scheduling.isInputPending({ includeContinuous: false });
        marks.keyQueuedAtMouseUp = queued;
      },
      { once: true },
    );
  });
  return () =>
    page.evaluate(() => (window as unknown as { keyQueuedAtMouseUp?: boolean }).keyQueuedAtMouseUp === true);
}

/** A key as the DevTools protocol sends it: name, code, key code and modifiers (8: Shift). */
interface Key {
  key: 'ArrowLeft' | 'ArrowRight';
  keyCode: number;
  modifiers: number;
}

/**
 * Drags the left button over `words` of « Origine »'s paragraph number `index`, from the left edge
 * of their first character to the right edge of their last, waits until the page shows them
 * selected, then sends the mouse-up and `key` (down and up) to Chromium without waiting between
 * them, while the page is kept busy by the mouse-up until the key is queued. Returns whether the
 * key was queued during that mouse-up (the timing of the fault), so a test checks its premise.
 */
async function dragThenKeyAtMouseUp(
  page: Page,
  cdp: CDPSession,
  index: number,
  words: string,
  { key, keyCode, modifiers }: Key,
): Promise<boolean> {
  const { x1, x2, y } = await wordsBounds(page, index, words);
  const mouse = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', x: number, pressed: boolean) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x,
      y,
      button: pressed || type === 'mouseReleased' ? 'left' : 'none',
      buttons: pressed ? 1 : 0,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    });
  await mouse('mouseMoved', x1, false);
  await mouse('mousePressed', x1, true);
  const steps = 5;
  for (let step = 1; step <= steps; step++) await mouse('mouseMoved', x1 + ((x2 - x1) * step) / steps, true);
  await expect.poll(() => selectedText(page)).toBe(words);
  const keyQueued = await busyAtNextMouseUpUntilKeyQueued(page);
  const keyEvent = (type: 'rawKeyDown' | 'keyUp') =>
    cdp.send('Input.dispatchKeyEvent', {
      type,
      key,
      code: key,
      windowsVirtualKeyCode: keyCode,
      nativeVirtualKeyCode: keyCode,
      modifiers,
    });
  await Promise.all([mouse('mouseReleased', x2, false), keyEvent('rawKeyDown'), keyEvent('keyUp')]);
  return keyQueued();
}

const cases: { name: string; key: Key; expected: string }[] = [
  {
    name: 'ArrowRight puts the caret after the dragged words',
    key: { key: 'ArrowRight', keyCode: 39, modifiers: 0 },
    expected: 'Alpha beta gamma| delta epsilon',
  },
  {
    name: 'ArrowLeft puts the caret before the dragged words',
    key: { key: 'ArrowLeft', keyCode: 37, modifiers: 0 },
    expected: 'Alpha |beta gamma delta epsilon',
  },
  {
    name: 'Shift+ArrowRight extends the dragged selection by one character',
    key: { key: 'ArrowRight', keyCode: 39, modifiers: 8 },
    expected: 'Alpha |delta epsilon',
  },
];

describe('a key pressed in the moment a mouse drag selection ends', () => {
  for (const { name, key, expected } of cases)
    it(`${name}: the next letter goes there, in every round, shown and stored`, async () => {
      const doc = await openFiche(`Conférences familiales en Ardèche ${name}`);
      const cdp = await doc.page.context().newCDPSession(doc.page);
      const done: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round > 0) await doc.page.keyboard.press('Enter');
        await doc.page.keyboard.type(SENTENCE);
        await expect.poll(() => shownParagraphs(doc.page)).toEqual([...done, SENTENCE]);
        expect(await dragThenKeyAtMouseUp(doc.page, cdp, round, DRAGGED, key)).toBe(true);
        await doc.page.keyboard.type('|');
        done.push(expected);
        await expect.poll(() => shownParagraphs(doc.page)).toEqual(done);
        await doc.page.keyboard.press('End');
      }
      await expect.poll(() => storedParagraphs(doc.name)).toEqual(done);
      await cdp.detach();
      expect(unexpectedProblems(doc.problems)).toEqual({ errors: [], cspViolations: [] });
    });
});
