/**
 * HTML for the portal's pages, escaped by default: every value put into a {@link markup} template
 * is escaped unless it is already {@link SafeHtml} (another template, or HTML the server produced
 * and sanitized itself, marked with {@link trusted}). Nothing a rapporteur or a visitor typed can
 * become markup by forgetting to escape it.
 */

/** A piece of HTML known to be safe to put in a page as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template accepts: text (escaped), safe HTML, lists of either, nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` with `& < > " '` replaced by entities: safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template: markup`<p>${title}</p>` escapes `title`; nested templates stay as they are.
 * (Not named `html`: Prettier would reformat the markup inside, and so the pages' bytes.)
 */
export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Marks HTML as safe without escaping it. Only for HTML the server made and sanitized itself
 * (a publication's `html`, a search snippet built by `snippetOf`), never for anything typed.
 */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** Joins pieces of HTML with a separator (escaped like any text unless safe). */
export function join(pieces: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(pieces.map(render).join(render(separator)));
}
