import { z } from 'zod/mini';
import { singleLineText } from './inputRules.js';

/**
 * Version history (issue 11): versions of a document kept in SQLite, compared on the server, and
 * restored as a new change on the live document. The routes and shapes below are the public
 * contract documented in the README.
 */

/**
 * Kinds of version. `automatique`: after a pause in activity or every N minutes of continuous
 * activity, thinned with age; `nommee`: « Enregistrer une version » with a label; `revue` and
 * `publication`: recorded by the review and publication workflows; `restauration`: recorded
 * before and after a restore. Only `automatique` versions are ever thinned.
 */
export const VERSION_KINDS = ['automatique', 'nommee', 'revue', 'publication', 'restauration'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** French label of each kind, as shown in the « Historique » panel. */
export const VERSION_KIND_LABELS: Record<VersionKind, string> = {
  automatique: 'Automatique',
  nommee: 'Nommée',
  revue: 'Revue',
  publication: 'Publication',
  restauration: 'Restauration',
};

/** Longest version label, in characters (Unicode code points, as zod 4 counts them). */
export const VERSION_LABEL_MAX = 200;
/** The version label's subject in its French messages (« Le nom de la version ne peut pas… »). */
export const VERSION_LABEL_SUBJECT = 'Le nom de la version';

/** A person whose changes a version contains, or who wrote a change. */
export interface VersionAuthorDto {
  id: string;
  name: string;
}

/** One version, as listed by `GET /api/documents/:id/versions` (newest first). */
export interface VersionDto {
  id: string;
  /** 1, 2, 3… per document, in order of creation (thinned numbers leave gaps). */
  number: number;
  kind: VersionKind;
  /** The label a person gave, or a generated French one (« Restauration de la version 4 »). */
  label: string | null;
  /** People whose changes went into this version since the previous one. */
  authors: VersionAuthorDto[];
  /** ISO 8601. */
  createdAt: string;
  /** Who asked for it (named, restore, review, publication); null for automatic ones. */
  createdBy: VersionAuthorDto | null;
}

/** Body of `POST /api/documents/:id/versions`: a named version of the current content (trimmed). */
export const nameVersionInput = z.object({
  label: singleLineText({
    subject: VERSION_LABEL_SUBJECT,
    max: VERSION_LABEL_MAX,
    tooShort: 'Donnez un nom à la version.',
  }),
});
export type NameVersionInput = z.infer<typeof nameVersionInput>;

/** `?format=` of `GET /api/documents/:id/versions/:versionId`. */
export const versionFormat = z._default(
  z.enum(['json', 'text'], { error: 'Format attendu : json ou text.' }),
  'json',
);

/**
 * Query of `GET /api/documents/:id/diff`: two version ids, or `current` for the live text. The
 * comparison goes from `from` to `to` as asked: insertions are what `to` has that `from` has not.
 */
export const diffQuery = z.object({
  from: z
    .string({ error: 'La version de départ est obligatoire.' })
    .check(
      z.minLength(1, { error: 'La version de départ est obligatoire.' }),
      z.maxLength(100, { error: 'from doit être un identifiant de version ou current.' }),
    ),
  to: z._default(
    z
      .string({ error: 'to doit être un identifiant de version ou current.' })
      .check(z.maxLength(100, { error: 'to doit être un identifiant de version ou current.' })),
    'current',
  ),
});

/** A run of text in a compared section: unchanged, inserted or deleted, with who wrote the change. */
export interface DiffPartDto {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
  /** Who inserted (for `insert`) or deleted (for `delete`) this text; null when unknown or `equal`. */
  author: VersionAuthorDto | null;
}

/** One section compared: `parts` concatenate to the old text (equal + delete) and new text (equal + insert). */
export interface SectionDiffDto {
  /** The section's stable id. */
  id: string;
  /** Template key (« origine »…) or null for a section a rapporteur added. */
  key: string | null;
  /** Title in the newer text (or in the older one for a removed section). */
  title: string;
  status: 'changed' | 'added' | 'removed' | 'unchanged';
  /** Number of insert and delete parts. */
  changes: number;
  /** The section title, then each block, one per line (`\n`). */
  parts: DiffPartDto[];
  /**
   * The lines of each side that are in lists (line 0 is the title line, counted on the `\n` of
   * equal + delete parts for `from`, equal + insert parts for `to`), so that a view draws them as
   * lists; absent when the section has none.
   */
  lists?: { from: DiffListLineDto[]; to: DiffListLineDto[] };
}

/** One list a line is in: bullet or ordered, its item's number, whether the line starts the item. */
export interface DiffListLevelDto {
  ordered: boolean;
  /** For an ordered list, its `start` plus the item's index; for a bullet list, 1, 2, 3… */
  number: number;
  /** The line is the first textblock of its list item (a later one continues the same item). */
  first: boolean;
}

/** A line of a compared section that is in a list, with its lists outermost first. */
export interface DiffListLineDto {
  line: number;
  lists: DiffListLevelDto[];
}

/** A metadata field that differs between the two texts (title, catégorie, territoires…). */
export interface MetadataChangeDto {
  field: string;
  /** French label of the field. */
  label: string;
  from: string;
  to: string;
}

/** Answer of `GET /api/documents/:id/diff`: changed sections first, then the others in order. */
export interface DocumentDiffDto {
  from: VersionDto;
  /** The newer version, or null for the current text. */
  to: VersionDto | null;
  sections: SectionDiffDto[];
  metadata: MetadataChangeDto[];
  /** Everyone with a change in this comparison, for the legend (colour per author, in this order). */
  authors: VersionAuthorDto[];
}

/**
 * Stateless message sent to every connection of a document after a restore:
 * `{"type": "version-restored", "version", "from": {"id", "number"}, "by": {"id", "name"}}` —
 * `version` is the « restauration » version recorded after, `from` the version restored.
 */
export interface VersionRestoredMessage {
  type: 'version-restored';
  version: VersionDto;
  from: { id: string; number: number };
  by: VersionAuthorDto;
}
