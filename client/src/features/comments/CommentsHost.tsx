import { useLayoutEffect } from 'react';
import { useComments, type Comments } from './useComments.js';

/**
 * Hosts the comments hook ({@link useComments}) in the chunk loaded after the editor's first
 * drawing (editor/panels.lazy.ts, issue 16): draws nothing, and hands the page each new value of
 * the hook (`onComments`), then `null` when it leaves. The page passes the value on to the threads
 * panel, the « Commenter » button, the sommaire and the sections' « Commenter » action.
 */
export function CommentsHost({
  onComments,
  ...options
}: Parameters<typeof useComments>[0] & { onComments: (comments: Comments | null) => void }) {
  const comments = useComments(options);
  useLayoutEffect(() => onComments(comments), [comments, onComments]);
  useLayoutEffect(() => () => onComments(null), [onComments]);
  return null;
}
