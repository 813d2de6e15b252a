import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { notFound, type Actor } from '@essaim/domain';
import type { DocJSON } from '@essaim/editor';
import * as Y from 'yjs';
import { DiskCache, type DiskCacheLimits } from '../exports/diskCache.js';
import { exportContentTypes } from '../exports/index.js';
import {
  EXPORT_CONVERTERS_VERSION,
  linkedDocuments,
  type ExportJob,
  type ExportSource,
} from '../exports/job.js';
import { sharedExportPool, type Answerer, type ExportPool } from '../exports/pool.js';
import type { ExportFormat, ExportImage, ExportResult } from '../exports/types.js';
import type { CollabStore } from '../storage/collabStore.js';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { PublicationRecord, PublicationRepository } from '../storage/publicationRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { VersionRepository } from '../storage/versionRepository.js';
import { readableDocument } from './documentTarget.js';
import type { FileService } from './fileService.js';
import { noLiveDocuments, type LiveDocuments } from './liveDocuments.js';
import { portalUrl } from './publicationService.js';

const FILE_SRC = /^\/api\/files\/([0-9a-f]{64})$/;

/** A cached export's file name: 32 hex digits of its key, then the format's extension. */
const CACHED = /^[0-9a-f]{32}\.(pdf|docx|odt|md|html)$/;

/** Publications whose linked documents are remembered (a publication never changes). */
const REMEMBERED_LINKS = 1000;

/** A finished export and the file name to offer (`<slug of the title>.<ext>`). */
export interface NamedExport extends ExportResult {
  body: Buffer;
  fileName: string;
  /** For a publication: whether the bytes came from the cache (`DATA_DIR/cache/exports`). */
  cached?: boolean;
}

/** Where and how much publications' exports are cached. */
export interface ExportCacheOptions {
  /** The cache's folder: `DATA_DIR/cache/exports`. */
  dir: string;
  /** Bounds (default 512 MiB and 2,000 files), the least recently used files leaving first. */
  limits?: Partial<DiskCacheLimits>;
}

/** Defaults of the export cache's bounds; the README gives the same figures. */
export const defaultExportCacheLimits: DiskCacheLimits = { maxBytes: 512 * 2 ** 20, maxFiles: 2000 };

/**
 * Downloads (issue 14): a draft (the document now, or a version of its history) for whoever reads
 * it, marked « Document de travail — non publié » with the date; a publication for anyone, as it
 * was published. The converters are in `server/src/exports/`; this gathers their input.
 *
 * Every conversion runs in an export worker (`exports/pool.ts`): the event loop hands over the
 * frozen JSON or the Yjs bytes and answers the worker's questions (images, links), so a fiche of
 * megabytes never holds the server (the tester's fault of issue 13). A publication is frozen: each
 * of its exports is made once and kept on disk (`DATA_DIR/cache/exports`), under a key of the
 * publication, the format, the converters' version, the espace's theme labels and where its links
 * lead now; requests for an export being made share it.
 */
export class ExportService {
  private live: LiveDocuments = noLiveDocuments;
  private readonly cache: DiskCache | null;
  private readonly making = new Map<string, Promise<Buffer>>();
  private readonly linked = new Map<string, string[]>();

  /**
   * @param cache where publications' exports are kept; null: made again at each request.
   * @param pool the export workers (default: the process's, {@link sharedExportPool}).
   */
  constructor(
    private readonly documents: DocumentRepository,
    private readonly store: CollabStore,
    private readonly versions: Pick<VersionRepository, 'get' | 'state'>,
    private readonly publications: Pick<PublicationRepository, 'latestOf'>,
    private readonly themes: Pick<ThemeRepository, 'list'>,
    private readonly files: Pick<FileService, 'open' | 'openPublished'>,
    private readonly now: () => Date = () => new Date(),
    cache: ExportCacheOptions | null = null,
    private readonly pool: ExportPool = sharedExportPool(),
  ) {
    this.cache = cache
      ? new DiskCache(cache.dir, CACHED, { ...defaultExportCacheLimits, ...cache.limits })
      : null;
  }

  /** Wires the collaborative server (set once it exists; the command line has none). */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /**
   * `GET /api/documents/:id/export?format=&version=`: the draft as it stands, or version
   * `versionId` of its history. Images are those the actor may read. Made in a worker, never
   * cached (a draft changes).
   * @throws DomainError `not_found` (document, or a version of another document), `forbidden`,
   *   `rate_limited` (too many exports waiting), `payload_too_large` (too long to make).
   */
  async draft(
    actor: Actor,
    documentId: string,
    format: ExportFormat,
    versionId?: string,
  ): Promise<NamedExport> {
    const { record } = readableDocument(this.documents, actor, documentId, { archived: true });
    let source: ExportSource;
    let draft: NonNullable<ExportJob['draft']> = { date: this.now().toISOString() };
    if (versionId) {
      const version = this.versions.get(documentId, versionId);
      const state = version ? this.versions.state(versionId) : null;
      if (!version || !state) throw notFound('Cette version n’existe pas.');
      source = { kind: 'update', update: state };
      // The version's own date and number, not the download's (tester's fault, issue 14).
      draft = { date: version.createdAt, version: { number: version.number, label: version.label } };
    } else {
      // As `readCurrentDocument` reads it, but the Yjs decoding is left to the worker: the live
      // document when people have it open (encoded here: read only), else what storage holds.
      const open = this.live.get(documentId);
      source = open
        ? { kind: 'update', update: Y.encodeStateAsUpdateV2(open) }
        : { kind: 'stored', stored: this.store.load(documentId) };
    }
    const { body, title } = await this.pool.run(
      {
        ...this.jobOf(record, format, source),
        metadata: null,
        draft,
        publication: null,
      },
      this.answerer(async (hash) => {
        const file = await this.files.open(actor, hash);
        return { data: await readFile(file.path), mime: file.mime };
      }),
    );
    return named(body, title, format);
  }

