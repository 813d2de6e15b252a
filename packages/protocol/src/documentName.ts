/**
 * The collaborative name of a document is `doc.<id>`. It is parsed here and nowhere else, so the
 * server refuses every other shape before touching storage, and the client never builds names by
 * string concatenation.
 */
const PREFIX = 'doc.';
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when the string has the shape of a document id (a lowercase UUID). */
export function isDocumentId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The collaborative (Hocuspocus) name of the document with this id. */
export function documentName(id: string): string {
  if (!isDocumentId(id)) {
    throw new TypeError(`Identifiant de document invalide : ${JSON.stringify(id)}`);
  }
  return `${PREFIX}${id}`;
}

/** The document id carried by a collaborative name, or `null` for any other name. */
export function parseDocumentName(name: string): string | null {
  if (!name.startsWith(PREFIX)) return null;
  const id = name.slice(PREFIX.length);
  return isDocumentId(id) ? id : null;
}
