import { describe, expect, it } from 'vitest';
import type { ReviewEvent, SectionReviewState } from '@essaim/domain';
import type {
  DocumentDiffDto,
  ReviewedDocumentSectionsDto,
  ReviewedSectionDto,
  ReviewQueueEntryDto,
} from '@essaim/protocol';
import {
  entryKey,
  focusAfterRemoval,
  groupEntries,
  loadEvidence,
  sectionChanges,
  shownActions,
  withLiveReview,
  type EvidenceSource,
} from './model.js';

function entry(
  sectionId: string,
  state: SectionReviewState,
  options: { stale?: boolean; documentId?: string; actions?: ReviewEvent[] } = {},
): ReviewQueueEntryDto {
  return {
    document: { id: options.documentId ?? 'doc', title: 'Fiche' },
    section: { id: sectionId, key: null, title: `Section ${sectionId}` },
    state,
    stale: options.stale ?? false,
    submittedAt: null,
    submittedBy: null,
    decidedAt: null,
    decidedBy: null,
    message: null,
    approvedVersionId: null,
    actions: options.actions ?? [],
  };
}

function section(id: string, approvedVersionId: string | null, hash = `h-${id}`): ReviewedSectionDto {
  return {
    id,
    key: null,
    title: `Section ${id}`,
    hash,
    characters: 10,
    required: true,
    review: {
      state: approvedVersionId ? 'approuvee' : 'soumise',
      stale: approvedVersionId !== null,
      locked: false,
      approvedHash: null,
      approvedVersionId,
      decidedBy: null,
      decidedAt: null,
      submittedBy: null,
      submittedAt: null,
      lockedBy: null,
      lockedAt: null,
      message: null,
      actions: ['approve'],
    },
  };
}

const sectionsDto = (sections: ReviewedSectionDto[]): ReviewedDocumentSectionsDto => ({
  sections,
  missingRequired: [],
  reviewState: 'en_relecture',
  review: { draftState: 'en_relecture', newVersionInProgress: false, approved: 0, total: sections.length },
});

function diff(sectionId: string, status: 'changed' | 'unchanged' | 'removed'): DocumentDiffDto {
  const author = { id: 'u-1', name: 'Thomas Girard' };
  const version = { id: 'v-1' } as DocumentDiffDto['from'];
  return {
    from: version,
    to: null,
    metadata: [],
    authors: status === 'changed' ? [author] : [],
    sections: [
      {
        id: sectionId,
        key: null,
        title: 'Origine',
        status,
        changes: status === 'changed' ? 1 : 0,
        parts:
          status === 'changed'
            ? [
                { kind: 'equal', text: 'Origine\nUne équipe ', author: null },
                { kind: 'insert', text: 'mobile ', author },
                { kind: 'equal', text: 'va vers les familles.', author: null },
              ]
            : [{ kind: 'equal', text: 'Origine\nUne équipe va vers les familles.', author: null }],
      },
    ],
  };
}

describe('the queue split into its lists', () => {
  it('puts submitted sections, stale approvals and requested changes apart, keeping the server order', () => {
    const entries = [
      entry('a', 'soumise'),
      entry('b', 'soumise'),
      entry('c', 'approuvee', { stale: true }),
      entry('d', 'modifications_demandees'),
    ];
    const groups = groupEntries(entries);
    expect(groups.submitted.map((e) => e.section.id)).toEqual(['a', 'b']);
    expect(groups.stale.map((e) => e.section.id)).toEqual(['c']);
    expect(groups.changes.map((e) => e.section.id)).toEqual(['d']);
  });

  it('shows exactly the server’s actions, decisions first', () => {
    expect(shownActions(['submit', 'approve', 'request_changes'])).toEqual([
      'approve',
      'request_changes',
      'submit',
    ]);
    expect(shownActions(['submit'])).toEqual(['submit']);
    expect(shownActions([])).toEqual([]);
  });

  it('moves the focus to the next entry of the same list, else the one before, else nowhere', () => {
    const entries = [
      entry('a', 'soumise'),
      entry('b', 'soumise'),
      entry('c', 'soumise'),
      entry('d', 'modifications_demandees'),
    ];
    expect(focusAfterRemoval(entries, entryKey(entries[1] as ReviewQueueEntryDto))).toBe('doc/c');
    expect(focusAfterRemoval(entries, entryKey(entries[2] as ReviewQueueEntryDto))).toBe('doc/b');
    // The last of its list: the list below is not where the person was.
    expect(focusAfterRemoval(entries, entryKey(entries[3] as ReviewQueueEntryDto))).toBeNull();
    expect(focusAfterRemoval(entries, 'autre/x')).toBeNull();
  });
});