  /**
   * A publication as it was published (no draft mark), for anyone: `/pratiques/<slug>/v/<N>/
   * export.<ext>`, and each fiche of a kit. Images are read from the file store (the portal shows
   * them). From the cache when it was made before; `wait: true` never refuses for a full queue
   * (for a caller that bounds its own exports: the kit).
   * @throws DomainError `not_found`, `rate_limited` (too many exports waiting), `payload_too_large`.
   */
  async publication(
    publication: PublicationRecord,
    format: ExportFormat,
    options: { wait?: boolean } = {},
  ): Promise<NamedExport> {
    const record = this.documents.findById(publication.documentId);
    if (!record) throw notFound('Cette publication n’existe pas.');
    const title = publication.metadata.title || record.title;
    const links = this.linksOf(publication);
    const common = this.jobOf(record, format, { kind: 'json', content: publication.content as DocJSON });
    // The labels frozen with the publication win (as on its /v/N page); older ones fall back.
    const frozen = new Map([...common.themeLabels, ...Object.entries(publication.themeLabels)]);
    const job: ExportJob = {
      ...common,
      themeLabels: [...frozen].sort(([a], [b]) => a.localeCompare(b)),
      metadata: publication.metadata,
      draft: null,
      publication: { number: publication.number, date: publication.publishedAt },
    };
    const answer = this.answerer(
      async (hash) => {
        if (!publication.html.includes(`/pratiques/fichiers/${hash}`)) return null;
        const file = await this.files.openPublished(hash);
        return { data: await readFile(file.path), mime: file.mime };
      },
      (ids) => ids.map((id) => [id, links.get(id) ?? null]),
    );
    const make = () => this.pool.run(job, answer, options).then((r) => r.body);
    if (!this.cache) return { ...named(await make(), title, format), cached: false };

    const key = createHash('sha256')
      .update(
        JSON.stringify([EXPORT_CONVERTERS_VERSION, publication.id, format, job.themeLabels, [...links]]),
      )
      .digest('hex')
      .slice(0, 32);
    const name = `${key}.${format}`;
    const hit = await this.cache.acquire(name);
    if (hit) {
      try {
        return { ...named(await readFile(hit.path), title, format), cached: true };
      } finally {
        hit.release();
      }
    }
    let making = this.making.get(name);
    if (!making) {
      const cache = this.cache;
      making = make().then(async (body) => {
        // A cache that cannot be written (disk full) costs the next reader a new export, not this one.
        await cache.write(name, body).catch(() => undefined);
        return body;
      });
      this.making.set(name, making);
      void making.finally(() => this.making.delete(name)).catch(() => undefined);
    }
    return { ...named(await making, title, format), cached: false };
  }

  /** What every job of a document shares: format, source, title, kind, theme labels. */
  private jobOf(
    record: DocumentRecord,
    format: ExportFormat,
    source: ExportSource,
  ): Pick<ExportJob, 'format' | 'source' | 'title' | 'kind' | 'themeLabels'> {
    const labels = (record.espaceId ? this.themes.list(record.espaceId) : [])
      .map((t): [string, string] => [t.id, t.label])
      .sort(([a], [b]) => a.localeCompare(b));
    return { format, source, title: record.title, kind: record.kind, themeLabels: labels };
  }

  /**
   * Where the documents a publication links to lead now (their portal page while visible): read
   * at each export, since they change when those documents are published or hidden. The ids come
   * from the frozen content, read once per publication.
   */
  private linksOf(publication: PublicationRecord): Map<string, string | null> {
    let ids = this.linked.get(publication.id);
    if (!ids) {
      ids = linkedDocuments(publication.content as DocJSON);
      if (this.linked.size >= REMEMBERED_LINKS) this.linked.clear();
      this.linked.set(publication.id, ids);
    }
    return this.resolve(ids);
  }

  private resolve(ids: readonly string[]): Map<string, string | null> {
    if (ids.length === 0) return new Map();
    const latest = this.publications.latestOf(ids);
    return new Map(
      ids.map((id) => {
        const p = latest.get(id);
        return [id, p && p.hiddenAt === null ? portalUrl(p.slug) : null];
      }),
    );
  }

  /**
   * Answers a worker's questions: an uploaded image (`/api/files/<sha256>`) by `image(hash)`,
   * null when it is not one or cannot be read; links by `links` (default: where they lead now).
   */
  private answerer(
    image: (hash: string) => Promise<ExportImage | null>,
    links: (ids: string[]) => [string, string | null][] = (ids) => [...this.resolve(ids)],
  ): Answerer {
    return async (question) => {
      if (question.kind === 'links') return links(question.documentIds);
      const hash = FILE_SRC.exec(question.src)?.[1];
      return hash ? image(hash).catch(() => null) : null;
    };
  }
}

/** An export's bytes, type and file name. */
function named(body: Buffer, title: string, format: ExportFormat): NamedExport {
  return {
    body,
    contentType: exportContentTypes[format],
    extension: format,
    fileName: `${fileSlug(title)}.${format}`,
  };
}

/** A file name from a title: letters, digits and hyphens, without accents, at most 80 characters. */
function fileSlug(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'document'
  );
}
