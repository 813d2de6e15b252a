import { categories, categoryHints, categoryLabels, structureTypeLabels } from '@essaim/domain';
import type { DocumentMetadata } from '@essaim/protocol';
import { territoireLabel, territoires } from '../reference/territoires.js';
import type { PublicationRecord } from '../storage/publicationRepository.js';
import { filterQuery, hasFilters, type PortalFilters } from './filters.js';
import { markup, trusted, type HtmlValue, type SafeHtml } from './html.js';
import { layout, type FeedLink } from './layout.js';
import {
  found,
  frenchDate,
  kindLabels,
  metadataLabels,
  PORTAL_NAME,
  practices,
  reuses,
  versionLabel,
} from './messages.js';
import type { PortalEntry, PortalVersion } from './portalQueries.js';

/** A theme as the portal names it. */
export interface ThemeOption {
  id: string;
  label: string;
}

/** What the filter form offers: the themes and start years of what is published. */
export interface FilterChoices {
  themes: readonly ThemeOption[];
  years: readonly number[];
}

/** A practice in a list: its entry, theme labels, and either a search snippet or an excerpt. */
export interface ListedPractice {
  entry: PortalEntry;
  themes: readonly string[];
  /** Escaped HTML with `<mark>` around the words found (from `snippetOf`), or null. */
  snippet: string | null;
  /** Approved reuse signals of the practice (« 3 reprises signalées »). */
  reuses: number;
}

/** A page of a list of practices. */
export interface PracticePage {
  items: readonly ListedPractice[];
  total: number;
  page: number;
  pageCount: number;
}

/** Where every page gets its stylesheet and its feeds. */
export interface PageBase {
  stylesheet: string;
  feeds: readonly FeedLink[];
}

/** Practices shown per page of a list. */
export const PAGE_SIZE = 20;

// ———————————————————————————— shared pieces ————————————————————————————

/** The first paragraph of a published text that reads as a sentence, cut at about 280 characters. */
export function excerptOf(textStart: string, width = 280): string {
  const lines = textStart
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => l.length >= 80) ?? lines.find((l) => /[.!?]$/.test(l)) ?? lines[0] ?? '';
  if (line.length <= width) return line;
  const cut = line.lastIndexOf(' ', width);
  return `${line.slice(0, cut > width / 2 ? cut : width)} …`;
}

const territory = (m: DocumentMetadata): string | null =>
  m.territoire ? territoireLabel(m.territoire) : null;

function practiceCard(item: ListedPractice, headingLevel: 'h2' | 'h3'): SafeHtml {
  const { entry } = item;
  const m = entry.metadata;
  const details = [
    territory(m),
    m.anneeDemarrage ? `Démarrée en ${m.anneeDemarrage}` : null,
    `Publiée le ${frenchDate(entry.publishedAt)}`,
    item.reuses > 0 ? reuses(item.reuses) : null,
  ].filter((d): d is string => Boolean(d));
  const link = markup`<a href="/pratiques/${entry.slug}">${entry.title}</a>`;
  const title =
    headingLevel === 'h2'
      ? markup`<h2 class="fr-card__title">${link}</h2>`
      : markup`<h3 class="fr-card__title">${link}</h3>`;
  const badge = (label: string, colour: string): SafeHtml =>
    markup`<li><p class="fr-badge fr-badge--sm fr-badge--${colour}">${label}</p></li>`;
  const badges = [
    entry.kind === 'synthese' ? badge(kindLabels.synthese, 'purple-glycine') : '',
    m.categorie ? badge(categoryLabels[m.categorie], 'green-emeraude') : '',
  ];
  const themes =
    item.themes.length > 0
      ? markup`<ul class="fr-tags-group">${item.themes.map((t) => markup`<li><p class="fr-tag fr-tag--sm">${t}</p></li>`)}</ul>`
      : '';
  const text = item.snippet === null ? excerptOf(entry.textStart) : trusted(item.snippet);
  return markup`<div class="fr-card fr-enlarge-link essaim-portal-card">
  <div class="fr-card__body">
    <div class="fr-card__content">
      ${title}
      <p class="fr-card__desc">${text}</p>
      <div class="fr-card__start"><ul class="fr-badges-group">${badges}</ul>${themes}</div>
      <div class="fr-card__end"><p class="fr-card__detail">${details.join(' · ')}</p></div>
    </div>
  </div>
</div>`;
}

