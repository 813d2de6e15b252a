import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { computeIndex } from '../services/indexingService.js';
import { applyStored, foldRows, proveAgainst } from '../storage/collabStore.js';
import { runDeparture } from './departures.js';
import type { OffloadReply, OffloadRequest } from './offload.js';

/**
 * The worker thread of `offload.ts`: the CPU-heavy halves of compaction (the proof, and the
 * decoding of the log rows it removes to fold their deletions by author) and of indexing (reading
 * the document, hashing its sections, stemming their text), from an encoded state the main thread
 * sends (or a document as stored, for the start-up catch-up of stale indexes); for a departing
 * document, both from one decoding (`runDeparture`). It touches no database and keeps no document
 * between two requests.
 */
function handle(request: OffloadRequest): OffloadReply {
  const started = performance.now();
  try {
    if (request.kind === 'departure') {
      const departure = runDeparture(request.state, request.live, request.rows, request.index);
      return { id: request.id, ok: true, ms: performance.now() - started, departure };
    }
    if (request.kind === 'prove') {
      proveAgainst(request.state, request.live);
      const folded = request.rows ? foldRows(request.rows) : undefined;
      return { id: request.id, ok: true, ms: performance.now() - started, ...(folded ? { folded } : {}) };
    }
    const doc = new Y.Doc();
    try {
      if (request.state instanceof Uint8Array) Y.applyUpdate(doc, request.state);
      else applyStored(doc, request.state);
      const computed = computeIndex(doc);
      return { id: request.id, ok: true, computed, ms: performance.now() - started };
    } finally {
      doc.destroy();
    }
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (request: OffloadRequest) => {
  parentPort?.postMessage(handle(request));
});
