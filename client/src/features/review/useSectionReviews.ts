import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Editor } from '@tiptap/core';
import type { HocuspocusProvider, onStatelessParameters } from '@hocuspocus/provider';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { ReviewEvent } from '@essaim/domain';
import {
  META_MAP,
  parsePublicationChangedMessageLight,
  parseReviewChangedMessageLight,
  parseSectionLockedMessageLight,
  sectionLockedNotice,
  type ReviewedDocumentSectionsDto,
  type ReviewedSectionDto,
} from '@essaim/protocol';
import { useSavedAnswer, type AnswerStore } from '../../shared/savedAnswers.js';
import { useLoad, type Loadable } from '../../shared/useLoad.js';
import { readSavedReviewLater } from '../editor/LazyPanels.js';
import { getReviewedSections, reviewSection } from './api.js';
import {
  documentReviewView,
  liveSignature,
  sectionHashesOf,
  serverSignature,
  type DocumentReviewView,
} from './liveReview.js';
import { setLockedSections } from './lockedSections.js';
import { reviewMessages as m } from './messages.js';

/** A notice about a locked section, shown above the text and spoken once. */
export interface LockNotice {
  /** Changes at each notice, so the same sentence twice is shown (and spoken) twice. */
  key: number;
  text: string;
}

/** The review of an open document, for the page, the progress bar and the section headers. */
export interface SectionReviews {
  documentId: string;
  /**
   * The server's answer (loading, failed with a French reason, or there), or, while the server is
   * unreachable, the last one saved on this device (`saved`).
   */
  state: Loadable<ReviewedDocumentSectionsDto>;
  /** `state` is the answer saved on this device: drawn marked so, its steps not offered. */
  saved: boolean;
  /** The answer read against the text in the editor now; null until the answer is there. */
  view: DocumentReviewView | null;
  /**
   * Whether the editor's text has been read into `view` (its sections' hashes): until then the
   * view holds the server's hashes, and what the page draws from it (stale sections, « nouvelle
   * version en cours ») may change once the text is read.
   */
  textRead: boolean;
  retry: () => void;
  /**
   * One review step on a section. `approve` sends the section's hash as the editor shows it now,
   * so an approval of words the person has not seen is refused (409). Resolves with the section
   * after the step (the view is updated at once); rejects with the server's `ApiError`.
   */
  decide: (sectionId: string, action: ReviewEvent, message?: string) => Promise<ReviewedSectionDto>;
  /** The last notice about a locked section, or null. */
  notice: LockNotice | null;
  dismissNotice: () => void;
  /** The editor refused a change inside a locked section (lockedSections.ts): say why. */
  refusedLocked: (sectionId: string) => void;
}

const sameHashes = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([id, hash]) => b.get(id) === hash);

/** How long the editor's section hashes wait for the typing to pause before being read. */
const HASH_DELAY_MS = 150;
/** A refusal inside a locked section is said again after this long at most once. */
const REFUSAL_REPEAT_MS = 4000;

/**
 * Loads the document's section reviews and keeps them live:
 * - `review-changed` (a step taken by anyone, broadcast to every connection of the document,
 *   read-only ones included) and a reconnection read them again;
 * - the editor's text is hashed as it changes (the person's keystrokes and the co-writers'), so
 *   a section written after its approval shows « Modifiée depuis l'approbation » at once, and the
 *   server is asked again for the steps that then apply, once the change has reached it;
 * - the locked sections are handed to the editor's guard;
 * - `section-locked` (the server reverted this person's change inside a locked section) and the
 *   guard's own refusals become a notice, spoken in the page's polite live region (`announce`).
 */
