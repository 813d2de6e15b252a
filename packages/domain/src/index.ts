export * from './access.js';
export * from './errors.js';
