import { getExtensionField, pasteRulesPlugin, type Editor, type MarkConfig } from '@tiptap/core';
import { Link } from '@tiptap/extension-link';
import type { Plugin } from '@tiptap/pm/state';

/*
 * The typing and pasting behaviour of links, loaded after the first drawing (chunk
 * `panels.lazy.ts`): the schema's link mark (packages/editor/src/links.ts) has none, so
 * linkifyjs is not in the editor's first JavaScript. Tiptap 3.31.3's own `Link` extension,
 * configured as the shared schema configures it, gives its plugins and paste rule: a web address
 * typed then followed by a space becomes a link (`autolink`), a pasted address becomes a link, and
 * an address pasted over selected words links them.
 */

/** The options of the shared schema's link (packages/editor/src/links.ts, `LINK_OPTIONS`). */
const LINK_OPTIONS = { openOnClick: false, autolink: true, defaultProtocol: 'https' } as const;

/**
 * The ProseMirror plugins Tiptap's `Link` adds to an editor (autolink, click handler, paste
 * handler) and the one of its paste rule, built for `editor`'s own link mark type.
 */
export function linkPlugins(editor: Editor): Plugin[] {
  const type = editor.schema.marks.link;
  if (!type) return [];
  const link = Link.configure(LINK_OPTIONS);
  const context = { name: link.name, options: link.options, storage: link.storage, editor, type };
  const plugins =
    getExtensionField<MarkConfig['addProseMirrorPlugins']>(link, 'addProseMirrorPlugins', context)?.() ?? [];
  const rules = getExtensionField<MarkConfig['addPasteRules']>(link, 'addPasteRules', context)?.() ?? [];
  return [...pasteRulesPlugin({ editor, rules }), ...plugins];
}
