import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { LazySectionMenu, LazySectionReviewHeader } from '../editor/LazyPanels.js';
import { sectionsMessages as m } from './messages.js';
import { useSectionActions } from './SectionActions.js';
import { sectionTitleOf } from './sectionRules.js';
import './sections.css';

/**
 * A section in the editor: its content (title then blocks, edited as usual) and, beside the title,
 * the section's menu (for readers who may comment: a « Commenter la section » button instead),
 * above it the section's review (state, last decision, the steps the person may take: see
 * review/SectionReviewHeader.tsx; menu and header come with the chunk loaded right after the first
 * drawing: editor/LazyPanels.tsx). These are outside the editable content
 * (`contentEditable={false}`), so typing never reaches them and ProseMirror ignores their events.
 */
export function SectionView({ node, editor, selectionInside }: ReactNodeViewProps) {
  const api = useSectionActions();
  const id = typeof node.attrs.id === 'string' ? node.attrs.id : '';
  const key = typeof node.attrs.key === 'string' ? node.attrs.key : undefined;
  return (
    <NodeViewWrapper as="section" className="essaim-section" data-section-id={id} data-section-key={key}>
      {api?.editable && id && (
        <div className="essaim-section__tools" contentEditable={false}>
          <LazySectionMenu
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
      {api && !api.editable && api.canComment && id && (
        // A read-only text has one section action: commenting it. It takes no focus itself, so
        // these buttons are in the tab order.
        <div className="essaim-section__tools" contentEditable={false}>
          <button
            type="button"
            className={
              fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm') +
              ' fr-icon-chat-3-line essaim-section__menu-button'
            }
            title={m.menu.commentButton(sectionTitleOf(node) || m.untitled)}
            aria-label={m.menu.commentButton(sectionTitleOf(node) || m.untitled)}
            onClick={() => api.run(id, 'comment')}
          />
        </div>
      )}
      {id && (
        // For writers, the steps are reached with Tab from the section being written, as its menu;
        // a read-only text has its buttons in the tab order.
        <LazySectionReviewHeader sectionId={id} tabbable={!api?.editable || selectionInside === true} />
      )}
      <NodeViewContent className="essaim-section__content" />
    </NodeViewWrapper>
  );
}
