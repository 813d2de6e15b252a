import { historyMessages as m } from './messages.js';

/** One day of the « Historique » list: its heading and its versions, newest first. */
export interface DayGroup<T> {
  /** `YYYY-MM-DD` in the browser's time zone, or `unknown` for dates that cannot be read. */
  key: string;
  /** « Aujourd’hui », « Hier », « Lundi 9 mars 2026 », or « Date inconnue ». */
  title: string;
  items: T[];
}

const longDay = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortTime = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const shortDayTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day of `date` in the browser's time zone, as `YYYY-MM-DD`. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The calendar day before `date`'s, in the browser's time zone. Computed on the calendar, not by
 * subtracting 24 hours, so that a day of 23 or 25 hours (change to or from summer time) still has
 * the right « Hier ».
 */
function previousDayKey(date: Date): string {
  return dayKey(new Date(date.getFullYear(), date.getMonth(), date.getDate() - 1, 12));
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Groups items (versions, newest first) by the calendar day of `createdAt` (ISO 8601) in the
 * browser's time zone, keeping their order: « Aujourd’hui » and « Hier » relative to `now`, then
 * « Lundi 9 mars 2026 ». Items with an unreadable date go to a last « Date inconnue » group. An
 * item out of order (an older day then a newer one again) starts a new group rather than being
 * moved: the list shows exactly the server's order.
 */
export function groupByDay<T extends { createdAt: string }>(items: readonly T[], now: Date): DayGroup<T>[] {
  const today = dayKey(now);
  const yesterday = previousDayKey(now);
  const groups: DayGroup<T>[] = [];
  const unknown: T[] = [];
  for (const item of items) {
    const date = new Date(item.createdAt);
    if (Number.isNaN(date.getTime())) {
      unknown.push(item);
      continue;
    }
    const key = dayKey(date);
    const last = groups.at(-1);
    if (last?.key === key) {
      last.items.push(item);
      continue;
    }
    const title =
      key === today ? m.days.today : key === yesterday ? m.days.yesterday : capitalize(longDay.format(date));
    groups.push({ key, title, items: [item] });
  }
  if (unknown.length > 0) groups.push({ key: 'unknown', title: m.days.unknown, items: unknown });
  return groups;
}

/** « 14:05 » (browser time zone), or the raw text when the date cannot be read. */
export function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortTime.format(date);
}

/** « 09/03/2026 14:05 », for choices that need the day too; the raw text when unreadable. */
export function dayAndTimeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDayTime.format(date);
}
