import { useEffect } from 'react';

/** Sets the tab title (RGAA 8.6: each page has a relevant title), e.g. « Documents — Essaim ». */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — Essaim` : 'Essaim';
  }, [title]);
}
