import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  can,
  categoryLabels,
  conflict,
  DomainError,
  forbidden,
  notFound,
  rateLimited,
  structureTypeLabels,
  type Actor,
} from '@essaim/domain';
import { stringify } from 'csv-stringify/sync';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { DiskCache } from '../exports/diskCache.js';
import { metadataMatcher, noFilters, type PortalFilters } from '../portal/filters.js';
import type { PortalEntry, PortalQueries } from '../portal/portalQueries.js';
import { territoireLabel } from '../reference/territoires.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { PublicationRepository } from '../storage/publicationRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { ExportService } from './exportService.js';
import { searchExpression } from './publicationService.js';
import { escapeHtml } from './publishedHtml.js';

/** The formats of each fiche in the kit (issue 14). */
const KIT_FORMATS = ['pdf', 'docx', 'md'] as const;

/**
 * Changes whenever what a kit holds is laid out differently: it is part of every cache key, so
 * kits cached by an earlier version of Essaim are never served (they age out of the cache).
 */
const KIT_LAYOUT = 'kit-2';

/** The title of the portal's kit (every espace). */
const PORTAL_TITLE = 'Pratiques émergentes du travail social';

/** A cached kit's file name: 32 hex digits of its key. */
const CACHED = /^[0-9a-f]{32}\.zip$/;

/** The file name of the kit of key `key`. */
const zipName = (key: string): string => `${key}.zip`;

/**
 * The portal search's filters a kit accepts (the same as `/pratiques/recherche`, without the
 * page): `q` (words: every one must be found, French stems, accents and case folded), `theme`,
 * `categorie`, `territoire` (a région includes its départements), `public`, `annee`.
 */
export type KitFilters = Omit<PortalFilters, 'page'>;

/** Bounds on what kits may cost the server: disk, CPU, waiting builds. */
export interface KitLimits {
  /**
   * Total size of the cached kits in bytes (default 512 MiB). Beyond it, the kits used least
   * recently are deleted after each build; a kit being sent, and the one just built, are kept.
   */
  maxCacheBytes: number;
  /** Number of cached kits (default 1,000), bounded the same way. */
  maxCachedKits: number;
  /** Builds running at once (default 1: a kit takes one core while it is made). */
  concurrentBuilds: number;
  /** Builds waiting for their turn (default 8); one more is refused (429, « réessayez »). */
  maxQueuedBuilds: number;
}

/** Defaults of {@link KitLimits}; the README gives the same figures. */
export const defaultKitLimits: KitLimits = {
  maxCacheBytes: 512 * 2 ** 20,
  maxCachedKits: 1000,
  concurrentBuilds: 1,
  maxQueuedBuilds: 8,
};

/** A kit ready to send: its file on disk (cached) and the name to offer. */
export interface Kit {
  path: string;
  fileName: string;
  /** Bytes. */
  size: number;
  /**
   * Lets the cache delete the file again. Until then it is never evicted: call it once the file
   * was sent (or its sending failed), exactly once; later calls do nothing.
   */
  release(): void;
}

/**
 * Where a kit stands (`GET|POST …/kit/etat`): `ready` (cached, `size` in bytes), `building`
 * (queued or being written: `done` of `total` publications exported so far), `absent` (neither;
 * `error` says why when its last build failed). `total` is the number of publications it holds.
 */
export interface KitStatus {
  state: 'ready' | 'building' | 'absent';
  done: number;
  total: number;
  size: number | null;
  error?: string;
}

/** The publications one request selects, and everything that decides the kit's bytes. */
interface Selection {
  key: string;
  entries: readonly PortalEntry[];
  title: string;
  themes: ReadonlyMap<string, string>;
  fileName: string;
}

interface Job {
  done: number;
  total: number;
  promise: Promise<void>;
}

