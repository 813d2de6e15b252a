export * from './access.js';
export * from './documentKinds.js';
export * from './errors.js';
export * from './review.js';
export * from './presenceColours.js';
export * from './roles.js';
export * from './taxonomy.js';
export * from './templates.js';
