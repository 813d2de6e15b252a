import { VERSION_KINDS, type VersionAuthorDto, type VersionDto } from '@essaim/protocol';

/**
 * The stateless message the server broadcasts to every connection of a document after a restore:
 * `{"type":"version-restored","version":VersionDto,"by":{"id","name"}}`, where `version` is the new
 * « restauration » version (the one `POST …/restore` answers) and `by` the person who restored.
 */
export interface VersionRestoredMessage {
  type: 'version-restored';
  version: VersionDto;
  by: VersionAuthorDto;
  /**
   * Number of the version that was restored, for « Chloé a restauré la version 4 »: the message's
   * optional `from.number` when the server sends it, else the number in the server's generated
   * label (« Restauration de la version 4 »), else the new version's own number.
   */
  restoredNumber: number;
}

/** The number in « Restauration de la version 4 », the label the server gives a restore. */
function numberInLabel(label: string | null): number | null {
  const match = label?.match(/version (\d+)\s*$/);
  return match ? Number(match[1]) : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPerson = (value: unknown): value is VersionAuthorDto =>
  isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string';

function isVersion(value: unknown): value is VersionDto {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.number === 'number' &&
    Number.isSafeInteger(value.number) &&
    (VERSION_KINDS as readonly unknown[]).includes(value.kind) &&
    (value.label === null || typeof value.label === 'string') &&
    Array.isArray(value.authors) &&
    value.authors.every(isPerson) &&
    typeof value.createdAt === 'string' &&
    (value.createdBy === null || value.createdBy === undefined || isPerson(value.createdBy))
  );
}

/**
 * Reads a stateless payload (a JSON string): the restore notice when it is one, `null` for any other
 * message (other features share the channel) or a malformed one. Never throws.
 */
export function parseVersionRestored(payload: string): VersionRestoredMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.type !== 'version-restored') return null;
  if (!isVersion(value.version) || !isPerson(value.by)) return null;
  const from =
    isRecord(value.from) && Number.isSafeInteger(value.from.number) ? (value.from.number as number) : null;
  return {
    type: 'version-restored',
    version: value.version,
    by: { id: value.by.id, name: value.by.name },
    restoredNumber: from ?? numberInLabel(value.version.label) ?? value.version.number,
  };
}
