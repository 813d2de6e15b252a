import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { useEditorState } from '@tiptap/react';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import {
  parseThreadsChangedMessageLight,
  type AuthorDto,
  type CommentAbilitiesDto,
  type CommentDto,
  type ThreadAnchorDto,
  type ThreadDto,
} from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { useKeptAnswer, type AnswerStore } from '../../shared/savedAnswers.js';
import { readSavedThreads, SAVED_THREADS } from './savedThreads.js';
import {
  decodeAnchor,
  encodeAnchor,
  quoteOf,
  textRangeOf,
  yBindingOf,
  type DecodedAnchor,
  type Range,
} from './anchors.js';
import * as api from './api.js';
import { highlightsOf, type HighlightedThread, type ThreadPlacement } from './highlights.js';
import { commentsMessages as m } from './messages.js';
import {
  groupThreads,
  matchesFilter,
  openCountsBySection,
  type SectionEntry,
  type ThreadFilter,
  type ThreadGroup,
} from './ordering.js';
import { plainText } from './commentText.js';
import { peekPrefetchedThreads, takePrefetchedThreads } from './prefetch.js';
import { useSearchParams } from '../../shared/useSearchParams.js';
import { isCommentShortcut } from './shortcut.js';

/** A new thread being written: on selected words, or on a whole section. */
export type Draft =
  | { kind: 'selection'; sectionId: string; anchor: ThreadAnchorDto; quote: string }
  | { kind: 'section'; sectionId: string; title: string };

export type ListState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      threads: ThreadDto[];
      abilities: CommentAbilitiesDto;
      /**
       * Drawn from this device's saved threads, the server being unreachable (`savedThreads.ts`):
       * nothing can be done on them until the server's list replaces them.
       */
      saved?: true;
    };

/** What an offline page may do with saved threads: read them. */
const OFFLINE_ABILITIES: CommentAbilitiesDto = { comment: false, resolve: false, moderate: false };

/** Where focus goes after an action in the panel (the thread's heading, or its reply field). */
export interface FocusRequest {
  threadId: string;
  key: number;
}

/** Everything the panel, the « Commenter » button and the outline read and do. */
export interface Comments {
  documentId: string;
  me: AuthorDto;
  state: ListState;
  /** Whether the person may start threads and reply here (from the server's abilities). */
  canComment: boolean;
  filter: ThreadFilter;
  setFilter: (filter: ThreadFilter) => void;
  groups: ThreadGroup[];
  counts: { open: number; resolved: number };
  /** Open threads per section, for the « Sommaire ». */
  openBySection: ReadonlyMap<string, number>;
  activeId: string | null;
  /** Opens a thread in the panel; `from: 'link'` or `'panel'` also brings its words into view. */
  openThread: (threadId: string, from: 'panel' | 'text' | 'link') => void;
  closeThread: () => void;
  /** Scrolls to the thread's words and selects them, with the caret in the text. */
  focusWords: (threadId: string) => void;
  focusRequest: FocusRequest | null;
  draft: Draft | null;
  /** Starts a thread on the selected words; false (and said) when nothing is selected. */
  startOnSelection: () => boolean;
  startOnSection: (sectionId: string, title: string) => void;
  cancelDraft: () => void;
  people: AuthorDto[];
  create: (body: string) => Promise<void>;
  reply: (threadId: string, body: string) => Promise<void>;
  edit: (comment: CommentDto, body: string) => Promise<void>;
  remove: (comment: CommentDto) => Promise<void>;
  setStatus: (thread: ThreadDto, action: 'resolve' | 'reopen') => Promise<void>;
  retry: () => void;
}

/** The sections of the document (id and title), for grouping; compared deeply by the editor hook. */
function sectionsOf(editor: Editor): SectionEntry[] {
  const sections: SectionEntry[] = [];
  editor.state.doc.forEach((child) => {
    if (child.type.name !== 'section' || typeof child.attrs.id !== 'string') return;
    const title = child.firstChild?.type.name === 'sectionTitle' ? child.firstChild.textContent.trim() : '';
    sections.push({ id: child.attrs.id, title });
  });
  return sections;
}

