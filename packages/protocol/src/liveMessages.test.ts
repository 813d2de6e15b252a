import { categories, documentReviewStates, reviewEvents, structureTypes } from '@essaim/domain';
import { describe, expect, it } from 'vitest';
import { parseThreadsChangedMessage } from './comments.js';
import {
  parsePublicationChangedMessageLight,
  parseReviewChangedMessageLight,
  parseSectionLockedMessageLight,
  parseSectionMoveReplyLight,
  parseThreadsChangedMessageLight,
  SECTION_MOVE_OUTCOMES,
  THREAD_CHANGES,
} from './liveMessages.js';
import { metadataKeys, readMetadataLight } from './metadata.js';
import { readMetadata } from './metadataSchema.js';
import { parsePublicationChangedMessage } from './publications.js';
import { parseReviewChangedMessage, parseSectionLockedMessage } from './review.js';
import { parseSectionMoveReply } from './sectionMessages.js';
import { seededRandom as random } from '../../../tests/support/random.js';

type Random = () => number;
const pick = <T>(r: Random, values: readonly T[]): T => values[Math.floor(r() * values.length)] as T;

/**
 * Characters that make lengths and trimming interesting: spaces of several kinds, a surrogate pair
 * (zod counts code points: one), lone surrogates.
 */
const characters = [
  'a',
  'é',
  ' ',
  '\n',
  '\t',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '😀',
  '😀',
  '\ud800',
  '\udc00',
  '-',
];

/** A string whose length (or trimmed length) sits on one of `limits`, or one off. */
function text(r: Random, limits: readonly number[]): string {
  const limit = pick(r, limits);
  const length = Math.max(0, limit + pick(r, [-1, 0, 0, 1]));
  let out = '';
  while (out.length < length) out += r() < 0.8 ? 'a' : pick(r, characters);
  const pad = r() < 0.3 ? pick(r, [' ', '  ', '\n', '\u00a0']) : '';
  return pad + out.slice(0, length) + (r() < 0.5 ? pad : '');
}

const numbers = [
  0,
  -0,
  1,
  -1,
  1.5,
  2,
  99,
  1899,
  1900,
  2020,
  2020.5,
  2026,
  2027,
  2028,
  2100,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e300,
];

/** Any JSON-ish value, nested a little. */
function junk(r: Random, depth = 0): unknown {
  const kind = Math.floor(r() * (depth > 1 ? 6 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, numbers);
    case 3:
      return text(r, [0, 1, 5]);
    case 4:
      return pick(r, ['moved', 'created', 'submit', 'en_relecture', 'caf', 'national', 'dep:59', '1']);
    case 5:
      return undefined;
    case 6:
      return Array.from({ length: Math.floor(r() * 3) }, () => junk(r, depth + 1));
    default:
      return { type: junk(r, depth + 1), a: junk(r, depth + 1) };
  }
}

/** A value for one key: often of the expected kind (`likely`), sometimes anything. */
function field(r: Random, likely: () => unknown): unknown {
  return r() < 0.75 ? likely() : junk(r);
}

/** A JSON payload of a message of `type` with `fields`, sometimes broken, sometimes not JSON at all. */
function payload(r: Random, type: string, fields: Record<string, () => unknown>): string {
  const roll = r();
  if (roll < 0.03)
    return pick(r, ['', 'null', '[]', '"x"', '42', 'pas du json', '{"type":', `[{"type":"${type}"}]`]);
  const message: Record<string, unknown> = {};
  if (r() < 0.95) message.type = r() < 0.85 ? type : junk(r);
  for (const [key, make] of Object.entries(fields)) if (r() < 0.93) message[key] = field(r, make);
  if (r() < 0.1) message.extra = junk(r);
  return JSON.stringify(r() < 0.02 ? [message] : message);
}

/** Checks `light` against `zod` on `runs` generated payloads; returns how many each accepted. */
function compare<T>(
  runs: number,
  seed: number,
  make: (r: Random) => string,
  zod: (payload: string) => T | null,
  light: (payload: string) => T | null,
): number {
  const r = random(seed);
  let accepted = 0;
  for (let i = 0; i < runs; i++) {
    const input = make(r);
    const expected = zod(input);
    const actual = light(input);
    if (expected !== null) accepted++;
    expect({ input, result: actual }).toStrictEqual({ input, result: expected });
  }
  return accepted;
}

const RUNS = 20_000;

