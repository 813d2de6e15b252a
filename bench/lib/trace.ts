import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type * as Y from 'yjs';

/** `[position, deleted, inserted]`: splice semantics on the string, positions in characters. */
export type Patch = [number, number, string];

export interface Trace {
  name: string;
  startContent: string;
  endContent: string;
  txns: { time: string; patches: Patch[] }[];
}

export const TRACES = ['seph-blog1', 'friendsforever_flat'] as const;
export type TraceName = (typeof TRACES)[number];

/** The shared, read-only folder of editing traces, next to the repository (never copied into it). */
export const traceDir = fileURLToPath(new URL('../../../shared/bench-data/', import.meta.url));

const cache = new Map<string, Trace>();

export function loadTrace(name: TraceName): Trace {
  let trace = cache.get(name);
  if (!trace) {
    const file = `${traceDir}${name}.json.gz`;
    if (!fs.existsSync(file)) throw new Error(`trace introuvable : ${file}`);
    const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Omit<Trace, 'name'>;
    trace = { name, ...raw };
    cache.set(name, trace);
  }
  return trace;
}

/**
 * Applies one transaction's patches to a Y.Text (or a paragraph's Y.XmlText), shifted by `offset`
 * characters (call inside a transaction).
 */
export function applyPatches(text: Y.Text, patches: readonly Patch[], offset = 0): void {
  for (const [pos, deleted, inserted] of patches) {
    if (deleted > 0) text.delete(offset + pos, deleted);
    if (inserted.length > 0) text.insert(offset + pos, inserted);
  }
}

/** The same patches on a plain string: the reference the Yjs replays are checked against. */
export function applyPatchesToString(content: string, patches: readonly Patch[]): string {
  let out = content;
  for (const [pos, deleted, inserted] of patches)
    out = out.slice(0, pos) + inserted + out.slice(pos + deleted);
  return out;
}
