import {
  isTransactionOrigin,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Connection,
  type Extension,
  type LocalTransactionOrigin,
} from '@hocuspocus/server';
import {
  readSectionElement,
  restoreSection,
  schema,
  sectionHash,
  liveSectionElement,
  type SectionPlace,
} from '@essaim/editor';
import { FRAGMENT, parseDocumentName, type SectionLockedMessage } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { LockedSection, SectionLocks } from '../services/sectionLocks.js';
import type { CollabContext } from './context.js';
import type { DocumentLocks } from './MessageGuardExtension.js';

/**
 * Origin of the guard's reverts: a Hocuspocus `local` origin without a person, so the update log
 * writes them for the system (`durableUpdates.authorOf` gives null), Hocuspocus broadcasts them to
 * every connection (the author's included), and no guard or indexer takes them for a person's
 * change. Compared by identity.
 */
export const SECTION_LOCK_ORIGIN: LocalTransactionOrigin = Object.freeze({
  source: 'local' as const,
  context: {},
});

/** Any shared type, as `Transaction.changed` keys them. */
type YType = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never;

type AnyConnection = Connection<CollabContext>;

/** Who made a transaction: a connection's person, or a person a service changed the document for. */
interface Person {
  connection: AnyConnection | null;
  userId: string | null;
}

/** A locked section a batch of transactions touched, waiting for the check at the batch's end. */
interface Touched {
  /** Document order of the section when it was last seen (re-insertions are made in this order). */
  order: number;
  place: SectionPlace;
  /**
   * A person's transaction left the section other than approved (changed, deleted, renamed). Read
   * as that transaction is observed, before the other guards' repairs: the required-sections
   * guard may put the section back before the batch ends, and the attempt is still told and
   * audited.
   */
  attempted: boolean;
  /** The connections and people whose transactions did so. */
  connections: Set<AnyConnection>;
  userIds: Set<string | null>;
}

/** The guard of one loaded document. */
interface DocumentGuard {
  documentId: string;
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  /** Locked sections by id; empty for most documents (then each change costs one size check). */
  locked: Map<string, LockedSection>;
  /** The live top-level element holding each locked section, in document order (first holder of an id). */
  elements: Map<Y.XmlElement, string>;
  /** Document order of each locked section, from the last look at the document's structure. */
  order: Map<string, number>;
  /** What the current batch of transactions touched, checked once at its end. */
  touched: Map<string, Touched>;
  /**
   * Runs the check at the end of the current batch: listens to Yjs `afterAllTransactions` only
   * while a batch touched a locked section, so typing elsewhere pays no listener.
   */
  flush: () => void;
}

/** Whether a transaction was made for a person (see {@link personOf}); allocates nothing. */
function fromPerson(origin: unknown): boolean {
  if (origin === SECTION_LOCK_ORIGIN || !isTransactionOrigin(origin)) return false;
  if (origin.source === 'connection') return true;
  return origin.source === 'local' && !!(origin.context as Partial<CollabContext> | undefined)?.userId;
}

/** The person a transaction was made for, or null for the system's own changes and for loading. */
function personOf(origin: unknown): Person | null {
  if (origin === SECTION_LOCK_ORIGIN || !isTransactionOrigin(origin)) return null;
  if (origin.source === 'connection') {
    const connection = origin.connection as AnyConnection;
    return { connection, userId: connection.context?.userId ?? null };
  }
  if (origin.source === 'local') {
    const userId = (origin.context as Partial<CollabContext> | undefined)?.userId;
    return userId ? { connection: null, userId } : null;
  }
  return null;
}

/** The top-level element of the document holding a changed type, if any. */
function topElementOf(type: YType, fragment: YType): Y.XmlElement | null {
  let current: YType = type;
  while (current._item && current._item.parent !== fragment) current = current._item.parent as YType;
  return current._item?.parent === fragment && current instanceof Y.XmlElement ? current : null;
}

const sectionIdOf = (element: Y.XmlElement): string | null => {
  if (element.nodeName !== 'section') return null;
  const id = element.getAttribute('id');
  return typeof id === 'string' ? id : null;
};