function practiceList(items: readonly ListedPractice[], headingLevel: 'h2' | 'h3'): SafeHtml {
  return markup`<ul class="essaim-portal-list">
${items.map(
  (item) => markup`<li>${practiceCard(item, headingLevel)}</li>
`,
)}</ul>`;
}

/** DSFR pagination; `href(n)` is the address of page n. Nothing when there is one page. */
function pagination(page: number, pageCount: number, href: (n: number) => string): SafeHtml {
  if (pageCount <= 1) return markup``;
  const first = Math.max(1, Math.min(page - 2, pageCount - 4));
  const numbers = Array.from({ length: Math.min(5, pageCount) }, (_, i) => first + i);
  const link = (n: number, cls: string, label: string, enabled: boolean): SafeHtml =>
    enabled
      ? markup`<li><a class="fr-pagination__link ${cls}" href="${href(n)}">${label}</a></li>`
      : markup`<li><a class="fr-pagination__link ${cls}" aria-disabled="true" role="link">${label}</a></li>`;
  const number = (n: number): SafeHtml =>
    n === page
      ? markup`<li><a class="fr-pagination__link" aria-current="page" title="Page ${n}">${n}</a></li>`
      : markup`<li><a class="fr-pagination__link" href="${href(n)}" title="Page ${n}">${n}</a></li>`;
  const lg = 'fr-pagination__link--lg-label';
  return markup`<nav class="fr-pagination fr-mt-4w" aria-label="Pagination">
  <ul class="fr-pagination__list">
    ${link(1, 'fr-pagination__link--first', 'Première page', page > 1)}
    ${link(page - 1, `fr-pagination__link--prev ${lg}`, 'Page précédente', page > 1)}
    ${numbers.map(number)}
    ${link(page + 1, `fr-pagination__link--next ${lg}`, 'Page suivante', page < pageCount)}
    ${link(pageCount, 'fr-pagination__link--last', 'Dernière page', page < pageCount)}
  </ul>
</nav>`;
}

const option = (value: string, label: string, selected: boolean): SafeHtml =>
  markup`<option value="${value}"${selected ? markup` selected` : ''}>${label}</option>`;

function territoryOptions(selected: string | null): SafeHtml {
  const { regions, departements } = territoires();
  const region = (r: { code: string; nom: string }) =>
    option(`reg:${r.code}`, r.nom, selected === `reg:${r.code}`);
  const departement = (d: { code: string; nom: string }) =>
    option(`dep:${d.code}`, `${d.nom} (${d.code})`, selected === `dep:${d.code}`);
  return markup`${option('', 'Tous les territoires', selected === null)}
${option('national', 'National', selected === 'national')}
<optgroup label="Régions (avec leurs départements)">${regions.map(region)}</optgroup>
<optgroup label="Départements">${departements.map(departement)}</optgroup>`;
}

/**
 * The search form: words, then the filters (theme, category, territory, public, start year) in a
 * disclosure that opens without JavaScript (open when one is set), sent with GET to
 * `/pratiques/recherche` so every search has an address.
 */