export function useSectionReviews({
  documentId,
  provider,
  editor,
  readOnly,
  announce,
  localCopy,
  userId,
}: {
  documentId: string;
  provider: HocuspocusProvider;
  /** The document's local copy, where the last answer is saved for an offline opening. */
  localCopy: AnswerStore | null;
  userId: string;
  editor: Editor | null;
  /** The person's write access: the steps offered change with it, so they are read again. */
  readOnly: boolean;
  announce: (message: string) => void;
}): SectionReviews {
  const loaded = useLoad((signal) => getReviewedSections(documentId, signal), [documentId, readOnly]);
  const { reload, update } = loaded;
  const shown = useSavedAnswer(
    localCopy,
    'sections',
    userId,
    loaded.state,
    loaded.unreachable,
    readSavedReviewLater,
  );
  const [hashes, setHashes] = useState<ReadonlyMap<string, string> | null>(null);
  const [notice, setNotice] = useState<LockNotice | null>(null);
  const cache = useRef(new WeakMap<PMNode, string>());
  const announceRef = useRef(announce);
  useEffect(() => {
    announceRef.current = announce;
  });

  const showNotice = useCallback((text: string) => {
    setNotice((current) => ({ key: (current?.key ?? 0) + 1, text }));
    announceRef.current(text);
  }, []);

  // The text's section hashes, read when the typing pauses.
  useEffect(() => {
    if (!editor) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => {
      timer = null;
      if (editor.isDestroyed) return;
      const next = sectionHashesOf(editor.state.doc, cache.current);
      // Unchanged hashes (a change outside sections, or undone) keep the view as it is.
      setHashes((current) => (current && sameHashes(current, next) ? current : next));
    };
    const onUpdate = () => {
      timer ??= setTimeout(read, HASH_DELAY_MS);
    };
    read();
    editor.on('update', onUpdate);
    return () => {
      if (timer) clearTimeout(timer);
      editor.off('update', onUpdate);
    };
  }, [editor]);

  // Live: a step taken by anyone, a change reverted by the server, a reconnection (or the first
  // connection of a page opened offline, whose first reading failed).
  const failed = useRef(false);
  useEffect(() => {
    failed.current = loaded.state.status === 'error';
  });
  useEffect(() => {
    const onStateless = ({ payload }: onStatelessParameters) => {
      if (parseReviewChangedMessageLight(payload) || parsePublicationChangedMessageLight(payload)) {
        reload();
        return;
      }
      const locked = parseSectionLockedMessageLight(payload);
      if (locked) showNotice(sectionLockedNotice(locked.title));
    };
    let missed = false;
    const onDisconnect = () => {
      missed = true;
    };
    const onSynced = ({ state }: { state: boolean }) => {
      if (!state || !(missed || failed.current)) return;
      missed = false;
      reload();
    };
    provider.on('stateless', onStateless);
    provider.on('disconnect', onDisconnect);
    provider.on('synced', onSynced);
    return () => {
      provider.off('stateless', onStateless);
      provider.off('disconnect', onDisconnect);
      provider.off('synced', onSynced);
    };
  }, [provider, reload, showNotice]);

  // A saved answer is read against the text as the server's is; it is not judged against it (the
  // server is asked again once it is reachable, see above).
  const dto = shown.state.status === 'ready' ? shown.state.value : null;
  const view = useMemo(() => (dto ? documentReviewView(dto, hashes) : null), [dto, hashes]);

  // The text no longer matches what the server judged (a section stale or fresh again, added or
  // removed): ask again once the change has reached the server, once per new state of the text.
  // The wait depends on the two signatures only, not on each keystroke's hashes: a keystroke
  // that leaves the signature as it is must not drop a wait still pending (the server's
  // acknowledgements can arrive after several keystrokes on a slow network).
  const live = dto && hashes && !shown.saved ? liveSignature(dto, hashes) : null;
  const judged = dto ? serverSignature(dto) : null;
  useEffect(() => {
    if (live === null || live === judged) return;
    if (provider.unsyncedChanges === 0) {
      reload();
      return;
    }
    const onUnsynced = ({ number }: { number: number }) => {
      if (number !== 0) return;
      provider.off('unsyncedChanges', onUnsynced);
      reload();
    };
    provider.on('unsyncedChanges', onUnsynced);
    return () => {
      provider.off('unsyncedChanges', onUnsynced);
    };
  }, [live, judged, provider, reload]);

  // A published document whose metadata change (title, contact, territory…) has a new version
  // in progress, and none again once they are put back as published (the server compares them
  // with the published ones): ask again once the typing pauses and the change has reached the
  // server, the person's or a co-writer's.
  const published = dto !== null && dto.reviewState === 'publiee';
  useEffect(() => {
    if (!published) return;
    const meta = provider.document.getMap<unknown>(META_MAP);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let waiting = false;
    const onUnsynced = ({ number }: { number: number }) => {
      if (number !== 0) return;
      provider.off('unsyncedChanges', onUnsynced);
      waiting = false;
      reload();
    };
    const ask = () => {
      timer = null;
      if (waiting) return;
      if (provider.unsyncedChanges === 0) {
        reload();
        return;
      }
      waiting = true;
      provider.on('unsyncedChanges', onUnsynced);
    };
    const onMetadata = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(ask, HASH_DELAY_MS);
    };
    meta.observe(onMetadata);
    return () => {
      if (timer) clearTimeout(timer);
      meta.unobserve(onMetadata);
      provider.off('unsyncedChanges', onUnsynced);
    };
  }, [published, provider, reload]);

  const lockedKey = view?.lockedIds.join('\n') ?? '';
  useEffect(() => {
    if (editor) setLockedSections(editor, lockedKey ? lockedKey.split('\n') : []);
  }, [editor, lockedKey]);

  const decide = useCallback(
    async (sectionId: string, action: ReviewEvent, message?: string) => {
      const hash =
        action === 'approve' && editor && !editor.isDestroyed
          ? sectionHashesOf(editor.state.doc, cache.current).get(sectionId)
          : undefined;
      const section = await reviewSection(documentId, sectionId, {
        action,
        ...(message?.trim() ? { message: message.trim() } : {}),
        ...(hash ? { hash } : {}),
      });
      update((current) => ({
        ...current,
        sections: current.sections.map((s) => (s.id === section.id ? section : s)),
      }));
      return section;
    },
    [documentId, editor, update],
  );

  const lastRefusal = useRef<{ id: string; at: number } | null>(null);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });
  const refusedLocked = useCallback(
    (sectionId: string) => {
      const now = Date.now();
      const last = lastRefusal.current;
      if (last && last.id === sectionId && now - last.at < REFUSAL_REPEAT_MS) return;
      lastRefusal.current = { id: sectionId, at: now };
      showNotice(m.notice.refusedLocked(viewRef.current?.byId.get(sectionId)?.title ?? ''));
    },
    [showNotice],
  );

  return {
    documentId,
    state: shown.state,
    saved: shown.saved,
    view,
    textRead: hashes !== null,
    retry: loaded.retry,
    decide,
    notice,
    dismissNotice: useCallback(() => setNotice(null), []),
    refusedLocked,
  };
}
