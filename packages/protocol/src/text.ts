/**
 * Text typed by people, as the API takes it: plain text, no control character or bidirectional
 * override, which would make a name, a message or a CSV cell print other than it reads.
 */

/**
 * Whether `char` is a control character (C0, DEL, C1) or a bidirectional embedding, override or
 * isolate (U+202A–U+202E, U+2066–U+2069), which would make a label print other than it reads.
 */
export function isInvisibleControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Whether `char` is an invisible formatting character: a direction mark (U+200E LRM, U+200F RLM,
 * U+061C ALM), a zero-width one (U+200B space, U+200C non-joiner, U+200D joiner, U+2060 word
 * joiner, U+FEFF byte-order mark) or an invisible operator (U+2061–U+2064). None prints; each can
 * make two names that read the same differ, or reorder what follows (Unicode TR 9, TR 36).
 */
export function isInvisibleFormat(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2060 && code <= 0x2064) ||
    code === 0xfeff
  );
}

const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const BEFORE_JOINER = /^(\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)$/u;

/** What {@link isSingleLineText} refuses, character by character (before the emoji exception). */
function refusedOnOneLine(c: string): boolean {
  return isInvisibleControl(c) || isInvisibleFormat(c) || c === '\u2028' || c === '\u2029';
}

/** Whether the zero-width joiner at `i` of `chars` joins two pictographs of an emoji sequence. */
function joinsEmoji(chars: readonly string[], i: number): boolean {
  return (
    chars[i] === '\u200d' && BEFORE_JOINER.test(chars[i - 1] ?? '') && PICTOGRAPH.test(chars[i + 1] ?? '')
  );
}

/**
 * `text` without what {@link isSingleLineText} refuses (line breaks and tabs become spaces, the
 * rest is taken out): for a name stored before the rule existed, put back into a single-line
 * place (a mention token, an e-mail subject).
 */
export function toSingleLineText(text: string): string {
  const chars = [...text.replace(/[\r\n\t\u2028\u2029]/g, ' ')];
  return chars.filter((c, i) => !refusedOnOneLine(c) || joinsEmoji(chars, i)).join('');
}

/**
 * Finds the first character of `text` refused by `refuses`, letting through the one legitimate use
 * of a zero-width joiner in people's text: inside an emoji sequence (👩‍💻, between a pictograph,
 * possibly with its modifier or U+FE0F, and the next pictograph). True when none is found.
 */
function passes(text: string, refuses: (char: string) => boolean): boolean {
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (!refuses(c)) continue;
    if (joinsEmoji(chars, i)) continue;
    return false;
  }
  return true;
}

/**
 * Plain text a person may write in a message (comments, review messages, signal messages): no
 * invisible control (see {@link isInvisibleControl}) except line breaks and tabs, and no invisible
 * formatting character (see {@link isInvisibleFormat}; a zero-width joiner inside an emoji
 * sequence is kept).
 */
export function isPlainText(text: string): boolean {
  return passes(
    text,
    (c) => (c !== '\n' && c !== '\r' && c !== '\t' && isInvisibleControl(c)) || isInvisibleFormat(c),
  );
}

/**
 * Single-line text a person gives (names, titles, labels, version names, structure names): what
 * {@link isPlainText} refuses, and line breaks, tabs and the Unicode line and paragraph separators
 * (U+2028, U+2029) too. The one rule of every such field: see `singleLineText` (inputRules.ts).
 */
export function isSingleLineText(text: string): boolean {
  return passes(text, refusedOnOneLine);
}

/**
 * `value` with every invisible control (see {@link isInvisibleControl}) but line breaks and tabs
 * taken out of its strings, however deep in arrays and plain objects: what a publication freezes
 * (its ProseMirror JSON, text and metadata), so that no page, download or table of the portal
 * carries a character a raw client slipped in (a NUL in a link, an override in a name).
 */
export function withoutInvisibleControls<T>(value: T): T {
  if (typeof value === 'string') {
    let out = '';
    for (const c of value) if (c === '\n' || c === '\r' || c === '\t' || !isInvisibleControl(c)) out += c;
    return out as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => withoutInvisibleControls(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = withoutInvisibleControls(v);
    return out as T;
  }
  return value;
}
