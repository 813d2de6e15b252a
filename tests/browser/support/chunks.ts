import type { Page } from 'playwright-core';

/**
 * Holds the editor's late chunk (`panels.lazy-<hash>.js`: panels, dialogs, comments, table editing
 * and automatic links) until `release()` is called, to test what a person does before it arrives;
 * `asked` resolves once the page has asked for it.
 */
export async function holdPanelsChunk(page: Page): Promise<{ asked: Promise<void>; release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let asked = () => {};
  const askedPromise = new Promise<void>((resolve) => {
    asked = resolve;
  });
  await page.route(/\/assets\/panels\.lazy-[\w-]+\.js$/, async (route) => {
    asked();
    await released;
    await route.continue();
  });
  return { asked: askedPromise, release };
}
