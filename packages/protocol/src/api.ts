import { z } from 'zod';

/** The two kinds of documents a working group writes. */
export const documentKinds = ['fiche', 'synthese'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Body of `POST /api/documents`. Titles are trimmed; an empty title is refused. */
export const createDocumentInput = z.object({
  espaceId: z
    .string({ error: 'L’espace de travail est obligatoire.' })
    .min(1, { error: 'L’espace de travail est obligatoire.' }),
  title: z
    .string({ error: 'Le titre doit être un texte.' })
    .trim()
    .min(1, { error: 'Le titre est obligatoire.' })
    .max(200, { error: 'Le titre ne peut pas dépasser 200 caractères.' }),
  kind: z.enum(documentKinds, {
    error: 'Le type doit être « fiche » ou « synthese ».',
  }),
});
export type CreateDocumentInput = z.infer<typeof createDocumentInput>;

/** A document as the API returns it. `name` is the collaborative name to open with a provider. */
export interface DocumentDto {
  id: string;
  name: string;
  espaceId: string | null;
  /** Rapporteurs assigned to write this document. */
  assignees: { userId: string; name: string }[];
  /** What the caller may do with it. */
  access: 'write' | 'read';
  title: string;
  kind: DocumentKind;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentListDto {
  documents: DocumentDto[];
}

/**
 * Error body of every `/api` failure: `error` is a stable code for programs, `message` a French
 * sentence for people, `details` the offending fields when the body was invalid.
 */
export interface ApiErrorDto {
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}
