import { describe, expect, it } from 'vitest';
import {
  formatPageEstimate,
  isStartYear,
  START_YEAR_MIN,
  startYearMax,
  THEME_LABEL_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from './taxonomy.js';

describe('the page estimate as people read it', () => {
  it('keeps the singular below two pages and writes a decimal comma', () => {
    expect(formatPageEstimate(0)).toBe('≈ 0 page');
    expect(formatPageEstimate(0.6)).toBe('≈ 0,6 page');
    expect(formatPageEstimate(1)).toBe('≈ 1 page');
    expect(formatPageEstimate(1.9)).toBe('≈ 1,9 page');
  });

  it('uses the plural from two pages on, without a useless « ,0 »', () => {
    expect(formatPageEstimate(2)).toBe('≈ 2 pages');
    expect(formatPageEstimate(3.4)).toBe('≈ 3,4 pages');
    expect(formatPageEstimate(12)).toBe('≈ 12 pages');
  });
});

describe('the starting year of a practice', () => {
  const now = new Date(2026, 10, 29);

  it('runs from 1900 to next year', () => {
    expect(START_YEAR_MIN).toBe(1900);
    expect(startYearMax(now)).toBe(2027);
    expect(isStartYear(1900, now)).toBe(true);
    expect(isStartYear(2027, now)).toBe(true);
  });

  it('refuses a year before 1900, after next year, or not a whole number', () => {
    expect(isStartYear(1899, now)).toBe(false);
    expect(isStartYear(2028, now)).toBe(false);
    expect(isStartYear(2100, now)).toBe(false);
    expect(isStartYear(2020.5, now)).toBe(false);
    expect(isStartYear(Number.NaN, now)).toBe(false);
  });

  it('moves with the calendar: on the first of January next year is one more', () => {
    expect(startYearMax(new Date(2027, 0, 1))).toBe(2028);
  });
});

describe('the longest texts', () => {
  it('are 200 characters for a title and 80 for a theme label', () => {
    expect(TITLE_MAX_LENGTH).toBe(200);
    expect(THEME_LABEL_MAX_LENGTH).toBe(80);
  });
});
