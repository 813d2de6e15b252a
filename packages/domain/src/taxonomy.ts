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
