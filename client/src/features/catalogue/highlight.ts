/** A piece of a search snippet: plain text, or words the search found (shown in `<mark>`). */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** Text of escaped HTML: the five entities the server writes are read back; any other `&` stays. */
function unescape(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (_all, name: string) => ENTITIES[name] ?? '');
}

/**
 * The parts of a snippet from the catalogue's full-text search (issue 18: `DocumentMatchDto.snippet`,
 * escaped text whose only markup is `<mark>…</mark>`), for React to render as text and `<mark>`
 * elements: nothing is ever read as HTML. Any other tag-like text is shown as it is written, and
 * an unclosed `<mark>` marks the rest of the snippet.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (html: string, marked: boolean): void => {
    const text = unescape(html);
    if (text) parts.push({ text, marked });
  };
  let rest = snippet;
  for (;;) {
    const open = rest.indexOf('<mark>');
    if (open < 0) {
      push(rest, false);
      return parts;
    }
    push(rest.slice(0, open), false);
    rest = rest.slice(open + '<mark>'.length);
    const close = rest.indexOf('</mark>');
    push(close < 0 ? rest : rest.slice(0, close), true);
    if (close < 0) return parts;
    rest = rest.slice(close + '</mark>'.length);
  }
}
