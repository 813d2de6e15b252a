export { schema, schemaExtensions } from './extensions.js';
export { ydocToJSON, ydocToNode, ydocToText, writeJSONToYdoc, type DocJSON } from './convert.js';
export { DocumentReference, Footnote, Section, SectionedDocument, SectionTitle } from './nodes.js';
export {
  ensureUniqueSectionIds,
  sectionIdFixes,
  SECTION_ID_FIX_ORIGIN,
  watchSectionIds,
} from './sectionIds.js';
export { countBlocks } from './blockCount.js';
export { sectionHash, sectionsOf, type SectionSummary } from './sections.js';
export { emptySection, templateContent } from './template.js';
export { guardRequiredSections, REQUIRED_SECTION_ORIGIN, type RequiredSection } from './requiredSections.js';
export {
  decodeForwardEntries,
  encodeForwardEntries,
  forwardingsOf,
  forwardLateEdits,
  forwardReplacedBlocks,
  isForwardingTransaction,
  MAX_FORWARDED_BLOCK_CHARS,
  moveSection,
  remembersSplits,
  restoreDeletedSection,
  retireForwardings,
  SectionForwardings,
  watchLateEdits,
  type ForwardEntry,
  type ForwardingChange,
  type ForwardingRecord,
  type ItemId,
  type LateEditSource,
  type MoveOutcome,
  type UpdateDeletes,
} from './sectionForwarding.js';
export { followMovedTextInEditor, keepCaretAfterForwardedText, type CaretHost } from './forwardedCaret.js';
export { undoOnlyOwnChanges, undoOnlyOwnChangesInEditor } from './undoScope.js';
export {
  detectTextMoves,
  FOLLOW_MOVED_TEXT_ORIGIN,
  followMovedText,
  TextMoves,
  type CharId,
} from './textMoves.js';
export { emptyTextblocksWithoutText, fillEmptyTextblocks } from './emptyTextblocks.js';
export { sendOfflineEditsFirst, type ReconnectingProvider } from './offlineEdits.js';
export { restoreContent } from './restore.js';
export {
  liveSectionElement,
  readSectionElement,
  restoreSection,
  type SectionPlace,
} from './sectionRestore.js';
export {
  diffDocuments,
  METADATA_LABELS,
  WORD_DIFF_BUDGET,
  type DiffAttribution,
  type DiffPart,
  type DocumentDiff,
  type MetadataChange,
  type DiffOptions,
  type SectionDiff,
} from './versionDiff.js';
