import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from '@tiptap/pm/model';
import { schema, sectionsOf, type DocJSON } from '@essaim/editor';
import type { ReviewedDocumentSectionsDto, ReviewedSectionDto, SectionReviewDto } from '@essaim/protocol';
import {
  decisionLines,
  documentReviewView,
  liveSignature,
  offeredSteps,
  sectionHashesOf,
  serverSignature,
} from './liveReview.js';

const section = (id: string, title: string, text: string) => ({
  type: 'section',
  attrs: { id, key: null },
  content: [
    { type: 'sectionTitle', content: [{ type: 'text', text: title }] },
    { type: 'paragraph', content: text ? [{ type: 'text', text }] : [] },
  ],
});

const docOf = (...sections: ReturnType<typeof section>[]): PMNode =>
  schema.nodeFromJSON({ type: 'doc', content: sections } as DocJSON);

const draft: SectionReviewDto = {
  state: 'brouillon',
  stale: false,
  locked: false,
  approvedHash: null,
  approvedVersionId: null,
  decidedBy: null,
  decidedAt: null,
  submittedBy: null,
  submittedAt: null,
  lockedBy: null,
  lockedAt: null,
  message: null,
  actions: ['submit', 'approve'],
};

const sophie = { id: 'u-sophie', name: 'Sophie Lambert' };

/** The server's answer for `doc`, each section with the review given (a draft by default). */
function answerFor(
  doc: PMNode,
  reviews: Record<string, Partial<SectionReviewDto>> = {},
): ReviewedDocumentSectionsDto {
  const sections: ReviewedSectionDto[] = sectionsOf(doc).map((s) => ({
    ...s,
    required: true,
    review: { ...draft, ...reviews[s.id] },
  }));
  return {
    sections,
    missingRequired: [],
    reviewState: 'en_redaction',
    review: { draftState: 'en_redaction', newVersionInProgress: false, approved: 0, total: sections.length },
  };
}

describe('section hashes read in the editor', () => {
  it('are the server’s hashes (sectionsOf), and a keystroke hashes only the section it changed', () => {
    const cache = new WeakMap<PMNode, string>();
    const before = docOf(section('a', 'Origine', 'Le département.'), section('b', 'Étapes', ''));
    const hashes = sectionHashesOf(before, cache);
    expect([...hashes]).toEqual(sectionsOf(before).map((s) => [s.id, s.hash]));

    const after = docOf(section('a', 'Origine', 'Le département.'), section('b', 'Étapes', 'Une réunion.'));
    // The unchanged section is the same node in a real editor; here, a node equal to the cached one
    // is hashed again, and gives the same hash.
    const next = sectionHashesOf(after, cache);
    expect(next.get('a')).toBe(hashes.get('a'));
    expect(next.get('b')).not.toBe(hashes.get('b'));
    expect(next.get('b')).toBe(sectionsOf(after)[1]?.hash);
  });

  it('keep the first section of a duplicated id, as the server does', () => {
    const doc = docOf(section('a', 'Un', 'x'), section('a', 'Deux', 'y'));
    expect(sectionHashesOf(doc, new WeakMap()).get('a')).toBe(sectionsOf(doc)[0]?.hash);
  });
});

