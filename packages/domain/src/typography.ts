/** U+00A0, the no-break space. */
const NO_BREAK_SPACE = '\u00a0';

/**
 * French spacing of punctuation: the space before « ? », « ! », « : », « ; » and « » » and the
 * one after « « » become no-break spaces, so a line never starts with that sign (Lexique des règles
 * typographiques en usage à l'Imprimerie nationale: a space, thin or not, always unbreakable, goes
 * before the double signs). The thin no-break space (U+202F) is not used: Marianne, the DSFR's font,
 * may lack it, and the browser would draw it from another font. Tester BR42 saw a template prompt's
 * « ? » alone at the start of a line.
 */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([?!:;»])/gu, `${NO_BREAK_SPACE}$1`).replace(/« /gu, `«${NO_BREAK_SPACE}`);
}