/**
 * Keeps locked sections as approved (issue 12). The animateur locks an approved section; any change
 * inside it that reaches the server, from any client (a raw provider that bypasses the editor's
 * guard, an offline client coming back, a section deleted wholesale), is reverted at once:
 *
 * 1. Each transaction made for a person (a connection's update, or a service's change through
 *    `LiveDocuments` for a person: a restored version gets its locked sections put back too) is
 *    read by a deep observer of the fragment that runs before the other guards' repairs: the
 *    locked sections it touched (the top-level element of each changed type, as
 *    `IndexingExtension` reads them, id attribute included; when the list of sections changed,
 *    locked elements deleted, with their place read before Yjs collects them, and new elements
 *    carrying a locked id), and whether it left each of them other than approved (an attempt).
 * 2. At the end of the batch (Yjs `afterAllTransactions`: after the required-sections guard, the
 *    id fixes and the forwarding of late edits have run), each touched section is read alone
 *    (`readSectionElement`, never the whole document) and its `sectionHash` compared with
 *    `approvedHash`. Those that differ are restored (`restoreSection`: minimal forward change,
 *    or re-inserted after the section that preceded them) in one transaction with
 *    {@link SECTION_LOCK_ORIGIN}: logged for the system, broadcast to every client, the author
 *    included. The rest of the batch stays: edits to unlocked sections are not touched.
 * 3. Once the section is back as approved (restored here, or by the required-sections guard for a
 *    deleted required section), each attempt's author is told through their own connection only
 *    (stateless `section-locked`), and `SectionLocks.attempted` records it in the audit log.
 *
 * When a section is locked (`SectionLocks.onChanged`) or a document with locks is loaded, its locked
 * sections are checked at once: a section that differs is put back as approved and audited with
 * no author. This is deliberate: the lock promises the approved text, which is what the animateur
 * read. The review service refuses to lock a section whose hash moved since the approval, so this
 * only catches keystrokes that reached the server between that check and the lock.
 *
 * Cost: a document without locks pays one size check per change of its text; with locks, a walk
 * up from each changed type to its top-level element and a map lookup, plus a look at the
 * top-level list when sections were added, removed or had their id changed; the end-of-batch
 * listener is installed only for a batch that touched a locked section. Hashing happens only for
 * a locked section that was touched (docs/PERFORMANCE.md, section k).
 */
export class SectionLocksExtension implements Extension<CollabContext> {
  extensionName = 'section-locks';
  // After empty textblocks (810) are filled at load; before the section-id fixes (800) and the
  // required-sections guard (790) install their fragment observers (see afterLoadDocument).
  priority = 805;

