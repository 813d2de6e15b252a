import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { useSectionActions } from './SectionActions.js';
import { SectionMenu } from './SectionMenu.js';
import { sectionTitleOf } from './sectionRules.js';
import './sections.css';

/**
 * A section in the editor: its content (title then blocks, edited as usual) and, beside the title,
 * the section's menu. The menu is outside the editable content (`contentEditable={false}`), so
 * typing never reaches it and ProseMirror ignores its events.
 */
export function SectionView({ node, editor, selectionInside }: ReactNodeViewProps) {
  const api = useSectionActions();
  const id = typeof node.attrs.id === 'string' ? node.attrs.id : '';
  const key = typeof node.attrs.key === 'string' ? node.attrs.key : undefined;
  return (
    <NodeViewWrapper as="section" className="essaim-section" data-section-id={id} data-section-key={key}>
      {api?.editable && id && (
        <div className="essaim-section__tools" contentEditable={false}>
          <SectionMenu
            editor={editor}
            sectionId={id}
            title={sectionTitleOf(node)}
            api={api}
            // Only the menu of the section being written is in the tab order: Tab from the text
            // reaches it, and a second Tab leaves the document.
            tabbable={selectionInside === true}
          />
        </div>
      )}
      <NodeViewContent className="essaim-section__content" />
    </NodeViewWrapper>
  );
}
