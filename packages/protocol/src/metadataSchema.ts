import { z } from 'zod/mini';
import { categories, isStartYear, structureTypes } from '@essaim/domain';
import {
  METADATA_LIMITS,
  readMetadataFields,
  TERRITOIRE_PATTERN,
  type DocumentMetadata,
} from './metadata.js';

/*
 * The server's reader of a fiche's metadata, with zod (metadata.ts has the fields and the
 * zod-free reader of the editor's first drawing, checked equal to this one).
 */

const shortText = (max: number) => z.string().check(z.trim(), z.normalize('NFC'), z.maxLength(max));
const textList = z
  .array(
    z.string().check(z.trim(), z.normalize('NFC'), z.minLength(1), z.maxLength(METADATA_LIMITS.listItem)),
  )
  .check(z.maxLength(METADATA_LIMITS.listItems));

/** One validator per field; a value that fails is read as empty rather than trusted. */
const fieldSchemas: { [K in keyof DocumentMetadata]: z.ZodMiniType<DocumentMetadata[K]> } = {
  title: shortText(METADATA_LIMITS.title),
  themes: textList,
  categorie: z.nullable(z.enum(categories)),
  territoire: z.nullable(z.string().check(z.regex(TERRITOIRE_PATTERN))),
  structure: shortText(METADATA_LIMITS.structure),
  structureType: z.nullable(z.enum(structureTypes)),
  public: shortText(METADATA_LIMITS.public),
  anneeDemarrage: z.nullable(z.number().check(z.refine((year) => isStartYear(year)))),
  contact: shortText(METADATA_LIMITS.contact),
  motsCles: textList,
};

/**
 * Reads metadata from any key/value source (a Y.Map's `get`, a JSON object), keeping what is valid
 * and leaving the rest empty: a client sending a malformed value loses that field, not the others.
 */
export function readMetadata(get: (key: string) => unknown): DocumentMetadata {
  return readMetadataFields(get, (key, raw) => {
    const parsed = fieldSchemas[key].safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  });
}
