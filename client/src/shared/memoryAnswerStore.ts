import type { AnswerStore } from './savedAnswers.js';

/**
 * An {@link AnswerStore} in memory, for tests: like y-indexeddb's `custom` store it keeps a
 * structured clone of each value (what is read back is never the object saved). `entries` lets a
 * test read or damage what is stored.
 */
export function memoryAnswerStore(): AnswerStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, value) => {
      entries.set(key, structuredClone(value));
      return Promise.resolve(value);
    },
  };
}
