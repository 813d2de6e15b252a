import { StemmerFr } from '@nlpjs/lang-fr';

const stemmer = new StemmerFr();

/** Lower case without diacritics (« Conférence » → « conference »). */
export function foldFrench(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

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