/**
 * The « kit d'essaimage » (issue 14): one zip of the published practices of an espace (or of
 * every espace: the portal's), optionally narrowed by the portal search's filters (`q`, `theme`…),
 * each fiche in PDF, DOCX and Markdown, the synthesis, an `index.html` that works offline and a
 * `pratiques.csv` of their metadata (UTF-8 with BOM, `;`-separated, for spreadsheets in French).
 *
 * What is selected is exactly what the portal shows for the same filters (publications not
 * hidden, of documents not archived). The zip is written as a stream, one fiche after another
 * (memory stays flat; the file is flushed before the next fiche), into a cache file named by the
 * set of publications it holds, the title of its index and the theme labels: a second request
 * for the same set, whatever words selected it, is a file read; a publication or an
 * unpublication makes a new set.
 *
 * Builds are observable (`status`: `done` of `total` publications) and can be started without
 * waiting (`start`). A hostile client asking for thousands of different selections is bounded:
 * requests for the same set share one build; {@link KitLimits.concurrentBuilds} run at once and
 * {@link KitLimits.maxQueuedBuilds} wait, more are refused with `rate_limited`; the cache keeps
 * at most {@link KitLimits.maxCacheBytes} and {@link KitLimits.maxCachedKits}, evicting the
 * kits used least recently (order kept across restarts by the files' modification times).
 */
export class KitService {
  private readonly limits: KitLimits;
  private readonly jobs = new Map<string, Job>();
  private readonly failures = new Map<string, string>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  /** The built kits, `<key>.zip`, bounded (the same least-recently-used cache as the exports'). */
  private readonly disk: DiskCache;
  private visible: { fingerprint: string; entries: readonly PortalEntry[] } | null = null;

  constructor(
    private readonly publications: Pick<PublicationRepository, 'findById'>,
    private readonly espaces: Pick<EspaceRepository, 'findById'>,
    private readonly themes: Pick<ThemeRepository, 'list'>,
    private readonly exports: Pick<ExportService, 'publication'>,
    cacheDir: string,
    private readonly portal: Pick<PortalQueries, 'visible' | 'matching' | 'fingerprint'>,
    limits: Partial<KitLimits> = {},
  ) {
    this.limits = { ...defaultKitLimits, ...limits };
    this.disk = new DiskCache(cacheDir, CACHED, {
      maxBytes: this.limits.maxCacheBytes,
      maxFiles: this.limits.maxCachedKits,
    });
  }

  /**
   * The kit of the visible publications of an espace (or of every espace when `espaceId` is
   * null: the portal's) that pass `filters`, for anyone (they are public). Waits for its build
   * (shared with any other request for the same set) when it is not cached. Call `release()` on
   * the answer once it is sent.
   * @throws DomainError `not_found` (espace, or nothing published matches), `forbidden`,
   *   `rate_limited` (too many builds waiting), `conflict` (the selection changed during the build).
   */
  async kit(actor: Actor, espaceId: string | null, filters: Partial<KitFilters> = {}): Promise<Kit> {
    const selection = this.select(actor, espaceId, filters);
    const name = zipName(selection.key);
    // Null too when deleted behind our back (someone emptied the cache folder): built again.
    let file = await this.disk.acquire(name);
    if (!file) {
      await (this.jobs.get(selection.key) ?? this.enqueue(selection)).promise;
      file = await this.disk.acquire(name);
      if (!file) throw conflict('Le kit vient d’être retiré du cache ; relancez le téléchargement.');
    }
    return { path: file.path, fileName: selection.fileName, size: file.size, release: file.release };
  }

  /**
   * Where the kit of this selection stands, without starting anything.
   * @throws DomainError as {@link kit}, without `rate_limited` and `conflict`.
   */
  async status(actor: Actor, espaceId: string | null, filters: Partial<KitFilters> = {}): Promise<KitStatus> {
    const selection = this.select(actor, espaceId, filters);
    return this.statusOf(selection, await this.disk.sizes());
  }

