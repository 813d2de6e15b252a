import { documentName, isDocumentId, type DocumentDto, type UserDto } from '@essaim/protocol';

/**
 * What this browser keeps for the person logged in, so documents open and reopen without network:
 * the content of each opened document (one y-indexeddb database per document, which also keeps
 * the server's last answers about it: `savedAnswers.ts`), its title, and the account itself. All
 * of it belongs to one account and is erased at logout, or when somebody else logs in on the same
 * browser.
 */

type RememberedDocument = Pick<DocumentDto, 'id' | 'title' | 'kind' | 'espaceId' | 'access'>;

interface Stored {
  /** Id of the account these copies belong to. */
  owner: string | null;
  documents: Record<string, RememberedDocument>;
}

const DOCUMENTS_KEY = 'essaim.documents-ouverts';
const ACCOUNT_KEY = 'essaim.compte';
const MAX_ENTRIES = 200;

function readStored(): Stored {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(DOCUMENTS_KEY) ?? 'null');
    if (typeof parsed === 'object' && parsed !== null && 'documents' in parsed) {
      const { owner, documents } = parsed as Partial<Stored>;
      return {
        owner: typeof owner === 'string' ? owner : null,
        documents: typeof documents === 'object' && documents !== null ? documents : {},
      };
    }
    // Before accounts, the titles were stored alone: copies of nobody, erased at the first login.
    if (typeof parsed === 'object' && parsed !== null) {
      return { owner: null, documents: parsed as Record<string, RememberedDocument> };
    }
  } catch {
    // Unreadable: treated as empty.
  }
  return { owner: null, documents: {} };
}

function writeStored(stored: Stored): void {
  try {
    window.localStorage.setItem(DOCUMENTS_KEY, JSON.stringify(stored));
  } catch {
    // Storage full or disabled: offline opening falls back to the error page.
  }
}

/** Remembers the title of a document opened by `owner`, most recently opened last. */
export function rememberDocument(owner: string, doc: DocumentDto): void {
  const stored = readStored();
  const documents = stored.owner === owner ? stored.documents : {};
  const entries = [
    ...Object.entries(documents).filter(([id]) => id !== doc.id),
    [
      doc.id,
      { id: doc.id, title: doc.title, kind: doc.kind, espaceId: doc.espaceId, access: doc.access },
    ] as const,
  ];
  writeStored({ owner, documents: Object.fromEntries(entries.slice(-MAX_ENTRIES)) });
}

/** A document `owner` opened before in this browser, to open it while the server is unreachable. */
export function rememberedDocument(owner: string, id: string): RememberedDocument | null {
  const stored = readStored();
  if (stored.owner !== owner) return null;
  const cached = stored.documents[id];
  return cached && typeof cached.title === 'string' ? cached : null;
}

/** The account last seen by the server, to open the app while it is unreachable. */
export function rememberAccount(user: UserDto): void {
  try {
    window.localStorage.setItem(ACCOUNT_KEY, JSON.stringify(user));
  } catch {
    // Without storage, no offline start: fine.
  }
}

export function rememberedAccount(): UserDto | null {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(ACCOUNT_KEY) ?? 'null');
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as UserDto).id === 'string') {
      const user = parsed as UserDto;
      return Array.isArray(user.espaces) ? user : null;
    }
  } catch {
    // Unreadable: no offline start.
  }
  return null;
}

const ERASE_TIMEOUT_MS = 5000;

function withinDelay(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('délai dépassé')), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

// ---- Documents open in this tab ------------------------------------------------------------

interface OpenDocument {
  close: () => Promise<void>;
  /** Edits made here that the server may not hold yet (offline, not acknowledged). */
  hasPendingChanges: () => boolean;
}
const openDocuments = new Set<OpenDocument>();

/**
 * Registers a document open in this tab: how to close it (provider, IndexedDB persistence,
 * Y.Doc), and whether it holds edits the server may not have. Returns the function that
 * unregisters it. Logging out closes them all before erasing: deleting an IndexedDB database that
 * is still open waits forever, or breaks the next keystroke.
 */
export function registerOpenDocument(document: OpenDocument): () => void {
  openDocuments.add(document);
  return () => openDocuments.delete(document);
}

/** True when logging out now would lose edits the server may not hold yet. */
export function openDocumentsHavePendingChanges(): boolean {
  return [...openDocuments].some((d) => d.hasPendingChanges());
}

async function closeOpenDocuments(): Promise<void> {
  const documents = [...openDocuments];
  openDocuments.clear();
  await Promise.all(documents.map((d) => d.close().catch((error: unknown) => console.warn(error))));
}

/**
 * Erases every local copy: closes the documents open in this tab, then deletes each document's
 * IndexedDB database (y-indexeddb's `clearDocument`, loaded on demand as the editor is), then the
 * titles and the account. Resolves once the databases are deleted.
 */
export async function eraseLocalData(): Promise<void> {
  await closeOpenDocuments();
  const ids = Object.keys(readStored().documents).filter(isDocumentId);
  try {
    window.localStorage.removeItem(DOCUMENTS_KEY);
    window.localStorage.removeItem(ACCOUNT_KEY);
  } catch {
    // Storage disabled: nothing was stored.
  }
  if (ids.length === 0) return;
  const { clearDocument } = await import('y-indexeddb');
  await Promise.all(
    ids.map((id) =>
      // A database another tab keeps open is deleted once that tab closes it: do not wait forever.
      withinDelay(clearDocument(documentName(id)), ERASE_TIMEOUT_MS).catch((error: unknown) =>
        console.warn('Copie locale non effacée :', id, error),
      ),
    ),
  );
}

/**
 * Called when somebody logs in (or the app starts with a session): copies left by another account
 * on this browser are erased before anything is opened.
 */
export async function claimLocalData(userId: string): Promise<void> {
  const { owner, documents } = readStored();
  const previousAccount = rememberedAccount();
  const foreign =
    (owner !== null && owner !== userId) || (previousAccount !== null && previousAccount.id !== userId);
  if (foreign || (owner === null && Object.keys(documents).length > 0)) await eraseLocalData();
  writeStored({ ...readStored(), owner: userId });
}
