export { schema, schemaExtensions } from './extensions.js';
export { ydocToJSON, ydocToNode, ydocToText, writeJSONToYdoc, type DocJSON } from './convert.js';
export { DocumentReference, Footnote, Section, SectionedDocument, SectionTitle } from './nodes.js';
export {
  ensureUniqueSectionIds,
  sectionIdFixes,
  SECTION_ID_FIX_ORIGIN,
  watchSectionIds,
} from './sectionIds.js';
export { countBlocks, sectionHash, sectionsOf, type SectionSummary } from './sections.js';
export { emptySection, templateContent } from './template.js';
export { guardRequiredSections, REQUIRED_SECTION_ORIGIN, type RequiredSection } from './requiredSections.js';
