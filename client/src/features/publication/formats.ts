/**
 * The download formats of a document (issue 14), as the export routes name them
 * (`?format=` of `/api/documents/:id/export`, the extension of `/pratiques/<slug>/v/<N>/export.<ext>`),
 * in the order they are offered.
 */
export const exportFormats = ['pdf', 'docx', 'odt', 'md', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/**
 * A file name from a `Content-Disposition` header (RFC 6266): the UTF-8 `filename*` when there is
 * one (Express writes the accented name there), else the plain `filename`, else `document.<ext>`.
 * Path separators are dropped: a name never chooses a folder.
 */
export function fileNameOf(header: string | null, format: ExportFormat): string {
  const fallback = `document.${format}`;
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1]?.replace(/\\(.)/g, '$1');
  name ??= /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1];
  const clean = name?.replace(/[/\\]/g, '_').trim();
  return clean ? clean : fallback;
}