  /**
   * Starts building the kit of this selection unless it is cached or being built, without
   * waiting for it; answers where it stands then (`ready` or `building`). Its progress is read
   * with {@link status}; a failure shows there as `absent` with an `error`.
   * @throws DomainError as {@link kit}, without `conflict`.
   */
  async start(actor: Actor, espaceId: string | null, filters: Partial<KitFilters> = {}): Promise<KitStatus> {
    const selection = this.select(actor, espaceId, filters);
    const cache = await this.disk.sizes();
    const now = this.statusOf(selection, cache);
    if (now.state !== 'absent') {
      this.disk.touch(zipName(selection.key));
      return now;
    }
    // Refused here when too many builds wait: the caller hears it (429) rather than polling.
    this.enqueue(selection).promise.catch(() => undefined);
    return this.statusOf(selection, cache);
  }

  private statusOf(selection: Selection, cache: ReadonlyMap<string, { readonly size: number }>): KitStatus {
    const total = selection.entries.length;
    const entry = cache.get(zipName(selection.key));
    if (entry) return { state: 'ready', done: total, total, size: entry.size };
    const job = this.jobs.get(selection.key);
    if (job) return { state: 'building', done: job.done, total: job.total, size: null };
    const error = this.failures.get(selection.key);
    return { state: 'absent', done: 0, total, size: null, ...(error ? { error } : {}) };
  }

