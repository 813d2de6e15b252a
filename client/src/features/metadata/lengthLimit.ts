/** How many characters before a field's limit its counter appears. */
export const COUNTER_FROM_END = 20;

/**
 * What a text field with a length limit says under it (issue 16: titles over 200 characters and
 * theme labels over 80 were cut without a word): nothing while far from the limit; « 185
 * caractères sur 200 » in the last {@link COUNTER_FROM_END}; at the limit, that nothing more will
 * be added (the field's `maxlength` stops typing and cuts a paste there). `length` and `max` are
 * counted in UTF-16 code units, as `maxlength` and the server's rules count them.
 */
export function lengthNotice(length: number, max: number): string | null {
  if (length >= max)
    return `${max} caractères sur ${max} : la limite est atteinte, la suite n’est pas ajoutée.`;
  if (length >= max - COUNTER_FROM_END) return `${length} caractères sur ${max}.`;
  return null;
}
