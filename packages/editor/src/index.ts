export { schema, schemaExtensions } from './extensions.js';
export { ydocToJSON, ydocToNode, ydocToText, writeJSONToYdoc, type DocJSON } from './convert.js';
