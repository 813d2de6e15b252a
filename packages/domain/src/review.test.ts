import { describe, expect, it } from 'vitest';
import type { Actor } from './access.js';
import {
  availableReviewEvents,
  documentReviewState,
  documentReviewStateLabels,
  initialSectionReview,
  reviewEvents,
  reviewTransition,
  sectionIsStale,
  sectionReviewStateLabels,
  type ReviewContext,
  type ReviewEvent,
  type ReviewRefusalReason,
  type SectionForDocumentReview,
  type SectionReviewRecord,
} from './review.js';
import type { EspaceRole } from './roles.js';

const E = 'espace-1';
const ME = 'user-me';
const NOW = '2026-03-02T10:00:00.000Z';
const EARLIER = '2026-03-01T09:00:00.000Z';
/** The section's hash now; `OLD` is what it was before someone edited it. */
const HASH = 'hash-now';
const OLD = 'hash-before';

const user = (roles: [string, EspaceRole][], isAdmin = false): Actor => ({
  kind: 'user',
  userId: ME,
  isAdmin,
  roles: new Map(roles),
});

/** The 7 callers of the authorization matrix (access.test.ts), same names. */
const actors = {
  anonyme: { kind: 'anonymous' },
  administrateur: user([], true),
  animateur: user([[E, 'animateur']]),
  'rapporteur assigné': user([[E, 'rapporteur']]),
  'rapporteur non assigné': user([[E, 'rapporteur']]),
  membre: user([[E, 'membre']]),
  'membre d’un autre espace': user([['espace-2', 'animateur']]),
} satisfies Record<string, Actor>;
type Who = keyof typeof actors;

const assignedDoc = { type: 'document', espaceId: E, documentId: 'd', assignees: [ME] } as const;
const unassignedDoc = { ...assignedDoc, assignees: ['someone-else'] } as const;
const contextFor = (who: Who, extra: Partial<ReviewContext> = {}): ReviewContext => ({
  target: who === 'rapporteur non assigné' ? unassignedDoc : assignedDoc,
  currentHash: HASH,
  now: NOW,
  message: 'Un message.',
  ...extra,
});

/** The situations a section can be in: the four states, and an approval that is stale or locked. */
const situations = {
  brouillon: initialSectionReview,
  soumise: { ...initialSectionReview, state: 'soumise', submittedBy: 'r', submittedAt: EARLIER },
  approuvée: {
    ...initialSectionReview,
    state: 'approuvee',
    approvedHash: HASH,
    decidedBy: 'a',
    decidedAt: EARLIER,
  },
  'approuvée puis modifiée': {
    ...initialSectionReview,
    state: 'approuvee',
    approvedHash: OLD,
    decidedBy: 'a',
    decidedAt: EARLIER,
  },
  'approuvée et verrouillée': {
    ...initialSectionReview,
    state: 'approuvee',
    approvedHash: HASH,
    locked: true,
    lockedBy: 'a',
    lockedAt: EARLIER,
  },
  'modifications demandées': {
    ...initialSectionReview,
    state: 'modifications_demandees',
    approvedHash: OLD,
    decidedBy: 'a',
    decidedAt: EARLIER,
    message: 'Précisez les partenaires.',
  },
} satisfies Record<string, SectionReviewRecord>;
type Situation = keyof typeof situations;

/** The situation a record is in, with the section's hash at `HASH`. */
function situationOf(review: SectionReviewRecord): Situation {
  if (review.state === 'approuvee') {
    if (review.locked) return 'approuvée et verrouillée';
    return sectionIsStale(review, HASH) ? 'approuvée puis modifiée' : 'approuvée';
  }
  return review.state === 'modifications_demandees' ? 'modifications demandées' : review.state;
}

