import { describe, expect, it } from 'vitest';
import type { ThreadPlacement } from './highlights.js';
import { groupThreads, matchesFilter, openCountsBySection } from './ordering.js';
import { threadDto as thread } from './testFixtures.js';

const sections = [
  { id: 's1', title: 'Origine' },
  { id: 's2', title: 'Public' },
];

describe('the panel’s order', () => {
  it('follows the document: sections in order, whole-section threads first, then words by position', () => {
    const late = thread({ sectionId: 's1' });
    const early = thread({ sectionId: 's1' });
    const whole = thread({ sectionId: 's1', wholeSection: true, anchor: null });
    const second = thread({ sectionId: 's2' });
    const placements = new Map<string, ThreadPlacement>([
      [late.id, { from: 40, to: 45, sectionId: 's1' }],
      [early.id, { from: 10, to: 15, sectionId: 's1' }],
      [second.id, { from: 90, to: 95, sectionId: 's2' }],
    ]);
    const groups = groupThreads([second, late, early, whole], placements, sections);
    expect(groups.map((g) => [g.title, g.threads.map((t) => t.id)])).toEqual([
      ['Origine', [whole.id, early.id, late.id]],
      ['Public', [second.id]],
    ]);
  });

  it('puts a thread in the section its words are in now, when they moved to another section', () => {
    const moved = thread({ sectionId: 's1' });
    const groups = groupThreads(
      [moved],
      new Map([[moved.id, { from: 90, to: 95, sectionId: 's2' }]]),
      sections,
    );
    expect(groups.map((g) => g.sectionId)).toEqual(['s2']);
  });

  it('lists orphaned threads last, oldest first, and threads of a deleted section before them', () => {
    const orphanNew = thread({ orphaned: true, anchor: null, currentQuote: null });
    const orphanOld = thread({
      orphaned: true,
      anchor: null,
      currentQuote: null,
      createdAt: '2025-01-01T00:00:00Z',
    });
    const gone = thread({ sectionId: 's-gone', sectionTitle: null, wholeSection: true });
    const placed = thread({ sectionId: 's2' });
    const groups = groupThreads([orphanNew, orphanOld, gone, placed], new Map(), sections);
    expect(groups.map((g) => [g.kind, g.threads.map((t) => t.id)])).toEqual([
      ['section', [placed.id]],
      ['deleted-section', [gone.id]],
      ['orphaned', [orphanOld.id, orphanNew.id]],
    ]);
  });

  it('counts open threads per section for the outline, without resolved or orphaned ones', () => {
    const threads = [
      thread({ sectionId: 's1' }),
      thread({ sectionId: 's1' }),
      thread({ sectionId: 's1', status: 'resolved' }),
      thread({ sectionId: 's2', orphaned: true }),
    ];
    expect(openCountsBySection(threads, new Map())).toEqual(new Map([['s1', 2]]));
  });

  it('filters open, resolved or all threads', () => {
    const resolved = thread({ status: 'resolved' });
    expect(matchesFilter(resolved, 'open')).toBe(false);
    expect(matchesFilter(resolved, 'resolved')).toBe(true);
    expect(matchesFilter(resolved, 'all')).toBe(true);
  });
});
