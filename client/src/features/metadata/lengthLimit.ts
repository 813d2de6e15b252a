import { codePointLength } from '@essaim/protocol';

/** How many characters before a field's limit its counter appears. */
export const COUNTER_FROM_END = 20;

/**
 * A text's length as the server counts it, and as the person sees it for the accents: in Unicode
 * code points once composed (NFC; packages/protocol/src/inputRules.ts). A browser's `maxlength`
 * counts UTF-16 code units of the raw text: « é » pasted from macOS (« e » and a combining
 * accent) counted 2, and 120 of them were cut to 100 (tester BR40 H1).
 */
export function textLength(text: string): number {
  return codePointLength(text.normalize('NFC'));
}

/**
 * What a text field with a length limit keeps of an input, as `maxlength` does but counted as
 * {@link textLength} (the fields drop `maxlength`): the new value composed (NFC) when it fits;
 * otherwise only the part of what was typed or pasted that fits, at its place (the text before and
 * after it kept), or nothing of it when the field is full. `before` is the field's value before the
 * input, `after` the input element's value after it; `max` in code points.
 */
export function withinLimit(before: string, after: string, max: number): string {
  const next = after.normalize('NFC');
  if (codePointLength(next) <= max) return next;
  const was = Array.from(before.normalize('NFC'));
  const now = Array.from(next);
  let start = 0;
  while (start < was.length && start < now.length && was[start] === now[start]) start += 1;
  let end = 0;
  while (
    end < was.length - start &&
    end < now.length - start &&
    was[was.length - 1 - end] === now[now.length - 1 - end]
  )
    end += 1;
  const room = Math.max(0, max - start - end);
  const kept = [
    ...now.slice(0, start),
    ...now.slice(start, now.length - end).slice(0, room),
    ...now.slice(now.length - end),
  ];
  return kept.slice(0, max).join('');
}

/**
 * What a text field with a length limit says under it (issue 16: titles over 200 characters and
 * theme labels over 80 were cut without a word): nothing while far from the limit; « 185
 * caractères sur 200 » in the last {@link COUNTER_FROM_END}; at the limit, that nothing more will
 * be added ({@link withinLimit} keeps what fits of a paste). `length` is {@link textLength} of the
 * value, `max` the limit in the same unit, as the server's rules count them.
 */
export function lengthNotice(length: number, max: number): string | null {
  if (length >= max)
    return `${max} caractères sur ${max} : la limite est atteinte, la suite n’est pas ajoutée.`;
  if (length >= max - COUNTER_FROM_END) return `${length} caractères sur ${max}.`;
  return null;
}
