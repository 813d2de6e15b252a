import { ydocToNode } from '@essaim/editor';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../../support/accounts.js';
import { connectAs } from '../../support/provider.js';
import type { BrowserApp } from './app.js';

/** The editor's text area, as a person (and a screen reader) finds it. */
export const editorOf = (page: Page): Locator => page.getByRole('textbox', { name: 'Contenu du document' });

/** A section of the open document, by its template key. */
export const sectionOf = (page: Page, key: string): Locator =>
  editorOf(page).locator(`section[data-section-key="${key}"]`);

/** An element's text as written: without the other people's carets and their name labels. */
export const textOf = (element: Locator): Promise<string> =>
  element.evaluate((node) => {
    const copy = node.cloneNode(true) as Element;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return copy.textContent ?? '';
  });

/** The label of `name`'s caret as another person's editor shows it (the name is drawn by CSS). */
export const caretLabelOf = (scope: Page | Locator, name: string): Locator =>
  scope.locator(`.collaboration-carets__label[data-name="${name}"]`);

/** The names on the other people's carets shown in `page`. */
export const caretNamesIn = (page: Page): Promise<string[]> =>
  page
    .locator('.collaboration-carets__label')
    .evaluateAll((labels) => labels.map((label) => label.getAttribute('data-name') ?? ''));

/** One person's tab on a shared document. */
export interface Tab {
  /** The person's name, as their caret is labelled in the other tab. */
  name: string;
  page: Page;
  problems: { errors: string[]; cspViolations: string[] };
}

/**
 * The text of each element matching `selector` in the editor, in document order, without the
 * other people's carets; with `tags`, each prefixed by its tag name (`h3:Étapes`).
 */
export const blockTextsIn = (page: Page, selector: string, { tags = false } = {}): Promise<string[]> =>
  editorOf(page)
    .locator(selector)
    .evaluateAll(
      (elements, withTags) =>
        elements.map((element) => {
          const copy = element.cloneNode(true) as Element;
          copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
          const text = copy.textContent ?? '';
          return withTags ? `${element.tagName.toLowerCase()}:${text}` : text;
        }),
      tags,
    );

/** The document as the server holds it, read through a Node provider of the animateur's. */
export async function storedDocument(app: BrowserApp, documentName: string): Promise<PMNode> {
  const client = connectAs(app.admin, app.server.wsUrl, documentName);
  try {
    await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
    return ydocToNode(client.ydoc);
  } finally {
    client.destroy();
  }
}

/**
 * The document as the page's local copy holds it: every update y-indexeddb has committed to the
 * page's IndexedDB database for `documentName`, merged in a Y.Doc here. y-indexeddb writes each
 * update asynchronously, and a reload within milliseconds of a keystroke can abort that write (CI
 * saw « Écrit en » of « Écrit en ligne. » after an offline reload): a test that reloads without
 * network waits for the local copy first, as a person's next reload would find it.
 */
export async function localCopy(page: Page, documentName: string): Promise<PMNode> {
  const updates = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
    });
    try {
      if (!db.objectStoreNames.contains('updates')) return [];
      const stored = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('updates').objectStore('updates').getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
      });
      return stored.filter((update) => update instanceof Uint8Array).map((update) => Array.from(update));
    } finally {
      db.close();
    }
  }, documentName);
  const ydoc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(ydoc, Uint8Array.from(update));
    return ydocToNode(ydoc);
  } finally {
    ydoc.destroy();
  }
}

/** Two rapporteurs of the test espace, Bruno and Chloé, invited before the file's first test. */
export interface TwoRapporteurs {
  bruno: Session;
  chloe: Session;
  /** Assigns a document to both (the animateur does it), so both may write it. */
  assignBoth(documentId: string): Promise<void>;
  /** A new fiche assigned to both, open in one tab each (Bruno's first), ready to type. */
  openSharedFiche(title: string): Promise<{ id: string; name: string; tabs: [Tab, Tab] }>;
}

/** Invites Bruno and Chloé as rapporteurs in `app`'s espace before the file's tests. */
export function useTwoRapporteurs(app: BrowserApp): TwoRapporteurs {
  const people = {
    async assignBoth(documentId: string) {
      for (const person of [people.bruno, people.chloe]) {
        const assigned = await app.admin.fetch(`/api/documents/${documentId}/assignments`, {
          method: 'POST',
          json: { userId: person.userId },
        });
        expect(assigned.status).toBe(200);
      }
    },
    async openSharedFiche(title: string) {
      const doc = await createDocument(app.admin, app.espaceId, title, 'fiche');
      await people.assignBoth(doc.id);
      const tabs: Tab[] = [];
      for (const person of [people.bruno, people.chloe]) {
        const { page, problems } = await app.open({ as: person });
        await page.goto(`${app.baseUrl}/documents/${doc.id}`);
        await editorOf(page).waitFor();
        await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
        tabs.push({ name: person.name, page, problems });
      }
      return { ...doc, tabs: tabs as [Tab, Tab] };
    },
  } as TwoRapporteurs;
  beforeAll(async () => {
    people.bruno = await invite(app.admin, app.espaceId, 'rapporteur', 'Bruno');
    people.chloe = await invite(app.admin, app.espaceId, 'rapporteur', 'Chloé');
  });
  return people;
}

/**
 * Puts `tab`'s caret in `target` (at its end, or after its first `offset` characters) and waits
 * until the other tab shows it there: the editor then holds that selection (a key pressed right
 * after a click could still go to the previous one, which ProseMirror reads from the DOM a moment
 * later). End goes to the end of the visual line in a paragraph that wraps.
 */
export async function placeCaret(
  tab: Tab,
  other: Tab,
  target: (page: Page) => Locator,
  offset?: number,
): Promise<void> {
  await target(tab.page).click();
  if (offset === undefined) await tab.page.keyboard.press('End');
  else {
    await tab.page.keyboard.press('Home');
    for (let i = 0; i < offset; i++) await tab.page.keyboard.press('ArrowRight');
  }
  await caretLabelOf(target(other.page), tab.name).waitFor();
}
