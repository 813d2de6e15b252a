import { Extension, type AnyExtension } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import type { DocumentKindName } from '@essaim/domain';
import { schemaExtensions } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { lockedSectionsGuard } from '../review/lockedSections.js';
import { sectionGuard, sectionPlaceholder, withSectionView } from '../sections/sectionExtensions.js';
import type { EditorBridge } from './bridge.js';
import { renderCaret } from './caret.js';
import { followSelectedDocRef, withDocRefView, type DocumentTitles } from './docRefs.js';
import { openSelectedFootnote, withFootnoteView } from './footnotes.js';
import { LateBehaviour } from './lateBehaviour.js';
import { pasteLimit } from './pasteLimit.js';
import { readOnlyGuard } from './readOnly.js';
import { TextViewport } from './scrollMargin.js';
import { undoRedoKeys } from './undoRedoKeys.js';

/**
 * The shared schema (`@essaim/editor`, the list the server reads documents with) with the
 * browser's node views on three of its nodes. `extend` adds views and keys only: the schema built
 * from this list is the shared one (checked by a unit test).
 */
export function schemaWithNodeViews(bridge: EditorBridge, titles: DocumentTitles): AnyExtension[] {
  return schemaExtensions().map((extension) =>
    withDocRefView(withFootnoteView(withSectionView(extension), bridge), titles, bridge),
  );
}

/**
 * Enter on a selected note opens it, on a selected link to a document follows it. Placed before
 * the core keymap, whose Enter would replace the selected node with a line break.
 */
function editorKeys(bridge: EditorBridge): AnyExtension {
  return Extension.create({
    name: 'essaimKeys',
    priority: 1000,
    addKeyboardShortcuts() {
      return {
        Enter: () => openSelectedFootnote(this.editor, bridge) || followSelectedDocRef(this.editor, bridge),
      };
    },
  });
}

export interface EditorSetup {
  kind: DocumentKindName;
  ydoc: Y.Doc;
  provider: HocuspocusProvider;
  identity: { id: string; name: string; color: string };
  bridge: EditorBridge;
  titles: DocumentTitles;
}

/**
 * Every extension of the browser editor: the shared schema, then what only makes sense in a
 * browser (collaboration, carets, prompts of empty sections, the required-section guard, the
 * locked-section guard of the review, the read-only guard). The comments' highlights join the
 * editor after its first drawing, with the late behaviour (`installLateBehaviour.ts`).
 */
export function editorExtensions({
  kind,
  ydoc,
  provider,
  identity,
  bridge,
  titles,
}: EditorSetup): AnyExtension[] {
  return [
    ...schemaWithNodeViews(bridge, titles),
    Collaboration.configure({ document: ydoc, field: FRAGMENT }),
    CollaborationCaret.configure({
      provider,
      user: { id: identity.id, name: identity.name, color: identity.color },
      render: renderCaret,
    }),
    sectionPlaceholder(kind),
    sectionGuard(kind, () => bridge.refused()),
    lockedSectionsGuard((sectionId) => bridge.lockedRefused(sectionId)),
    editorKeys(bridge),
    pasteLimit(ydoc),
    undoRedoKeys(),
    readOnlyGuard(),
    TextViewport,
    // Table editing, automatic links and the comments' highlights, registered once their chunk
    // has arrived (after the first drawing).
    LateBehaviour,
  ];
}
