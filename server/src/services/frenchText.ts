import { StemmerFr } from '@nlpjs/lang-fr';

const stemmer = new StemmerFr();

/**
 * Lower case without diacritics, ligatures written out (« Conférence » → « conference »,
 * « Œuvre », « cœur » → « oeuvre », « coeur »: many keyboards cannot type « œ »). A ligature makes
 * the folded text one character longer than the original.
 */
export function foldFrench(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

/**
 * Changes whenever {@link frenchStems} may give other stems for the same text (folding rules, the
 * stemmer): the search indexes built with another one are rebuilt at start.
 */
export const FRENCH_STEMS_VERSION = '2026-11-29.oe';

/**
 * The words of a French text, in order: letters and digits, split on everything else (hyphens and
 * apostrophes included: « aller-vers » is « aller », « vers »; « l'accueil » is « l », « accueil »).
 */
export function frenchWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The stem of a French word as the search index keeps it: folded first (no diacritics, lower
 * case), then the Snowball French stemmer of @nlpjs/lang-fr (« conférences », « conference » →
 * « conferent »; « isolées », « isolee » → « isole »). Folding first makes a query typed without
 * accents reach the same stem as the accented text.
 */
export function frenchStem(word: string): string {
  return stemmer.stemWord(foldFrench(word));
}

/** {@link frenchStem} of every word of `text` ({@link frenchWords}), joined by spaces: what is indexed. */
export function frenchStems(text: string): string {
  return frenchWords(text).map(frenchStem).join(' ');
}
