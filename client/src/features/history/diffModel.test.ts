import { describe, expect, it } from 'vitest';
import type {
  DiffPartDto,
  DocumentDiffDto,
  SectionDiffDto,
  VersionAuthorDto,
  VersionDto,
} from '@essaim/protocol';
import {
  AUTHOR_COLOURS,
  blockLines,
  blocksOf,
  diffView,
  listFlow,
  splitTitleLine,
  type ChangeRun,
  type ListLevel,
} from './diffModel.js';

const bruno: VersionAuthorDto = { id: 'u-bruno', name: 'Bruno' };
const chloe: VersionAuthorDto = { id: 'u-chloe', name: 'Chloé' };

const equal = (text: string): DiffPartDto => ({ kind: 'equal', text, author: null });
const insert = (text: string, author: VersionAuthorDto | null = bruno): DiffPartDto => ({
  kind: 'insert',
  text,
  author,
});
const remove = (text: string, author: VersionAuthorDto | null = bruno): DiffPartDto => ({
  kind: 'delete',
  text,
  author,
});

const version = (number: number): VersionDto => ({
  id: `v${number}`,
  number,
  kind: 'automatique',
  label: null,
  authors: [],
  createdAt: '2026-03-10T09:00:00.000Z',
  createdBy: null,
});

const section = (
  id: string,
  status: SectionDiffDto['status'],
  parts: DiffPartDto[],
  title = `Titre ${id}`,
): SectionDiffDto => ({
  id,
  key: null,
  title,
  status,
  changes: parts.filter((p) => p.kind !== 'equal').length,
  parts,
});

const diff = (sections: SectionDiffDto[], authors: VersionAuthorDto[] = [bruno, chloe]): DocumentDiffDto => ({
  from: version(1),
  to: null,
  sections,
  metadata: [],
  authors,
});

const byAuthorOrder = { of: (a: VersionAuthorDto) => (a.id === bruno.id ? 0 : 1) };

describe('cutting a compared section into blocks', () => {
  it('keeps unchanged, inserted and deleted words in order in one block', () => {
    const blocks = blocksOf(
      [equal('Les familles '), remove('choisissent'), insert('désignent'), equal(' leurs invités.')],
      byAuthorOrder,
    );
    expect(blocks).toEqual([
      [
        { kind: 'equal', text: 'Les familles ' },
        { kind: 'delete', text: 'choisissent', author: bruno, colour: 0, paragraphBreak: false },
        { kind: 'insert', text: 'désignent', author: bruno, colour: 0, paragraphBreak: false },
        { kind: 'equal', text: ' leurs invités.' },
      ],
    ]);
  });

  it('starts a new block at each line break of unchanged text', () => {
    const blocks = blocksOf([equal('Premier.\nDeuxième.\nTroisième.')], byAuthorOrder);
    expect(blocks.map((b) => b.map((r) => r.text))).toEqual([['Premier.'], ['Deuxième.'], ['Troisième.']]);
  });

  it('shows an inserted paragraph break as a change ending the block', () => {
    const blocks = blocksOf(
      [equal('Avant'), insert(' ajouté\nNouveau paragraphe'), equal(' fin.')],
      byAuthorOrder,
    );
    expect(blocks).toEqual([
      [
        { kind: 'equal', text: 'Avant' },
        { kind: 'insert', text: ' ajouté', author: bruno, colour: 0, paragraphBreak: false },
        { kind: 'insert', text: '', author: bruno, colour: 0, paragraphBreak: true },
      ],
      [
        { kind: 'insert', text: 'Nouveau paragraphe', author: bruno, colour: 0, paragraphBreak: false },
        { kind: 'equal', text: ' fin.' },
      ],
    ]);
  });

  it('shows two joined paragraphs as a deleted paragraph break', () => {
    const blocks = blocksOf([equal('Un.'), remove('\n', chloe), equal('Deux.')], byAuthorOrder);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.at(-1)).toEqual({
      kind: 'delete',
      text: '',
      author: chloe,
      colour: 1,
      paragraphBreak: true,
    });
    expect(blocks[1]).toEqual([{ kind: 'equal', text: 'Deux.' }]);
  });

  it('merges neighbouring runs of the same kind and author, and keeps two authors apart', () => {
    const blocks = blocksOf(
      [insert('Con', bruno), insert('fé', bruno), insert('rence', chloe), equal('s'), equal(' familiales')],
      byAuthorOrder,
    );
    expect(blocks[0]?.map((r) => [r.kind, r.text, r.kind === 'equal' ? null : r.author?.name])).toEqual([
      ['insert', 'Confé', 'Bruno'],
      ['insert', 'rence', 'Chloé'],
      ['equal', 's familiales', null],
    ]);
  });

  it('gives an empty section one empty block, and drops empty parts', () => {
    expect(blocksOf([], byAuthorOrder)).toEqual([[]]);
    expect(blocksOf([equal(''), insert('')], byAuthorOrder)).toEqual([[]]);
  });
});

