import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  emptyFilters,
  readFilters,
  resetFilters,
  toApiQuery,
  withQuery,
  withSort,
  writeFilters,
  type CatalogueFilters,
} from './filters.js';

const full: CatalogueFilters = {
  q: 'jardins partagés',
  kind: 'fiche',
  theme: 'aller-vers',
  categorie: 'naissante',
  territoire: 'dep:07',
  structureType: 'caf',
  rapporteur: 'u-42',
  mine: false,
  annee: 2019,
  reviewState: 'prete_a_publier',
  archived: true,
  sort: 'title',
  order: 'desc',
};

describe('catalogue filters in the address', () => {
  it('reads nothing from a bare address: every document, most recently changed first', () => {
    expect(readFilters(new URLSearchParams())).toEqual(emptyFilters());
    expect(emptyFilters()).toMatchObject({ sort: 'updated', order: 'desc', archived: false });
  });

  it('writes French parameter names and reads them back', () => {
    const params = writeFilters(full);
    expect(params.toString()).toBe(
      'q=jardins+partag%C3%A9s&type=fiche&theme=aller-vers&categorie=naissante&territoire=dep%3A07' +
        '&structure=caf&rapporteur=u-42&annee=2019&etat=prete-a-publier&archives=oui&tri=titre&ordre=decroissant',
    );
    expect(readFilters(params)).toEqual(full);
  });

  it('leaves default values out of the address', () => {
    expect(writeFilters(emptyFilters()).toString()).toBe('');
    // Titles sort A to Z by default: the order is written only when reversed.
    expect(writeFilters(withSort(emptyFilters(), 'title')).toString()).toBe('tri=titre');
  });

  it('keeps parameters that are not filters (the display mode)', () => {
    const base = new URLSearchParams('affichage=tableau&theme=ancien');
    const params = writeFilters({ ...emptyFilters(), kind: 'synthese' }, base);
    expect(params.get('affichage')).toBe('tableau');
    expect(params.get('theme')).toBeNull();
    expect(params.get('type')).toBe('synthese');
  });

  it('drops values it does not know instead of failing', () => {
    const filters = readFilters(
      new URLSearchParams(
        'type=roman&categorie=ancienne&structure=x&territoire=paris&annee=19&etat=prete_a_publier&tri=hasard&ordre=haut&archives=1',
      ),
    );
    expect(filters).toEqual(emptyFilters());
    expect(readFilters(new URLSearchParams('annee=1850')).annee).toBeNull();
    expect(readFilters(new URLSearchParams('territoire=reg:84')).territoire).toBe('reg:84');
    expect(readFilters(new URLSearchParams('territoire=dep:2A')).territoire).toBe('dep:2A');
    expect(readFilters(new URLSearchParams('territoire=national')).territoire).toBe('national');
  });

  it('treats « mes documents » and one rapporteur as one filter, « mes documents » first', () => {
    const params = new URLSearchParams('mes-documents=oui&rapporteur=u-1');
    expect(readFilters(params)).toMatchObject({ mine: true, rapporteur: null });
    expect(writeFilters({ ...emptyFilters(), mine: true, rapporteur: 'u-1' }).toString()).toBe(
      'mes-documents=oui',
    );
  });
});

describe('catalogue filters sent to the server', () => {
  it('uses the API names, always says whether archived documents are wanted, and the sort', () => {
    const query = new URLSearchParams(toApiQuery('e-1', full));
    expect(Object.fromEntries(query)).toEqual({
      espaceId: 'e-1',
      q: 'jardins partagés',
      kind: 'fiche',
      theme: 'aller-vers',
      categorie: 'naissante',
      territoire: 'dep:07',
      structureType: 'caf',
      assignee: 'u-42',
      annee: '2019',
      reviewState: 'prete_a_publier',
      archived: 'true',
      sort: 'title',
      order: 'desc',
    });
    expect(toApiQuery('e-1', emptyFilters())).toBe('espaceId=e-1&archived=false&sort=updated&order=desc');
  });

  it('asks for « me » for my documents', () => {
    expect(new URLSearchParams(toApiQuery('e', { ...emptyFilters(), mine: true })).get('assignee')).toBe(
      'me',
    );
  });
});

describe('active filters', () => {
  it('counts what narrows the list, not the sort', () => {
    expect(activeFilterCount(emptyFilters())).toBe(0);
    expect(activeFilterCount(withSort(emptyFilters(), 'pages'))).toBe(0);
    expect(activeFilterCount({ ...emptyFilters(), q: '  ' })).toBe(0);
    expect(activeFilterCount(full)).toBe(10);
  });

  it('resets the filters and keeps the sort', () => {
    expect(resetFilters(full)).toEqual({ ...emptyFilters(), sort: 'title', order: 'desc' });
  });

  it('gives each sort its natural order', () => {
    expect(withSort(full, 'updated').order).toBe('desc');
    expect(withSort(full, 'territoire').order).toBe('asc');
    expect(withSort(full, 'pages').order).toBe('desc');
    // The most advanced review first: what is nearly ready to publish.
    expect(withSort(full, 'progress').order).toBe('desc');
  });

  it('writes each review state with a French value name and reads it back', () => {
    for (const [state, value] of [
      ['en_redaction', 'en-redaction'],
      ['en_relecture', 'en-relecture'],
      ['prete_a_publier', 'prete-a-publier'],
      ['publiee', 'publiee'],
    ] as const) {
      const params = writeFilters({ ...emptyFilters(), reviewState: state });
      expect(params.toString()).toBe(`etat=${value}`);
      expect(readFilters(params).reviewState).toBe(state);
      expect(new URLSearchParams(toApiQuery('e', readFilters(params))).get('reviewState')).toBe(state);
    }
  });
});

describe('sort by relevance while words are searched (issue 18)', () => {
  it('sorts best match first as soon as words are typed, and back to the latest change when they are cleared', () => {
    const searching = withQuery(emptyFilters(), 'aller vers');
    expect(searching).toMatchObject({ q: 'aller vers', sort: 'relevance', order: 'desc' });
    // The natural sort is left out of the address, and read back from the words.
    expect(writeFilters(searching).toString()).toBe('q=aller+vers');
    expect(readFilters(writeFilters(searching))).toEqual(searching);
    expect(new URLSearchParams(toApiQuery('e', searching)).get('sort')).toBe('relevance');
    expect(withQuery(searching, '')).toEqual(emptyFilters());
  });

  it('keeps a sort the person chose, whatever the words', () => {
    const byTitle = withSort(withQuery(emptyFilters(), 'pair-aidance'), 'title');
    expect(withQuery(byTitle, 'maraude')).toMatchObject({ q: 'maraude', sort: 'title', order: 'asc' });
    expect(writeFilters(withQuery(byTitle, 'maraude')).get('tri')).toBe('titre');
    // The latest change, chosen while searching, stays chosen.
    const latest = withSort(withQuery(emptyFilters(), 'maraude'), 'updated');
    expect(writeFilters(latest).get('tri')).toBe('modification');
    expect(withQuery(latest, 'jeunes').sort).toBe('updated');
  });

  it('never sorts by relevance without words', () => {
    expect(readFilters(new URLSearchParams('tri=pertinence')).sort).toBe('updated');
    expect(readFilters(new URLSearchParams('tri=pertinence&q=x')).sort).toBe('relevance');
    expect(resetFilters(withQuery(emptyFilters(), 'x'))).toEqual(emptyFilters());
  });
});
