import { formatPageEstimate } from '@essaim/domain';
import type { ActivityDto, DocumentKind } from '@essaim/protocol';
import { formatDay } from '../../shared/dates.js';
import { catalogueMessages as m } from './messages.js';
import { pageStatus } from '../editor/length.js';

const relative = new Intl.RelativeTimeFormat('fr', { numeric: 'auto', style: 'short' });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * « à l’instant », « il y a 5 min », « il y a 3 h », « hier », « il y a 4 j », then the date
 * (« le 12 mars 2025 ») after a week. A date slightly in the future (clocks differ) reads
 * « à l’instant ».
 */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const elapsed = now - time;
  if (elapsed < MINUTE) return m.justNow;
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY && startOfDay(now) === startOfDay(time)) {
    return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  }
  if (elapsed < 7 * DAY) {
    // Calendar days: yesterday evening is « hier » the next morning.
    const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY);
    return relative.format(-Math.max(days, 1), 'day');
  }
  return m.onDay(formatDay(iso));
}

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** « ≈ 3,2 pages », « ≈ 0,6 page »: the domain's one wording, also the editor's gauge. */
export const formatPages = formatPageEstimate;

/** Where a document's length stands against the 4–5 pages expected of a fiche. */
export function pagesStatus(kind: DocumentKind, pages: number): 'none' | 'within' | 'under' | 'over' {
  return kind === 'fiche' ? statusWords[pageStatus(pages)] : 'none';
}

const statusWords = { short: 'under', target: 'within', long: 'over' } as const;

/** « 0 / 13 sections approuvées ». */
export function formatProgress(progress: { sections: number; approved: number }): string {
  return m.progress(progress.approved, progress.sections);
}

const MAX_SECTIONS_NAMED = 3;

function sectionsPhrase(sections: string[]): string {
  const named = sections
    .slice(0, MAX_SECTIONS_NAMED)
    .map((title) => `« ${title} »`)
    .join(', ');
  const others = sections.length - MAX_SECTIONS_NAMED;
  return others > 0 ? `${named} et ${m.otherSections(others)}` : named;
}

/**
 * What a person did, as the activity panel says it after their name: « a modifié « Public
 * concerné », « Effets et impacts » », « a modifié les informations (territoire, catégorie) ».
 */
export function activityAction(entry: Pick<ActivityDto, 'kind' | 'sections' | 'fields'>): string {
  switch (entry.kind) {
    case 'created':
      return m.actionCreated;
    case 'archived':
      return m.actionArchived;
    case 'restored':
      return m.actionRestored;
    case 'edited': {
      const parts: string[] = [];
      if (entry.sections.length > 0) parts.push(sectionsPhrase(entry.sections));
      if (entry.fields.length > 0) parts.push(m.editedFields(entry.fields.map((f) => m.fieldLabels[f] ?? f)));
      return parts.length === 0 ? m.actionEdited : m.actionEditedParts(parts);
    }
  }
}

/** The name of who acted; a deleted or unknown account is still somebody. */
export const activityActor = (entry: Pick<ActivityDto, 'userName'>): string =>
  entry.userName ?? m.unknownPerson;
