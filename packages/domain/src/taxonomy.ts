/**
 * The working group's vocabulary for qualifying practices. Labels are what people read; ids are
 * what documents store, so a label can be reworded without touching any document.
 */

/** The three kinds of emerging practice the HCTS questionnaire distinguishes. */
export const categories = ['naissante', 'renaissante', 'confidentielle'] as const;
export type Categorie = (typeof categories)[number];

export const categoryLabels: Record<Categorie, string> = {
  naissante: 'Naissante',
  renaissante: 'Renaissante',
  confidentielle: 'Existante mais confidentielle',
};

/** What each category means, as the questionnaire words it (shown as help next to the choice). */
export const categoryHints: Record<Categorie, string> = {
  naissante: 'Pratique pas encore normée, institutionnalisée ni financée en tant que telle.',
  renaissante: 'Pratique qui a été normée, institutionnalisée, puis a disparu et réapparaît.',
  confidentielle: 'Pratique qui existe mais reste peu connue au-delà de son territoire.',
};

/**
 * Kinds of organisation that carry a practice. The first four are where most of the ~1,800
 * questionnaire answers came from (conseils départementaux 23 %, CAF 14 %, santé 11 %, CCAS 9 %).
 */
export const structureTypes = [
  'conseil-departemental',
  'caf',
  'ccas',
  'sante',
  'association',
  'etat',
  'commune',
  'securite-sociale',
  'formation',
  'autre',
] as const;
export type StructureType = (typeof structureTypes)[number];

export const structureTypeLabels: Record<StructureType, string> = {
  'conseil-departemental': 'Conseil départemental',
  caf: 'CAF',
  ccas: 'CCAS ou CIAS',
  sante: 'Établissement ou service de santé',
  association: 'Association ou fédération',
  etat: 'Services de l’État',
  commune: 'Commune ou intercommunalité',
  'securite-sociale': 'Autre organisme de protection sociale',
  formation: 'Organisme de formation ou de recherche',
  autre: 'Autre',
};

/** A theme of an espace. The list is per espace and the animateur edits it. */
export interface ThemeDef {
  id: string;
  label: string;
}

/** The five themes the group on emerging practices works on; every new espace starts with them. */
export const defaultThemes: readonly ThemeDef[] = [
  { id: 'conferences-familiales', label: 'Conférences familiales' },
  { id: 'aller-vers', label: 'Aller-vers' },
  { id: 'pair-aidance', label: 'Pair-aidance' },
  { id: 'coordination', label: 'Coordination et interventions pluridisciplinaires' },
  { id: 'pouvoir-d-agir', label: 'Développement du pouvoir d’agir' },
];

/** A stable id for a theme label: lower case, no accents, words joined by dashes. */
export function themeIdFrom(label: string): string {
  return (
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'theme'
  );
}

/** Characters per printed page, used to estimate a sheet's length (A4, body text, with spacing). */
export const CHARS_PER_PAGE = 3000;

/** A fiche pratique is expected to run 4 to 5 pages. */
export const FICHE_PAGE_TARGET = { min: 4, max: 5 } as const;

/** Estimated printed pages of a text, to one decimal. Tables and images count as a third of a page. */
export function estimatePages(characters: number, blocksTakingSpace = 0): number {
  return Math.round((characters / CHARS_PER_PAGE + blocksTakingSpace / 3) * 10) / 10;
}

const pageNumber = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/**
 * « ≈ 0,6 page », « ≈ 1,9 page », « ≈ 2 pages », « ≈ 3,4 pages »: an estimate from
 * {@link estimatePages} as the gauge of the editor and the catalogue both write it (issue 16: they
 * disagreed). French keeps the singular below 2 (« 1,5 page », the Académie française's rule:
 * the plural starts at two); the number is written the French way (decimal comma).
 */
export function formatPageEstimate(pages: number): string {
  return `≈ ${pageNumber.format(pages)} ${Math.abs(pages) < 2 ? 'page' : 'pages'}`;
}

/** The earliest starting year of a practice (metadata panel, catalogue filter, server rule). */
export const START_YEAR_MIN = 1900;

/**
 * The latest starting year of a practice: next year (a practice about to start), in the local
 * calendar of `now`. Used by the metadata panel, the catalogue's year filter and the server's
 * reading of the `meta` map, so that all three accept the same years (issue 16).
 */
export function startYearMax(now: Date = new Date()): number {
  return now.getFullYear() + 1;
}

/** Whether `year` is a starting year every part of Essaim accepts (an integer, 1900 to next year). */
export function isStartYear(year: number, now: Date = new Date()): boolean {
  return Number.isInteger(year) && year >= START_YEAR_MIN && year <= startYearMax(now);
}

/**
 * Longest document title, in characters (Unicode code points, as zod 4 counts them) once trimmed
 * (creation form, metadata panel, server). A form's `maxLength` counts UTF-16 code units, never fewer
 * than code points, so a form never lets through what the server refuses.
 */
export const TITLE_MAX_LENGTH = 200;

/** Longest theme label, in characters (code points, as {@link TITLE_MAX_LENGTH}) once trimmed (themes page, server). */
export const THEME_LABEL_MAX_LENGTH = 80;
