import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../support/server.js';

const AXE_PATH = path.join(repoRoot, 'node_modules/axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * Runs axe-core (WCAG 2.0 and 2.1, levels A and AA) on the page once its animations and
 * transitions are over (an accordion still opening is half transparent, and its text would be
 * reported as lacking contrast), and returns one line per violation. The context must be created
 * with `bypassCSP: true` to inject axe.
 */
export async function runAxe(page: Page): Promise<string[]> {
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run: (context: Document, options: object) => Promise<AxeResult> };
    };
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map(
      (v) => `${v.id} (${v.help}) : ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  });
}