const noSubscription = () => () => undefined;
const NO_THREADS: ThreadDto[] = [];
const NO_SECTIONS: SectionEntry[] = [];
const NO_PLACEMENTS: ReadonlyMap<string, ThreadPlacement> = new Map();
const noPlacements = () => NO_PLACEMENTS;

function sectionIdAt(editor: Editor, pos: number): string | null {
  const { doc } = editor.state;
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)));
  const top = $pos.depth >= 1 ? $pos.node(1) : null;
  return top?.type.name === 'section' && typeof top.attrs.id === 'string' ? top.attrs.id : null;
}

/**
 * The selection as the person sees it: the page's selection when it lies in the text (the editor
 * reads it on `selectionchange`, which may not have run yet after a quick arrow key), otherwise
 * the editor's.
 */
function selectionNow(editor: Editor): { from: number; to: number } {
  const { view } = editor;
  const dom = view.dom.ownerDocument.getSelection();
  const { anchorNode, focusNode } = dom ?? {};
  if (dom && anchorNode && focusNode && view.dom.contains(anchorNode) && view.dom.contains(focusNode)) {
    try {
      const anchor = view.posAtDOM(anchorNode, dom.anchorOffset);
      const head = view.posAtDOM(focusNode, dom.focusOffset);
      return { from: Math.min(anchor, head), to: Math.max(anchor, head) };
    } catch {
      // Inside a node view the editor cannot map: its own selection then.
    }
  }
  const { from, to } = editor.state.selection;
  return { from, to };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Same thread, placed where the list had it (new ones at the end). */
function upsert(threads: ThreadDto[], thread: ThreadDto): ThreadDto[] {
  const index = threads.findIndex((t) => t.id === thread.id);
  if (index < 0) return [...threads, thread];
  const next = [...threads];
  next[index] = thread;
  return next;
}

function replaceComment(threads: ThreadDto[], comment: CommentDto): ThreadDto[] {
  return threads.map((t) =>
    t.id !== comment.threadId
      ? t
      : {
          ...t,
          comments: t.comments.some((c) => c.id === comment.id)
            ? t.comments.map((c) => (c.id === comment.id ? comment : c))
            : [...t.comments, comment],
        },
  );
}

const DRAFT_ID = '__brouillon__';

/**
 * The list state after a new answer of the server: threads equal to those shown (same JSON) keep
 * their object, and the state itself is kept when nothing changed, so that reading the list again
 * (after a reconnection, or after the prefetched list) redraws neither the highlights nor the panel.
 */
export function refreshed(
  current: ListState,
  threads: ThreadDto[],
  abilities: CommentAbilitiesDto,
): ListState {
  if (current.status !== 'ready' || current.saved) return { status: 'ready', threads, abilities };
  const shown = new Map(current.threads.map((t) => [t.id, t]));
  let same = threads.length === current.threads.length;
  const merged = threads.map((thread, i) => {
    const before = shown.get(thread.id);
    const kept = before && JSON.stringify(before) === JSON.stringify(thread) ? before : thread;
    if (kept !== current.threads[i]) same = false;
    return kept;
  });
  const sameAbilities = JSON.stringify(current.abilities) === JSON.stringify(abilities);
  if (same && sameAbilities) return current;
  return {
    status: 'ready',
    threads: same ? current.threads : merged,
    abilities: sameAbilities ? current.abilities : abilities,
  };
}

/**
 * The comments of an open document: loaded once, kept live through the provider's stateless
 * messages (`threads-changed`: refetch the thread, or the list), drawn in the text by the editor's
 * highlights, and `?thread=<id>` in the address opens that thread.
 */
export function useComments({
  documentId,
  espaceId,
  editor,
  provider,
  me,
  announce,
  localCopy,
}: {
  documentId: string;
  /** The document's local copy, where the threads are saved for an offline opening. */
  localCopy: AnswerStore | null;
  espaceId: string | null;
  /** Null while the editor is being built: the list loads meanwhile. */
  editor: Editor | null;
  provider: HocuspocusProvider;
  me: AuthorDto;
  announce: (message: string) => void;
}): Comments {
  // The list asked for when the page opened (prefetch.ts): when it is already there, the
  // highlights are drawn as soon as this hook is here, with no request in between.
  // Read in the first render and taken once mounted: React may render this hook's first render
  // twice before mounting it (it is in a chunk loaded after the first drawing, issue 16).
  const [prefetched] = useState(() => peekPrefetchedThreads(documentId));
  useEffect(() => {
    takePrefetchedThreads(documentId);
  }, [documentId]);
  const [state, setState] = useState<ListState>(() =>
    prefetched?.ready
      ? { status: 'ready', threads: prefetched.ready.threads, abilities: prefetched.ready.abilities }
      : { status: 'loading' },
  );
  const [attempt, setAttempt] = useState(0);
  const [filter, setFilterState] = useState<ThreadFilter>('open');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const [people, setPeople] = useState<AuthorDto[]>([]);
  const [searchParams] = useSearchParams();
  const requestedThread = searchParams.get('thread');
  const store = editor ? highlightsOf(editor) : null;
  const announceRef = useRef(announce);
  useEffect(() => {
    announceRef.current = announce;
  });

  const setThreads = useCallback(
    (change: (threads: ThreadDto[]) => ThreadDto[]) =>
      setState((current) =>
        current.status === 'ready' ? { ...current, threads: change(current.threads) } : current,
      ),
    [],
  );

  // The list, at first and whenever asked again (reconnection, `anchors` message, retry). At
  // first, the prefetched answer when there is one (already in the state, or still under way).
  const firstList = useRef(prefetched);
  const reloadAtFirstSync = useRef(prefetched !== null);
  useEffect(() => {
    const first = attempt === 0 ? firstList.current : null;
    firstList.current = null;
    if (first?.ready) return;
    const controller = new AbortController();
    (first?.promise ?? api.listThreads(documentId, controller.signal)).then(
      (list) => {
        // Aborted while the body was read: apiFetch then resolves with nothing.
        if (controller.signal.aborted || !list) return;
        setState((current) => refreshed(current, list.threads, list.abilities));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failed = (current: ListState): ListState =>
          current.status === 'ready' ? current : { status: 'error', message: messageOf(error) };
        // The server out of reach: the threads saved on this device, marked as such, if any.
        if (!(error instanceof ApiError && error.isNetworkError) || !localCopy) {
          setState(failed);
          return;
        }
        readSavedThreads(localCopy, me.id).then(
          (threads) => {
            if (controller.signal.aborted) return;
            setState((current) =>
              threads && current.status !== 'ready'
                ? { status: 'ready', threads, abilities: OFFLINE_ABILITIES, saved: true }
                : failed(current),
            );
          },
          () => !controller.signal.aborted && setState(failed),
        );
      },
    );
    return () => controller.abort();
  }, [documentId, attempt, localCopy, me.id]);

  // The server's threads, as this page shows them, saved with the local copy for an offline
  // opening, each time the list changes.
  useKeptAnswer(
    localCopy,
    SAVED_THREADS,
    me.id,
    state.status === 'ready' && !state.saved ? state.threads : null,
  );
  const showsSaved = state.status === 'ready' && state.saved === true;
  const showsSavedRef = useRef(showsSaved);
  useEffect(() => {
    showsSavedRef.current = showsSaved;
  });

  const reloadList = useCallback(() => setAttempt((n) => n + 1), []);

  // The people one can mention: the espace's members.
  useEffect(() => {
    if (!espaceId) return;
    let current = true;
    api.listMentionable(espaceId).then(
      (people) => current && setPeople(people),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [espaceId]);

  // Live: every connection of the document hears about changes to its threads.
  useEffect(() => {
    const fetchThread = (threadId: string, change: string) => {
      api.getThread(threadId).then(
        (thread) => {
          setThreads((threads) => upsert(threads, thread));
          const last = thread.comments.at(-1);
          if (change === 'created' && thread.createdBy.id !== me.id)
            announceRef.current(m.announce.liveCreated(thread.createdBy.name));
          else if (change === 'commented' && last && last.author.id !== me.id)
            announceRef.current(
              m.announce.liveReply(last.author.name, plainText(last.body, last.mentions).slice(0, 120)),
            );
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 404)
            setThreads((threads) => threads.filter((t) => t.id !== threadId));
        },
      );
    };
    const onStateless = ({ payload }: { payload: string }) => {
      const message = parseThreadsChangedMessageLight(payload);
      if (!message) return;
      if (message.threadId === null) reloadList();
      else if (message.change === 'thread-deleted')
        setThreads((threads) => threads.filter((t) => t.id !== message.threadId));
      else fetchThread(message.threadId, message.change);
    };
    // After a reconnection, what was missed while offline is read again. A list asked for before
    // this listener was there (prefetched while the text was read) is read again at the first sync:
    // a thread created in between would otherwise be missed.
    let missed = reloadAtFirstSync.current;
    const onDisconnect = () => {
      missed = true;
    };
    const onSynced = ({ state: now }: { state: boolean }) => {
      // Saved threads drawn while the server was out of reach are replaced by its list.
      if (!now || !(missed || showsSavedRef.current)) return;
      missed = false;
      reloadAtFirstSync.current = false;
      reloadList();
    };
    provider.on('stateless', onStateless);
    provider.on('disconnect', onDisconnect);
    provider.on('synced', onSynced);
    // This hook is loaded after the editor's first drawing (editor/panels.lazy.ts, issue 16): when
    // the first sync came before it, the prefetched list is read again now.
    if (missed && provider.isSynced) onSynced({ state: true });
    return () => {
      provider.off('stateless', onStateless);
      provider.off('disconnect', onDisconnect);
      provider.off('synced', onSynced);
    };
  }, [provider, me.id, reloadList, setThreads]);

  const threads = state.status === 'ready' ? state.threads : NO_THREADS;
  const canComment = state.status === 'ready' && state.abilities.comment;

  // Highlights: every anchored thread is placed, those the filter shows are drawn.
  const decoded = useRef(new Map<string, { key: string; anchor: DecodedAnchor | null }>());
  const decodedOf = useCallback((id: string, anchor: ThreadAnchorDto | null): DecodedAnchor | null => {
    if (!anchor) return null;
    const key = `${anchor.start}|${anchor.end}`;
    const cached = decoded.current.get(id);
    if (cached?.key === key) return cached.anchor;
    const value = decodeAnchor(anchor);
    decoded.current.set(id, { key, anchor: value });
    return value;
  }, []);

  // In the commit that shows the editor or this hook (layout effect), right after it.
  useLayoutEffect(() => {
    const list: HighlightedThread[] = threads.map((thread) => ({
      id: thread.id,
      anchor: thread.orphaned || thread.wholeSection ? null : decodedOf(thread.id, thread.anchor),
      expected: thread.currentQuote ?? thread.quote,
      sectionId: thread.sectionId,
      resolved: thread.status === 'resolved',
      shown: matchesFilter(thread, filter),
    }));
    if (draft?.kind === 'selection')
      list.push({
        id: DRAFT_ID,
        anchor: decodedOf(DRAFT_ID, draft.anchor),
        expected: draft.quote,
        sectionId: draft.sectionId,
        resolved: false,
        shown: true,
      });
    // After the code running now: this effect may run inside a ProseMirror update (a section's
    // React node view flushes React synchronously, with this hook's pending effects), and a
    // nested `updateState` there leaves the text's decorations stale (the outer update goes on
    // with the decorations it started with). Tasks queued in order keep the last one last.
    if (store) queueMicrotask(() => store.setThreads(list));
  }, [store, threads, filter, draft, decodedOf]);

  useEffect(() => {
    if (!store) return;
    const active = draft?.kind === 'selection' ? DRAFT_ID : activeId;
    queueMicrotask(() => store.setActive(active)); // as above
  }, [store, activeId, draft]);

  const placements = useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    store?.getPlacements ?? noPlacements,
  );
  const sections =
    useEditorState({ editor, selector: ({ editor: e }) => (e ? sectionsOf(e) : NO_SECTIONS) }) ?? NO_SECTIONS;

  const visible = useMemo(() => threads.filter((t) => matchesFilter(t, filter)), [threads, filter]);
  const groups = useMemo(() => groupThreads(visible, placements, sections), [visible, placements, sections]);
  const openBySection = useMemo(() => openCountsBySection(threads, placements), [threads, placements]);
  const counts = useMemo(
    () => ({
      open: threads.filter((t) => t.status === 'open').length,
      resolved: threads.filter((t) => t.status === 'resolved').length,
    }),
    [threads],
  );

  const scrollToWords = useCallback(
    (threadId: string): Range | null => {
      if (!store || !editor || editor.isDestroyed) return null;
      const range = store.rangeOf(threadId);
      const thread = threads.find((t) => t.id === threadId);
      const view = editor.view;
      let target: Node | null = null;
      if (range) target = view.domAtPos(range.from).node;
      else if (thread) target = view.dom.querySelector(`[data-section-id="${CSS.escape(thread.sectionId)}"]`);
      const element = target instanceof Element ? target : (target?.parentElement ?? null);
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      element?.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
      return range;
    },
    [store, threads, editor],
  );

  const openThread = useCallback(
    (threadId: string, from: 'panel' | 'text' | 'link') => {
      const thread = threads.find((t) => t.id === threadId);
      if (!thread) return;
      setDraft(null);
      setActiveId(threadId);
      if (!matchesFilter(thread, filter)) setFilterState('all');
      if (from !== 'text') scrollToWords(threadId);
      // From the text, focus stays where the person writes; the panel shows the thread.
      if (from !== 'text') setFocusRequest({ threadId, key: Date.now() });
      else {
        setFocusRequest(null);
        announceRef.current(
          m.announce.opened(thread.wholeSection ? (thread.sectionTitle ?? thread.quote) : thread.quote),
        );
      }
    },
    [threads, filter, scrollToWords],
  );

  const closeThread = useCallback(() => setActiveId(null), []);

  const focusWords = useCallback(
    (threadId: string) => {
      setActiveId(threadId);
      const range = scrollToWords(threadId);
      // Writers and readers alike: a read-only text has a caret too (editor/readOnly.ts).
      if (range && editor && !editor.isDestroyed) {
        editor.view.dispatch(
          editor.state.tr.setSelection(TextSelection.create(editor.state.doc, range.from, range.to)),
        );
        editor.view.focus();
      }
    },
    [editor, scrollToWords],
  );

  // Clicked words open their thread.
  useEffect(() => {
    store?.setHandlers({ open: (id) => (id === DRAFT_ID ? undefined : openThread(id, 'text')) });
  }, [store, openThread]);

  // `?thread=<id>` (a notification's link) opens that thread once the list is there.
  const handledRequest = useRef<string | null>(null);
  useEffect(() => {
    if (!requestedThread || state.status !== 'ready' || handledRequest.current === requestedThread) return;
    handledRequest.current = requestedThread;
    if (state.threads.some((t) => t.id === requestedThread)) {
      // Once the words are placed (the editor may still be drawing the document).
      requestAnimationFrame(() => openThread(requestedThread, 'link'));
    } else announceRef.current(m.thread.gone);
  }, [requestedThread, state, openThread]);

  const startOnSelection = useCallback((): boolean => {
    if (!editor || editor.isDestroyed) return false;
    const { state: editorState } = editor;
    const { from, to } = selectionNow(editor);
    const range = textRangeOf(editorState.doc, from, to);
    const binding = yBindingOf(editorState);
    const sectionId = range ? sectionIdAt(editor, range.from) : null;
    if (!range || !binding || !sectionId) {
      // No words selected, the caret in commented words: the keyboard's way to open their thread.
      const here = from === to && store ? store.threadAt(editorState, from) : null;
      if (here && here !== DRAFT_ID) openThread(here, 'link');
      else announceRef.current(m.form.noSelection);
      return false;
    }
    setActiveId(null);
    setDraft({
      kind: 'selection',
      sectionId,
      anchor: encodeAnchor(binding, range),
      quote: quoteOf(editorState.doc, range),
    });
    return true;
  }, [editor, store, openThread]);

  const startOnSection = useCallback((sectionId: string, title: string) => {
    setActiveId(null);
    setDraft({ kind: 'section', sectionId, title });
  }, []);

  const cancelDraft = useCallback(() => setDraft(null), []);

  // Ctrl+Alt+M comments the selection, wherever the focus is (a membre's text cannot take it).
  useEffect(() => {
    if (!canComment) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isCommentShortcut(event)) return;
      event.preventDefault();
      startOnSelection();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [canComment, startOnSelection]);

  const create = useCallback(
    async (body: string) => {
      if (!draft) return;
      const thread = await api.createThread(
        documentId,
        draft.kind === 'selection'
          ? { sectionId: draft.sectionId, anchor: draft.anchor, quote: draft.quote, body }
          : { sectionId: draft.sectionId, body },
      );
      setThreads((list) => upsert(list, thread));
      setDraft(null);
      setActiveId(thread.id);
      if (filter === 'resolved') setFilterState('open');
      setFocusRequest({ threadId: thread.id, key: Date.now() });
      announceRef.current(m.announce.created);
    },
    [documentId, draft, filter, setThreads],
  );

  /** Runs an action; a 409 (someone was faster) or a 404 reloads the thread, then says so. */
  const guarded = useCallback(
    async (threadId: string, action: () => Promise<void>) => {
      try {
        await action();
      } catch (error) {
        if (error instanceof ApiError && (error.status === 409 || error.status === 404)) {
          api.getThread(threadId).then(
            (thread) => setThreads((list) => upsert(list, thread)),
            () => setThreads((list) => list.filter((t) => t.id !== threadId)),
          );
          if (error.status === 409) throw new Error(m.errors.conflict, { cause: error });
        }
        throw error;
      }
    },
    [setThreads],
  );

  const reply = useCallback(
    (threadId: string, body: string) =>
      guarded(threadId, async () => {
        const comment = await api.replyToThread(threadId, body);
        setThreads((list) => replaceComment(list, comment));
        announceRef.current(m.announce.replied);
      }),
    [guarded, setThreads],
  );

  const edit = useCallback(
    (comment: CommentDto, body: string) =>
      guarded(comment.threadId, async () => {
        const saved = await api.editComment(comment.id, body);
        setThreads((list) => replaceComment(list, saved));
        announceRef.current(m.announce.edited);
      }),
    [guarded, setThreads],
  );

  const remove = useCallback(
    (comment: CommentDto) =>
      guarded(comment.threadId, async () => {
        const saved = await api.deleteComment(comment.id);
        setThreads((list) => replaceComment(list, saved));
        announceRef.current(m.announce.deleted);
      }),
    [guarded, setThreads],
  );

  const setStatus = useCallback(
    (thread: ThreadDto, action: 'resolve' | 'reopen') =>
      guarded(thread.id, async () => {
        const saved = await api.setThreadStatus(thread.id, action);
        setThreads((list) => upsert(list, saved));
        announceRef.current(action === 'resolve' ? m.announce.resolved : m.announce.reopened);
      }),
    [guarded, setThreads],
  );

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    reloadList();
  }, [reloadList]);

  // One object per change of what it holds: the panel (memo) is not drawn again when the page
  // re-renders for something else (the connection badge changes at each keystroke).
  return useMemo(
    () => ({
      documentId,
      me,
      state,
      canComment,
      filter,
      setFilter: setFilterState,
      groups,
      counts,
      openBySection,
      activeId,
      openThread,
      closeThread,
      focusWords,
      focusRequest,
      draft,
      startOnSelection,
      startOnSection,
      cancelDraft,
      people,
      create,
      reply,
      edit,
      remove,
      setStatus,
      retry,
    }),
    [
      documentId,
      me,
      state,
      canComment,
      filter,
      setFilterState,
      groups,
      counts,
      openBySection,
      activeId,
      openThread,
      closeThread,
      focusWords,
      focusRequest,
      draft,
      startOnSelection,
      startOnSection,
      cancelDraft,
      people,
      create,
      reply,
      edit,
      remove,
      setStatus,
      retry,
    ],
  );
}