  private readonly guards = new Map<string, DocumentGuard>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly locks: SectionLocks,
    private readonly logger: Logger,
    /** The message guard's locks: a check on lock never lands between an update's check and its apply. */
    private readonly documentLocks?: DocumentLocks,
  ) {
    this.unsubscribe = locks.onChanged((documentId) => this.lockChanged(documentId));
  }

  async afterLoadDocument({
    documentName,
    document,
  }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    const documentId = parseDocumentName(documentName);
    if (!documentId) return;
    const fragment = document.getXmlFragment(FRAGMENT);
    const guard: DocumentGuard = {
      documentId,
      doc: document,
      fragment,
      locked: new Map(),
      elements: new Map(),
      order: new Map(),
      touched: new Map(),
      flush: () => {
        document.off('afterAllTransactions', guard.flush);
        const touched = [...guard.touched].sort(([, a], [, b]) => a.order - b.order);
        guard.touched.clear();
        try {
          this.enforce(guard, touched);
        } catch (error) {
          // Never thrown into Yjs: the batch itself is applied and logged.
          this.logger.error({ err: error, documentId }, 'locked sections not checked');
        }
      },
    };
    this.guards.set(documentId, guard);
    // A deep observer of the fragment, registered before those of the section-id fixes and the
    // required-sections guard (lower priorities), whose repairs are written at once: it reads what
    // a person's transaction did before anything repairs it. Other extensions already observe the
    // fragment deeply, so Yjs builds the events anyway; without locks this costs one size check.
    // It lives as long as the document: Hocuspocus destroys both on unload.
    fragment.observeDeep((_events, transaction) => {
      if (guard.locked.size === 0) return;
      try {
        this.note(guard, transaction);
      } catch (error) {
        this.logger.error({ err: error, documentId }, 'changes to locked sections not read');
      }
    });
    this.refresh(guard);
    if (guard.locked.size > 0) this.enforceAll(guard);
  }

  async afterUnloadDocument({ documentName, instance }: afterUnloadDocumentPayload): Promise<void> {
    const documentId = parseDocumentName(documentName);
    const guard = documentId ? this.guards.get(documentId) : undefined;
    // A document loaded again before this hook ran keeps its new guard, and its cached locks.
    if (documentId && guard && instance.documents.get(documentName) !== guard.doc)
      this.guards.delete(documentId);
    if (documentId && !instance.documents.has(documentName)) this.locks.forget?.(documentId);
  }

  async onDestroy(): Promise<void> {
    this.unsubscribe();
  }

  /**
   * A section of the document was locked or unlocked: the guard reads the locks again at once,
   * then checks the locked sections, when no update is between its check and its apply.
   */
  private lockChanged(documentId: string): void {
    const guard = this.guards.get(documentId);
    if (!guard) return;
    try {
      this.refresh(guard);
    } catch (error) {
      this.logger.error({ err: error, documentId }, 'locked sections not read after a lock');
      return;
    }
    if (guard.locked.size > 0) void this.enforceWhenFree(guard);
  }

  private async enforceWhenFree(guard: DocumentGuard): Promise<void> {
    const release = await this.documentLocks?.acquire(guard.doc);
    try {
      if (this.guards.get(guard.documentId) === guard) this.enforceAll(guard);
    } catch (error) {
      this.logger.error(
        { err: error, documentId: guard.documentId },
        'locked sections not checked after a lock',
      );
    } finally {
      release?.();
    }
  }

  /** Reads the document's locked sections from the review service and where they stand. */
  private refresh(guard: DocumentGuard): void {
    guard.locked = new Map(this.locks.locked(guard.documentId).map((l) => [l.sectionId, l]));
    if (guard.locked.size === 0 && guard.touched.size > 0) {
      guard.doc.off('afterAllTransactions', guard.flush);
      guard.touched.clear();
    }
    for (const lock of guard.locked.values()) {
      try {
        if (sectionHash(schema.nodeFromJSON(lock.content)) !== lock.approvedHash)
          this.logger.error(
            { documentId: guard.documentId, sectionId: lock.sectionId },
            'approved content and approved hash of a locked section disagree',
          );
      } catch (error) {
        this.logger.error(
          { err: error, documentId: guard.documentId, sectionId: lock.sectionId },
          'approved content of a locked section does not fit the schema',
        );
      }
    }
    this.locate(guard);
  }

  /**
   * Finds the live elements holding locked sections, in document order. Returns the locked ids
   * now carried by an element that was not known to hold them (a copy, a section re-created):
   * changes to look at when a person made them.
   */
  private locate(guard: DocumentGuard): string[] {
    const known = new Map<string, Y.XmlElement>();
    for (const [element, id] of guard.elements) known.set(id, element);
    guard.elements = new Map();
    guard.order = new Map();
    const unknown: string[] = [];
    if (guard.locked.size === 0) return unknown;
    guard.fragment.toArray().forEach((child, index) => {
      if (!(child instanceof Y.XmlElement)) return;
      const id = sectionIdOf(child);
      if (id === null || !guard.locked.has(id)) return;
      if (known.get(id) !== child) unknown.push(id);
      if (guard.order.has(id)) return;
      guard.elements.set(child, id);
      guard.order.set(id, index);
    });
    return unknown;
  }

  /** Step 1: what one transaction made for a person touched among the locked sections. */
  private note(guard: DocumentGuard, transaction: Y.Transaction): void {
    const fragment = guard.fragment as unknown as YType;
    let structure = false;
    const byPerson = fromPerson(transaction.origin);
    let touched: Set<string> | null = null;
    for (const [type, keys] of transaction.changed) {
      if (type === fragment) {
        structure = true;
        continue;
      }
      const top = topElementOf(type, fragment);
      if (!top) continue;
      if (top === (type as unknown) && keys.has('id')) structure = true;
      if (!byPerson) continue;
      const id = guard.elements.get(top) ?? sectionIdOf(top);
      if (id !== null && guard.locked.has(id))
        (touched ??= new Set()).add(this.mark(guard, id, { element: top }));
    }
    if (structure) {
      if (byPerson) {
        for (const [element, id] of guard.elements)
          if (element._item?.deleted)
            (touched ??= new Set()).add(
              this.mark(guard, id, { element, after: this.precedingOf(guard, element) }),
            );
      }
      for (const id of this.locate(guard))
        if (byPerson) (touched ??= new Set()).add(this.mark(guard, id, {}));
    }
    const person = touched ? personOf(transaction.origin) : null;
    if (!person || !touched) return;
    for (const id of touched) {
      const lock = guard.locked.get(id);
      const entry = guard.touched.get(id);
      if (!lock || !entry || this.holdsApproved(guard, lock)) continue;
      entry.attempted = true;
      if (person.connection) entry.connections.add(person.connection);
      entry.userIds.add(person.userId);
    }
  }

  /** Notes that a locked section was touched in this batch, and where it stood; returns its id. */
  private mark(guard: DocumentGuard, id: string, place: SectionPlace): string {
    let entry = guard.touched.get(id);
    if (!entry) {
      entry = {
        order: guard.order.get(id) ?? Number.MAX_SAFE_INTEGER,
        place: {},
        attempted: false,
        connections: new Set(),
        userIds: new Set(),
      };
      if (guard.touched.size === 0) guard.doc.on('afterAllTransactions', guard.flush);
      guard.touched.set(id, entry);
    }
    // The first element seen keeps the section's place; a deletion adds where it stood.
    entry.place.element ??= place.element;
    if (place.after !== undefined && entry.place.after === undefined) entry.place.after = place.after;
    return id;
  }

  /**
   * The id of the section that stood before a deleted element: the nearest section to its left
   * that is still there, or a locked one (restored before it, in document order). Read while the
   * deleting transaction is still being observed: its deleted items are not collected yet.
   */
  private precedingOf(guard: DocumentGuard, element: Y.XmlElement): string | null {
    for (let item = element._item?.left ?? null; item; item = item.left) {
      if (!(item.content instanceof Y.ContentType)) continue;
      const type = item.content.type;
      if (!(type instanceof Y.XmlElement)) continue;
      const locked = guard.elements.get(type);
      if (locked !== undefined) return locked;
      if (item.deleted) continue;
      const id = sectionIdOf(type);
      if (id !== null) return id;
    }
    return null;
  }

  /** Whether the live section `id` holds its approved content and key. */
  private holdsApproved(guard: DocumentGuard, lock: LockedSection): boolean {
    const live = liveSectionElement(guard.doc, lock.sectionId);
    if (!live) return false;
    const key = (lock.content.attrs?.key as string | null | undefined) ?? null;
    if ((live.getAttribute('key') ?? null) !== key) return false;
    return sectionHash(readSectionElement(live)) === lock.approvedHash;
  }

  /** Checks every locked section of the document (after a lock, at load), with no author to tell. */
  private enforceAll(guard: DocumentGuard): void {
    const all = [...guard.locked.keys()].map((id): [string, Touched] => [
      id,
      {
        order: guard.order.get(id) ?? Number.MAX_SAFE_INTEGER,
        place: {},
        attempted: false,
        connections: new Set(),
        userIds: new Set(),
      },
    ]);
    this.enforce(
      guard,
      all.sort(([, a], [, b]) => a.order - b.order),
    );
  }

  /**
   * Steps 2 and 3: restores the touched sections that differ, then tells and audits each attempt
   * whose section is back as approved (restored here, or by another guard in the same batch). A
   * section restored with no person's attempt behind it (a check after a lock, at load) is
   * audited without an author.
   */
  private enforce(guard: DocumentGuard, touched: readonly (readonly [string, Touched])[]): void {
    const differing = new Set<string>();
    for (const [id] of touched) {
      const lock = guard.locked.get(id);
      if (lock && !this.holdsApproved(guard, lock)) differing.add(id);
    }
    const failed = new Set<string>();
    if (differing.size > 0) {
      guard.doc.transact(() => {
        for (const [id, entry] of touched) {
          const lock = guard.locked.get(id);
          if (!lock || !differing.has(id)) continue;
          try {
            restoreSection(guard.doc, id, lock.content, entry.place);
          } catch (error) {
            // Never thrown into Yjs: the rest of the batch is already applied and logged.
            failed.add(id);
            this.logger.error(
              { err: error, documentId: guard.documentId, sectionId: id },
              'locked section not restored',
            );
          }
        }
      }, SECTION_LOCK_ORIGIN);
      this.locate(guard);
    }
    for (const [id, entry] of touched) {
      const lock = guard.locked.get(id);
      if (!lock || failed.has(id)) continue;
      if (entry.attempted) this.report(guard, lock, entry.connections, entry.userIds);
      else if (differing.has(id)) this.report(guard, lock, new Set(), new Set([null]));
    }
  }

  /** Step 3: the `section-locked` notice to the authors' connections, and the audit. */
  private report(
    guard: DocumentGuard,
    lock: LockedSection,
    connections: ReadonlySet<AnyConnection>,
    userIds: ReadonlySet<string | null>,
  ): void {
    const message: SectionLockedMessage = {
      type: 'section-locked',
      sectionId: lock.sectionId,
      title: lock.title,
    };
    for (const connection of connections) {
      try {
        connection.sendStateless(JSON.stringify(message));
      } catch (error) {
        this.logger.warn({ err: error, documentId: guard.documentId }, 'section-locked notice not sent');
      }
    }
    for (const userId of userIds) {
      try {
        this.locks.attempted(guard.documentId, lock.sectionId, userId);
      } catch (error) {
        this.logger.error(
          { err: error, documentId: guard.documentId, sectionId: lock.sectionId },
          'reverted change to a locked section not audited',
        );
      }
    }
  }
}
