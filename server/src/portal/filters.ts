import { categories, isStartYear, type Categorie } from '@essaim/domain';
import { isTerritoire, territoires } from '../reference/territoires.js';
import { foldFrench } from '../services/frenchText.js';
import type { PortalEntry } from './portalQueries.js';

/** What a reader asks the portal's search for; every field is in the page's address. */
export interface PortalFilters {
  /** Words typed (at most 200 characters), or empty. */
  q: string;
  /** A theme id. */
  theme: string | null;
  categorie: Categorie | null;
  /** `dep:<code>`, `reg:<code>` or `national`; a région also finds its départements. */
  territoire: string | null;
  /** Words that the practice's « public » must all contain (accents and case ignored). */
  public: string;
  /** Year the practice started. */
  annee: number | null;
  /** Page of results, from 1. */
  page: number;
}

export const noFilters: PortalFilters = {
  q: '',
  theme: null,
  categorie: null,
  territoire: null,
  public: '',
  annee: null,
  page: 1,
};

const one = (value: unknown): string => {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === 'string' ? first.trim() : '';
};

/**
 * Reads the filters from a query string (`q`, `theme`, `categorie`, `territoire`, `public`,
 * `annee`, `page`). Lenient: a value that is not valid (an unknown category or territory, a
 * year out of 1900 to next year, a page that is not a positive integer) is read as absent, so a link
 * typed by hand never fails; texts are cut at 200 characters.
 */
export function parseFilters(query: Record<string, unknown>): PortalFilters {
  const theme = one(query.theme);
  const categorie = one(query.categorie);
  const territoire = one(query.territoire);
  const annee = Number(one(query.annee));
  const page = Number(one(query.page));
  return {
    q: one(query.q).slice(0, 200),
    theme: /^[a-z0-9-]{1,60}$/.test(theme) ? theme : null,
    categorie: (categories as readonly string[]).includes(categorie) ? (categorie as Categorie) : null,
    territoire: territoire && isTerritoire(territoire) ? territoire : null,
    public: one(query.public).slice(0, 200),
    annee: isStartYear(annee) ? annee : null,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/**
 * The query string of filters (`?q=…&theme=…`, or '' when none), in a fixed order, page left
 * out when it is 1: the address of a search is stable.
 */
export function filterQuery(filters: Partial<PortalFilters>): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.theme) params.set('theme', filters.theme);
  if (filters.categorie) params.set('categorie', filters.categorie);
  if (filters.territoire) params.set('territoire', filters.territoire);
  if (filters.public) params.set('public', filters.public);
  if (filters.annee) params.set('annee', String(filters.annee));
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Whether any filter other than the page is set. */
export const hasFilters = (f: PortalFilters): boolean =>
  Boolean(f.q || f.theme || f.categorie || f.territoire || f.public || f.annee);

/**
 * The territory codes a territory filter finds: a région finds itself and each of its
 * départements (as the catalogue does); a département or « national » only itself.
 */
export function territoryCodes(code: string): Set<string> {
  if (!code.startsWith('reg:')) return new Set([code]);
  const region = code.slice(4);
  return new Set([
    code,
    ...territoires()
      .departements.filter((d) => d.region === region)
      .map((d) => `dep:${d.code}`),
  ]);
}

/** A predicate telling whether a publication passes the metadata filters (not the words). */
export function metadataMatcher(f: PortalFilters): (entry: PortalEntry) => boolean {
  const territories = f.territoire ? territoryCodes(f.territoire) : null;
  const publicWords = foldFrench(f.public).match(/[\p{L}\p{N}]+/gu) ?? [];
  return ({ metadata: m }) => {
    if (f.theme && !m.themes.includes(f.theme)) return false;
    if (f.categorie && m.categorie !== f.categorie) return false;
    if (territories && !(m.territoire && territories.has(m.territoire))) return false;
    if (f.annee && m.anneeDemarrage !== f.annee) return false;
    if (publicWords.length > 0) {
      const folded = foldFrench(m.public);
      if (!publicWords.every((w) => folded.includes(w))) return false;
    }
    return true;
  };
}
