export * from './documentName.js';
export * from './closeCodes.js';
export * from './api.js';
export { FRAGMENT, META_MAP, SECTION_MOVES_MAP } from './fragment.js';
export * from './metadata.js';
export * from './metadataSchema.js';
export * from './catalogue.js';
export * from './catalogueOptions.js';
export * from './auth.js';
export * from './sectionMessages.js';
export * from './comments.js';
export * from './versions.js';
export * from './review.js';
export * from './awareness.js';
export * from './publications.js';
export * from './signals.js';
export * from './text.js';
export * from './inputLimits.js';
export * from './inputRules.js';
export * from './audit.js';
export {
  codePointLength,
  parsePublicationChangedMessageLight,
  parseReviewChangedMessageLight,
  parseSectionLockedMessageLight,
  parseSectionMoveReplyLight,
  parseThreadsChangedMessageLight,
} from './liveMessages.js';
