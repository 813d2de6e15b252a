import * as Y from 'yjs';
import {
  applyStored,
  isDamaged,
  proveState,
  type CollabStore,
  type LoadReport,
} from '../storage/collabStore.js';
import type { AuditService } from './auditService.js';

/** The verdict on one stored document. */
export interface DocumentCheckResult {
  documentId: string;
  /**
   * `ok`: everything loads. `damaged`: some parts cannot be read (not repaired: run with repair).
   * `repaired`: the unreadable parts were moved to the quarantine table and a proven state was
   * written from the rest. `unreadable`: nothing can be read; nothing was changed.
   */
  status: 'ok' | 'damaged' | 'repaired' | 'unreadable';
  /** What could not be read, in French, for the operator. */
  detail: string;
}

function describe(report: LoadReport): string {
  const parts: string[] = [];
  if (report.stateUnreadable)
    parts.push(
      report.usedPrevious
        ? 'état compacté illisible (l’état précédent est lisible)'
        : 'état compacté illisible, sans état précédent lisible',
    );
  if (report.unreadableRows.length > 0)
    parts.push(`${report.unreadableRows.length} mise(s) à jour illisible(s) dans le journal`);
  return parts.join(' ; ');
}

/**
 * Verifies every stored document (`npm run cli -- document:check [--repair]`): its state and each
 * row of its log must load. With `repair`, a damaged document is rebuilt from what can be read (its
 * state, or the previous one when the state cannot be read, and the readable rows): the unreadable
 * parts go to the quarantine table, never deleted, and the rebuilt state is proven to load before it
 * replaces anything. A document with nothing readable is reported and left as it is.
 *
 * Safe while the server runs: a document the server has open was loaded the same way, and its own
 * next compaction (a superset of what this writes) simply follows.
 */
export function checkDocuments(
  store: CollabStore,
  options: { repair: boolean; audit?: AuditService },
): DocumentCheckResult[] {
  const results: DocumentCheckResult[] = [];
  for (const documentId of store.documentIds()) {
    const stored = store.load(documentId);
    const ydoc = new Y.Doc();
    try {
      const report = applyStored(ydoc, stored);
      if (!isDamaged(report)) {
        results.push({ documentId, status: 'ok', detail: '' });
        continue;
      }
      const detail = describe(report);
      if (!report.loadedAnything) {
        results.push({ documentId, status: 'unreadable', detail });
        continue;
      }
      if (!options.repair) {
        results.push({ documentId, status: 'damaged', detail });
        continue;
      }
      const state = Y.encodeStateAsUpdate(ydoc);
      proveState(state, ydoc);
      const upToSeq = Math.max(0, ...(stored.seqs ?? []));
      store.quarantine(
        documentId,
        { seqs: report.unreadableRows.map((r) => r.seq), state: report.stateUnreadable },
        'document:check --repair',
      );
      store.compact(documentId, state, upToSeq);
      options.audit?.record({
        actorId: null,
        action: 'document.repair',
        target: { type: 'document', id: documentId },
        details: { detail },
      });
      results.push({ documentId, status: 'repaired', detail });
    } finally {
      ydoc.destroy();
    }
  }
  return results;
}
