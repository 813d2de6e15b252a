/**
 * Colours given to people in a document (carets, selections, presence list). Each one keeps a
 * contrast of at least 4.5:1 with white text (WCAG 1.4.3), because caret labels write the name
 * in white on the colour. Hues are few and far apart so two people are told apart at a glance (the
 * name is always shown too: colour is never the only cue). They stay `#rrggbb`: the caret
 * extension refuses other notations.
 */
export const PERSON_COLOURS = [
  '#3558a2', // bleu
  '#b34000', // orange
  '#18753c', // vert
  '#ce0500', // rouge
  '#006a6f', // bleu canard
  '#8c3fb0', // violet
  '#c3006b', // framboise
  '#716043', // brun
] as const;

/**
 * The colour of a display name: the same name always gets the same colour, on every device,
 * so people recognise each other from one session to the next. FNV-1a over the normalised name.
 */
export function colourForName(name: string): string {
  const normalised = name.trim().toLocaleLowerCase('fr');
  let hash = 0x811c9dc5;
  for (let i = 0; i < normalised.length; i++) {
    hash ^= normalised.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return PERSON_COLOURS[(hash >>> 0) % PERSON_COLOURS.length] as string;
}
