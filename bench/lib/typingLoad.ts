import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { destroyAll, isSettled, openClients, waitFor, type NodeClient } from './clients.js';
import { readStoredText } from './sqlite.js';
import { LOOP_RESOLUTION_MS, lateMs, round, seededRandom, summarize, type Summary } from './stats.js';

export interface TypingLoadParams {
  wsUrl: string;
  /** Websocket token of an account allowed to write ('' for vanilla). */
  token: string;
  /** The busy document every editor types into. */
  hotDocument: string;
  /** Other open documents, one client each, typing lightly. */
  coldDocuments: string[];
  /** Essaim's SQLite file, checked after the run; null for vanilla. */
  databaseFile: string | null;
  editors: number;
  /** Measured typing time, after `warmupSeconds` of the same typing that is not measured. */
  seconds: number;
  warmupSeconds: number;
  /** Each editor types at its own steady rate, drawn in this range (characters per second). */
  minCharsPerSecond: number;
  maxCharsPerSecond: number;
  /** Rate of the clients of the other documents. */
  coldCharsPerSecond: number;
  /** Share of keystrokes that are a backspace. */
  deleteRatio: number;
  /** Each keystroke also moves the caret in awareness, as y-prosemirror's caret plugin does. */
  awareness: boolean;
  seed: number;
}

export interface TypingLoadResult {
  /** Local insert in one editor to the observer of another editor seeing it, in ms. */
  latencyMs: Summary;
  /** Keystrokes (one update each) typed into the busy document during the measured window. */
  hotEdits: number;
  hotEditsPerSecond: number;
  coldEdits: number;
  /** Updates per second over all documents. */
  updatesPerSecond: number;
  /** Remote inserts observed by the editors of the busy document, per second. */
  deliveriesPerSecond: number;
  /** Remote awareness changes (carets) observed by the editors of the busy document, per second. */
  awarenessReceivedPerSecond: number;
  /** Milliseconds from the end of typing until every client agrees and is acknowledged. */
  settleMs: number;
  converged: boolean;
  finalChars: number;
  /** Essaim only: the busy document read from SQLite equals the clients' text. */
  storedMatch: boolean | null;
  /** Event-loop delay of the load generator itself (ms): if high, the clients, not the server, are slow. */
  loadGeneratorLoopDelayMs: { p50: number; p99: number; max: number };
  measuredSeconds: number;
}

const CHARS = 'abcdefghijklmnopqrstuvwxyz      éèàçù.,';

/**
 * `editors` clients type into one document like people (a few characters a second each, at their
 * own caret, with some backspaces), all in the first paragraph of a new fiche (its Y.XmlText, where
 * an editor types), while one client per other document types lightly (at the end of its own
 * first paragraph). Every
 * insert is timestamped by its writer (keyed by its Yjs id) and every other editor's observer
 * records when it sees it.
 */
