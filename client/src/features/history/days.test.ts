import { afterEach, describe, expect, it } from 'vitest';
import { dayKey, groupByDay, timeOf } from './days.js';

/** A version created at this local time (the browser's time zone, whatever it is). */
const at = (year: number, month: number, day: number, hour = 12, minute = 0) => ({
  createdAt: new Date(year, month - 1, day, hour, minute).toISOString(),
  label: `${day}/${month} ${hour}:${minute}`,
});

const titles = (groups: ReturnType<typeof groupByDay>) => groups.map((g) => g.title);
const labels = (groups: ReturnType<typeof groupByDay<ReturnType<typeof at>>>) =>
  groups.map((g) => g.items.map((i) => i.label));

describe('grouping versions by day', () => {
  const now = new Date(2026, 2, 10, 9, 30);

  it('names today and yesterday, then writes the date with its weekday', () => {
    const groups = groupByDay([at(2026, 3, 10, 8), at(2026, 3, 9, 18), at(2026, 3, 6, 11)], now);
    expect(titles(groups)).toEqual(['Aujourd’hui', 'Hier', 'Vendredi 6 mars 2026']);
  });

  it('keeps several versions of one day together, in the order they came (newest first)', () => {
    const groups = groupByDay([at(2026, 3, 10, 9, 15), at(2026, 3, 10, 0, 5), at(2026, 3, 9, 23, 59)], now);
    expect(labels(groups)).toEqual([['10/3 9:15', '10/3 0:5'], ['9/3 23:59']]);
  });

  it('cuts days at local midnight, not at 24 hours before now', () => {
    // 9:30 today; 23:00 yesterday is 10.5 hours ago but still « Hier », and 00:10 today « Aujourd’hui ».
    const groups = groupByDay([at(2026, 3, 10, 0, 10), at(2026, 3, 9, 23, 0)], now);
    expect(titles(groups)).toEqual(['Aujourd’hui', 'Hier']);
  });

  it('finds yesterday across a month and a year boundary', () => {
    expect(titles(groupByDay([at(2026, 2, 28)], new Date(2026, 2, 1, 8)))).toEqual(['Hier']);
    expect(titles(groupByDay([at(2025, 12, 31)], new Date(2026, 0, 1, 8)))).toEqual(['Hier']);
  });

  it('does not merge the same day of two different years', () => {
    const groups = groupByDay([at(2026, 3, 6), at(2025, 3, 6)], now);
    expect(titles(groups)).toEqual(['Vendredi 6 mars 2026', 'Jeudi 6 mars 2025']);
  });

  it('puts versions whose date cannot be read in a last « Date inconnue » group', () => {
    const broken = { createdAt: 'pas une date', label: 'cassée' };
    const groups = groupByDay([broken, at(2026, 3, 10), at(2026, 3, 9)], now);
    expect(titles(groups)).toEqual(['Aujourd’hui', 'Hier', 'Date inconnue']);
    expect(groups[2]?.items).toEqual([broken]);
  });

  it('shows an out-of-order version where the server put it rather than moving it', () => {
    const groups = groupByDay([at(2026, 3, 10), at(2026, 3, 9), at(2026, 3, 10, 7)], now);
    expect(titles(groups)).toEqual(['Aujourd’hui', 'Hier', 'Aujourd’hui']);
    expect(new Set(groups.map((g) => g.key)).size).toBe(2);
  });

  it('returns no group for no version', () => {
    expect(groupByDay([], now)).toEqual([]);
  });

  describe('in Paris, around the change to summer time', () => {
    const previous = process.env.TZ;
    afterEach(() => {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    });

    it('still calls the day before a 23-hour day « Hier »', () => {
      process.env.TZ = 'Europe/Paris';
      // 29 March 2026 has 23 hours in Paris: 24 hours before 00:30 on the 30th is 23:30 on the 28th,
      // so « now minus a day » would call the 28th « Hier ». The calendar decides, not the clock.
      expect(new Date(2026, 2, 29, 1).getTimezoneOffset()).not.toBe(
        new Date(2026, 2, 29, 4).getTimezoneOffset(),
      );
      const now = new Date(2026, 2, 30, 0, 30);
      const groups = groupByDay([at(2026, 3, 30, 0, 10), at(2026, 3, 29, 1), at(2026, 3, 28, 23, 30)], now);
      expect(titles(groups).slice(0, 2)).toEqual(['Aujourd’hui', 'Hier']);
      expect(groups[2]?.key).toBe('2026-03-28');
    });
  });
});

describe('day keys and times', () => {
  it('writes the local calendar day with two-digit month and day', () => {
    expect(dayKey(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });

  it('shows hours and minutes, and the raw text of a date that cannot be read', () => {
    expect(timeOf(new Date(2026, 2, 10, 14, 5).toISOString())).toBe('14:05');
    expect(timeOf('n’importe quoi')).toBe('n’importe quoi');
  });
});