describe('the review read against the text in the editor', () => {
  const approvedDoc = docOf(section('a', 'Origine', 'Texte approuvé.'), section('b', 'Étapes', 'Brouillon.'));
  const approvedHash = sectionsOf(approvedDoc)[0]?.hash ?? '';
  const approved: Partial<SectionReviewDto> = {
    state: 'approuvee',
    approvedHash,
    approvedVersionId: 'v1',
    decidedBy: sophie,
    decidedAt: '2026-03-02T10:00:00.000Z',
    actions: ['request_changes', 'lock'],
  };

  it('counts an approved section while its text is the approved one', () => {
    const dto = answerFor(approvedDoc, { a: approved });
    const view = documentReviewView(dto, sectionHashesOf(approvedDoc, new WeakMap()));
    expect(view.approved).toBe(1);
    expect(view.total).toBe(2);
    expect(view.byId.get('a')?.stale).toBe(false);
    expect(view.byId.get('a')?.changedSinceApproval).toBe(false);
    expect(view.state).toBe('en_redaction');
  });

  it('makes it stale at the first keystroke inside it, before the server is asked, and not for an edit elsewhere', () => {
    const dto = answerFor(approvedDoc, { a: approved });
    const elsewhere = docOf(
      section('a', 'Origine', 'Texte approuvé.'),
      section('b', 'Étapes', 'Brouillon, suite.'),
    );
    expect(documentReviewView(dto, sectionHashesOf(elsewhere, new WeakMap())).byId.get('a')?.stale).toBe(
      false,
    );

    const edited = docOf(
      section('a', 'Origine', 'Texte approuvé, puis modifié.'),
      section('b', 'Étapes', 'Brouillon.'),
    );
    const view = documentReviewView(dto, sectionHashesOf(edited, new WeakMap()));
    expect(view.byId.get('a')?.stale).toBe(true);
    expect(view.byId.get('a')?.changedSinceApproval).toBe(true);
    expect(view.approved).toBe(0);
    // The server judged it fresh: the signatures differ, so the page asks again.
    expect(liveSignature(dto, sectionHashesOf(edited, new WeakMap()))).not.toBe(serverSignature(dto));
    expect(liveSignature(dto, sectionHashesOf(approvedDoc, new WeakMap()))).toBe(serverSignature(dto));
  });

  it('keeps « changed since the approval » on a section resubmitted after it', () => {
    const edited = docOf(section('a', 'Origine', 'Nouveau texte.'), section('b', 'Étapes', 'Brouillon.'));
    const dto = answerFor(edited, {
      a: { ...approved, state: 'soumise', actions: ['approve', 'request_changes'] },
    });
    const view = documentReviewView(dto, sectionHashesOf(edited, new WeakMap()));
    expect(view.byId.get('a')?.stale).toBe(false);
    expect(view.byId.get('a')?.changedSinceApproval).toBe(true);
    expect(view.state).toBe('en_relecture');
  });

  it('is « prête à publier » when every required section is approved and unchanged', () => {
    const hashes = sectionsOf(approvedDoc);
    const dto = answerFor(approvedDoc, {
      a: approved,
      b: {
        ...approved,
        approvedHash: hashes[1]?.hash ?? '',
        locked: true,
        lockedBy: sophie,
        lockedAt: '2026-03-02T11:00:00.000Z',
      },
    });
    const view = documentReviewView(dto, sectionHashesOf(approvedDoc, new WeakMap()));
    expect(view.state).toBe('prete_a_publier');
    expect(view.lockedIds).toEqual(['b']);
    expect(view.approved).toBe(2);
  });

  it('uses the server’s hashes while the editor has none, and lists what may be submitted', () => {
    const dto = answerFor(approvedDoc, { a: approved });
    const view = documentReviewView(dto, null);
    expect(view.byId.get('a')?.hash).toBe(approvedHash);
    expect(view.submittable.map((s) => s.id)).toEqual(['b']);
  });

  it('asks the server again when a section appears or disappears in the text', () => {
    const dto = answerFor(approvedDoc);
    const more = docOf(
      section('a', 'Origine', 'Texte approuvé.'),
      section('b', 'Étapes', 'Brouillon.'),
      section('c', 'Nouvelle section', ''),
    );
    expect(liveSignature(dto, sectionHashesOf(more, new WeakMap()))).not.toBe(serverSignature(dto));
  });
});

describe('a section header’s lines and buttons', () => {
  it('says who took the step that brought the section to its state, then who locked it', () => {
    expect(decisionLines(draft)).toEqual([]);
    expect(
      decisionLines({
        ...draft,
        state: 'soumise',
        submittedBy: sophie,
        submittedAt: '2026-03-01T09:00:00.000Z',
      }),
    ).toEqual([{ kind: 'submitted', by: sophie, at: '2026-03-01T09:00:00.000Z' }]);
    expect(
      decisionLines({
        ...draft,
        state: 'approuvee',
        decidedBy: sophie,
        decidedAt: '2026-03-02T10:00:00.000Z',
        locked: true,
        lockedBy: null,
        lockedAt: '2026-03-02T11:00:00.000Z',
      }),
    ).toEqual([
      { kind: 'approved', by: sophie, at: '2026-03-02T10:00:00.000Z' },
      { kind: 'locked', by: null, at: '2026-03-02T11:00:00.000Z' },
    ]);
    expect(
      decisionLines({
        ...draft,
        state: 'modifications_demandees',
        decidedBy: sophie,
        decidedAt: '2026-03-03T08:00:00.000Z',
      }),
    ).toEqual([{ kind: 'changes_requested', by: sophie, at: '2026-03-03T08:00:00.000Z' }]);
  });

  it('shows exactly the steps the server offers, in a fixed order', () => {
    expect(offeredSteps({ ...draft, actions: ['unlock', 'request_changes'] })).toEqual([
      'request_changes',
      'unlock',
    ]);
    expect(offeredSteps({ ...draft, actions: [] })).toEqual([]);
  });
});