export async function runTypingLoad(p: TypingLoadParams): Promise<TypingLoadResult> {
  const random = seededRandom(p.seed);
  const hot = await openClients(p.wsUrl, p.hotDocument, p.editors, p.token);
  const cold: NodeClient[] = [];
  for (let i = 0; i < p.coldDocuments.length; i += 10) {
    const batch = p.coldDocuments.slice(i, i + 10);
    cold.push(...(await Promise.all(batch.map((name) => openClients(p.wsUrl, name, 1, p.token)))).flat());
  }
  const all = [...hot, ...cold];
  const timers = new Set<NodeJS.Timeout>();
  try {
    // One sentence per editor in the fiche's first paragraph, so everybody starts typing at their
    // own place.
    const first = hot[0];
    if (!first) throw new Error('no editor');
    first.text.insert(0, hot.map((_c, i) => `Paragraphe ${i + 1}. `).join(''));
    const seeded = first.text.toString();
    await waitFor(
      () => hot.every((c) => isSettled(c) && c.text.toString() === seeded),
      30_000,
      'texte initial',
    );

    const sent = new Map<string, number>();
    const latencies: number[] = [];
    let measuring = false;
    let hotEdits = 0;
    let coldEdits = 0;
    let awarenessUpdates = 0;
    let deliveries = 0;

    for (const client of hot) {
      // Text events carry no item list: the clocks a remote transaction added, per client, are
      // the gap between its before and after state vectors (one clock per inserted character).
      client.text.observe((_event, transaction) => {
        if (transaction.local) return;
        const now = performance.now();
        for (const [author, after] of transaction.afterState) {
          for (let clock = transaction.beforeState.get(author) ?? 0; clock < after; clock++) {
            const at = sent.get(`${author}:${clock}`);
            if (at !== undefined) {
              latencies.push(now - at);
              deliveries++;
            }
          }
        }
      });
      client.provider.awareness?.on('update', (_changes: unknown, origin: unknown) => {
        if (measuring && origin !== 'local') awarenessUpdates++;
      });
    }

    const cursors = hot.map((client, i) => {
      const line = `Paragraphe ${i + 1}. `;
      const index = seeded.indexOf(line) + line.length;
      return Y.createRelativePositionFromTypeIndex(client.text, index);
    });

    const keystroke = (client: NodeClient, i: number): void => {
      const { ydoc, text, provider } = client;
      const cursor = cursors[i];
      const pos = cursor ? (Y.createAbsolutePositionFromRelativePosition(cursor, ydoc)?.index ?? 0) : 0;
      let next: number;
      if (random() < p.deleteRatio && pos > 0) {
        text.delete(pos - 1, 1);
        next = pos - 1;
      } else {
        const clock = Y.getState(ydoc.store, ydoc.clientID);
        if (measuring) sent.set(`${ydoc.clientID}:${clock}`, performance.now());
        text.insert(pos, CHARS[Math.floor(random() * CHARS.length)] ?? 'x');
        next = pos + 1;
      }
      if (measuring) hotEdits++;
      const moved = Y.createRelativePositionFromTypeIndex(text, next);
      cursors[i] = moved;
      if (p.awareness) {
        const json = Y.relativePositionToJSON(moved);
        provider.setAwarenessField('cursor', { anchor: json, head: json });
      }
    };

    let typing = true;
    const typeAt = (cps: number, action: () => void): void => {
      const tick = (): void => {
        if (!typing) return;
        action();
        const timer = setTimeout(tick, (1000 / cps) * (0.5 + random()));
        timers.add(timer);
      };
      const timer = setTimeout(tick, (1000 / cps) * random());
      timers.add(timer);
    };

    if (p.awareness) {
      hot.forEach((c, i) =>
        c.provider.setAwarenessField('user', { name: `Rédacteur ${i + 1}`, color: '#6a6af4' }),
      );
    }
    hot.forEach((client, i) => {
      const cps = p.minCharsPerSecond + random() * (p.maxCharsPerSecond - p.minCharsPerSecond);
      typeAt(cps, () => keystroke(client, i));
    });
    cold.forEach((client) =>
      typeAt(p.coldCharsPerSecond, () => {
        client.text.insert(client.text.length, 'x');
        if (measuring) coldEdits++;
      }),
    );

    await new Promise((resolve) => setTimeout(resolve, p.warmupSeconds * 1000));
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    measuring = true;
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, p.seconds * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    loopDelay.disable();
    typing = false;
    for (const timer of timers) clearTimeout(timer);

    const stopped = performance.now();
    let converged = true;
    try {
      await waitFor(
        () => {
          if (!all.every(isSettled)) return false;
          const reference = first.text.toString();
          return hot.every((c) => c.text.toString() === reference);
        },
        20_000,
        'convergence',
      );
    } catch {
      converged = false;
    }
    const settleMs = performance.now() - stopped;
    const finalText = first.text.toString();
    const storedMatch = p.databaseFile
      ? readStoredText(p.databaseFile, p.hotDocument).text === finalText
      : null;
    return {
      latencyMs: summarize(latencies),
      hotEdits,
      hotEditsPerSecond: round(hotEdits / elapsed, 1),
      coldEdits,
      updatesPerSecond: round((hotEdits + coldEdits) / elapsed, 1),
      deliveriesPerSecond: round(deliveries / elapsed, 1),
      awarenessReceivedPerSecond: round(awarenessUpdates / elapsed, 1),
      settleMs: Math.round(settleMs),
      converged,
      finalChars: finalText.length,
      storedMatch,
      loadGeneratorLoopDelayMs: {
        p50: lateMs(loopDelay.percentile(50)),
        p99: lateMs(loopDelay.percentile(99)),
        max: lateMs(loopDelay.max),
      },
      measuredSeconds: round(elapsed, 2),
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    destroyAll(all);
  }
}