function searchForm(f: PortalFilters, choices: FilterChoices, searchLabel: string): SafeHtml {
  const filtered = Boolean(f.theme || f.categorie || f.territoire || f.public || f.annee);
  const select = (id: string, label: string, options: HtmlValue): SafeHtml =>
    markup`<div class="fr-select-group fr-col-12 fr-col-md-6 fr-col-lg-4">
  <label class="fr-label" for="filtre-${id}">${label}</label>
  <select class="fr-select" id="filtre-${id}" name="${id}">${options}</select>
</div>`;
  const themes = [
    option('', 'Tous les thèmes', f.theme === null),
    ...choices.themes.map((t) => option(t.id, t.label, f.theme === t.id)),
  ];
  const categoryOptions = [
    option('', 'Toutes les catégories', f.categorie === null),
    ...categories.map((c) => option(c, categoryLabels[c], f.categorie === c)),
  ];
  const years = [
    option('', 'Toutes les années', f.annee === null),
    ...choices.years.map((y) => option(String(y), String(y), f.annee === y)),
  ];
  return markup`<form action="/pratiques/recherche" method="get" class="essaim-portal-search" role="search" aria-label="Rechercher une pratique publiée">
  <div class="fr-search-bar fr-search-bar--lg">
    <label class="fr-label" for="recherche-mots">${searchLabel}</label>
    <input class="fr-input" type="search" id="recherche-mots" name="q" value="${f.q}" maxlength="200"
      placeholder="Par exemple : conférence familiale, aller vers, pair-aidance">
    <button class="fr-btn" type="submit" title="Rechercher">Rechercher</button>
  </div>
  <details class="essaim-portal-filters"${filtered ? markup` open` : ''}>
    <summary class="essaim-portal-filters__summary">Affiner par thème, catégorie, territoire, public ou année</summary>
    <fieldset class="essaim-portal-filters__fieldset">
      <legend class="fr-sr-only">Filtres</legend>
      <div class="fr-grid-row fr-grid-row--gutters essaim-portal-filters__row">
        ${select('theme', 'Thème', themes)}
        ${select('categorie', 'Catégorie', categoryOptions)}
        ${select('territoire', 'Territoire', territoryOptions(f.territoire))}
        <div class="fr-input-group fr-col-12 fr-col-md-6 fr-col-lg-4">
          <label class="fr-label" for="filtre-public">Public<span class="fr-hint-text">Par exemple : familles, jeunes, personnes sans domicile</span></label>
          <input class="fr-input" type="text" id="filtre-public" name="public" value="${f.public}" maxlength="200">
        </div>
        ${select('annee', 'Année de démarrage', years)}
        <div class="fr-col-12 fr-col-md-6 fr-col-lg-4 essaim-portal-filters__submit">
          <button class="fr-btn fr-btn--secondary" type="submit">Appliquer les filtres</button>
        </div>
      </div>
    </fieldset>
  </details>
</form>`;
}

const feedLink = (href: string, label: string): SafeHtml =>
  markup`<a class="fr-link fr-icon-rss-line fr-link--icon-left" href="${href}">${label}</a>`;

// ———————————————————————————— home ————————————————————————————

/** `/pratiques/`: the newest publications, the search form, links to the map and the feed. */
export function homePage(base: PageBase, list: PracticePage, choices: FilterChoices): string {
  const href = (n: number): string => (n === 1 ? '/pratiques/' : `/pratiques/?page=${n}`);
  const main = markup`<h1 class="fr-mt-4w">${PORTAL_NAME}</h1>
<p class="fr-text--lead">Les fiches pratiques et la synthèse publiées par le groupe de travail
« pratiques émergentes » du Haut Conseil du travail social (HCTS) : conférences familiales,
aller-vers, pair-aidance, coordination pluridisciplinaire, développement du pouvoir d’agir…
Pour que les pratiques repérées sur un territoire inspirent les autres.</p>
${searchForm({ ...emptyFilters(), page: 1 }, choices, 'Rechercher une pratique')}
<ul class="essaim-portal-links">
  <li><a class="fr-link fr-icon-map-pin-2-line fr-link--icon-left" href="/pratiques/carte">Voir les pratiques sur la carte de France</a></li>
  <li>${feedLink('/pratiques/flux.atom', 'S’abonner aux nouvelles publications (flux Atom)')}</li>
  <li><a class="fr-link fr-icon-download-line fr-link--icon-left" href="/pratiques/kit.zip" download>Télécharger le kit d’essaimage (zip)</a></li>
</ul>
<h2 class="fr-mt-6w">Dernières publications</h2>
<p>${practices(list.total)} publiée${list.total > 1 ? 's' : ''}, de la plus récente à la plus ancienne.</p>
${list.items.length > 0 ? practiceList(list.items, 'h3') : markup`<p>Rien n’est encore publié.</p>`}
${pagination(list.page, list.pageCount, href)}`;
  return layout({
    title: list.page > 1 ? `Publications, page ${list.page}` : 'Accueil',
    description:
      'Fiches pratiques du travail social publiées par le groupe de travail « pratiques émergentes » du HCTS.',
    stylesheet: base.stylesheet,
    current: 'accueil',
    feeds: base.feeds,
    main,
  });
}

