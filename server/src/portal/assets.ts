import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { PORTAL_CSS } from './portalStyles.js';

const require = createRequire(import.meta.url);

/** Where the DSFR's distributed files are (`@gouvfr/dsfr`, the version the client uses). */
export const DSFR_DIST = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const DSFR_VERSION = (
  JSON.parse(fs.readFileSync(path.join(DSFR_DIST, '../package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * Where the portal serves the DSFR's fonts and icons: the version is in the address, so they
 * are cached for a year and a new DSFR is fetched anew.
 */
export const DSFR_ASSETS = `/pratiques/static/dsfr-${DSFR_VERSION}`;

/**
 * The parts of the DSFR the portal's pages use (the core: fonts, typography, grid, spacing; and
 * the components drawn), in cascade order. The whole DSFR is 76 KB gzipped; this is about 60.
 */
const DSFR_FILES = [
  'core/core.main.min.css',
  ...[
    'link',
    'button',
    'logo',
    'header',
    'footer',
    'skiplink',
    'breadcrumb',
    'search',
    'form',
    'input',
    'select',
    'tag',
    'badge',
    'card',
    'callout',
    'pagination',
    'summary',
  ].map((c) => `component/${c}/${c}.main.min.css`),
];

/**
 * The DSFR icons the pages use (`fr-icon-…`), taken from the icons utility. Every `fr-icon-` class
 * written in this folder must be here (assets.test.ts reads the sources): a missing one draws a
 * plain square.
 */
const ICONS = [
  'rss-line',
  'map-pin-2-line',
  'search-line',
  'arrow-right-line',
  'information-line',
  'download-line',
];

/**
 * A stylesheet's relative `url(...)` made absolute under {@link DSFR_ASSETS} (the files are
 * concatenated from several folders); `data:` URLs are left as they are.
 */
function absoluteUrls(css: string, fileDir: string): string {
  return css.replace(/url\((['"]?)([^)'"]+)\1\)/g, (whole, _quote: string, target: string) => {
    if (/^(data:|\/|#|https?:)/.test(target)) return whole;
    return `url(${path.posix.join(DSFR_ASSETS, fileDir, target)})`;
  });
}

function readDsfr(file: string): string {
  return absoluteUrls(fs.readFileSync(path.join(DSFR_DIST, file), 'utf8'), path.posix.dirname(file));
}

/** The icon rules named in {@link ICONS}, from the DSFR's icon utility stylesheet. */
function iconRules(): string {
  const file = 'utility/icons/icons.main.min.css';
  const css = readDsfr(file);
  return ICONS.map((name) => {
    const rule = new RegExp(`\\.fr-icon-${name}:after,\\.fr-icon-${name}:before\\{[^}]*\\}`).exec(css);
    if (!rule) throw new Error(`icône DSFR introuvable : ${name}`);
    return rule[0];
  }).join('');
}

/** The portal's one stylesheet, built once: its bytes, gzipped bytes, and hashed address. */
export interface PortalStylesheet {
  url: string;
  css: Buffer;
  gzipped: Buffer;
  etag: string;
}

let built: PortalStylesheet | undefined;

/**
 * The portal's stylesheet: the DSFR parts it uses, a few icons, Marianne's stand-ins
 * (@essaim/domain/marianne-repli.css) and the portal's own rules, in one file whose address carries its hash (served with a year of cache). Built on first use.
 */
export function portalStylesheet(): PortalStylesheet {
  if (built) return built;
  const css = Buffer.from(
    [
      `/*! DSFR v${DSFR_VERSION} (extraits) | MIT | restricted use (see terms and conditions) */`,
      ...DSFR_FILES.map(readDsfr),
      iconRules(),
      // Marianne's stand-ins while it loads, as in the app: the swap moved a phone's portal home
      // by 0.16 (its navigation and tagline broke their lines elsewhere in the system font).
      fs.readFileSync(require.resolve('@essaim/domain/marianne-repli.css'), 'utf8'),
      PORTAL_CSS,
    ].join('\n'),
  );
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 16);
  built = {
    url: `/pratiques/static/portail.${hash}.css`,
    css,
    gzipped: zlib.gzipSync(css, { level: 9 }),
    etag: `"${hash}"`,
  };
  return built;
}
