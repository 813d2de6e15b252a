/**
 * The words of the status row's two buttons, « Historique » and « Télécharger », read by the page's
 * first drawing (their places, `LazyPanels.tsx`) and by their features' messages, which the late
 * chunk brings with the rest of their sentences (importing those here brought the protocol's
 * schemas into the first drawing: +12 KB gzip).
 */
export const statusButtonMessages = {
  history: 'Historique',
  historyTitle: 'Historique des versions du document',
  download: 'Télécharger',
  downloadTitle: 'Télécharger le document en PDF, Word, OpenDocument, Markdown ou HTML',
} as const;
