import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { ydocToNode } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { connectAs } from '../support/provider.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';

/**
 * Headings inside a section are levels 3 and 4 (level 2 is the section title, in the sommaire),
 * whether typed as Markdown or pasted from Word; and Ctrl+Shift+Z with Caps Lock on never undoes
 * (issue 8, items 7 and 8).
 */

let baseUrl: string;
let espaceId: string;
let admin: Session;
let bruno: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId, admin } = app);
  bruno = await invite(admin, espaceId, 'rapporteur', 'Bruno');
});

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const sectionOf = (page: Page, key: string) => editorOf(page).locator(`section[data-section-key="${key}"]`);

/** A fiche Bruno is assigned to, open in his browser with the caret in section `key`'s paragraph. */
async function openFicheAt(title: string, key: string) {
  const doc = await createDocument(admin, espaceId, title, 'fiche');
  const assigned = await admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: bruno.userId },
  });
  expect(assigned.status).toBe(200);
  const tab = await app.open({ as: bruno });
  await tab.page.goto(`${baseUrl}/documents/${doc.id}`);
  await expect.poll(() => editorOf(tab.page).getAttribute('contenteditable')).toBe('true');
  await sectionOf(tab.page, key).locator('p').first().click();
  return { ...doc, ...tab };
}

/** The headings of a section as shown: tag name and text. */
const headingsIn = (page: Page, key: string) =>
  sectionOf(page, key)
    .locator('h1, h2:not([data-section-title]), h3, h4, h5, h6')
    .evaluateAll((elements) =>
      elements.map((element) => [element.tagName.toLowerCase(), element.textContent ?? '']),
    );

/** The headings of section `key` as the server stores them: level and text. */
async function storedHeadings(documentName: string, key: string): Promise<[number, string][]> {
  const client = connectAs(admin, app.server.wsUrl, documentName);
  try {
    await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(client.ydoc));
    const headings: [number, string][] = [];
    ydocToNode(copy).forEach((section) => {
      if (section.attrs.key !== key) return;
      section.descendants((node) => {
        if (node.type.name === 'heading') headings.push([Number(node.attrs.level), node.textContent]);
      });
    });
    return headings;
  } finally {
    client.destroy();
  }
}

/** Sends what a keyboard with Caps Lock on sends for Ctrl+Shift+Z; true when the editor consumed it. */
const capsLockRedo = (page: Page): Promise<boolean> =>
  editorOf(page).evaluate((editor) => {
    const event = new KeyboardEvent('keydown', {
      key: 'z',
      code: 'KeyZ',
      keyCode: 90,
      shiftKey: true,
      ctrlKey: true,
      bubbles: true,
      cancelable: true,
    });
    editor.dispatchEvent(event);
    return event.defaultPrevented;
  });

