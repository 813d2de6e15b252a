/**
 * The two words of a document's publication state shown in the editor's review bar from its first
 * drawing (`publishedStateLabel`, publicationStatus.ts), apart from `messages.ts` so that the
 * editor's first JavaScript does not carry every sentence of publication (issue 16); `messages.ts`
 * uses them too (`bar.published`, `bar.newVersion`).
 */
export const publicationStateLabels = {
  /** Published, the draft as the portal shows it. */
  published: (n: number) => `Publiée (version ${n})`,
  /** Shown when the draft has moved on since the publication the portal shows. */
  newVersion: 'Une nouvelle version est en cours de rédaction',
};
