import { readFile } from 'node:fs/promises';
import { notFound, type Actor } from '@essaim/domain';
import { ydocToNode, type DocJSON } from '@essaim/editor';
import { META_MAP, readMetadata, type DocumentMetadata } from '@essaim/protocol';
import * as Y from 'yjs';
import { exportDocument } from '../exports/index.js';
import type { ExportFormat, ExportInput, ExportResult } from '../exports/types.js';
import type { CollabStore } from '../storage/collabStore.js';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { PublicationRecord, PublicationRepository } from '../storage/publicationRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { VersionRepository } from '../storage/versionRepository.js';
import { readableDocument } from './documentTarget.js';
import type { FileService } from './fileService.js';
import { noLiveDocuments, readCurrentDocument, type LiveDocuments } from './liveDocuments.js';
import { portalUrl } from './publicationService.js';

const FILE_SRC = /^\/api\/files\/([0-9a-f]{64})$/;

/** A finished export and the file name to offer (`<slug of the title>.<ext>`). */
export interface NamedExport extends ExportResult {
  fileName: string;
}

/**
 * Downloads (issue 14): a draft (the document now, or a version of its history) for whoever reads
 * it, marked « Document de travail — non publié » with the date; a publication for anyone, as it
 * was published. The converters are in `server/src/exports/`; this gathers their input.
 */
export class ExportService {
  private live: LiveDocuments = noLiveDocuments;

  constructor(
    private readonly documents: DocumentRepository,
    private readonly store: CollabStore,
    private readonly versions: Pick<VersionRepository, 'get' | 'state'>,
    private readonly publications: Pick<PublicationRepository, 'latestOf'>,
    private readonly themes: Pick<ThemeRepository, 'list'>,
    private readonly files: Pick<FileService, 'open' | 'openPublished'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Wires the collaborative server (set once it exists; the command line has none). */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /**
   * `GET /api/documents/:id/export?format=&version=`: the draft as it stands, or version
   * `versionId` of its history. Images are those the actor may read.
   * @throws DomainError `not_found` (document, or a version of another document), `forbidden`.
   */
  async draft(
    actor: Actor,
    documentId: string,
    format: ExportFormat,
    versionId?: string,
  ): Promise<NamedExport> {
    const { record } = readableDocument(this.documents, actor, documentId, { archived: true });
    let snapshot: { content: DocJSON; metadata: DocumentMetadata };
    if (versionId) {
      const state = this.versions.get(documentId, versionId) ? this.versions.state(versionId) : null;
      if (!state) throw notFound('Cette version n’existe pas.');
      snapshot = withDoc((doc) => Y.applyUpdateV2(doc, state));
    } else {
      snapshot = readCurrentDocument(this.live, this.store, documentId, read);
    }
    return this.convert(record, snapshot, format, {
      draft: { date: this.now() },
      publication: null,
      images: async (src) => {
        const hash = FILE_SRC.exec(src)?.[1];
        if (!hash) return null;
        const file = await this.files.open(actor, hash);
        return { data: await readFile(file.path), mime: file.mime };
      },
    });
  }

  /**
   * A publication as it was published (no draft mark), for anyone: `/pratiques/<slug>/v/<N>/
   * export.<ext>`. Images are read from the file store (the portal shows them).
   */
  async publication(publication: PublicationRecord, format: ExportFormat): Promise<NamedExport> {
    const record = this.documents.findById(publication.documentId);
    if (!record) throw notFound('Cette publication n’existe pas.');
    return this.convert(
      record,
      { content: publication.content as DocJSON, metadata: publication.metadata },
      format,
      {
        draft: null,
        publication: { number: publication.number, date: new Date(publication.publishedAt) },
        images: async (src) => {
          const hash = FILE_SRC.exec(src)?.[1];
          if (!hash || !publication.html.includes(`/pratiques/fichiers/${hash}`)) return null;
          const file = await this.files.openPublished(hash);
          return { data: await readFile(file.path), mime: file.mime };
        },
      },
    );
  }

  private async convert(
    record: DocumentRecord,
    snapshot: { content: DocJSON; metadata: DocumentMetadata },
    format: ExportFormat,
    input: Pick<ExportInput, 'draft' | 'publication' | 'images'>,
  ): Promise<NamedExport> {
    const labels = new Map(
      (record.espaceId ? this.themes.list(record.espaceId) : []).map((t) => [t.id, t.label]),
    );
    const title = snapshot.metadata.title || record.title;
    const result = await exportDocument(
      {
        title,
        kind: record.kind,
        metadata: snapshot.metadata,
        content: snapshot.content,
        ...input,
        links: (documentId) => {
          const latest = this.publications.latestOf([documentId]).get(documentId);
          return latest && latest.hiddenAt === null ? portalUrl(latest.slug) : null;
        },
        themeLabel: (id) => labels.get(id) ?? null,
      },
      format,
    );
    return { ...result, fileName: `${fileSlug(title)}.${result.extension}` };
  }
}

function read(doc: Y.Doc): { content: DocJSON; metadata: DocumentMetadata } {
  const meta = doc.getMap<unknown>(META_MAP);
  return { content: ydocToNode(doc).toJSON() as DocJSON, metadata: readMetadata((key) => meta.get(key)) };
}

function withDoc(fill: (doc: Y.Doc) => void): { content: DocJSON; metadata: DocumentMetadata } {
  const doc = new Y.Doc();
  try {
    fill(doc);
    return read(doc);
  } finally {
    doc.destroy();
  }
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
