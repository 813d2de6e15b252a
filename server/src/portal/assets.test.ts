import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { portalStylesheet } from './assets.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the portal’s stylesheet', () => {
  it('holds the rule of every DSFR icon the portal’s pages write, so none is drawn as a plain square', () => {
    const sources = fs
      .readdirSync(here)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => fs.readFileSync(path.join(here, file), 'utf8'))
      .join('\n');
    const used = [...new Set(sources.match(/fr-icon-[a-z0-9-]+/g) ?? [])];
    expect(used.length).toBeGreaterThan(0);
    const css = portalStylesheet().css.toString('utf8');
    const missing = used.filter((icon) => !css.includes(`.${icon}:before`));
    expect(missing).toEqual([]);
  });
});
