import { setImmediate as nextTurn } from 'node:timers/promises';
import { acknowledged, belowUnsynced, destroyAll, openClients, textReaches, timeout } from './clients.js';
import { readStoredText, type StoredText } from './sqlite.js';
import { applyPatches, applyPatchesToString, loadTrace, type TraceName } from './trace.js';

export interface ReplayLoadParams {
  wsUrl: string;
  /** Websocket token of an account allowed to write ('' for vanilla). */
  token: string;
  documentName: string;
  /** Essaim's SQLite file, read (read-only) right after the last acknowledgement; null for vanilla. */
  databaseFile: string | null;
  trace: TraceName;
  readers: number;
  /** Replay only the first `limit` transactions (warm-up); the expected text is then replayed locally. */
  limit?: number;
  /** Most updates the writer lets wait for their acknowledgement before it pauses. */
  window: number;
  /** The writer yields to the event loop after this many transactions. */
  yieldEvery: number;
  timeoutMs: number;
}

export interface ReplayLoadResult {
  transactions: number;
  expected: string;
  /** From the first edit to the writer fully acknowledged and every reader holding the end text. */
  elapsedMs: number;
  editsPerSecond: number;
  /** When the writer had handed its last transaction to its provider. */
  sentMs: number;
  /** When the writer's last update was acknowledged. */
  ackMs: number;
  /** When each reader's text first equalled the end text. */
  readersMs: number[];
  /** Times the writer paused because `window` updates were waiting for their acknowledgement. */
  windowPauses: number;
  /** Updates (messages) each reader applied, on average: fewer than `transactions` when coalesced. */
  updatesPerReader: number;
  clientsMatch: boolean;
  /** The document as SQLite held it right after the last acknowledgement (Essaim only). */
  storedLive: StoredText | null;
}

/**
 * One writer replays a trace transaction by transaction (one Yjs transaction, hence one update
 * on the wire, each) into the first paragraph of a new fiche (its Y.XmlText, where an editor
 * types); `readers` other clients follow. The writer goes as fast as its provider
 * takes updates, yields to the event loop every `yieldEvery` transactions so its socket gets
 * written, and pauses while `window` updates are unacknowledged (a bounded pipeline).
 */
export async function runReplayLoad(params: ReplayLoadParams): Promise<ReplayLoadResult> {
  const trace = loadTrace(params.trace);
  const txns = params.limit ? trace.txns.slice(0, params.limit) : trace.txns;
  const expected = params.limit
    ? txns.reduce((content, txn) => applyPatchesToString(content, txn.patches), trace.startContent)
    : trace.endContent;

  const [writer, ...readers] = await openClients(
    params.wsUrl,
    params.documentName,
    1 + params.readers,
    params.token,
  );
  if (!writer) throw new Error('no writer');
  try {
    const text = writer.text;
    const readerDone = readers.map((r) => textReaches(r, expected));
    let readerUpdates = 0;
    for (const reader of readers) reader.ydoc.on('update', () => readerUpdates++);
    let windowPauses = 0;
    const t0 = performance.now();
    for (let i = 0; i < txns.length; i++) {
      const txn = txns[i];
      if (!txn) continue;
      writer.ydoc.transact(() => applyPatches(text, txn.patches));
      if (writer.provider.unsyncedChanges >= params.window) {
        windowPauses++;
        await belowUnsynced(writer, params.window / 2);
      } else if (i % params.yieldEvery === params.yieldEvery - 1) {
        await nextTurn();
      }
      if (performance.now() - t0 > params.timeoutMs)
        throw new Error(`rejeu trop long (> ${params.timeoutMs} ms)`);
    }
    const sent = performance.now();
    const limit = timeout(
      Math.max(5_000, params.timeoutMs - (sent - t0)),
      'accusés de réception et lecteurs',
    );
    const [ackAt = Number.NaN, ...readersAt] = await Promise.race([
      Promise.all([acknowledged(writer), ...readerDone]),
      limit.promise,
    ]);
    limit.cancel();
    const elapsedMs = Math.max(ackAt, ...readersAt) - t0;
    const storedLive = params.databaseFile ? readStoredText(params.databaseFile, params.documentName) : null;
    const clientsMatch = [writer, ...readers].every((c) => c.text.toString() === expected);
    return {
      transactions: txns.length,
      expected,
      elapsedMs: Math.round(elapsedMs),
      editsPerSecond: Math.round((txns.length / elapsedMs) * 1000),
      sentMs: Math.round(sent - t0),
      ackMs: Math.round(ackAt - t0),
      readersMs: readersAt.map((t) => Math.round(t - t0)),
      windowPauses,
      updatesPerReader: Math.round(readerUpdates / Math.max(1, readers.length)),
      clientsMatch,
      storedLive,
    };
  } finally {
    destroyAll([writer, ...readers]);
  }
}
