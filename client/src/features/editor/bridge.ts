import { useEffect, useMemo, useRef } from 'react';

/**
 * What the editor's node views and plugins ask of the page: they are created once with the editor,
 * while the page's handlers change at each render, so they call through this stable object.
 */
export interface EditorBridge {
  /** A footnote call was activated (click, or Enter on the selected note). */
  openFootnote: (pos: number, text: string) => void;
  /** A link to another document was activated. */
  navigate: (path: string) => void;
  /** A local change was refused (it would remove a required section). */
  refused: () => void;
  /** A local change inside a locked section was refused (review/lockedSections.ts). */
  lockedRefused: (sectionId: string) => void;
}

const nothing: EditorBridge = {
  openFootnote: () => undefined,
  navigate: () => undefined,
  refused: () => undefined,
  lockedRefused: () => undefined,
};

/** A stable bridge whose calls reach the latest `handlers`. */
export function useEditorBridge(handlers: EditorBridge): EditorBridge {
  const current = useRef<EditorBridge>(nothing);
  useEffect(() => {
    current.current = handlers;
  });
  return useMemo(
    () => ({
      openFootnote: (pos, text) => current.current.openFootnote(pos, text),
      navigate: (path) => current.current.navigate(path),
      refused: () => current.current.refused(),
      lockedRefused: (sectionId) => current.current.lockedRefused(sectionId),
    }),
    [],
  );
}
