export * from './documentName.js';
export * from './closeCodes.js';
export * from './api.js';
export { FRAGMENT, META_MAP } from './fragment.js';
export * from './metadata.js';
export * from './catalogue.js';
export * from './auth.js';
export * from './sectionMessages.js';
export * from './comments.js';
