import { searchExpression, snippetOf } from '../services/publicationService.js';
import { metadataMatcher, type PortalFilters } from './filters.js';
import { PAGE_SIZE, type FilterChoices, type ListedPractice, type PracticePage } from './pages.js';
import type { PortalEntry, PortalQueries } from './portalQueries.js';

/** The label of a theme of an espace (its id when the espace has no such theme). */
export type ThemeLabeler = (espaceId: string | null, themeId: string) => string;

/** A {@link ThemeLabeler} that reads each espace's themes at most once (one per request). */
export function themeLabeler(queries: PortalQueries): ThemeLabeler {
  const byEspace = new Map<string, Map<string, string>>();
  return (espaceId, id) => {
    if (!espaceId) return id;
    let labels = byEspace.get(espaceId);
    if (!labels) {
      labels = queries.themeLabels(espaceId);
      byEspace.set(espaceId, labels);
    }
    return labels.get(id) ?? id;
  };
}

/** The themes and start years found among published practices, for the filter form. */
export function filterChoices(entries: readonly PortalEntry[], label: ThemeLabeler): FilterChoices {
  const themes = new Map<string, string>();
  const years = new Set<number>();
  for (const entry of entries) {
    for (const id of entry.metadata.themes) if (!themes.has(id)) themes.set(id, label(entry.espaceId, id));
    if (entry.metadata.anneeDemarrage) years.add(entry.metadata.anneeDemarrage);
  }
  return {
    themes: [...themes]
      .map(([id, l]) => ({ id, label: l }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    years: [...years].sort((a, b) => b - a),
  };
}

/**
 * The portal's search: among `entries` (visible publications, newest first), those whose
 * published text matches the words (the publications' full-text index: French stems, accents and
 * case folded, bm25 with title ×10 and keywords ×5), best first, or all of them newest first when
 * no word is given; then the metadata filters (a région includes its départements); then the
 * requested page, with highlighted snippets when words were given and each shown practice's
 * approved reuse signals (`reuseCounts`, by document id).
 */
export function findPractices(
  queries: PortalQueries,
  entries: readonly PortalEntry[],
  f: PortalFilters,
  label: ThemeLabeler,
  reuseCounts: (documentIds: readonly string[]) => ReadonlyMap<string, number>,
): PracticePage {
  const expression = f.q ? searchExpression(f.q) : null;
  let found: readonly PortalEntry[] = entries;
  if (f.q) {
    const ranks = expression ? queries.matching(expression) : new Map<string, number>();
    found = entries
      .filter((e) => ranks.has(e.documentId))
      .sort((a, b) => (ranks.get(a.documentId) ?? 0) - (ranks.get(b.documentId) ?? 0));
  }
  found = found.filter(metadataMatcher(f));
  const pageCount = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
  const page = Math.min(f.page, pageCount);
  const shown = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const texts = f.q && shown.length > 0 ? queries.texts(shown.map((e) => e.id)) : null;
  const reuses = reuseCounts(shown.map((e) => e.documentId));
  const items: ListedPractice[] = shown.map((entry) => ({
    entry,
    reuses: reuses.get(entry.documentId) ?? 0,
    themes: entry.metadata.themes.map((id) => label(entry.espaceId, id)),
    snippet: texts ? snippetOf(texts.get(entry.id) ?? '', f.q) : null,
  }));
  return { items, total: found.length, page, pageCount };
}