// What happens to a section, for someone allowed to take the step: the situation it ends in,
// or why the step is refused. One row per situation, one column per event (reviewEvents order).
type Outcome = Situation | ReviewRefusalReason;
const stateTable: Record<Situation, Record<ReviewEvent, Outcome>> = {
  brouillon: {
    submit: 'soumise',
    approve: 'approuvée',
    request_changes: 'not_submitted',
    lock: 'not_approved',
    unlock: 'not_locked',
  },
  soumise: {
    submit: 'already_submitted',
    approve: 'approuvée',
    request_changes: 'modifications demandées',
    lock: 'not_approved',
    unlock: 'not_locked',
  },
  approuvée: {
    submit: 'already_approved',
    approve: 'already_approved',
    request_changes: 'modifications demandées',
    lock: 'approuvée et verrouillée',
    unlock: 'not_locked',
  },
  'approuvée puis modifiée': {
    submit: 'soumise',
    approve: 'approuvée',
    request_changes: 'modifications demandées',
    lock: 'stale',
    unlock: 'not_locked',
  },
  'approuvée et verrouillée': {
    submit: 'locked',
    approve: 'already_approved',
    request_changes: 'modifications demandées',
    lock: 'already_locked',
    unlock: 'approuvée',
  },
  'modifications demandées': {
    submit: 'soumise',
    approve: 'approuvée',
    request_changes: 'changes_already_requested',
    lock: 'not_approved',
    unlock: 'not_locked',
  },
};

// Who may take each step at all ('ok'), or why not, whatever the section's state.
const roleTable: Record<Who, Record<ReviewEvent, 'ok' | ReviewRefusalReason>> = {
  anonyme: {
    submit: 'forbidden',
    approve: 'forbidden',
    request_changes: 'forbidden',
    lock: 'forbidden',
    unlock: 'forbidden',
  },
  administrateur: {
    submit: 'not_assigned',
    approve: 'animateur_only',
    request_changes: 'animateur_only',
    lock: 'animateur_only',
    unlock: 'animateur_only',
  },
  animateur: { submit: 'ok', approve: 'ok', request_changes: 'ok', lock: 'ok', unlock: 'ok' },
  'rapporteur assigné': {
    submit: 'ok',
    approve: 'animateur_only',
    request_changes: 'animateur_only',
    lock: 'animateur_only',
    unlock: 'animateur_only',
  },
  'rapporteur non assigné': {
    submit: 'not_assigned',
    approve: 'animateur_only',
    request_changes: 'animateur_only',
    lock: 'animateur_only',
    unlock: 'animateur_only',
  },
  membre: {
    submit: 'not_assigned',
    approve: 'animateur_only',
    request_changes: 'animateur_only',
    lock: 'animateur_only',
    unlock: 'animateur_only',
  },
  'membre d’un autre espace': {
    submit: 'forbidden',
    approve: 'forbidden',
    request_changes: 'forbidden',
    lock: 'forbidden',
    unlock: 'forbidden',
  },
};

const isSituation = (outcome: Outcome): outcome is Situation => outcome in situations;

const cases = (Object.keys(situations) as Situation[]).flatMap((situation) =>
  reviewEvents.flatMap((event) =>
    (Object.keys(actors) as Who[]).map((who) => {
      const allowed = roleTable[who][event];
      const expected: Outcome = allowed === 'ok' ? stateTable[situation][event] : allowed;
      const says = isSituation(expected) ? `the section becomes « ${expected} »` : `refused (${expected})`;
      return { situation, event, who, expected, says };
    }),
  ),
);

describe('reviewTransition(): every state × event × role', () => {
  it.each(
    cases.map((c) => [`${c.who} applies ${c.event} to a section « ${c.situation} »: ${c.says}`, c] as const),
  )('%s', (_name, { situation, event, who, expected }) => {
    const result = reviewTransition(situations[situation], event, actors[who], contextFor(who));
    if (isSituation(expected)) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(situationOf(result.review)).toBe(expected);
      // A lock only ever sits on an approved section.
      expect(!result.review.locked || result.review.state === 'approuvee').toBe(true);
    } else {
      expect(result).toMatchObject({ ok: false, reason: expected });
      if (!result.ok) expect(result.message).toMatch(/\S/);
    }
  });
});

