export * from './documentName.js';
export * from './closeCodes.js';
export * from './api.js';
export { FRAGMENT } from './fragment.js';
export * from './auth.js';
