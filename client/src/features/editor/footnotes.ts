import type { AnyExtension, Editor, Node as TiptapNode } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { NodeSelection, Plugin, PluginKey } from '@tiptap/pm/state';
import type { NodeView } from '@tiptap/pm/view';
import type { EditorBridge } from './bridge.js';
import { editorMessages as m } from './messages.js';
import { memoByObject } from '../../shared/memoByObject.js';

/** A footnote of the document: where it is and what it says. Numbers follow this order. */
export interface FootnoteEntry {
  pos: number;
  text: string;
}

export const footnotesOf = memoByObject((doc: PMNode): FootnoteEntry[] => {
  const notes: FootnoteEntry[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'footnote') notes.push({ pos, text: String(node.attrs.text ?? '') });
    return true;
  });
  return notes;
});

/**
 * Where the note that was at `pos` is now: at `pos` if a note with the same text is still there
 * (the usual case), otherwise the first note with that text (text moved by a co-editor meanwhile).
 */
export function locateFootnote(doc: PMNode, pos: number, text: string): number | null {
  const at = pos >= 0 && pos < doc.content.size ? doc.nodeAt(pos) : null;
  if (at?.type.name === 'footnote' && at.attrs.text === text) return pos;
  return footnotesOf(doc).find((n) => n.text === text)?.pos ?? null;
}

/** Enter on a selected note opens it (see `editorKeys`). */
export function openSelectedFootnote(editor: Editor, bridge: EditorBridge): boolean {
  const { selection } = editor.state;
  if (!(selection instanceof NodeSelection) || selection.node.type.name !== 'footnote') return false;
  bridge.openFootnote(selection.from, String(selection.node.attrs.text ?? ''));
  return true;
}

export function insertFootnote(editor: Editor, text: string): boolean {
  return editor.chain().focus().insertContent({ type: 'footnote', attrs: { text } }).run();
}

export function updateFootnote(editor: Editor, pos: number, previous: string, text: string): boolean {
  const at = locateFootnote(editor.state.doc, pos, previous);
  if (at === null) return false;
  editor.view.dispatch(editor.state.tr.setNodeAttribute(at, 'text', text));
  return true;
}

export function removeFootnote(editor: Editor, pos: number, previous: string): boolean {
  const at = locateFootnote(editor.state.doc, pos, previous);
  if (at === null) return false;
  editor.view.dispatch(editor.state.tr.delete(at, at + 1));
  return true;
}

/**
 * The call of a note in the text: a superscript button whose number comes from a CSS counter
 * (document order, see editor.css), so moving text never needs renumbering. Its accessible name,
 * « Note 3 : … », is set by {@link numberFootnoteCalls}; its tooltip shows the note; it has no
 * text of its own, so the document's text stays the text. Clicking it opens the note.
 */
class FootnoteView implements NodeView {
  dom: HTMLElement;
  private button: HTMLButtonElement;

  constructor(
    private node: PMNode,
    private getPos: () => number | undefined,
    private bridge: EditorBridge,
  ) {
    this.dom = document.createElement('sup');
    this.dom.className = 'essaim-footnote';
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'essaim-footnote__button';
    this.button.addEventListener('click', (event) => {
      event.preventDefault();
      const pos = this.getPos();
      if (typeof pos === 'number') this.bridge.openFootnote(pos, String(this.node.attrs.text ?? ''));
    });
    this.dom.append(this.button);
    this.render();
  }

  private render() {
    const text = String(this.node.attrs.text ?? '');
    this.button.title = text;
    this.dom.dataset.footnote = text;
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  stopEvent(event: Event): boolean {
    // The button handles its own clicks; ProseMirror would select the node instead.
    return (
      event.target instanceof Node && this.button.contains(event.target) && !event.type.startsWith('drag')
    );
  }

  ignoreMutation(): boolean {
    return true;
  }
}

/**
 * Gives each note call its accessible name, « Note 3 : <text> ». The visible number is a CSS
 * counter, which screen readers do not get; the DOM order of the calls is the document order, so
 * numbering them after each change is enough (the views ignore these attribute changes).
 */
function numberFootnoteCalls(root: HTMLElement, editable: boolean): void {
  root.querySelectorAll<HTMLButtonElement>('.essaim-footnote__button').forEach((button, index) => {
    const name = m.footnote.callName(index + 1, button.title);
    if (button.getAttribute('aria-label') !== name) button.setAttribute('aria-label', name);
    // Writers reach a note with the arrows and Enter (or from « Notes »), and Tab leaves the
    // text; readers, whose text is not focusable, go from note to note with Tab.
    button.tabIndex = editable ? -1 : 0;
  });
}

const footnoteNumbersKey = new PluginKey('essaimFootnoteNumbers');

/** The shared `footnote` node with its view and the accessible names of its calls. */
export function withFootnoteView(extension: AnyExtension, bridge: EditorBridge): AnyExtension {
  if (extension.name !== 'footnote' || extension.type !== 'node') return extension;
  return (extension as TiptapNode).extend({
    addNodeView() {
      return ({ node, getPos }) => new FootnoteView(node, getPos, bridge);
    },
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: footnoteNumbersKey,
          view: (view) => {
            let editable = view.editable;
            numberFootnoteCalls(view.dom, editable);
            return {
              update: (updated, previous) => {
                if (updated.state.doc === previous.doc && updated.editable === editable) return;
                editable = updated.editable;
                numberFootnoteCalls(updated.dom, editable);
              },
            };
          },
        }),
      ];
    },
  });
}
