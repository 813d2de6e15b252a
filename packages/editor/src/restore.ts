import { updateYFragment } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { FRAGMENT, META_MAP } from '@essaim/protocol';
import type { DocJSON } from './convert.js';
import { schema } from './extensions.js';

/**
 * Makes the live `doc` hold `content` (ProseMirror JSON of an earlier version) and `meta` (that
 * version's metadata entries), as a forward change in the caller's transaction: the same minimal
 * diff the editor's Yjs binding makes (y-tiptap's `updateYFragment`), so paragraphs equal in both
 * keep their Yjs items (comment anchors and keystrokes in flight there stay valid) and nothing is
 * rebuilt from JSON into a new history (which would duplicate every paragraph for clients that
 * reconnect, hocuspocus#84). Throws when `content` does not fit the schema, before writing.
 */
export function restoreContent(doc: Y.Doc, content: DocJSON, meta: Record<string, unknown>): void {
  const node = schema.nodeFromJSON(content);
  node.check();
  doc.transact(() => {
    updateYFragment(doc, doc.getXmlFragment(FRAGMENT), node, { mapping: new Map(), isOMark: new Map() });
    const live = doc.getMap(META_MAP);
    for (const key of [...live.keys()]) if (!(key in meta)) live.delete(key);
    for (const [key, value] of Object.entries(meta))
      if (JSON.stringify(live.get(key)) !== JSON.stringify(value)) live.set(key, value);
  });
}
