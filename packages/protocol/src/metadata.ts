import {
  categories,
  isStartYear,
  structureTypes,
  TITLE_MAX_LENGTH,
  type Categorie,
  type StructureType,
} from '@essaim/domain';
import { codePointLength } from './liveMessages.js';

/*
 * The fiche's metadata without zod: its fields, their types, and the lenient reader the editor's
 * first drawing uses (issue 16). The server's reader, with zod, is in metadataSchema.ts.
 */

/**
 * The lengths the metadata readers keep, in characters (code points, as zod counts them) once
 * trimmed: the texts' longest, and for themes and keywords the most items and each item's longest.
 * A value over them is read as empty.
 */
export const METADATA_LIMITS = {
  title: TITLE_MAX_LENGTH,
  structure: 200,
  public: 500,
  contact: 300,
  listItems: 30,
  listItem: 60,
} as const;

/** Shape of a territory code: `dep:59`, `dep:2A`, `dep:974`, `reg:32` or `national`. */
export const TERRITOIRE_PATTERN = /^(dep:[0-9][0-9AB][0-9]?|reg:[0-9]{2}|national)$/;

/**
 * Metadata of a fiche, as held in the document's `meta` Y.Map. Each field is one map entry, so two
 * people editing different fields never overwrite each other, and concurrent edits of one field
 * converge on one value (last writer wins, the same on every replica).
 */
export interface DocumentMetadata {
  title: string;
  /** Theme ids of the espace. */
  themes: string[];
  categorie: Categorie | null;
  /** `dep:<code>` (département), `reg:<code>` (région) or `national`. */
  territoire: string | null;
  structure: string;
  structureType: StructureType | null;
  public: string;
  anneeDemarrage: number | null;
  contact: string;
  motsCles: string[];
}

export const metadataKeys = [
  'title',
  'themes',
  'categorie',
  'territoire',
  'structure',
  'structureType',
  'public',
  'anneeDemarrage',
  'contact',
  'motsCles',
] as const satisfies readonly (keyof DocumentMetadata)[];

/**
 * The JSON type each field's value has in the `meta` map: `text` a string, `text-or-null` a string
 * or null (nothing chosen), `year` an integer or null, `list` an array of strings. This is the type
 * the editor writes (`DocumentMetadata`); the server refuses an update that gives a field a value
 * of another type (a number for the title, a map for the themes...), so the document and the
 * catalogue, which reads it with `readMetadata` (metadataSchema.ts), never disagree on what a
 * field holds.
 * Finer rules (lengths, known categories, territory codes) stay with the lenient reader: a value
 * of the right type that breaks them is read as empty, it is not refused.
 */
export type MetadataValueType = 'text' | 'text-or-null' | 'year' | 'list';

/** The JSON type of a TypeScript field type, for checking {@link metadataValueTypes} at compile time. */
type ValueTypeOf<T> = [T] extends [string[]]
  ? 'list'
  : [T] extends [number | null]
    ? 'year'
    : [T] extends [string]
      ? 'text'
      : [T] extends [string | null]
        ? 'text-or-null'
        : never;

/** Field by field, the type of its value in the `meta` map (one entry per key of {@link metadataKeys}). */
export const metadataValueTypes = {
  title: 'text',
  themes: 'list',
  categorie: 'text-or-null',
  territoire: 'text-or-null',
  structure: 'text',
  structureType: 'text-or-null',
  public: 'text',
  anneeDemarrage: 'year',
  contact: 'text',
  motsCles: 'list',
} as const satisfies { [K in keyof DocumentMetadata]: ValueTypeOf<DocumentMetadata[K]> };

