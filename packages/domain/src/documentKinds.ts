/** The two kinds of documents a working group writes. */
export const documentKindNames = ['fiche', 'synthese'] as const;
export type DocumentKindName = (typeof documentKindNames)[number];

export const documentKindLabels: Record<DocumentKindName, string> = {
  fiche: 'Fiche pratique',
  synthese: 'Document de synthèse',
};
