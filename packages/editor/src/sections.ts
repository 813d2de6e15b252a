import type { Node as PMNode } from '@tiptap/pm/model';
import { digest } from 'lib0/hash/sha256';
import { toHexString } from 'lib0/buffer';
import { encodeUtf8 } from 'lib0/string';

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

/**
 * The section's `hash`: SHA-256 of {@link canonical}, in lowercase hexadecimal (64 characters), the
 * same on the server and in the browser. lib0's SHA-256 (Node's crypto on the server, its own code
 * in the browser), which y-tiptap already ships in the editor's first drawing: a second
 * implementation (@noble/hashes) cost it 2.9 KB gzip.
 */
export function sectionHash(section: PMNode): string {
  return toHexString(digest(encodeUtf8(canonical(section))));
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