describe('reviewTransition(): what each step records', () => {
  const animateur = actors.animateur;

  it('records the current hash, the review version, who approved and when, on an approval', () => {
    const result = reviewTransition(
      situations.soumise,
      'approve',
      animateur,
      contextFor('animateur', { versionId: 'v-12', message: '  Très clair.  ' }),
    );
    expect(result).toEqual({
      ok: true,
      review: {
        ...situations.soumise,
        state: 'approuvee',
        approvedHash: HASH,
        approvedVersionId: 'v-12',
        decidedBy: ME,
        decidedAt: NOW,
        message: 'Très clair.',
      },
    });
  });

  it('lets the animateur approve a draft directly, without a submission', () => {
    const result = reviewTransition(initialSectionReview, 'approve', animateur, contextFor('animateur'));
    expect(result).toMatchObject({
      ok: true,
      review: { state: 'approuvee', approvedHash: HASH, submittedBy: null },
    });
  });

  it('re-approves a stale section with its new hash, after which it is no longer stale', () => {
    const stale = situations['approuvée puis modifiée'];
    expect(sectionIsStale(stale, HASH)).toBe(true);
    const result = reviewTransition(stale, 'approve', animateur, contextFor('animateur'));
    expect(result.ok && result.review.approvedHash).toBe(HASH);
    expect(result.ok && sectionIsStale(result.review, HASH)).toBe(false);
  });

  it('records who submitted and when, with the optional message, and keeps the last decision visible', () => {
    const rapporteur = actors['rapporteur assigné'];
    const withMessage = reviewTransition(
      situations['modifications demandées'],
      'submit',
      rapporteur,
      contextFor('rapporteur assigné', { message: 'Partenaires ajoutés.' }),
    );
    expect(withMessage).toMatchObject({
      ok: true,
      review: {
        state: 'soumise',
        submittedBy: ME,
        submittedAt: NOW,
        message: 'Partenaires ajoutés.',
        decidedBy: 'a',
        decidedAt: EARLIER,
        approvedHash: OLD,
      },
    });
    const blank = reviewTransition(
      initialSectionReview,
      'submit',
      rapporteur,
      contextFor('rapporteur assigné', { message: '   ' }),
    );
    expect(blank.ok && blank.review.message).toBeNull();
  });

  it.each([undefined, null, '', ' \n\t '])(
    'refuses a request for changes whose message is %j, as invalid input',
    (message) => {
      const result = reviewTransition(situations.soumise, 'request_changes', animateur, {
        ...contextFor('animateur'),
        message,
      });
      expect(result).toMatchObject({
        ok: false,
        reason: 'message_required',
        kind: 'invalid_input',
        message: 'Expliquez les modifications demandées dans un message.',
      });
    },
  );

  it('lifts the lock when changes are requested on a locked section, keeping the approved hash for the diff', () => {
    const result = reviewTransition(
      situations['approuvée et verrouillée'],
      'request_changes',
      animateur,
      contextFor('animateur', { message: 'Le chiffre de 2024 est faux.' }),
    );
    expect(result).toMatchObject({
      ok: true,
      review: {
        state: 'modifications_demandees',
        locked: false,
        lockedBy: null,
        lockedAt: null,
        approvedHash: HASH,
        decidedBy: ME,
        message: 'Le chiffre de 2024 est faux.',
      },
    });
  });

  it('records who locked and when, and forgets both on unlock, leaving the approval as it was', () => {
    const locked = reviewTransition(situations.approuvée, 'lock', animateur, contextFor('animateur'));
    expect(locked).toMatchObject({ ok: true, review: { locked: true, lockedBy: ME, lockedAt: NOW } });
    if (!locked.ok) return;
    const unlocked = reviewTransition(locked.review, 'unlock', animateur, contextFor('animateur'));
    expect(unlocked).toEqual({ ok: true, review: situations.approuvée });
  });

  it('never changes the record it was given', () => {
    const before = structuredClone(situations.soumise);
    reviewTransition(situations.soumise, 'approve', animateur, contextFor('animateur'));
    expect(situations.soumise).toEqual(before);
  });
});