describe('the compare view model', () => {
  it('lists changed, added and removed sections before the unchanged ones, in the server’s order', () => {
    const view = diffView(
      diff([
        section('a', 'unchanged', [equal('Rien.')]),
        section('b', 'changed', [equal('Texte '), insert('neuf')]),
        section('c', 'removed', [remove('Ancienne section.')]),
        section('d', 'unchanged', [equal('Rien non plus.')]),
        section('e', 'added', [insert('Nouvelle.', chloe)]),
      ]),
      'Section sans titre',
    );
    expect(view.changed.map((s) => [s.id, s.status])).toEqual([
      ['b', 'changed'],
      ['c', 'removed'],
      ['e', 'added'],
    ]);
    expect(view.unchanged.map((s) => s.id)).toEqual(['a', 'd']);
    expect(view.changeCount).toBe(3);
  });

  it('colours each author by their place in the diff’s list of authors', () => {
    const view = diffView(
      diff(
        [section('b', 'changed', [insert('de Chloé', chloe), equal(' et '), insert('de Bruno', bruno)])],
        [chloe, bruno],
      ),
      '',
    );
    const runs = view.changed[0]?.blocks[0]?.filter((r): r is ChangeRun => r.kind !== 'equal');
    expect(runs?.map((r) => [r.author?.name, r.colour])).toEqual([
      ['Chloé', 0],
      ['Bruno', 1],
    ]);
    expect(view.legend).toEqual([
      { author: chloe, colour: 0 },
      { author: bruno, colour: 1 },
    ]);
  });

  it('adds « unknown » to the legend only when a change has no author', () => {
    const known = diffView(diff([section('b', 'changed', [insert('x', bruno)])], [bruno]), '');
    expect(known.legend.map((e) => e.author?.name ?? null)).toEqual(['Bruno']);
    const unknown = diffView(diff([section('b', 'changed', [insert('x', null)])], []), '');
    expect(unknown.legend).toEqual([{ author: null, colour: null }]);
  });

  it('still tells apart an author the server left out of its list of authors', () => {
    const view = diffView(
      diff([section('b', 'changed', [insert('x', bruno), insert('y', chloe)])], [bruno]),
      '',
    );
    expect(view.legend.map((e) => [e.author?.name, e.colour])).toEqual([
      ['Bruno', 0],
      ['Chloé', 1],
    ]);
  });

  it('cycles through the colours when there are more authors than colours', () => {
    const many = Array.from({ length: AUTHOR_COLOURS + 2 }, (_, i) => ({
      id: `u${i}`,
      name: `Personne ${i}`,
    }));
    const view = diffView(
      diff(
        [
          section(
            'b',
            'changed',
            many.map((a) => insert(a.name, a)),
          ),
        ],
        many,
      ),
      '',
    );
    expect(view.legend.map((e) => e.colour)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
  });

  it('names an untitled section', () => {
    const view = diffView(diff([section('b', 'changed', [insert('x')], '  ')]), 'Section sans titre');
    expect(view.changed[0]?.title).toBe('Section sans titre');
  });

  it('reports no change when every section is unchanged', () => {
    const view = diffView(diff([section('a', 'unchanged', [equal('Même texte.')])], []), '');
    expect(view.changed).toEqual([]);
    expect(view.changeCount).toBe(0);
    expect(view.legend).toEqual([]);
  });
});

describe('the title line of a compared section', () => {
  const view = (parts: DiffPartDto[], title: string, status: SectionDiffDto['status'] = 'changed') => {
    const model = diffView(diff([section('s', status, parts, title)]), 'Section sans titre');
    return model.changed[0] ?? model.unchanged[0];
  };

  it('leaves out an unchanged title line, which the section’s heading already shows', () => {
    const shown = view([equal('Origine et contexte\nLe texte '), insert('neuf')], 'Origine et contexte');
    expect(shown?.titleChange).toBeNull();
    expect(shown?.blocks.map((b) => b.map((r) => r.text).join(''))).toEqual(['Le texte neuf']);
  });

  it('shows a renamed section’s title line as a change', () => {
    const shown = view(
      [remove('Origine', chloe), insert('Genèse', chloe), equal(' et contexte\nLe texte.')],
      'Genèse et contexte',
    );
    expect(shown?.titleChange?.map((r) => [r.kind, r.text])).toEqual([
      ['delete', 'Origine'],
      ['insert', 'Genèse'],
      ['equal', ' et contexte'],
    ]);
    expect(shown?.blocks).toHaveLength(1);
  });

  it('recognises a removed section’s title by its older text', () => {
    const shown = view([remove('Annexe\nTexte retiré.')], 'Annexe', 'removed');
    expect(shown?.titleChange?.map((r) => [r.kind, r.text])).toEqual([['delete', 'Annexe']]);
    expect(shown?.blocks.map((b) => b.map((r) => r.text).join(''))).toEqual(['Texte retiré.']);
  });

  it('keeps every block of a section compared without its title line', () => {
    const blocks = blocksOf([equal('Premier.\nDeuxième.')], byAuthorOrder);
    expect(splitTitleLine(blocks, 'Un titre')).toEqual({ titleChange: null, blocks });
    const single = blocksOf([equal('Un titre')], byAuthorOrder);
    expect(splitTitleLine(single, 'Un titre').blocks).toBe(single);
  });
});

describe('lists in a compared section', () => {
  const bullet = (number: number, first = true): ListLevel => ({ ordered: false, number, first });
  const ordered = (number: number, first = true): ListLevel => ({ ordered: true, number, first });

  it('reads each block from the side its text comes from, at its line there', () => {
    // Title; « Un. » equal; « Deux. » deleted (its line only in `from`); « Trois. » inserted.
    const parts = [equal('Titre\nUn.'), remove('\nDeux.'), insert('\nTrois.'), equal('\nFin.')];
    expect(blocksOf(parts, byAuthorOrder)).toHaveLength(5);
    expect(blockLines(parts)).toEqual([
      { side: 'to', line: 0 },
      { side: 'to', line: 1 },
      { side: 'from', line: 2 },
      { side: 'to', line: 2 },
      { side: 'to', line: 3 },
    ]);
    // An emptied paragraph is read where its text was; an empty one opened by an insertion, where it is.
    expect(blockLines([equal('T\n'), remove('Tout.'), insert('\n')])).toEqual([
      { side: 'to', line: 0 },
      { side: 'from', line: 1 },
      { side: 'to', line: 2 },
    ]);
  });

  it('groups blocks into nested lists, a block continuing its item, a new kind of list starting a new list', () => {
    const flow = listFlow([
      [],
      [bullet(1)],
      [bullet(1, false)],
      [bullet(2)],
      [bullet(2, false), ordered(3)],
      [bullet(2, false), ordered(4)],
      [ordered(1)],
      [],
    ]);
    expect(flow).toEqual([
      { kind: 'block', block: 0 },
      {
        kind: 'list',
        ordered: false,
        items: [
          {
            number: 1,
            content: [
              { kind: 'block', block: 1 },
              { kind: 'block', block: 2 },
            ],
          },
          {
            number: 2,
            content: [
              { kind: 'block', block: 3 },
              {
                kind: 'list',
                ordered: true,
                items: [
                  { number: 3, content: [{ kind: 'block', block: 4 }] },
                  { number: 4, content: [{ kind: 'block', block: 5 }] },
                ],
              },
            ],
          },
        ],
      },
      { kind: 'list', ordered: true, items: [{ number: 1, content: [{ kind: 'block', block: 6 }] }] },
      { kind: 'block', block: 7 },
    ]);
  });

  it('draws a compared section’s list lines in lists, the title line left out, and without `lists` no list at all', () => {
    const listed = {
      ...section('s', 'changed', [equal('Étapes\nIntro\npréparer'), insert('\nréunir', chloe)], 'Étapes'),
      lists: {
        from: [{ line: 2, lists: [bullet(1)] }],
        to: [
          { line: 2, lists: [bullet(1)] },
          { line: 3, lists: [bullet(2)] },
        ],
      },
    };
    const view = diffView(diff([listed]), '');
    expect(view.changed[0]?.blocks.map((b) => b.map((r) => r.text).join(''))).toEqual([
      'Intro',
      'préparer',
      'réunir',
    ]);
    expect(view.changed[0]?.flow).toEqual([
      { kind: 'block', block: 0 },
      {
        kind: 'list',
        ordered: false,
        items: [
          { number: 1, content: [{ kind: 'block', block: 1 }] },
          { number: 2, content: [{ kind: 'block', block: 2 }] },
        ],
      },
    ]);
    const plain = diffView(diff([section('p', 'changed', [equal('Un\nDeux'), insert(' trois')], 'Un')]), '');
    expect(plain.changed[0]?.flow).toEqual([{ kind: 'block', block: 0 }]);
  });
});
