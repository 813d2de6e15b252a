import type { Page } from 'playwright-core';

/** The catalogue's polite live region that says how many documents the filters found (« 1 document »). */
export const resultCount = (page: Page): Promise<string | null> =>
  page
    .getByRole('region', { name: /^Documents/ })
    .getByRole('status')
    .first()
    .textContent();
