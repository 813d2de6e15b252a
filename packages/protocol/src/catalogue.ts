import { z } from 'zod/mini';
import {
  categories,
  documentKindNames,
  documentReviewStates,
  startYearMax,
  START_YEAR_MIN,
  structureTypes,
  THEME_LABEL_MAX_LENGTH,
} from '@essaim/domain';
import {
  CATALOGUE_PAGE_SIZE,
  CATALOGUE_PAGE_SIZE_MAX,
  catalogueSorts,
  SEARCH_TEXT_MAX,
  SEARCH_TEXT_SUBJECT,
} from './catalogueOptions.js';
import { tooLongMessage } from './inputLimits.js';
import { queryInteger, singleLineText, UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE } from './inputRules.js';
import { TERRITOIRE_PATTERN } from './metadata.js';

/** The French message of a year out of the range every part of Essaim accepts (issue 16). */
const yearRange = (): string => `L’année doit être entre ${START_YEAR_MIN} et ${startYearMax()}.`;

/**
 * An identifier in a query string (`espaceId`, `theme`, `assignee`…): at most 100 characters,
 * with a French message naming the parameter.
 */
export function queryId(name: string) {
  return z.optional(
    z
      .string({ error: `${name} doit être un identifiant.` })
      .check(
        z.trim(),
        z.maxLength(100, { error: `${name} doit être un identifiant (100 caractères au plus).` }),
      ),
  );
}

/** The search words of a query string (`q`): trimmed, at most {@link SEARCH_TEXT_MAX} characters. */
export const searchText = z
  .string({ error: 'La recherche doit être un texte.' })
  .check(
    z.trim(),
    z.maxLength(SEARCH_TEXT_MAX, { error: tooLongMessage(SEARCH_TEXT_SUBJECT, SEARCH_TEXT_MAX) }),
  );

/** A start year in a query string (`annee`): digits only, within the years Essaim accepts. */
export const queryYear = queryInteger({
  name: 'annee',
  min: START_YEAR_MIN,
  max: startYearMax,
  outOfRange: yearRange,
});

/**
 * Query of `GET /api/documents`: filters on every catalogue field, then one page of the sorted
 * result (`offset` documents skipped, at most `limit` returned; issue 17). Empty strings are
 * treated as absent, so an HTML form can send every field.
 */
export const catalogueQuery = z.object({
  espaceId: queryId('espaceId'),
  kind: z.optional(z.enum(documentKindNames, { error: 'Type de document inconnu.' })),
  theme: queryId('theme'),
  categorie: z.optional(z.enum(categories, { error: 'Catégorie inconnue.' })),
  /** A territory code (`dep:59`, `reg:32`, `national`); the server also checks it is known. */
  territoire: z.optional(
    z
      .string({ error: 'territoire doit être un code de territoire.' })
      .check(z.regex(TERRITOIRE_PATTERN, { error: UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE })),
  ),
  structureType: z.optional(z.enum(structureTypes, { error: 'Type de structure inconnu.' })),
  /** `me` for « mes documents », or a user id. */
  assignee: queryId('assignee'),
  annee: z.optional(queryYear),
  /**
   * Words searched in the title, the structure, the public and the keywords, and in the full text
   * of the drafts, section by section, and their comment threads (issue 18: French stems, accents
   * and case folded, `"…"` for a phrase). Each document found by its text carries `matches`.
   */
  q: z.optional(searchText),
  archived: z.optional(z.enum(['true', 'false'], { error: 'archived vaut true ou false.' })),
  /** The document's review state (issue 12): « en relecture », « prête à publier »… */
  reviewState: z.optional(z.enum(documentReviewStates, { error: 'État de relecture inconnu.' })),
  sort: z.optional(z.enum(catalogueSorts, { error: 'Tri inconnu.' })),
  order: z.optional(z.enum(['asc', 'desc'], { error: 'L’ordre vaut asc ou desc.' })),
  /** Documents in the page: 1 to {@link CATALOGUE_PAGE_SIZE_MAX}, {@link CATALOGUE_PAGE_SIZE} by default. */
  limit: z._default(
    queryInteger({ name: 'limit', min: 1, max: CATALOGUE_PAGE_SIZE_MAX }),
    CATALOGUE_PAGE_SIZE,
  ),
  /**
   * Documents of the sorted result skipped before the page (0 by default): the `nextOffset` of
   * the previous page. Past the last document, the page is empty. Digits only, so never negative
   * (`-1` is refused as not written in digits); nine digits at most, as every query integer.
   */
  offset: z._default(queryInteger({ name: 'offset', min: 0, max: 999_999_999 }), 0),
});
export type CatalogueQuery = z.infer<typeof catalogueQuery>;

/**
 * Where the catalogue's words were found in a document's text (issue 18): a section of the draft
 * (`sectionId`, `sectionTitle`) or a comment thread (`threadId`), with a snippet of the text
 * around the words. `snippet` is HTML whose only markup is `<mark>` around the words found; all
 * the rest is escaped text.
 */
export interface DocumentMatchDto {
  sectionId: string | null;
  sectionTitle: string | null;
  threadId: string | null;
  snippet: string;
}

/** One entry of the espace's recent activity. */
export interface ActivityDto {
  id: number;
  documentId: string;
  documentTitle: string;
  userId: string | null;
  userName: string | null;
  kind: 'created' | 'edited' | 'archived' | 'restored';
  /** Titles of the sections changed (for `edited`), in document order. */
  sections: string[];
  /** Metadata fields changed (for `edited`). */
  fields: string[];
  at: string;
}

/** Query of `GET /api/espaces/:id/activity`. */
export const activityQuery = z.object({
  limit: z._default(queryInteger({ name: 'limit', min: 1, max: 100 }), 30),
});

export interface ActivityListDto {
  activity: ActivityDto[];
}

/** A section of a stored document, with the hash reviews will record. */
export interface SectionDto {
  id: string;
  key: string | null;
  title: string;
  hash: string;
  characters: number;
  required: boolean;
}

export interface DocumentSectionsDto {
  sections: SectionDto[];
  /** Titles of required template sections that are missing from the document. */
  missingRequired: string[];
}

/** A theme of an espace. Archived themes stay on the documents that have them but are not offered. */
export interface ThemeDto {
  id: string;
  label: string;
  archived: boolean;
  /** Active documents carrying the theme. */
  documents: number;
}

export interface ThemeListDto {
  themes: ThemeDto[];
}

/** A theme's label: single-line text ({@link singleLineText}), 2 to `THEME_LABEL_MAX_LENGTH` characters. */
const themeLabel = singleLineText({
  subject: 'Le libellé',
  min: 2,
  max: THEME_LABEL_MAX_LENGTH,
  tooShort: 'Le libellé doit compter au moins 2 caractères.',
});

export const createThemeInput = z.object({ label: themeLabel });
export const updateThemeInput = z
  .object({ label: z.optional(themeLabel), archived: z.optional(z.boolean()) })
  .check(
    z.refine((v) => v.label !== undefined || v.archived !== undefined, {
      error: 'Indiquez un libellé ou l’archivage.',
    }),
  );

/** The French territories a practice can be attached to (reference file `data/territoires.json`). */
export interface TerritoiresDto {
  regions: { code: string; nom: string }[];
  departements: { code: string; nom: string; region: string }[];
}

/** A file uploaded into a document (images), addressed by the sha256 of its content. */
export interface UploadDto {
  hash: string;
  url: string;
  mime: string;
  size: number;
}