/** Pastes `html` where the caret is, as a copy from Word or a web page would. */
const pasteHtml = (page: Page, html: string): Promise<void> =>
  editorOf(page).evaluate((editor, pasted) => {
    const data = new DataTransfer();
    data.setData('text/html', pasted);
    data.setData('text/plain', pasted.replace(/<[^>]+>/g, ' '));
    editor.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, html);

describe('headings inside a section', () => {
  it('are level 3 for "## " and "### ", level 4 for "#### ", as shown and as stored', async () => {
    const { page, problems, name } = await openFicheAt('Développement du pouvoir d’agir', 'origine');
    await page.keyboard.type('## Genèse du projet');
    await page.keyboard.press('Enter');
    await page.keyboard.type('#### Premiers partenaires');
    await page.keyboard.press('Enter');
    await page.keyboard.type('### Financements');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Un paragraphe.');
    // Word's shortcut for « Titre 2 » gives the same level as a pasted « Titre 2 ».
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Alt+2');
    await page.keyboard.type('Par raccourci');

    await expect
      .poll(() => headingsIn(page, 'origine'))
      .toEqual([
        ['h3', 'Genèse du projet'],
        ['h4', 'Premiers partenaires'],
        ['h3', 'Financements'],
        ['h3', 'Par raccourci'],
      ]);
    await expect
      .poll(() => storedHeadings(name, 'origine'))
      .toEqual([
        [3, 'Genèse du projet'],
        [4, 'Premiers partenaires'],
        [3, 'Financements'],
        [3, 'Par raccourci'],
      ]);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('take level 3 when pasted as h1, h2 or h3 (Word’s « Titre 1 », « Titre 2 »), level 4 from h4 to h6', async () => {
    const { page, problems, name } = await openFicheAt('Coordination pluridisciplinaire', 'description');
    await pasteHtml(
      page,
      '<h1>Titre 1</h1><h2>Titre 2</h2><h3>Titre 3</h3><h4>Titre 4</h4><h5>Titre 5</h5><h6>Titre 6</h6><p>Corps du texte.</p>',
    );
    await expect
      .poll(() => headingsIn(page, 'description'))
      .toEqual([
        ['h3', 'Titre 1'],
        ['h3', 'Titre 2'],
        ['h3', 'Titre 3'],
        ['h4', 'Titre 4'],
        ['h4', 'Titre 5'],
        ['h4', 'Titre 6'],
      ]);
    await expect
      .poll(() => sectionOf(page, 'description').locator('p').last().textContent())
      .toBe('Corps du texte.');
    await expect
      .poll(() => storedHeadings(name, 'description'))
      .toEqual([
        [3, 'Titre 1'],
        [3, 'Titre 2'],
        [3, 'Titre 3'],
        [4, 'Titre 4'],
        [4, 'Titre 5'],
        [4, 'Titre 6'],
      ]);
    // The section titles stay the only level-2 headings: the sommaire lists the template's sections.
    expect(await editorOf(page).locator('h2').count()).toBe(
      await editorOf(page).locator('h2[data-section-title]').count(),
    );
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('show a level-2 heading stored before this rule as level 3, and leave it in the document', async () => {
    const doc = await createDocument(admin, espaceId, 'Maraudes mixtes', 'fiche');
    const client = connectAs(admin, app.server.wsUrl, doc.name);
    try {
      await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
      const section = client.ydoc.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement;
      const heading = new Y.XmlElement('heading');
      // As y-tiptap stored it when "## " made a level-2 heading: the level is a number.
      (heading as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', 2);
      heading.insert(0, [new Y.XmlText('Ancien intertitre')]);
      section.insert(1, [heading]);
      await expect.poll(() => client.provider.hasUnsyncedChanges).toBe(false);
    } finally {
      client.destroy();
    }
    const { page, problems } = await app.open({ as: admin });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => headingsIn(page, 'origine')).toEqual([['h3', 'Ancien intertitre']]);
    expect(await storedHeadings(doc.name, 'origine')).toEqual([[2, 'Ancien intertitre']]);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('Ctrl+Shift+Z with Caps Lock on', () => {
  it('does nothing when there is nothing to redo, instead of undoing the last words', async () => {
    const { page, problems } = await openFicheAt('Pair-aidance en Ille-et-Vilaine', 'origine');
    const paragraph = sectionOf(page, 'origine').locator('p').first();
    await page.keyboard.type('Mes derniers mots.');
    await expect.poll(() => paragraph.textContent()).toBe('Mes derniers mots.');

    expect(await capsLockRedo(page)).toBe(true);
    expect(await paragraph.textContent()).toBe('Mes derniers mots.');

    // Undo and redo still work, with and without Caps Lock.
    await page.keyboard.press('Control+z');
    await expect.poll(() => paragraph.textContent()).toBe('');
    expect(await capsLockRedo(page)).toBe(true);
    await expect.poll(() => paragraph.textContent()).toBe('Mes derniers mots.');
    await page.keyboard.press('Control+z');
    await expect.poll(() => paragraph.textContent()).toBe('');
    await page.keyboard.press('Control+y');
    await expect.poll(() => paragraph.textContent()).toBe('Mes derniers mots.');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
