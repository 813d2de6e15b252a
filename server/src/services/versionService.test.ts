import { describe, expect, it } from 'vitest';
import type { VersionKind } from '@essaim/protocol';
import type { VersionRecord } from '../storage/versionRepository.js';
import { versionsToThin } from './versionService.js';

const now = new Date('2026-03-20T12:00:00Z');
const HOUR = 3_600_000;

let n = 0;
/** A version `hoursAgo` hours before `now`. */
function version(hoursAgo: number, kind: VersionKind = 'automatique'): VersionRecord {
  n++;
  return {
    id: `v${n}`,
    documentId: 'd',
    number: n,
    kind,
    label: null,
    authorIds: [],
    createdBy: null,
    createdAt: new Date(now.getTime() - hoursAgo * HOUR).toISOString(),
  };
}

describe('thinning of automatic versions', () => {
  it('keeps every version of the last day', () => {
    const all = [0.1, 1, 5, 12, 23.5].map((h) => version(h));
    expect(versionsToThin(all, now)).toEqual([]);
  });

  it('keeps the newest automatic version of each hour during the week, and of each day after', () => {
    // Three versions within one hour two days ago: the newest stays.
    const hour = [48.1, 48.3, 48.5].map((h) => version(h));
    // Three on one day three weeks ago: the newest stays.
    const day = [21 * 24 + 1, 21 * 24 + 3, 21 * 24 + 5].map((h) => version(h));
    const removed = versionsToThin([...hour, ...day], now);
    expect(removed.sort()).toEqual([hour[1], hour[2], day[1], day[2]].map((v) => v?.id).sort());
  });

  it('never removes named, review, publication or restore versions, however old and close', () => {
    const kinds: VersionKind[] = ['nommee', 'revue', 'publication', 'restauration'];
    const protectedOnes = kinds.flatMap((k) => [version(30 * 24, k), version(30 * 24 + 0.1, k)]);
    const automatic = [version(30 * 24 + 0.2), version(30 * 24 + 0.3)];
    expect(versionsToThin([...protectedOnes, ...automatic], now)).toEqual([automatic[1]?.id]);
  });
});
