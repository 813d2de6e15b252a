import { isStartYear, START_YEAR_MIN, startYearMax, type DocumentKindName } from '@essaim/domain';
import { metadataKeys, type DocumentMetadata, type ThemeDto } from '@essaim/protocol';

/** Pure rules of the metadata panel (no React, no Yjs), unit-tested. */

/** The fields a document of this kind describes: a synthesis only has a title and themes. */
export function metadataFields(kind: DocumentKindName): (keyof DocumentMetadata)[] {
  return kind === 'synthese' ? ['title', 'themes'] : [...metadataKeys];
}

/** The earliest starting year accepted (the domain's, shared with the catalogue and the server). */
export const YEAR_MIN = START_YEAR_MIN;

/** The latest starting year accepted: next year (a practice about to start; the domain's rule). */
export const yearMax = startYearMax;

/** What was typed in the year field: empty (null), a valid year, or invalid (not stored). */
export function parseYear(
  input: string,
  now = new Date(),
): { ok: true; value: number | null } | { ok: false } {
  const value = input.trim();
  if (value === '') return { ok: true, value: null };
  if (!/^[0-9]{4}$/.test(value)) return { ok: false };
  const year = Number(value);
  return isStartYear(year, now) ? { ok: true, value: year } : { ok: false };
}

export const MAX_KEYWORDS = 30;
export const MAX_KEYWORD_LENGTH = 60;

export type KeywordRefusal = 'empty' | 'tooLong' | 'duplicate' | 'tooMany';

/**
 * Adds a keyword to a list: spaces trimmed and collapsed; refused when empty, too long, already
 * there (ignoring case and accents) or when the list is full.
 */
export function addKeyword(
  list: readonly string[],
  input: string,
): { ok: true; list: string[]; word: string } | { ok: false; reason: KeywordRefusal; word: string } {
  const word = input.trim().replace(/\s+/g, ' ');
  if (!word) return { ok: false, reason: 'empty', word };
  if (word.length > MAX_KEYWORD_LENGTH) return { ok: false, reason: 'tooLong', word };
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLocaleLowerCase('fr');
  const existing = list.find((k) => fold(k) === fold(word));
  if (existing !== undefined) return { ok: false, reason: 'duplicate', word: existing };
  if (list.length >= MAX_KEYWORDS) return { ok: false, reason: 'tooMany', word };
  return { ok: true, list: [...list, word], word };
}

/** One theme checkbox of the panel. */
export interface ThemeChoice {
  id: string;
  label: string;
  archived: boolean;
  /** The document has a theme the espace no longer knows (deleted, or list unavailable). */
  unknown: boolean;
}

/**
 * The theme checkboxes: the espace's active themes, then themes the document already has that are
 * no longer offered (archived, or unknown), so they can still be seen and removed.
 */
export function themeChoices(themes: readonly ThemeDto[] | null, selected: readonly string[]): ThemeChoice[] {
  const byId = new Map((themes ?? []).map((t) => [t.id, t]));
  const choices: ThemeChoice[] = (themes ?? [])
    .filter((t) => !t.archived)
    .map((t) => ({ id: t.id, label: t.label, archived: false, unknown: false }));
  for (const id of selected) {
    const theme = byId.get(id);
    if (theme?.archived) choices.push({ id, label: theme.label, archived: true, unknown: false });
    else if (!theme) choices.push({ id, label: id, archived: false, unknown: true });
  }
  return choices;
}

/** Checks or unchecks a theme, keeping the list's order and no duplicates. */
export function toggleTheme(selected: readonly string[], id: string, checked: boolean): string[] {
  const without = selected.filter((t) => t !== id);
  return checked ? [...without, id] : without;
}
