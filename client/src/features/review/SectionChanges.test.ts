import { describe, expect, it } from 'vitest';
import type { DiffPartDto, DocumentDiffDto, SectionDiffDto, VersionDto } from '@essaim/protocol';
import { sectionDiffView } from './SectionChanges.js';

const bruno = { id: 'u-bruno', name: 'Bruno' };
const chloe = { id: 'u-chloe', name: 'Chloé' };

const version: VersionDto = {
  id: 'v1',
  number: 1,
  kind: 'revue',
  label: 'Approbation : Origine',
  authors: [],
  createdAt: '2026-03-10T09:00:00.000Z',
  createdBy: null,
};

const section = (id: string, title: string, parts: DiffPartDto[]): SectionDiffDto => ({
  id,
  key: null,
  title,
  status: parts.some((p) => p.kind !== 'equal') ? 'changed' : 'unchanged',
  changes: parts.filter((p) => p.kind !== 'equal').length,
  parts,
});

const diff: DocumentDiffDto = {
  from: version,
  to: null,
  sections: [
    section('a', 'Origine', [
      { kind: 'equal', text: 'Origine\nLe département', author: null },
      { kind: 'insert', text: ' a repris le modèle', author: bruno },
    ]),
    section('b', 'Étapes', [
      { kind: 'equal', text: 'Étapes\n', author: null },
      { kind: 'delete', text: 'Une réunion.', author: chloe },
    ]),
  ],
  metadata: [{ field: 'title', label: 'Titre', from: 'Ancien', to: 'Nouveau' }],
  authors: [bruno, chloe],
};

describe('the comparison of one section since its approval', () => {
  it('keeps that section only, without the metadata, and the legend of its own authors', () => {
    const view = sectionDiffView(diff, 'a');
    expect(view.changed.map((s) => s.id)).toEqual(['a']);
    expect(view.unchanged).toEqual([]);
    expect(view.metadata).toEqual([]);
    expect(view.changeCount).toBe(1);
    expect(view.legend.map((e) => e.author?.name)).toEqual(['Bruno']);
    expect(view.changed[0]?.blocks).toEqual([
      [
        { kind: 'equal', text: 'Le département' },
        { kind: 'insert', text: ' a repris le modèle', author: bruno, colour: 0, paragraphBreak: false },
      ],
    ]);
  });

  it('is empty for a section the comparison does not hold (removed since)', () => {
    const view = sectionDiffView(diff, 'gone');
    expect(view.changed).toEqual([]);
    expect(view.unchanged).toEqual([]);
  });
});
