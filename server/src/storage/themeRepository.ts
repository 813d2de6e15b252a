import type { ThemeDef } from '@essaim/domain';
import type { Db } from './db.js';

export interface ThemeRecord {
  id: string;
  label: string;
  archivedAt: string | null;
  /** Live documents of the espace carrying the theme. */
  documents: number;
}

/** The themes of each espace, in the animateur's order. */
export interface ThemeRepository {
  list(espaceId: string): ThemeRecord[];
  find(espaceId: string, id: string): ThemeRecord | undefined;
  /** Appends themes at the end of the list; ids already present are left alone. */
  add(espaceId: string, themes: readonly ThemeDef[]): void;
  update(espaceId: string, id: string, change: { label?: string; archivedAt?: string | null }): boolean;
}

interface Row {
  id: string;
  label: string;
  archived_at: string | null;
  documents: number;
}

export function sqliteThemeRepository(db: Db): ThemeRepository {
  const q = {
    list: db.prepare<[string], Row>(
      `SELECT t.id, t.label, t.archived_at,
         (SELECT COUNT(*) FROM documents d WHERE d.espace_id = t.espace_id AND d.archived_at IS NULL
            AND EXISTS (SELECT 1 FROM json_each(d.themes) WHERE value = t.id)) AS documents
       FROM espace_themes t WHERE t.espace_id = ? ORDER BY t.position, t.label`,
    ),
    next: db.prepare<[string], { n: number }>(
      'SELECT COALESCE(MAX(position) + 1, 0) AS n FROM espace_themes WHERE espace_id = ?',
    ),
    insert: db.prepare<[string, string, string, number]>(
      'INSERT OR IGNORE INTO espace_themes (espace_id, id, label, position) VALUES (?, ?, ?, ?)',
    ),
    label: db.prepare<[string, string, string]>(
      'UPDATE espace_themes SET label = ? WHERE espace_id = ? AND id = ?',
    ),
    archive: db.prepare<[string | null, string, string]>(
      'UPDATE espace_themes SET archived_at = ? WHERE espace_id = ? AND id = ?',
    ),
  };
  const fromRow = (r: Row): ThemeRecord => ({
    id: r.id,
    label: r.label,
    archivedAt: r.archived_at,
    documents: r.documents,
  });
  const add = db.transaction((espaceId: string, themes: readonly ThemeDef[]) => {
    let position = q.next.get(espaceId)?.n ?? 0;
    for (const t of themes) q.insert.run(espaceId, t.id, t.label, position++);
  });
  const update = db.transaction(
    (espaceId: string, id: string, change: { label?: string; archivedAt?: string | null }) => {
      let changed = false;
      if (change.label !== undefined) changed = q.label.run(change.label, espaceId, id).changes > 0;
      if (change.archivedAt !== undefined)
        changed = q.archive.run(change.archivedAt, espaceId, id).changes > 0 || changed;
      return changed;
    },
  );
  return {
    list: (espaceId) => q.list.all(espaceId).map(fromRow),
    find: (espaceId, id) =>
      q.list
        .all(espaceId)
        .map(fromRow)
        .find((t) => t.id === id),
    add: (espaceId, themes) => add.immediate(espaceId, themes),
    update: (espaceId, id, change) => update.immediate(espaceId, id, change),
  };
}