function emptyFilters(): Omit<PortalFilters, 'page'> {
  return { q: '', theme: null, categorie: null, territoire: null, public: '', annee: null };
}

// ———————————————————————————— search ————————————————————————————

/** What the filters ask, in words: « thème Aller-vers, territoire Nord (59) ». */
function filterSummary(f: PortalFilters, choices: FilterChoices): string {
  const parts = [
    f.q ? `« ${f.q} »` : null,
    f.theme ? `thème ${choices.themes.find((t) => t.id === f.theme)?.label ?? f.theme}` : null,
    f.categorie ? `catégorie ${categoryLabels[f.categorie].toLowerCase()}` : null,
    f.territoire ? `territoire ${territoireLabel(f.territoire) ?? f.territoire}` : null,
    f.public ? `public « ${f.public} »` : null,
    f.annee ? `démarrée en ${f.annee}` : null,
  ];
  return parts.filter(Boolean).join(', ');
}

/** `/pratiques/recherche?…`: the results of words and filters, best first (newest first without words). */
export function searchPage(
  base: PageBase,
  f: PortalFilters,
  list: PracticePage,
  choices: FilterChoices,
): string {
  const asked = filterSummary(f, choices);
  const pages = list.pageCount > 1 ? ` — page ${list.page} sur ${list.pageCount}` : '';
  const results =
    list.items.length > 0
      ? practiceList(list.items, 'h3')
      : markup`<p>Essayez d’autres mots, ou retirez un filtre.</p>`;
  const theme = f.theme ? (choices.themes.find((t) => t.id === f.theme)?.label ?? f.theme) : null;
  const themeFeed = theme
    ? {
        title: `Thème « ${theme} » (flux Atom)`,
        href: `/pratiques/flux.atom${filterQuery({ theme: f.theme })}`,
      }
    : null;
  const main = markup`<h1 class="fr-mt-4w">Rechercher une pratique</h1>
${searchForm(f, choices, 'Mots à rechercher')}
${themeFeed ? markup`<p>${feedLink(themeFeed.href, `S’abonner aux publications du thème « ${theme} » (flux Atom)`)}</p>` : ''}
<h2 class="fr-mt-4w" id="resultats">Résultats</h2>
<p role="status">${found(list.total)}${asked ? ` pour ${asked}` : ''}${pages}.</p>
${list.total > 0 ? markup`<p><a class="fr-link fr-icon-download-line fr-link--icon-left" href="/pratiques/kit.zip${filterQuery({ ...f, page: 1 })}" download>Télécharger le kit d’essaimage de ces résultats (zip)</a></p>` : ''}
${hasFilters(f) ? markup`<p><a class="fr-link" href="/pratiques/recherche">Effacer la recherche et les filtres</a></p>` : ''}
${results}
${pagination(list.page, list.pageCount, (n) => `/pratiques/recherche${filterQuery({ ...f, page: n })}`)}`;
  return layout({
    title: asked ? `Recherche : ${asked}` : 'Rechercher une pratique',
    description:
      'Rechercher parmi les pratiques du travail social publiées par le groupe de travail du HCTS.',
    stylesheet: base.stylesheet,
    current: 'recherche',
    feeds: themeFeed ? [...base.feeds, themeFeed] : base.feeds,
    main,
    breadcrumb: [{ label: 'Accueil', href: '/pratiques/' }, { label: 'Rechercher une pratique' }],
  });
}

// ———————————————————————————— one publication ————————————————————————————

