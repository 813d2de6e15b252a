import { Extension, type AnyExtension, type Node as TiptapNode } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { Placeholder } from '@tiptap/extensions';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ReactNodeViewRenderer } from '@tiptap/react';
import type { DocumentKindName } from '@essaim/domain';
import { sectionsMessages as m } from './messages.js';
import { leaveSectionTitle } from './sectionCommands.js';
import { placeholderAt, removedRequiredKeys, sectionTitleOf } from './sectionRules.js';
import { SectionView } from './SectionView.js';

/**
 * Refuses the local transactions that would remove a required section (its menu has no
 * « Supprimer », but a selection across sections and Delete would do it). Changes coming from Yjs
 * are never filtered: refusing them would leave this editor out of step with the shared document.
 * Also: Enter in a section title goes to the text below instead of splitting the title.
 */
export function sectionGuard(kind: DocumentKindName, onRefused: () => void): Extension {
  return Extension.create({
    name: 'essaimSectionGuard',
    // Before the core keymap, whose Enter would split the title.
    priority: 1000,
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: new PluginKey('essaimSectionGuard'),
          filterTransaction: (tr, state) => {
            if (!tr.docChanged || isChangeOrigin(tr)) return true;
            if (removedRequiredKeys(kind, state.doc, tr.doc).length === 0) return true;
            onRefused();
            return false;
          },
        }),
      ];
    },
    addKeyboardShortcuts() {
      return { Enter: () => leaveSectionTitle(this.editor) };
    },
  });
}

/**
 * The template's prompt in the first empty paragraph of each empty section (and a hint in an empty
 * section title), with Tiptap's Placeholder. Its callback only receives a node and a position, so
 * a small plugin placed just before it records the document being decorated (state fields are
 * applied in order, within the same transaction).
 */
export function sectionPlaceholder(kind: DocumentKindName): AnyExtension {
  const decorated: { doc: PMNode | null } = { doc: null };
  const tracker = new Plugin({
    key: new PluginKey('essaimPlaceholderDoc'),
    state: {
      init: (_config, state) => {
        decorated.doc = state.doc;
        return null;
      },
      apply: (tr) => {
        decorated.doc = tr.doc;
        return null;
      },
    },
  });
  return Placeholder.extend({
    addProseMirrorPlugins() {
      return [tracker, ...(this.parent?.() ?? [])];
    },
  }).configure({
    showOnlyCurrent: false,
    includeChildren: true,
    placeholder: ({ pos }) =>
      decorated.doc ? placeholderAt(decorated.doc, pos, kind, { sectionTitle: m.titlePlaceholder }) : '',
  });
}

/**
 * The shared `section` node with a React node view (title, content and the section's menu). The
 * schema is untouched: `extend` only adds the view.
 */
export function withSectionView(extension: AnyExtension): AnyExtension {
  if (extension.name !== 'section' || extension.type !== 'node') return extension;
  return (extension as TiptapNode).extend({
    addNodeView() {
      return ReactNodeViewRenderer(SectionView, {
        // Re-render the menu only when what it shows changes, not at every keystroke.
        update: ({ oldNode, newNode, updateProps }) => {
          if (
            oldNode.attrs.id !== newNode.attrs.id ||
            oldNode.attrs.key !== newNode.attrs.key ||
            sectionTitleOf(oldNode) !== sectionTitleOf(newNode)
          )
            updateProps();
          return true;
        },
      });
    },
  });
}
