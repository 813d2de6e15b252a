import type { Readable } from 'node:stream';
import type { DocumentKindName } from '@essaim/domain';
import type { DocJSON } from '@essaim/editor';
import type { DocumentMetadata } from '@essaim/protocol';

/** The formats a document can be downloaded in (issue 14). */
export const exportFormats = ['pdf', 'docx', 'odt', 'md', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** An uploaded image as the file store gives it back. */
export interface ExportImage {
  data: Buffer;
  /** Declared type; the converters trust the bytes (PNG, JPEG, GIF or WebP), not this. */
  mime: string;
}

/**
 * Everything a converter needs to write one document, gathered by the caller (route or kit) so
 * the converters do no I/O of their own besides asking for images.
 */
export interface ExportInput {
  title: string;
  kind: DocumentKindName;
  metadata: DocumentMetadata;
  /** The document as ProseMirror JSON of the shared schema (`@essaim/editor`). */
  content: DocJSON;
  /**
   * Set for a draft: every page (or the top of page-less formats) says « Document de travail — non
   * publié » with this date, and the version of the history when it is one.
   */
  draft: { date: Date; version?: { number: number; label: string | null } } | null;
  /** Set for a publication: its number and date, on the title page. */
  publication: { number: number; date: Date } | null;
  /**
   * An uploaded image by its `src` in the document (`/api/files/<sha256>`). Null, a throw or no
   * answer within {@link IMAGE_TIMEOUT_MS} means missing: the image is replaced by its alternative
   * text and the export goes on.
   */
  images: (src: string) => Promise<ExportImage | null>;
  /** The absolute or site-relative URL of another document, or null: the link then reads as its title. */
  links: (documentId: string) => string | null;
  /** The label of a theme id of the espace; without it (or for null) the default themes' labels, then the id. */
  themeLabel?: (themeId: string) => string | null;
}

/** A finished export: the bytes (or a stream of them) and how to serve them. */
export interface ExportResult {
  body: Buffer | Readable;
  /** MIME type, with `charset=utf-8` for the text formats. */
  contentType: string;
  /** File extension without the dot: `pdf`, `docx`, `odt`, `md`, `html`. */
  extension: string;
}

/** How long one image may take to arrive before it is counted missing, in milliseconds. */
export const IMAGE_TIMEOUT_MS = 10_000;

/** How an export waits on its images. */
export interface ExportOptions {
  /** Milliseconds one image may take before it counts as missing; {@link IMAGE_TIMEOUT_MS} when left out. */
  imageTimeoutMs?: number;
}