describe('what changed since the approval', () => {
  it('reads the hash before the text it shows, so an approval never covers words read after it', async () => {
    const calls: string[] = [];
    const source: EvidenceSource = {
      sections: async (documentId) => {
        calls.push(`sections ${documentId}`);
        return sectionsDto([section('s-1', 'v-1'), section('s-2', null), section('s-3', 'v-1')]);
      },
      compare: async (documentId, versionId) => {
        calls.push(`diff ${documentId} ${versionId}`);
        return diff('s-1', 'changed');
      },
    };
    const evidence = await loadEvidence(source, 'doc', ['s-1', 's-2', 's-3']);
    // One comparison per approval version, after the sections.
    expect(calls).toEqual(['sections doc', 'diff doc v-1']);
    expect(evidence.sections.get('s-1')?.hash).toBe('h-s-1');
    expect(evidence.document.reviewState).toBe('en_relecture');
  });

  it('takes the approval version from the sections read now, not from the queue', async () => {
    const compared: string[] = [];
    const source: EvidenceSource = {
      sections: async () => sectionsDto([section('s-1', 'v-2')]),
      compare: async (_doc, versionId) => {
        compared.push(versionId);
        return diff('s-1', 'changed');
      },
    };
    await loadEvidence(source, 'doc', ['s-1']);
    expect(compared).toEqual(['v-2']);
  });

  it('fails as a whole when the sections cannot be read: nothing to approve without a hash', async () => {
    const source: EvidenceSource = {
      sections: () => Promise.reject(new Error('Le serveur est injoignable.')),
      compare: () => Promise.reject(new Error('jamais appelé')),
    };
    await expect(loadEvidence(source, 'doc', ['s-1'])).rejects.toThrow('Le serveur est injoignable.');
  });

  it('says « première soumission », unchanged, removed, or the section’s own changes with their author', () => {
    const evidence = (status: 'changed' | 'unchanged' | 'removed', version: string | null) => ({
      document: { reviewState: sectionsDto([]).reviewState, review: sectionsDto([]).review },
      sections: new Map([['s-1', section('s-1', version)]]),
      diffs: new Map(version ? [[version, diff('s-1', status)]] : []),
    });
    expect(sectionChanges(evidence('changed', null), 's-1', 'Sans titre')).toEqual({
      kind: 'first-submission',
    });
    expect(sectionChanges(evidence('unchanged', 'v-1'), 's-1', 'Sans titre')).toEqual({ kind: 'unchanged' });
    expect(sectionChanges(evidence('removed', 'v-1'), 's-1', 'Sans titre')).toEqual({ kind: 'removed' });
    expect(sectionChanges(evidence('changed', 'v-1'), 'absente', 'Sans titre')).toEqual({ kind: 'removed' });
    const changed = sectionChanges(evidence('changed', 'v-1'), 's-1', 'Sans titre');
    if (changed.kind !== 'changed') throw new Error(changed.kind);
    // The title line is the heading's, not a block of text.
    expect(changed.view.titleChange).toBeNull();
    expect(changed.view.blocks).toEqual([
      [
        { kind: 'equal', text: 'Une équipe ' },
        {
          kind: 'insert',
          text: 'mobile ',
          author: { id: 'u-1', name: 'Thomas Girard' },
          colour: 0,
          paragraphBreak: false,
        },
        { kind: 'equal', text: 'va vers les familles.' },
      ],
    ]);
  });
});

describe('entries as their sections stand now', () => {
  const live = (state: SectionReviewState, stale: boolean): ReviewedSectionDto => {
    const read = section('s-1', null);
    return {
      ...read,
      title: 'Origine et contexte',
      review: { ...read.review, state, stale, message: 'Relu.', actions: ['request_changes'] },
    };
  };

  it('drops an entry whose section was approved since the queue was stored, or went back to draft', () => {
    const waiting = entry('s-1', 'approuvee', { stale: true });
    expect(withLiveReview(waiting, live('approuvee', false))).toBeNull();
    expect(withLiveReview(waiting, live('brouillon', false))).toBeNull();
  });

  it('takes the state, message and actions read now, and keeps the entry without a fresh read', () => {
    const asked = entry('s-1', 'soumise', { actions: ['approve'] });
    expect(withLiveReview(asked, live('modifications_demandees', false))).toMatchObject({
      state: 'modifications_demandees',
      stale: false,
      message: 'Relu.',
      actions: ['request_changes'],
      section: { id: 's-1', title: 'Origine et contexte' },
    });
    expect(withLiveReview(asked, undefined)).toBe(asked);
  });
});