describe('reviewTransition(): refusals and their HTTP kind', () => {
  it('refuses a step whose section changed while the animateur was reading it', () => {
    const result = reviewTransition(
      situations.soumise,
      'approve',
      actors.animateur,
      contextFor('animateur', { seenHash: OLD }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'content_changed', kind: 'conflict' });
  });

  it('accepts the step when the section is exactly what the animateur read', () => {
    const result = reviewTransition(
      situations.soumise,
      'approve',
      actors.animateur,
      contextFor('animateur', { seenHash: HASH }),
    );
    expect(result.ok).toBe(true);
  });

  it('judges the second of two crossing decisions on the first one’s result: it is refused, not applied twice', () => {
    const first = reviewTransition(situations.soumise, 'approve', actors.animateur, contextFor('animateur'));
    if (!first.ok) throw new Error('first approval refused');
    const second = reviewTransition(first.review, 'approve', actors.animateur, contextFor('animateur'));
    expect(second).toMatchObject({ ok: false, reason: 'already_approved', kind: 'conflict' });
  });

  it('tells the animateur and the assigned rapporteur that an archived document’s review is closed', () => {
    const archived = { ...assignedDoc, archived: true };
    for (const [who, event] of [
      ['animateur', 'approve'],
      ['rapporteur assigné', 'submit'],
    ] as const) {
      const result = reviewTransition(initialSectionReview, event, actors[who], {
        ...contextFor(who),
        target: archived,
      });
      expect(result).toMatchObject({ ok: false, reason: 'archived', kind: 'conflict' });
    }
  });

  it('gives a membre of an archived document the same answer as before: deciding is not theirs', () => {
    const result = reviewTransition(situations.soumise, 'approve', actors.membre, {
      ...contextFor('membre'),
      target: { ...assignedDoc, archived: true },
    });
    expect(result).toMatchObject({ ok: false, reason: 'animateur_only', kind: 'forbidden' });
  });

  it.each([
    ['forbidden', 'forbidden'],
    ['not_assigned', 'forbidden'],
    ['animateur_only', 'forbidden'],
    ['already_approved', 'conflict'],
  ] as const)('maps the refusal %s to the %s error kind', (reason, kind) => {
    const found = cases.find((c) => c.expected === reason);
    if (!found) throw new Error(`no case refused with ${reason}`);
    const result = reviewTransition(
      situations[found.situation],
      found.event,
      actors[found.who],
      contextFor(found.who),
    );
    expect(result).toMatchObject({ ok: false, reason, kind });
  });
});

describe('availableReviewEvents(): the buttons a person sees', () => {
  it.each([
    ['animateur', 'brouillon', ['submit', 'approve']],
    ['animateur', 'soumise', ['approve', 'request_changes']],
    ['animateur', 'approuvée', ['request_changes', 'lock']],
    ['animateur', 'approuvée puis modifiée', ['submit', 'approve', 'request_changes']],
    ['animateur', 'approuvée et verrouillée', ['request_changes', 'unlock']],
    ['rapporteur assigné', 'brouillon', ['submit']],
    ['rapporteur assigné', 'soumise', []],
    ['rapporteur assigné', 'modifications demandées', ['submit']],
    ['rapporteur assigné', 'approuvée et verrouillée', []],
    ['rapporteur non assigné', 'brouillon', []],
    ['membre', 'soumise', []],
    ['administrateur', 'soumise', []],
    ['anonyme', 'brouillon', []],
  ] as const)('%s on a section « %s » may: %j', (who, situation, expected) => {
    const { target, currentHash } = contextFor(who);
    expect(availableReviewEvents(situations[situation], actors[who], { target, currentHash })).toEqual(
      expected,
    );
  });
});