const valueTypeChecks: Record<MetadataValueType, (value: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  'text-or-null': (v) => v === null || typeof v === 'string',
  year: (v) => v === null || (typeof v === 'number' && Number.isInteger(v)),
  list: (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'),
};

/**
 * Whether `value` has the type the `meta` field `key` holds ({@link metadataValueTypes}). False for
 * an unknown key. Checks the type only: `readMetadata` judges lengths and known values.
 */
export function isMetadataValueOfType(key: string, value: unknown): boolean {
  if (!Object.hasOwn(metadataValueTypes, key)) return false;
  return valueTypeChecks[metadataValueTypes[key as keyof DocumentMetadata]](value);
}

export const emptyMetadata = (title = ''): DocumentMetadata => ({
  title,
  themes: [],
  categorie: null,
  territoire: null,
  structure: '',
  structureType: null,
  public: '',
  anneeDemarrage: null,
  contact: '',
  motsCles: [],
});

/** Trimmed and composed (NFC) `raw` if it is a string of at most `max` code points so (as zod counts). */
function lightShortText(raw: unknown, max: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().normalize('NFC');
  return codePointLength(text) <= max ? text : undefined;
}

/** Trimmed items if `raw` is an array of at most 30 strings, each 1 to 60 code points once trimmed. */
function lightTextList(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw) || raw.length > METADATA_LIMITS.listItems) return undefined;
  const items: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item = lightShortText(raw[i], METADATA_LIMITS.listItem);
    if (item === undefined || item === '') return undefined;
    items.push(item);
  }
  return items;
}

/** `raw` if it is null or one of `values`, else `undefined`. */
function lightChoice<T extends string>(raw: unknown, values: readonly T[]): T | null | undefined {
  if (raw === null) return null;
  return typeof raw === 'string' && (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
}

/**
 * Without zod, the value of one field as `readMetadata` (metadataSchema.ts) reads it; `undefined`
 * where it fails.
 */
const lightFieldReaders: {
  [K in keyof DocumentMetadata]: (raw: unknown) => DocumentMetadata[K] | undefined;
} = {
  title: (raw) => lightShortText(raw, METADATA_LIMITS.title),
  themes: lightTextList,
  categorie: (raw) => lightChoice(raw, categories),
  territoire: (raw) =>
    raw === null ? null : typeof raw === 'string' && TERRITOIRE_PATTERN.test(raw) ? raw : undefined,
  structure: (raw) => lightShortText(raw, METADATA_LIMITS.structure),
  structureType: (raw) => lightChoice(raw, structureTypes),
  public: (raw) => lightShortText(raw, METADATA_LIMITS.public),
  anneeDemarrage: (raw) =>
    raw === null
      ? null
      : typeof raw === 'number' && Number.isFinite(raw) && isStartYear(raw)
        ? raw
        : undefined,
  contact: (raw) => lightShortText(raw, METADATA_LIMITS.contact),
  motsCles: lightTextList,
};

/**
 * Reads metadata from any key/value source (a Y.Map's `get`, a JSON object), field by field with
 * `readField`, which gives the field's value or `undefined` for a value it refuses (read as
 * empty): a client sending a malformed value loses that field, not the others. Themes and
 * keywords keep one copy of each. The one loop of `readMetadata` and {@link readMetadataLight}.
 */
export function readMetadataFields(
  get: (key: string) => unknown,
  readField: <K extends keyof DocumentMetadata>(key: K, raw: unknown) => DocumentMetadata[K] | undefined,
): DocumentMetadata {
  const out = emptyMetadata();
  for (const key of metadataKeys) {
    const raw = get(key);
    if (raw === undefined) continue;
    const value = readField(key, raw);
    if (value !== undefined) (out as Record<keyof DocumentMetadata, unknown>)[key] = value;
  }
  out.themes = [...new Set(out.themes)];
  out.motsCles = [...new Set(out.motsCles)];
  return out;
}

/**
 * `readMetadata` (metadataSchema.ts) without zod, for the editor's first drawing (the live title
 * and header, issue 16: zod is 7 KB gzipped). Same fields, same rules, same result for every
 * input: checked against `readMetadata` on generated values in liveMessages.test.ts. The server
 * keeps `readMetadata`.
 */
export function readMetadataLight(get: (key: string) => unknown): DocumentMetadata {
  return readMetadataFields(get, (key, raw) => lightFieldReaders[key](raw));
}