  /** The publications selected, in the kit's order, and the kit's key. */
  private select(actor: Actor, espaceId: string | null, filters: Partial<KitFilters>): Selection {
    const espace = espaceId === null ? null : this.espaces.findById(espaceId);
    if (espaceId !== null && !espace) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
    const f: PortalFilters = { ...noFilters, ...filters, page: 1 };
    let entries = this.visibleEntries().filter((e) => espaceId === null || e.espaceId === espaceId);
    if (f.q) {
      const expression = searchExpression(f.q);
      const ranks = expression ? this.portal.matching(expression) : new Map<string, number>();
      entries = entries.filter((e) => ranks.has(e.documentId));
    }
    entries = entries.filter(metadataMatcher(f));
    if (entries.length === 0) throw notFound('Aucune pratique publiée ne correspond.');
    const ordered = [...entries].sort(
      (a, b) =>
        Number(b.kind === 'synthese') - Number(a.kind === 'synthese') ||
        a.title.localeCompare(b.title, 'fr') ||
        a.id.localeCompare(b.id),
    );
    const espaceIds = [...new Set(ordered.map((p) => p.espaceId).filter((id): id is string => id !== null))];
    const themes = new Map(
      espaceIds.sort().flatMap((id) => this.themes.list(id).map((t) => [t.id, t.label] as const)),
    );
    const title = espace?.name ?? PORTAL_TITLE;
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          KIT_LAYOUT,
          title,
          [...themes].sort(([a], [b]) => a.localeCompare(b)),
          ordered.map((p) => [p.id, p.number]),
        ]),
      )
      .digest('hex')
      .slice(0, 32);
    const parts = [f.theme, f.q ? 'recherche' : null].filter(Boolean);
    return {
      key,
      entries: ordered,
      title,
      themes,
      fileName: `kit-essaimage${parts.map((p) => `-${p}`).join('')}.zip`,
    };
  }

  /** The portal's visible publications, read again only when they may have changed. */
  private visibleEntries(): readonly PortalEntry[] {
    const fingerprint = this.portal.fingerprint();
    if (this.visible?.fingerprint !== fingerprint)
      this.visible = { fingerprint, entries: this.portal.visible() };
    return this.visible.entries;
  }

  /** Queues the build of a selection (its progress in `jobs` until it ends). */
  private enqueue(selection: Selection): Job {
    if (this.running >= this.limits.concurrentBuilds && this.waiting.length >= this.limits.maxQueuedBuilds)
      throw rateLimited('Trop de kits d’essaimage sont en préparation. Réessayez dans une minute.', 60);
    const job: Job = { done: 0, total: selection.entries.length, promise: Promise.resolve() };
    this.failures.delete(selection.key);
    job.promise = (async () => {
      await this.turn();
      try {
        await this.build(selection, job);
      } catch (error) {
        if (this.failures.size >= 100) this.failures.clear();
        this.failures.set(
          selection.key,
          error instanceof DomainError
            ? error.message
            : 'La préparation du kit a échoué. Réessayez plus tard.',
        );
        throw error;
      } finally {
        this.next();
        this.jobs.delete(selection.key);
      }
    })();
    this.jobs.set(selection.key, job);
    return job;
  }

  /** Resolves when a build may run (at most `concurrentBuilds` at once, first come first served). */
  private turn(): Promise<void> {
    if (this.running < this.limits.concurrentBuilds) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A build ended: the next waiting one runs in its place. */
  private next(): void {
    const waiting = this.waiting.shift();
    if (waiting) waiting();
    else this.running--;
  }

  /**
   * Writes the zip into a temporary file, then renames it to its cache name (the bounds of the
   * cache then apply, this kit kept). Returns its size.
   */
  private async build(selection: Selection, job: Job): Promise<number> {
    const name = zipName(selection.key);
    const temp = await this.disk.temporary(name);
    const out = fs.createWriteStream(temp);
    const finished = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    // Awaited at the end; a write error before then must not go unhandled meanwhile.
    finished.catch(() => undefined);
    const zip = new Zip((error, chunk, final) => {
      if (error) out.destroy(error);
      else {
        out.write(chunk);
        if (final) out.end();
      }
    });
    const add = async (name: string, data: Uint8Array | Readable, compress = true): Promise<void> => {
      const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
      zip.add(entry);
      if (data instanceof Uint8Array) return entry.push(data, true);
      // A converter that streams its bytes: they go into the entry as they come.
      for await (const chunk of data)
        entry.push(chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk)));
      entry.push(new Uint8Array(0), true);
    };
    try {
      for (const entry of selection.entries) {
        // One fiche at a time: its full record (frozen content) is read only now.
        const p = this.publications.findById(entry.id);
        if (!p || p.hiddenAt !== null)
          throw conflict('Les pratiques publiées ont changé pendant la préparation du kit ; relancez-la.');
        const { folder } = files(entry);
        for (const format of KIT_FORMATS) {
          // Other requests (and the collaborative editing) get their turn between two exports.
          await new Promise<void>((resolve) => setImmediate(resolve));
          // Made in an export worker (or read from the export cache); the kit bounds its own
          // exports (one build at a time), so it waits its turn rather than being refused.
          const result = await this.exports.publication(p, format, { wait: true });
          // PDF and DOCX are compressed already.
          await add(`${folder}/${entry.slug}.${result.extension}`, result.body, format === 'md');
        }
        if (out.errored) throw out.errored;
        // The zip's bytes reach the disk before the next fiche is made: memory stays flat.
        if (out.writableNeedDrain) await once(out, 'drain');
        job.done++;
      }
      await add(
        'pratiques.csv',
        Buffer.from(`\uFEFF${metadataCsv(selection.entries, selection.themes)}`, 'utf8'),
      );
      await add(
        'index.html',
        Buffer.from(indexHtml(selection.entries, selection.title, selection.themes), 'utf8'),
      );
      zip.end();
      await finished;
      return await this.disk.add(name, temp);
    } catch (error) {
      zip.terminate();
      out.destroy();
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }
}

/** What the kit needs of a publication to list it (the portal's lean entry). */
type Listed = Pick<PortalEntry, 'kind' | 'slug' | 'title' | 'metadata' | 'number' | 'publishedAt'>;

const files = (p: Listed): { folder: string; names: string[] } => {
  const folder = p.kind === 'synthese' ? `synthese/${p.slug}` : `fiches/${p.slug}`;
  return { folder, names: KIT_FORMATS.map((f) => `${folder}/${p.slug}.${f}`) };
};

