import type { Node as PMNode } from '@tiptap/pm/model';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A section as the server and the review workflow see it. */
export interface SectionSummary {
  id: string;
  /** Template key; null for sections the rapporteurs added. */
  key: string | null;
  title: string;
  /** sha256 of the section's title and content; changes with any edit inside, and only then. */
  hash: string;
  /** Characters of text, for length estimates. */
  characters: number;
}

/**
 * The canonical form hashed for a section: its title and content as ProseMirror JSON (whose key
 * order is fixed by the schema). The id is left out, so a fix of a duplicated id does not make an
 * approval stale.
 */
function canonical(section: PMNode): string {
  const json = section.toJSON() as { content?: unknown };
  return JSON.stringify(json.content ?? []);
}

export function sectionHash(section: PMNode): string {
  return bytesToHex(sha256(utf8ToBytes(canonical(section))));
}

/** Tables and images in a node: they take room on a page without adding characters. */
export function countBlocks(node: PMNode): number {
  let n = 0;
  node.descendants((child) => {
    if (child.type.name === 'table' || child.type.name === 'image') n++;
    return child.type.name !== 'table';
  });
  return n;
}

/**
 * The sections of a document, in order. Ids are read as stored; should two sections still share
 * one (before the server's fix has run), the later one is listed with a `~n` suffix so callers
 * never see two entries with the same id.
 */
export function sectionsOf(doc: PMNode): SectionSummary[] {
  const out: SectionSummary[] = [];
  const seen = new Map<string, number>();
  doc.forEach((child) => {
    if (child.type.name !== 'section') return;
    const stored = typeof child.attrs.id === 'string' && child.attrs.id !== '' ? child.attrs.id : 'sans-id';
    const count = seen.get(stored) ?? 0;
    seen.set(stored, count + 1);
    const title = child.firstChild?.type.name === 'sectionTitle' ? child.firstChild.textContent : '';
    out.push({
      id: count === 0 ? stored : `${stored}~${count}`,
      key: typeof child.attrs.key === 'string' ? child.attrs.key : null,
      title: title.trim(),
      hash: sectionHash(child),
      characters: child.textContent.length,
    });
  });
  return out;
}