/** What the page of one publication shows. */
export interface PublicationPageData {
  publication: PublicationRecord;
  /** The visible publications of the document, newest first. */
  versions: readonly PortalVersion[];
  themes: readonly ThemeOption[];
  /**
   * True at `/pratiques/<slug>/v/<N>`: the page is publication N as it was published, and shows
   * nothing that a later publication changes (its versions up to N), so it stays byte for byte
   * the same.
   */
  frozen: boolean;
  /** More of the page after the text (the newest publication's page only), or nothing. */
  extra?: SafeHtml;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Contact text with its e-mail addresses as `mailto:` links; everything else stays text. */
function contactHtml(text: string): SafeHtml {
  const pieces: HtmlValue[] = [];
  let at = 0;
  for (const match of text.matchAll(EMAIL)) {
    pieces.push(text.slice(at, match.index));
    pieces.push(markup`<a href="mailto:${match[0]}">${match[0]}</a>`);
    at = match.index + match[0].length;
  }
  pieces.push(text.slice(at));
  return markup`${pieces}`;
}

function metadataBlock(m: DocumentMetadata, themes: readonly ThemeOption[]): SafeHtml {
  const rows: [string, HtmlValue][] = [];
  const add = (label: string, value: HtmlValue | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') rows.push([label, value]);
  };
  const search = (filters: Partial<PortalFilters>): string => `/pratiques/recherche${filterQuery(filters)}`;
  const theme = (id: string): SafeHtml => {
    const label = themes.find((t) => t.id === id)?.label ?? id;
    return markup`<li><a class="fr-tag fr-tag--sm" href="${search({ theme: id })}">${label}</a></li>`;
  };
  add(
    metadataLabels.territoire,
    m.territoire
      ? markup`<a href="${search({ territoire: m.territoire })}">${territoireLabel(m.territoire)}</a>`
      : null,
  );
  add(metadataLabels.structure, m.structure);
  add(metadataLabels.structureType, m.structureType ? structureTypeLabels[m.structureType] : null);
  add(metadataLabels.public, m.public);
  add(metadataLabels.anneeDemarrage, m.anneeDemarrage === null ? null : String(m.anneeDemarrage));
  add(
    metadataLabels.themes,
    m.themes.length > 0 ? markup`<ul class="fr-tags-group">${m.themes.map(theme)}</ul>` : null,
  );
  add(
    metadataLabels.categorie,
    m.categorie
      ? markup`${categoryLabels[m.categorie]}<br><span class="fr-hint-text">${categoryHints[m.categorie]}</span>`
      : null,
  );
  add(metadataLabels.contact, m.contact ? contactHtml(m.contact) : null);
  if (rows.length === 0) return markup``;
  return markup`<section class="essaim-portal-meta" aria-labelledby="en-bref">
  <h2 id="en-bref" class="fr-h5">En bref</h2>
  <dl>${rows.map(([label, value]) => markup`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
</section>`;
}

/** The sections of the published content, for its table of contents: id and title. */
function sectionsOf(content: unknown): { id: string; title: string }[] {
  const text = (node: unknown): string => {
    if (typeof node !== 'object' || node === null) return '';
    const n = node as { text?: unknown; content?: unknown };
    if (typeof n.text === 'string') return n.text;
    return Array.isArray(n.content) ? n.content.map(text).join('') : '';
  };
  const root = content as { content?: unknown };
  if (!Array.isArray(root?.content)) return [];
  return root.content.flatMap((section: unknown) => {
    const s = section as { type?: unknown; attrs?: { id?: unknown }; content?: unknown[] };
    if (s.type !== 'section' || typeof s.attrs?.id !== 'string' || !Array.isArray(s.content)) return [];
    const title = s.content.find((c) => (c as { type?: unknown }).type === 'sectionTitle');
    const label = text(title).trim();
    return label ? [{ id: s.attrs.id, title: label }] : [];
  });
}

function versionList(d: PublicationPageData): SafeHtml {
  const p = d.publication;
  const shown = d.frozen ? d.versions.filter((v) => v.number <= p.number) : d.versions;
  const version = (v: PortalVersion): SafeHtml => {
    const href = `/pratiques/${p.slug}/v/${v.number}`;
    const label = versionLabel(v.number, v.publishedAt);
    return v.number === p.number
      ? markup`<li><a href="${href}" aria-current="page">${label}</a> (affichée)</li>`
      : markup`<li><a href="${href}">${label}</a></li>`;
  };
  const latest = d.frozen
    ? markup`<p class="fr-text--sm"><a class="fr-link" href="/pratiques/${p.slug}">Lire la dernière version publiée</a></p>`
    : '';
  return markup`<section class="essaim-portal-versions" aria-labelledby="versions">
  <h2 id="versions" class="fr-h5">Versions publiées</h2>
  <p class="fr-text--sm">Chaque version est figée : elle reste lisible à son adresse, telle qu’elle a été publiée.</p>
  <ol reversed>${shown.map(version)}</ol>
  ${latest}
</section>`;
}

function tableOfContents(content: unknown): SafeHtml | '' {
  const sections = sectionsOf(content);
  if (sections.length < 2) return '';
  const link = (s: { id: string; title: string }): SafeHtml =>
    markup`<li><a class="fr-summary__link" href="#section-${s.id}">${s.title}</a></li>`;
  return markup`<nav class="fr-summary essaim-portal-summary" aria-labelledby="sommaire">
  <h2 class="fr-summary__title" id="sommaire">Sommaire</h2>
  <ol class="fr-summary__list">${sections.map(link)}</ol>
</nav>`;
}

/**
 * `/pratiques/<slug>` and `/pratiques/<slug>/v/<N>`: a published fiche or synthesis. Its
 * sanitized HTML (sections, notes, images, links to other published pages), the metadata block,
 * a table of contents and the list of its versions. On a phone the metadata comes right after
 * the title; on a wide screen it stands beside the text.
 */
export function publicationPage(base: PageBase, d: PublicationPageData): string {
  const p = d.publication;
  const label = versionLabel(p.number, p.publishedAt);
  const colour = p.kind === 'synthese' ? 'fr-badge--purple-glycine' : 'fr-badge--blue-ecume';
  const main = markup`<article class="essaim-portal-publication" aria-labelledby="titre-publication">
  <div class="essaim-portal-publication__head">
    <p class="essaim-portal-kicker"><span class="fr-badge fr-badge--sm ${colour}">${kindLabels[p.kind]}</span></p>
    <h1 id="titre-publication">${p.title}</h1>
    <p class="essaim-portal-version">${label}${d.frozen ? '' : ' (dernière version publiée)'}</p>
  </div>
  <aside class="essaim-portal-publication__aside" aria-label="Informations sur la pratique">
    ${metadataBlock(p.metadata, d.themes)}
    ${versionList(d)}
  </aside>
  <div class="essaim-portal-publication__body">
    ${tableOfContents(p.content)}
    <div class="essaim-portal-content">${trusted(p.html)}</div>
    ${d.frozen ? '' : (d.extra ?? '')}
  </div>
</article>`;
  return layout({
    title: d.frozen ? `${p.title} (${label.toLowerCase()})` : p.title,
    description: `${kindLabels[p.kind]} publiée par le groupe de travail « pratiques émergentes » du HCTS.`,
    stylesheet: base.stylesheet,
    current: null,
    feeds: base.feeds,
    main,
    breadcrumb: [
      { label: 'Accueil', href: '/pratiques/' },
      d.frozen ? { label: p.title, href: `/pratiques/${p.slug}` } : { label: p.title },
      ...(d.frozen ? [{ label: `Version ${p.number}` }] : []),
    ],
  });
}

// ———————————————————————————— about ————————————————————————————

/** `/pratiques/a-propos`: the working group, its mandate, its themes and how a fiche is published. */
export function aboutPage(base: PageBase): string {
  const definitions = categories.map(
    (c) => markup`<dt>${categoryLabels[c]}</dt><dd>${categoryHints[c]}</dd>`,
  );
  const main = markup`<h1 class="fr-mt-4w">À propos du groupe de travail</h1>
<p class="fr-text--lead">Le Haut Conseil du travail social (HCTS) a confié à un groupe de travail le
repérage des <strong>pratiques professionnelles émergentes</strong> du travail social et du
développement social, leur évaluation et les conditions favorables à leur développement.</p>
<h2>Pourquoi ce portail</h2>
<p>Le rapport du HCTS sur le développement social le constatait déjà, citant l’UNCCAS : la principale
difficulté n’est pas de faire remonter les expériences, mais leur « redescente » : les acteurs locaux
se réapproprient rarement les expériences présentées comme inspirantes. Ce portail publie les fiches
du groupe pour que les professionnels, les employeurs, les organismes de formation et les personnes
accompagnées trouvent ce qui existe près de chez eux et s’en inspirent : c’est l’<em>essaimage</em>.</p>
<h2>Ce que le groupe étudie</h2>
<p>Près de 1 800 professionnels ont répondu au questionnaire du HCTS (conseils départementaux, CAF,
établissements de santé, CCAS…). Le groupe en a retenu des thèmes prioritaires :</p>
<ul>
  <li><strong>les conférences familiales</strong>, où une famille et son entourage décident ensemble d’un plan d’action ;</li>
  <li><strong>l’aller-vers</strong> : maraudes, équipes mobiles, visites à domicile, permanences délocalisées… ;</li>
  <li><strong>la pair-aidance</strong> et le travail pair ;</li>
  <li><strong>la coordination et les interventions pluridisciplinaires</strong>, pour sortir de la logique de silos ;</li>
  <li><strong>le développement du pouvoir d’agir</strong> des personnes et des collectifs.</li>
</ul>
<h2>Trois catégories de pratiques émergentes</h2>
<dl class="essaim-portal-definitions">${definitions}</dl>
<h2>Comment une fiche est publiée</h2>
<p>Chaque fiche (4 à 5 pages) décrit une pratique : son origine, sa mise en œuvre, le public concerné,
les acteurs, la participation des personnes, les effets observés, les conditions de réussite et les
points de vigilance. Des rapporteurs la rédigent ensemble ; l’animateur du groupe relit et approuve
chaque section avant de la publier. Une publication est <strong>figée</strong> : si la fiche évolue,
une nouvelle version est publiée, et les précédentes restent lisibles à leur adresse.</p>
<p>Le document de synthèse dégage les lignes de force communes aux pratiques, une démarche d’évaluation
(processus et effets) et les conditions de leur développement. Il renvoie aux fiches publiées.</p>
<div class="fr-callout fr-mt-4w">
  <h2 class="fr-callout__title">Suivre les publications</h2>
  <p class="fr-callout__text">Abonnez-vous au flux Atom de toutes les publications, ou à celui d’un
  thème depuis une recherche, dans votre lecteur de flux.</p>
  <p>${feedLink('/pratiques/flux.atom', 'Flux Atom de toutes les publications')}</p>
</div>`;
  return layout({
    title: 'À propos',
    description: 'Le groupe de travail « pratiques émergentes » du Haut Conseil du travail social.',
    stylesheet: base.stylesheet,
    current: 'a-propos',
    feeds: base.feeds,
    main,
    breadcrumb: [{ label: 'Accueil', href: '/pratiques/' }, { label: 'À propos' }],
  });
}

// ———————————————————————————— not found ————————————————————————————

/** The French page of a 404: an unknown address, or a practice that is not (or no longer) published. */
export function notFoundPage(base: PageBase): string {
  const main = markup`<div class="fr-my-7w fr-mt-md-12w fr-mb-md-10w">
  <h1>Page non trouvée</h1>
  <p class="fr-text--sm fr-mb-3w">Erreur 404</p>
  <p class="fr-text--lead fr-mb-3w">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
  <p class="fr-text--sm fr-mb-5w">Si vous avez tapé l’adresse, vérifiez qu’elle est correcte. La pratique a
  peut-être aussi été retirée du portail par le groupe de travail.</p>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><a class="fr-btn" href="/pratiques/">Page d’accueil</a></li>
    <li><a class="fr-btn fr-btn--secondary" href="/pratiques/recherche">Rechercher une pratique</a></li>
  </ul>
</div>`;
  return layout({
    title: 'Page non trouvée',
    description: 'Cette page du portail des pratiques émergentes n’existe pas.',
    stylesheet: base.stylesheet,
    current: null,
    feeds: base.feeds,
    main,
  });
}
