import { describe, expect, it } from 'vitest';
import type { VersionKind } from '@essaim/protocol';
import type { DeletedRanges } from '../storage/collabStore.js';
import type { VersionRecord } from '../storage/versionRepository.js';
import { deletionLookup, insertionLookup, versionsToThin } from './versionService.js';

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

describe('who deleted and who wrote a span of Yjs ids, for compares', () => {
  // Client 7: Alice deleted clocks 10–19, Bob 15–29 (the same characters 15–19 deleted by both at
  // once) and 40–44; client 8: Bob deleted 0–2.
  const deletedBy = deletionLookup(
    new Map<string, DeletedRanges>([
      ['alice', { '7': [[10, 10]] }],
      [
        'bob',
        {
          '7': [
            [15, 15],
            [40, 5],
          ],
          '8': [[0, 3]],
        },
      ],
    ]),
  );

  it('answers a span up to where its deleter changes, and how far nobody deleted', () => {
    expect(deletedBy(7, 0, 50)).toEqual({ author: null, length: 10 });
    expect(deletedBy(7, 10, 40)).toEqual({ author: 'alice', length: 10 });
    expect(deletedBy(7, 20, 30)).toEqual({ author: 'bob', length: 10 });
    expect(deletedBy(7, 30, 20)).toEqual({ author: null, length: 10 });
    expect(deletedBy(7, 42, 1)).toEqual({ author: 'bob', length: 1 });
    expect(deletedBy(7, 45, 100)).toEqual({ author: null, length: 100 });
    expect(deletedBy(8, 1, 5)).toEqual({ author: 'bob', length: 2 });
    expect(deletedBy(9, 0, 4)).toEqual({ author: null, length: 4 });
  });

  it('gives characters two people deleted at once to the range that starts first, whatever the order they come in', () => {
    expect(deletedBy(7, 15, 1)).toEqual({ author: 'alice', length: 1 });
    const other = deletionLookup(
      new Map<string, DeletedRanges>([
        ['bob', { '7': [[15, 15]] }],
        ['alice', { '7': [[10, 10]] }],
      ]),
    );
    expect(other(7, 15, 1)).toEqual({ author: 'alice', length: 1 });
    expect(other(7, 12, 30)).toEqual({ author: 'alice', length: 8 });
  });

  it('names the owner of a client id, or of the id above it for text the server forwarded for a writer', () => {
    const insertedBy = insertionLookup(new Map([[100, 'alice']]));
    expect(insertedBy(100, 5, 12)).toEqual({ author: 'alice', length: 12 });
    expect(insertedBy(99, 0, 3)).toEqual({ author: 'alice', length: 3 });
    expect(insertedBy(42, 0, 3)).toEqual({ author: null, length: 3 });
  });
});
