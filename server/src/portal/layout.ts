import { DSFR_ASSETS } from './assets.js';
import { markup, type HtmlValue, type SafeHtml } from './html.js';
import { PORTAL_NAME, PORTAL_TAGLINE } from './messages.js';

/** The portal's sections, for the navigation's « current page ». */
export type PortalSection = 'accueil' | 'recherche' | 'carte' | 'a-propos' | null;

/** An Atom feed a page links to (`<link rel="alternate">`). */
export interface FeedLink {
  title: string;
  href: string;
}

export interface LayoutOptions {
  /** The page's own title; the portal's name follows it in `<title>`. */
  title: string;
  /** For search engines and link previews (plain text). */
  description: string;
  stylesheet: string;
  current: PortalSection;
  feeds: readonly FeedLink[];
  main: SafeHtml;
  /** A breadcrumb above the main content: links, the last one being the page itself. */
  breadcrumb?: readonly { label: string; href?: string }[];
}

const NAV: readonly { section: Exclude<PortalSection, null>; label: string; href: string }[] = [
  { section: 'accueil', label: 'Accueil', href: '/pratiques/' },
  { section: 'recherche', label: 'Rechercher une pratique', href: '/pratiques/recherche' },
  { section: 'carte', label: 'Carte des pratiques', href: '/pratiques/carte' },
  { section: 'a-propos', label: 'À propos du groupe de travail', href: '/pratiques/a-propos' },
];

function breadcrumb(items: readonly { label: string; href?: string }[]): SafeHtml {
  const item = (label: string, href: string | undefined, last: boolean): SafeHtml =>
    last || !href
      ? markup`<li><a class="fr-breadcrumb__link" aria-current="page">${label}</a></li>`
      : markup`<li><a class="fr-breadcrumb__link" href="${href}">${label}</a></li>`;
  return markup`<nav class="fr-breadcrumb" aria-label="vous êtes ici :">
  <ol class="fr-breadcrumb__list">${items.map((i, n) => item(i.label, i.href, n === items.length - 1))}</ol>
</nav>`;
}

function navigation(current: PortalSection): SafeHtml {
  return markup`<nav class="essaim-portal-nav" id="navigation-portail" aria-label="Menu principal">
  <div class="fr-container">
    <ul class="essaim-portal-nav__list">
      ${NAV.map((n) => {
        const here = current === n.section ? markup` aria-current="page"` : '';
        return markup`<li><a class="essaim-portal-nav__link" href="${n.href}"${here}>${n.label}</a></li>`;
      })}
    </ul>
  </div>
</nav>`;
}

/**
 * A whole portal page: DSFR header (brand, a navigation that works without JavaScript at every
 * width), skip links, breadcrumb, main content and footer. No script, no inline style, nothing
 * loaded from another site: the page's CSP allows none.
 */
export function layout(o: LayoutOptions): string {
  const feeds = o.feeds.map(
    (f) => markup`<link rel="alternate" type="application/atom+xml" title="${f.title}" href="${f.href}">
`,
  );
  const page = markup`<!doctype html>
<html lang="fr" data-fr-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — ${PORTAL_NAME}</title>
<meta name="description" content="${o.description}">
<meta name="format-detection" content="telephone=no">
<link rel="stylesheet" href="${o.stylesheet}">
<link rel="icon" href="${DSFR_ASSETS}/favicon/favicon.svg" type="image/svg+xml">
<link rel="icon" href="${DSFR_ASSETS}/favicon/favicon.ico" sizes="any">
${feeds}</head>
<body>
<div class="fr-skiplinks">
  <nav class="fr-container" aria-label="Accès rapide">
    <ul class="fr-skiplinks__list">
      <li><a class="fr-link" href="#contenu">Contenu</a></li>
      <li><a class="fr-link" href="#navigation-portail">Menu</a></li>
      <li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
    </ul>
  </nav>
</div>
<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div>
          </div>
          <div class="fr-header__service">
            <a href="/pratiques/" title="Accueil — ${PORTAL_NAME}">
              <p class="fr-header__service-title">${PORTAL_NAME}</p>
            </a>
            <p class="fr-header__service-tagline">${PORTAL_TAGLINE}</p>
          </div>
        </div>
      </div>
    </div>
  </div>
  ${navigation(o.current)}
</header>
<main id="contenu" tabindex="-1" class="essaim-portal-main">
  <div class="fr-container">
    ${o.breadcrumb ? breadcrumb(o.breadcrumb) : ''}
    ${o.main}
  </div>
</main>
${footer()}
</body>
</html>
`;
  return page.value;
}

function footer(): SafeHtml {
  const external = (href: string, label: string): HtmlValue =>
    markup`<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="${href}" rel="noopener">${label}</a></li>`;
  const bottom = (href: string, label: string): HtmlValue =>
    markup`<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="${href}">${label}</a></li>`;
  return markup`<footer class="fr-footer" role="contentinfo" id="pied-de-page">
  <div class="fr-container">
    <div class="fr-footer__body">
      <div class="fr-footer__brand fr-enlarge-link">
        <a href="/pratiques/" title="Retour à l’accueil du portail"><p class="fr-logo">République<br>Française</p></a>
      </div>
      <div class="fr-footer__content">
        <p class="fr-footer__content-desc">Fiches pratiques et synthèse publiées par le groupe de travail
        « pratiques émergentes » du Haut Conseil du travail social. Chaque publication est figée :
        une nouvelle version ne remplace jamais la précédente, qui reste lisible à son adresse.</p>
        <ul class="fr-footer__content-list">
          ${external('https://www.legifrance.gouv.fr', 'legifrance.gouv.fr')}
          ${external('https://www.info.gouv.fr', 'info.gouv.fr')}
          ${external('https://www.service-public.fr', 'service-public.fr')}
          ${external('https://www.data.gouv.fr', 'data.gouv.fr')}
        </ul>
      </div>
    </div>
    <div class="fr-footer__bottom">
      <ul class="fr-footer__bottom-list">
        ${bottom('/pratiques/a-propos', 'À propos')}
        ${bottom('/pratiques/flux.atom', 'Flux Atom des publications')}
        ${bottom('/', 'Espace de travail du groupe (connexion)')}
      </ul>
      <div class="fr-footer__bottom-copy">
        <p>Sauf mention contraire, les textes de ce site sont publiés par le groupe de travail du HCTS.
        Interface : système de design de l’État (DSFR).</p>
      </div>
    </div>
  </div>
</footer>`;
}
