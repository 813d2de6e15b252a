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
 * Plain text a person may write in a message: no invisible control (see {@link isInvisibleControl})
 * except line breaks and tabs.
 */
export function isPlainText(text: string): boolean {
  for (const c of text) if (c !== '\n' && c !== '\r' && c !== '\t' && isInvisibleControl(c)) return false;
  return true;
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
