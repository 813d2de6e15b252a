import { categoryLabels, defaultThemes, documentKindLabels, structureTypeLabels } from '@essaim/domain';
import { METADATA_LABELS, schema } from '@essaim/editor';
import type { DocumentMetadata } from '@essaim/protocol';
import type { Node as PMNode } from '@tiptap/pm/model';
import { territoireLabel } from '../reference/territoires.js';
import { loadImages, type LoadedImage } from './images.js';
import { draftNotice, exportMessages, publicationNotice } from './messages.js';
import type { ExportInput, ExportOptions } from './types.js';

/** A metadata field as an export shows it: French label, readable value. */
export interface MetadataRow {
  label: string;
  value: string;
}

/** What every converter starts from: the document as a ProseMirror node, its images, its words. */
export interface PreparedDocument {
  input: ExportInput;
  /** The content checked against the shared schema (a node it does not know throws here). */
  doc: PMNode;
  title: string;
  /** « Fiche pratique » or « Document de synthèse ». */
  kindLabel: string;
  /** Every image `src` of the document: its bytes, or null when missing (alt text instead). */
  images: Map<string, LoadedImage | null>;
  /** Draft mark with its date, or null for a publication. */
  draftNotice: string | null;
  publicationNotice: string | null;
  /** Filled metadata fields, in the editor's order (the title is the document's title). */
  metadata: MetadataRow[];
}

/**
 * Builds the node from the JSON with the shared schema, loads the images (missing ones are null,
 * never an error) and words the notices and metadata. Throws only on content the schema refuses.
 */
export async function prepareDocument(
  input: ExportInput,
  options: ExportOptions = {},
): Promise<PreparedDocument> {
  const doc = schema.nodeFromJSON(input.content);
  doc.check();
  const sources: string[] = [];
  doc.descendants((node) => {
    if (node.type.name === 'image' && typeof node.attrs.src === 'string' && node.attrs.src !== '') {
      sources.push(node.attrs.src);
    }
  });
  return {
    input,
    doc,
    title: input.title.trim() || input.metadata.title.trim() || exportMessages.untitledDocument,
    kindLabel: documentKindLabels[input.kind],
    images: await loadImages(sources, input.images, options.imageTimeoutMs),
    draftNotice: input.draft ? draftNotice(input.draft.date, input.draft.version) : null,
    publicationNotice: input.publication
      ? publicationNotice(input.publication.number, input.publication.date)
      : null,
    metadata: metadataRows(input.metadata, input.themeLabel),
  };
}

/** The filled fields of `metadata` with their French labels and values (labels from the domain). */
export function metadataRows(
  metadata: DocumentMetadata,
  themeLabel?: (id: string) => string | null,
): MetadataRow[] {
  const themeName = (id: string): string =>
    themeLabel?.(id) ?? defaultThemes.find((t) => t.id === id)?.label ?? id;
  const values: [keyof DocumentMetadata, string][] = [
    ['themes', metadata.themes.map(themeName).join(', ')],
    ['categorie', metadata.categorie ? categoryLabels[metadata.categorie] : ''],
    ['territoire', metadata.territoire ? (territoireLabel(metadata.territoire) ?? metadata.territoire) : ''],
    ['structure', metadata.structure],
    ['structureType', metadata.structureType ? structureTypeLabels[metadata.structureType] : ''],
    ['public', metadata.public],
    ['anneeDemarrage', metadata.anneeDemarrage === null ? '' : String(metadata.anneeDemarrage)],
    ['contact', metadata.contact],
    ['motsCles', metadata.motsCles.join(', ')],
  ];
  return values
    .filter(([, value]) => value.trim() !== '')
    .map(([key, value]) => ({ label: METADATA_LABELS[key], value: value.trim() }));
}

/** The title of a section node, or « Section sans titre ». */
export function sectionTitle(section: PMNode): string {
  const first = section.firstChild;
  const text = first?.type.name === 'sectionTitle' ? first.textContent.trim() : '';
  return text || exportMessages.untitledSection;
}

/** Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const STRONG = /[\p{L}]/u;

/** Whether a character is a strong right-to-left letter. */
export const isRtlChar = (char: string): boolean => RTL.test(char);

/**
 * The base direction of a paragraph, from its first strong letter (the Unicode bidi rule P2):
 * `rtl` when it is Hebrew or Arabic, else `ltr`.
 */
export function baseDirection(text: string): 'ltr' | 'rtl' {
  for (const char of text) {
    if (STRONG.test(char)) return RTL.test(char) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}

/**
 * A link target an export may carry: `http:`, `https:` or `mailto:` addresses, or a path on this
 * site (`/…`, not `//host`), the schemes the portal's sanitizer allows. Anything else
 * (`javascript:`, `data:`, `file:`) is null: the text stays, without its link.
 */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const value = href.trim();
  if (/^(https?:|mailto:)/i.test(value)) return value;
  return /^\/(?!\/)/.test(value) ? value : null;
}
