/** The part of @nlpjs/lang-fr (no types of its own) that Essaim uses: its Snowball French stemmer. */
declare module '@nlpjs/lang-fr' {
  export class StemmerFr {
    /** The stem of one lower-case French word (accents kept), e.g. « conférences » → « conférent ». */
    stemWord(word: string): string;
  }
}
