import { describe, expect, it } from 'vitest';
import type { PublicationDto } from '@essaim/protocol';
import { publicationStatus, publishedStateLabel, type ReviewSummary } from './publicationStatus.js';
import { withAction } from './publicationActions.js';

const publication = (number: number, hidden = false): PublicationDto => ({
  id: `p${number}`,
  documentId: 'd1',
  number,
  url: `/pratiques/fiche/v/${number}`,
  documentUrl: '/pratiques/fiche',
  versionId: `v${number}`,
  title: 'Fiche',
  publishedAt: '2026-03-03T10:00:00.000Z',
  publishedBy: { id: 'u1', name: 'Sophie Lambert' },
  hidden,
});

const ready: ReviewSummary = {
  state: 'prete_a_publier',
  draftState: 'prete_a_publier',
  newVersionInProgress: false,
};
const writing: ReviewSummary = {
  state: 'en_redaction',
  draftState: 'en_redaction',
  newVersionInProgress: false,
};
const published: ReviewSummary = {
  state: 'publiee',
  draftState: 'prete_a_publier',
  newVersionInProgress: false,
};
const moved = (draftState: ReviewSummary['draftState']): ReviewSummary => ({
  state: 'publiee',
  draftState,
  newVersionInProgress: true,
});

describe('publicationStatus', () => {
  it('offers the first publication once the draft is prête à publier, not before', () => {
    expect(publicationStatus(ready, [], false)).toMatchObject({
      latest: null,
      visible: false,
      state: 'prete_a_publier',
      nextNumber: 1,
      publishable: true,
    });
    expect(publicationStatus(writing, [], false)).toMatchObject({
      state: 'en_redaction',
      publishable: false,
    });
  });

  it('shows a published document whose draft has not moved as published, with nothing to publish', () => {
    expect(publicationStatus(published, [publication(1)], false)).toMatchObject({
      visible: true,
      state: 'publiee',
      newVersionInProgress: false,
      nextNumber: 2,
      publishable: false,
    });
  });

  it('says a new version is being written when the draft moved, and offers N+1 only once it is ready again', () => {
    const writingAgain = publicationStatus(moved('en_redaction'), [publication(1)], false);
    expect(writingAgain).toMatchObject({ state: 'publiee', newVersionInProgress: true, publishable: false });
    const readyAgain = publicationStatus(moved('prete_a_publier'), [publication(2), publication(1)], false);
    expect(readyAgain).toMatchObject({ newVersionInProgress: true, nextNumber: 3, publishable: true });
  });

  it('right after this page published, does not believe the older review that said the draft had moved', () => {
    // The review was read before publication 2: it said « moved since publication 1 ».
    const status = publicationStatus(moved('prete_a_publier'), [publication(2), publication(1)], true);
    expect(status).toMatchObject({ state: 'publiee', newVersionInProgress: false, publishable: false });
  });

  it('shows the published state at once after a first publication, before the review is read again', () => {
    expect(publicationStatus(ready, [publication(1)], true)).toMatchObject({
      visible: true,
      state: 'publiee',
      newVersionInProgress: false,
    });
  });

  it('gives an unpublished document its draft state and offers republishing rather than a new number', () => {
    const status = publicationStatus(published, [publication(1, true)], false);
    expect(status).toMatchObject({ visible: false, state: 'prete_a_publier', publishable: false });
    // Someone else unpublished: the list says so even if the review still says published.
    expect(publicationStatus(moved('prete_a_publier'), [publication(1, true)], false)).toMatchObject({
      visible: false,
      newVersionInProgress: false,
      publishable: false,
    });
  });
});

describe('withAction', () => {
  it('puts a new publication first and hides or shows every publication of the document together', () => {
    const list = [publication(1)];
    expect(withAction(list, { kind: 'published', publication: publication(2) }).map((p) => p.number)).toEqual(
      [2, 1],
    );
    const hidden = withAction([publication(2), publication(1)], { kind: 'hidden', hidden: true });
    expect(hidden.every((p) => p.hidden)).toBe(true);
    expect(withAction(hidden, { kind: 'hidden', hidden: false }).some((p) => p.hidden)).toBe(false);
  });
});

describe('publishedStateLabel', () => {
  const labels = {
    states: {
      en_redaction: 'En rédaction',
      en_relecture: 'En relecture',
      prete_a_publier: 'Prête à publier',
      publiee: 'Publiée',
    },
    published: (n: number) => `Publiée (version ${n})`,
    newVersion: 'Une nouvelle version est en cours de rédaction',
  };

  it('names the version the portal shows, and the new version when the draft moved on', () => {
    expect(
      publishedStateLabel(publicationStatus(moved('en_redaction'), [publication(1)], false), labels),
    ).toEqual({
      state: 'publiee',
      label: 'Publiée (version 1)',
      newVersionLabel: 'Une nouvelle version est en cours de rédaction',
    });
    expect(publishedStateLabel(publicationStatus(ready, [publication(1, true)], false), labels)).toEqual({
      state: 'prete_a_publier',
      label: 'Prête à publier',
      newVersionLabel: null,
    });
  });
});
