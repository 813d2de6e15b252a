import type { DocumentKindName } from '@essaim/domain';
import { ydocToNode, type DocJSON } from '@essaim/editor';
import { META_MAP, readMetadata, type DocumentMetadata } from '@essaim/protocol';
import * as Y from 'yjs';
import { applyStored, type StoredDocument } from '../storage/collabStore.js';
import { exportDocument } from './index.js';
import type { ExportFormat, ExportImage } from './types.js';

/**
 * Changes whenever a converter writes differently: it is part of the key of every cached export
 * (`DATA_DIR/cache/exports`), so files written by an earlier version are never served again
 * (they age out of the cache).
 */
export const EXPORT_CONVERTERS_VERSION = 'exports-1';

/**
 * The document an export job converts: a publication's frozen ProseMirror JSON, or a draft as
 * Yjs, to be read in the worker (reading megabytes of Yjs is the job's work, not the event
 * loop's): an encoded state (`update`, V2 for a version of the history or the live document), or
 * what storage holds (`stored`: state and log, read as the collaborative server reads them).
 */
export type ExportSource =
  | { kind: 'json'; content: DocJSON }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'stored'; stored: StoredDocument };

/**
 * One export, as the event loop hands it to a worker (structured-clonable: no function). What
 * needs the server's storage (images, links to other documents) is asked back by the worker
 * ({@link ExportQuestion}).
 */
export interface ExportJob {
  format: ExportFormat;
  source: ExportSource;
  /** The document's title in the catalogue: the export's title when its metadata has none. */
  title: string;
  kind: DocumentKindName;
  /** The metadata to show; null: read from the Yjs document's metadata map. */
  metadata: DocumentMetadata | null;
  /**
   * Set for a draft: ISO date of the « Document de travail » mark (now, or the version's), and
   * the version of the history it is, if any.
   */
  draft: { date: string; version?: { number: number; label: string | null } } | null;
  /** Set for a publication: its number and ISO date. */
  publication: { number: number; date: string } | null;
  /** The espace's theme labels by id. */
  themeLabels: [string, string][];
  /** Milliseconds an image may take to arrive (`IMAGE_TIMEOUT_MS` when left out). */
  imageTimeoutMs?: number;
}

/** What a worker asks the event loop during a job: an image's bytes, or where documents lead. */
export type ExportQuestion = { kind: 'image'; src: string } | { kind: 'links'; documentIds: string[] };

/** The answer to an {@link ExportQuestion}: the image (null when missing), or each document's URL. */
export type ExportAnswer<Q extends ExportQuestion = ExportQuestion> = Q extends { kind: 'image' }
  ? ExportImage | null
  : [string, string | null][];

/** Asks the event loop a question; never throws (a missing answer is null, or no link). */
export type Ask = <Q extends ExportQuestion>(question: Q) => Promise<ExportAnswer<Q>>;

/** A finished job: the file's bytes and the title it was given (the file name comes from it). */
export interface ExportJobResult {
  body: Uint8Array;
  title: string;
}

/** The ids of the documents `content` links to (`docRef` nodes), each once. */
export function linkedDocuments(content: DocJSON): string[] {
  const ids = new Set<string>();
  const visit = (node: DocJSON): void => {
    if (node.type === 'docRef' && typeof node.attrs?.documentId === 'string') ids.add(node.attrs.documentId);
    for (const child of node.content ?? []) visit(child);
  };
  visit(content);
  return [...ids];
}

/** The document of a source, with its metadata when it comes from Yjs. */
function read(source: ExportSource): { content: DocJSON; metadata: DocumentMetadata | null } {
  if (source.kind === 'json') return { content: source.content, metadata: null };
  const doc = new Y.Doc();
  try {
    if (source.kind === 'update') Y.applyUpdateV2(doc, source.update);
    else applyStored(doc, source.stored);
    const meta = doc.getMap<unknown>(META_MAP);
    return {
      content: ydocToNode(doc).toJSON() as DocJSON,
      metadata: readMetadata((key) => meta.get(key)),
    };
  } finally {
    doc.destroy();
  }
}

/**
 * Runs an export job: reads the document, asks once where the documents it links to lead, then
 * converts it (`exportDocument`), asking for each image as the converters need it. Runs in an
 * export worker (`worker.ts`); callable in-process too (unit tests). Throws what
 * `exportDocument` throws (content outside the shared schema).
 */
export async function runExportJob(job: ExportJob, ask: Ask): Promise<ExportJobResult> {
  const { content, metadata: fromYjs } = read(job.source);
  const metadata = job.metadata ?? fromYjs;
  if (!metadata) throw new Error('export sans métadonnées');
  const title = metadata.title || job.title;
  const ids = linkedDocuments(content);
  const links = new Map(ids.length > 0 ? await ask({ kind: 'links', documentIds: ids }) : []);
  const labels = new Map(job.themeLabels);
  const result = await exportDocument(
    {
      title,
      kind: job.kind,
      metadata,
      content,
      draft: job.draft
        ? { date: new Date(job.draft.date), ...(job.draft.version ? { version: job.draft.version } : {}) }
        : null,
      publication: job.publication
        ? { number: job.publication.number, date: new Date(job.publication.date) }
        : null,
      // Bytes that crossed from the event loop arrive as a Uint8Array: a Buffer again, uncopied.
      images: async (src) => {
        const image = await ask({ kind: 'image', src });
        if (!image) return null;
        const { data, mime } = image;
        return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), mime };
      },
      links: (documentId) => links.get(documentId) ?? null,
      themeLabel: (id) => labels.get(id) ?? null,
    },
    job.format,
    job.imageTimeoutMs === undefined ? {} : { imageTimeoutMs: job.imageTimeoutMs },
  );
  if (!Buffer.isBuffer(result.body)) throw new Error('un convertisseur a rendu un flux');
  return { body: result.body, title };
}
