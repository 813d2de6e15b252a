import type { AnyExtension, Editor, Node as TiptapNode } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { NodeSelection, Plugin, PluginKey } from '@tiptap/pm/state';
import type { NodeView } from '@tiptap/pm/view';
import type { EditorBridge } from './bridge.js';

/**
 * The current titles of the espace's documents, for the links between documents: a link stores
 * the title it had when it was made, and shows the current one as soon as it is known.
 */
export class DocumentTitles {
  private titles = new Map<string, string>();
  private listeners = new Set<() => void>();

  set(documents: readonly { id: string; title: string }[]): void {
    let changed = false;
    for (const { id, title } of documents) {
      if (this.titles.get(id) !== title) {
        this.titles.set(id, title);
        changed = true;
      }
    }
    if (changed) for (const listener of this.listeners) listener();
  }

  get(id: string): string | undefined {
    return this.titles.get(id);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const docRefPath = (id: string): string => `/documents/${encodeURIComponent(id)}`;

/** Enter on a selected link follows it (see `editorKeys`). */
export function followSelectedDocRef(editor: Editor, bridge: EditorBridge): boolean {
  const { selection } = editor.state;
  if (!(selection instanceof NodeSelection) || selection.node.type.name !== 'docRef') return false;
  bridge.navigate(docRefPath(String(selection.node.attrs.documentId ?? '')));
  return true;
}

/** Inserts a link to another document, followed by a space to go on typing. */
export function insertDocRef(editor: Editor, documentId: string, title: string): boolean {
  return editor
    .chain()
    .focus()
    .insertContent([
      { type: 'docRef', attrs: { documentId, title } },
      { type: 'text', text: ' ' },
    ])
    .run();
}

/**
 * A link to another document: an ordinary link (`/documents/:id`) showing that document's current
 * title. A plain click opens it inside the application; Ctrl/Cmd+click opens a new tab.
 */
class DocRefView implements NodeView {
  dom: HTMLAnchorElement;
  private label: HTMLSpanElement;
  private unsubscribe: () => void;

  constructor(
    private node: PMNode,
    private titles: DocumentTitles,
    private bridge: EditorBridge,
  ) {
    this.dom = document.createElement('a');
    this.dom.className = 'essaim-doc-ref';
    const icon = document.createElement('span');
    icon.className = 'fr-icon-file-text-line fr-icon--sm essaim-doc-ref__icon';
    icon.setAttribute('aria-hidden', 'true');
    this.label = document.createElement('span');
    this.dom.append(icon, this.label);
    this.dom.addEventListener('click', (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.bridge.navigate(this.dom.getAttribute('href') ?? '/');
    });
    this.unsubscribe = titles.subscribe(() => this.render());
    this.render();
  }

  private render() {
    const id = String(this.node.attrs.documentId ?? '');
    this.dom.href = docRefPath(id);
    this.dom.dataset.docRef = id;
    this.label.textContent = this.titles.get(id) ?? String(this.node.attrs.title ?? '');
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.unsubscribe();
  }
}

/**
 * Links between documents are in the tab order for readers (their text is not focusable) and out
 * of it for writers, who select a link with the arrows and follow it with Enter: Tab then goes
 * from the text to the section's menu instead of through every link.
 */
function orderDocRefLinks(root: HTMLElement, editable: boolean): void {
  root.querySelectorAll<HTMLAnchorElement>('a.essaim-doc-ref').forEach((link) => {
    link.tabIndex = editable ? -1 : 0;
  });
}

const docRefOrderKey = new PluginKey('essaimDocRefOrder');

/** The shared `docRef` node with its view and its place in the tab order. */
export function withDocRefView(
  extension: AnyExtension,
  titles: DocumentTitles,
  bridge: EditorBridge,
): AnyExtension {
  if (extension.name !== 'docRef' || extension.type !== 'node') return extension;
  return (extension as TiptapNode).extend({
    addNodeView() {
      return ({ node }) => new DocRefView(node, titles, bridge);
    },
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: docRefOrderKey,
          view: (view) => {
            let editable = view.editable;
            orderDocRefLinks(view.dom, editable);
            return {
              update: (updated, previous) => {
                if (updated.state.doc === previous.doc && updated.editable === editable) return;
                editable = updated.editable;
                orderDocRefLinks(updated.dom, editable);
              },
            };
          },
        }),
      ];
    },
  });
}
