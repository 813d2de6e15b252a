import { documentToDocx } from './docx.js';
import { documentToHtml } from './html.js';
import { documentToMarkdown } from './markdown.js';
import { documentToOdt } from './odt.js';
import { documentToPdf } from './pdf.js';
import { prepareDocument } from './prepare.js';
import type { ExportFormat, ExportInput, ExportOptions, ExportResult } from './types.js';

export { exportFormats, IMAGE_TIMEOUT_MS } from './types.js';
export type { ExportFormat, ExportImage, ExportInput, ExportOptions, ExportResult } from './types.js';

/** MIME type of each format (text formats in UTF-8). */
export const exportContentTypes: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/**
 * One document in one format, made on the server from its ProseMirror JSON with the shared schema
 * (no browser, no network). Images are asked of `input.images` once each; a missing, broken or
 * slow image is replaced by its alternative text and never fails the export. Throws only when the
 * content is not a document of the shared schema.
 */
export async function exportDocument(
  input: ExportInput,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const prepared = await prepareDocument(input, options);
  const body = await (
    {
      pdf: documentToPdf,
      docx: documentToDocx,
      odt: documentToOdt,
      md: async (p: typeof prepared) => Buffer.from(documentToMarkdown(p), 'utf8'),
      html: async (p: typeof prepared) => Buffer.from(documentToHtml(p), 'utf8'),
    } satisfies Record<ExportFormat, (p: typeof prepared) => Promise<Buffer>>
  )[format](prepared);
  return { body, contentType: exportContentTypes[format], extension: format };
}
