import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { META_MAP, readMetadataLight, type DocumentMetadata } from '@essaim/protocol';

/** The text fields, read as typed (the validated values are trimmed, which would eat a typed space). */
const textFields = ['title', 'structure', 'public', 'contact'] as const;
export type TextField = (typeof textFields)[number];

export interface MetadataSnapshot {
  /** Validated values, as the server reads them. */
  values: DocumentMetadata;
  /** Text fields as stored, spaces included. */
  text: Record<TextField, string>;
}

function snapshotOf(map: Y.Map<unknown>): MetadataSnapshot {
  const text = {} as Record<TextField, string>;
  for (const field of textFields) {
    const raw = map.get(field);
    text[field] = typeof raw === 'string' ? raw : '';
  }
  return { values: readMetadataLight((key) => map.get(key)), text };
}

interface MetadataStore {
  subscribe: (onChange: () => void) => () => void;
  get: () => MetadataSnapshot;
}

const stores = new WeakMap<Y.Map<unknown>, MetadataStore>();

/** One snapshot per map, replaced at each change (what `useSyncExternalStore` needs). */
function storeOf(map: Y.Map<unknown>): MetadataStore {
  const existing = stores.get(map);
  if (existing) return existing;
  let current = snapshotOf(map);
  const listeners = new Set<() => void>();
  const observer = () => {
    current = snapshotOf(map);
    for (const listener of listeners) listener();
  };
  const store: MetadataStore = {
    subscribe(onChange) {
      if (listeners.size === 0) {
        // Changes made while nobody listened are read now.
        current = snapshotOf(map);
        map.observe(observer);
      }
      listeners.add(onChange);
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) map.unobserve(observer);
      };
    },
    get: () => current,
  };
  stores.set(map, store);
  return store;
}

/**
 * The document's metadata, live: one entry per field in the Y.Doc's `meta` map, so a change by a
 * co-editor shows at once. `set` writes one field (arrays are replaced whole); callers never call
 * it on a read-only connection.
 */
export function useMetadata(ydoc: Y.Doc) {
  const map = useMemo(() => ydoc.getMap<unknown>(META_MAP), [ydoc]);
  const store = useMemo(() => storeOf(map), [map]);
  const snapshot = useSyncExternalStore(store.subscribe, store.get);
  const set = useCallback(
    <K extends keyof DocumentMetadata>(field: K, value: DocumentMetadata[K]) => {
      if (map.get(field) === value) return;
      map.set(field, value);
    },
    [map],
  );
  return { ...snapshot, set };
}

/**
 * Only the document's title, live. React re-renders the caller when the title changes, not on
 * every keystroke in another field (the whole editor page reads the title).
 */
export function useMetadataTitle(ydoc: Y.Doc): string {
  const store = useMemo(() => storeOf(ydoc.getMap<unknown>(META_MAP)), [ydoc]);
  return useSyncExternalStore(store.subscribe, () => store.get().values.title);
}