describe('the readers of live messages without zod (issue 16) against the zod schemas', () => {
  it('read a section move reply as parseSectionMoveReply does, payload for payload', () => {
    const outcomes = [...SECTION_MOVE_OUTCOMES, 'Moved'];
    const accepted = compare(
      RUNS,
      1,
      (r) =>
        payload(r, 'section-move-result', {
          requestId: () => text(r, [0, 1, 100]),
          outcome: () => pick(r, outcomes),
        }),
      parseSectionMoveReply,
      parseSectionMoveReplyLight,
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('read a threads-changed message as parseThreadsChangedMessage does, payload for payload', () => {
    const changes = [...THREAD_CHANGES, 'moved'];
    const accepted = compare(
      RUNS,
      2,
      (r) =>
        payload(r, 'threads-changed', {
          threadId: () => (r() < 0.3 ? null : text(r, [0, 1, 200])),
          change: () => pick(r, changes),
          openThreads: () => pick(r, numbers),
        }),
      parseThreadsChangedMessage,
      parseThreadsChangedMessageLight,
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('read a section-locked message as parseSectionLockedMessage does, payload for payload', () => {
    const accepted = compare(
      RUNS,
      3,
      (r) =>
        payload(r, 'section-locked', {
          sectionId: () => text(r, [0, 1, 200]),
          title: () => text(r, [0, 1, 1000]),
        }),
      parseSectionLockedMessage,
      parseSectionLockedMessageLight,
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('read a review-changed message as parseReviewChangedMessage does, payload for payload', () => {
    const accepted = compare(
      RUNS,
      4,
      (r) =>
        payload(r, 'review-changed', {
          sectionId: () => text(r, [0, 1, 200]),
          event: () => pick(r, [...reviewEvents, 'Submit', '']),
          reviewState: () => pick(r, [...documentReviewStates, 'publié']),
        }),
      parseReviewChangedMessage,
      parseReviewChangedMessageLight,
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('read a publication-changed message as parsePublicationChangedMessage does, payload for payload', () => {
    const accepted = compare(
      RUNS,
      5,
      (r) =>
        payload(r, 'publication-changed', {
          number: () => pick(r, numbers),
          hidden: () => r() < 0.5,
        }),
      parsePublicationChangedMessage,
      parsePublicationChangedMessageLight,
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('refuse the same hand-picked edge cases as the schemas: -0, unsafe integers, padded ids', () => {
    expect(
      parseThreadsChangedMessageLight(
        '{"type":"threads-changed","threadId":null,"change":"anchors","openThreads":-0}',
      ),
    ).toStrictEqual(
      parseThreadsChangedMessage(
        '{"type":"threads-changed","threadId":null,"change":"anchors","openThreads":-0}',
      ),
    );
    const unsafe = `{"type":"publication-changed","number":${2 ** 53},"hidden":false}`;
    expect(parsePublicationChangedMessage(unsafe)).toBeNull();
    expect(parsePublicationChangedMessageLight(unsafe)).toBeNull();
    const padded = '{"type":"section-locked","sectionId":" s-1 ","title":"  Titre  "}';
    expect(parseSectionLockedMessageLight(padded)).toStrictEqual(parseSectionLockedMessage(padded));
    expect(parseSectionLockedMessageLight(padded)?.title).toBe('  Titre  ');
  });
});

describe('readMetadataLight (the editor, issue 16) against readMetadata (the server)', () => {
  it('reads every generated set of values as readMetadata does, field by field', () => {
    const r = random(6);
    const list = (): unknown => {
      const length = pick(r, [0, 1, 2, 29, 30, 31]);
      return Array.from({ length }, () => (r() < 0.9 ? text(r, [0, 1, 3, 60]) : junk(r)));
    };
    const likely: Record<(typeof metadataKeys)[number], () => unknown> = {
      title: () => text(r, [0, 1, 200]),
      themes: list,
      categorie: () => (r() < 0.2 ? null : pick(r, [...categories, 'inventée'])),
      territoire: () =>
        r() < 0.2
          ? null
          : pick(r, [
              'dep:59',
              'dep:2A',
              'dep:974',
              'dep:2C',
              'reg:84',
              'reg:8',
              'national',
              ' national',
              'dep:',
            ]),
      structure: () => text(r, [0, 200]),
      structureType: () => (r() < 0.2 ? null : pick(r, [...structureTypes, 'CAF'])),
      public: () => text(r, [0, 500]),
      anneeDemarrage: () => (r() < 0.2 ? null : pick(r, [...numbers, Number.NaN, Infinity, '2020'])),
      contact: () => text(r, [0, 300]),
      motsCles: list,
    };
    let kept = 0;
    for (let i = 0; i < RUNS; i++) {
      const values: Record<string, unknown> = {};
      for (const key of metadataKeys) if (r() < 0.8) values[key] = field(r, likely[key]);
      if (r() < 0.3) {
        // duplicates, once trimmed, in a list
        const item = text(r, [1, 5]);
        values.themes = [item, ` ${item}`, item];
      }
      const get = (key: string): unknown => values[key];
      const expected = readMetadata(get);
      expect({ values, result: readMetadataLight(get) }).toStrictEqual({ values, result: expected });
      if (expected.title !== '' || expected.themes.length > 0) kept++;
    }
    expect(kept).toBeGreaterThan(RUNS / 10);
  });
});