describe('sectionIsStale(): an approval out of date', () => {
  it.each([
    ['approved with the current hash', { state: 'approuvee', approvedHash: HASH }, false],
    ['approved with an older hash', { state: 'approuvee', approvedHash: OLD }, true],
    ['approved without a recorded hash', { state: 'approuvee', approvedHash: null }, false],
    ['submitted after an approval, edited since', { state: 'soumise', approvedHash: OLD }, false],
    ['with changes requested, edited since', { state: 'modifications_demandees', approvedHash: OLD }, false],
    ['a draft', { state: 'brouillon', approvedHash: null }, false],
  ] as const)('a section %s is stale: %s', (_label, review, expected) => {
    expect(sectionIsStale(review, HASH)).toBe(expected);
  });
});

describe('documentReviewState(): where a whole document stands', () => {
  const section = (
    state: SectionReviewRecord['state'],
    options: { required?: boolean; stale?: boolean } = {},
  ): SectionForDocumentReview => ({
    review: { state, approvedHash: state === 'approuvee' ? (options.stale ? OLD : HASH) : null },
    hash: HASH,
    required: options.required ?? true,
  });
  const draft = { published: false, draftMovedSincePublication: false };

  it.each([
    ['a document without sections', [], 'en_redaction', 0, 0],
    ['only drafts', [section('brouillon'), section('brouillon')], 'en_redaction', 0, 2],
    ['one section waiting for a decision', [section('soumise'), section('brouillon')], 'en_relecture', 0, 2],
    [
      'changes requested and nothing submitted',
      [section('modifications_demandees'), section('approuvee')],
      'en_redaction',
      1,
      2,
    ],
    [
      'every required section approved',
      [section('approuvee'), section('approuvee')],
      'prete_a_publier',
      2,
      2,
    ],
    [
      'every required section approved, an optional one still a draft',
      [section('approuvee'), section('brouillon', { required: false })],
      'prete_a_publier',
      1,
      2,
    ],
    [
      'a required section approved then edited',
      [section('approuvee'), section('approuvee', { stale: true })],
      'en_redaction',
      1,
      2,
    ],
    [
      'a required section approved then edited and resubmitted',
      [section('approuvee'), section('soumise')],
      'en_relecture',
      1,
      2,
    ],
    [
      'no required section, every section approved',
      [section('approuvee', { required: false }), section('approuvee', { required: false })],
      'prete_a_publier',
      2,
      2,
    ],
    [
      'no required section, one still submitted',
      [section('approuvee', { required: false }), section('soumise', { required: false })],
      'en_relecture',
      1,
      2,
    ],
  ] as const)(
    'a document with %s is %s (%i / %i approved)',
    (_label, sections, expected, approved, total) => {
      expect(documentReviewState(sections, draft)).toEqual({
        state: expected,
        draftState: expected,
        newVersionInProgress: false,
        approved,
        total,
      });
    },
  );

  it('says « publiée » for a published document, without a new version while the draft has not moved', () => {
    const result = documentReviewState([section('approuvee')], {
      published: true,
      draftMovedSincePublication: false,
    });
    expect(result).toMatchObject({
      state: 'publiee',
      draftState: 'prete_a_publier',
      newVersionInProgress: false,
    });
  });

  it('flags a new version in progress when the draft moved after publication, with the draft’s own state', () => {
    const result = documentReviewState([section('approuvee', { stale: true })], {
      published: true,
      draftMovedSincePublication: true,
    });
    expect(result).toMatchObject({
      state: 'publiee',
      draftState: 'en_redaction',
      newVersionInProgress: true,
    });
  });

  it('ignores a draft that “moved since publication” when nothing was ever published', () => {
    const result = documentReviewState([section('brouillon')], {
      published: false,
      draftMovedSincePublication: true,
    });
    expect(result.newVersionInProgress).toBe(false);
  });
});

describe('labels: what people read', () => {
  it('names every section and document state in French', () => {
    expect(Object.values(sectionReviewStateLabels)).toEqual([
      'Brouillon',
      'Soumise',
      'Approuvée',
      'Modifications demandées',
    ]);
    expect(Object.values(documentReviewStateLabels)).toEqual([
      'En rédaction',
      'En relecture',
      'Prête à publier',
      'Publiée',
    ]);
  });
});