/** One line per publication: what a spreadsheet needs to sort and filter the kit (`;`, CRLF). */
function metadataCsv(publications: readonly Listed[], themes: ReadonlyMap<string, string>): string {
  // A cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection).
  const cell = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  return stringify(
    publications.map((p) => {
      const m = p.metadata;
      return [
        cell(p.title),
        p.kind === 'synthese' ? 'Synthèse' : 'Fiche pratique',
        m.categorie ? categoryLabels[m.categorie] : '',
        m.themes.map((t) => themes.get(t) ?? t).join(', '),
        m.territoire ? (territoireLabel(m.territoire) ?? m.territoire) : '',
        cell(m.structure),
        m.structureType ? structureTypeLabels[m.structureType] : '',
        cell(m.public),
        m.anneeDemarrage === null ? '' : String(m.anneeDemarrage),
        cell(m.contact),
        cell(m.motsCles.join(', ')),
        String(p.number),
        p.publishedAt.slice(0, 10),
        files(p).names[0] ?? '',
      ];
    }),
    {
      delimiter: ';',
      record_delimiter: '\r\n',
      header: true,
      columns: [
        'Titre',
        'Type',
        'Catégorie',
        'Thèmes',
        'Territoire',
        'Structure',
        'Type de structure',
        'Public',
        'Année de démarrage',
        'Contact',
        'Mots-clés',
        'Version',
        'Publiée le',
        'Fichier PDF',
      ],
    },
  );
}

/** The kit's home page: works offline (relative links, no script, styles inline). */
function indexHtml(
  publications: readonly Listed[],
  title: string,
  themes: ReadonlyMap<string, string>,
): string {
  const item = (p: Listed) => {
    const m = p.metadata;
    const facts = [
      m.territoire ? territoireLabel(m.territoire) : null,
      m.categorie ? categoryLabels[m.categorie] : null,
      m.themes.map((t) => themes.get(t) ?? t).join(', ') || null,
      m.anneeDemarrage === null ? null : `depuis ${m.anneeDemarrage}`,
    ].filter((f): f is string => Boolean(f));
    const links = files(p).names.map((name) => {
      const ext = name.slice(name.lastIndexOf('.') + 1);
      const label = { pdf: 'PDF', docx: 'Word (DOCX)', md: 'Markdown' }[ext] ?? ext;
      return `<a href="${escapeHtml(name)}">${label}<span class="sr"> — ${escapeHtml(p.title)}</span></a>`;
    });
    return `<li><h3>${escapeHtml(p.title)}</h3><p>${escapeHtml(facts.join(' · '))}</p><p>${links.join(' · ')}</p></li>`;
  };
  const synthese = publications.filter((p) => p.kind === 'synthese');
  const fiches = publications.filter((p) => p.kind !== 'synthese');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kit d’essaimage — ${escapeHtml(title)}</title>
<style>
body{font-family:Marianne,Arial,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
h1{color:#000091}a{color:#000091}ul{list-style:none;padding:0}li{border-bottom:1px solid #ddd;padding:1rem 0}
h3{margin:0 0 .25rem}p{margin:.25rem 0}a:focus{outline:2px solid #0a76f6;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
</style>
</head>
<body>
<main>
<h1>Kit d’essaimage</h1>
<p>${escapeHtml(title)} — pratiques publiées par le groupe de travail du Haut Conseil du travail social. Chaque pratique est fournie en PDF, en Word (DOCX) et en Markdown&#8239;; le tableau <a href="pratiques.csv">pratiques.csv</a> les résume.</p>
${synthese.length > 0 ? `<h2>Document de synthèse</h2><ul>${synthese.map(item).join('')}</ul>` : ''}
<h2>Fiches pratiques (${fiches.length})</h2>
<ul>${fiches.map(item).join('')}</ul>
</main>
</body>
</html>
`;
}
