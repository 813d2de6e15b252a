import { randomUUID } from 'node:crypto';
import type { Db } from '../../server/src/storage/db.js';
import { schema, type DocJSON } from '@essaim/editor';
import type { DocumentMetadata } from '@essaim/protocol';
import * as Y from 'yjs';
import { demoFiches, ficheContent } from '../../server/src/demo/demoContent.js';
import { frenchStems } from '../../server/src/services/frenchText.js';
import { publishedHtml } from '../../server/src/services/publishedHtml.js';
import { slugFor } from '../../server/src/services/publicationService.js';
import { sqliteDocumentRepository } from '../../server/src/storage/documentRepository.js';
import { sqlitePublicationRepository } from '../../server/src/storage/publicationRepository.js';

/** One demonstration fiche as it is published: its content, sanitized HTML, text and body stems. */
export interface PublishedBase {
  fiche: (typeof demoFiches)[number];
  content: DocJSON;
  html: string;
  text: string;
  bodyStems: string;
}

/** The plain text the publication service keeps for a content (blocks on their own lines). */
function plainText(content: DocJSON): string {
  const node = schema.nodeFromJSON(content);
  return node.textBetween(0, node.content.size, '\n', (leaf) =>
    leaf.type.name === 'footnote' ? ` (${String(leaf.attrs.text)})` : '',
  );
}

/** A fiche `scale` times longer: every block of every section after its title, repeated. */
function scaled(content: DocJSON, scale: number): DocJSON {
  if (scale === 1) return content;
  return {
    ...content,
    content: (content.content ?? []).map((section) => {
      const [title, ...blocks] = section.content ?? [];
      if (!title) return section;
      return { ...section, content: [title, ...Array.from({ length: scale }, () => blocks).flat()] };
    }),
  };
}

/**
 * The six demonstration fiches (written from the HCTS sources) ready to publish, each section's
 * text repeated `scale` times (1: as in the demo, about 6,000–8,000 characters). Computed once per
 * benchmark: HTML and stems are the costly part.
 */
export function publishedBases(scale = 1): PublishedBase[] {
  return demoFiches.map((fiche) => {
    const content = scaled(ficheContent(fiche, randomUUID), scale);
    const text = plainText(content);
    return {
      fiche,
      content,
      html: publishedHtml(content, { documentUrl: () => null, imageUrl: () => null }).html,
      text,
      bodyStems: frenchStems(text),
    };
  });
}

/**
 * A writer of published fiches straight through the repositories, as the publication service
 * writes them but without building a Y.Doc per fiche (benchmarks insert hundreds in one
 * transaction). Each call inserts a document (empty collaborative state) and its publication 1,
 * and returns the publication's slug.
 */
export function publishedFicheWriter(
  db: Db,
  espaceId: string,
  publishedBy: string,
): (fiche: {
  title: string;
  metadata: DocumentMetadata;
  base: PublishedBase;
  /** ISO date of creation and publication. */
  at: string;
  pages: number;
}) => string {
  const documents = sqliteDocumentRepository(db);
  const publications = sqlitePublicationRepository(db);
  const emptyState = Y.encodeStateAsUpdate(new Y.Doc());
  return ({ title, metadata, base, at, pages }) => {
    const id = randomUUID();
    documents.insert(
      {
        id,
        espaceId,
        kind: 'fiche',
        title,
        createdAt: at,
        updatedAt: at,
        metadata,
        sections: [],
        pages,
      },
      emptyState,
    );
    const keywords = [...metadata.motsCles, metadata.structure, metadata.public].join(' ');
    return publications.insert(
      {
        id: randomUUID(),
        documentId: id,
        versionId: null,
        kind: 'fiche',
        title,
        metadata,
        content: base.content,
        html: base.html,
        text: base.text,
        sectionHashes: {},
        publishedBy,
        publishedAt: at,
      },
      { title: frenchStems(title), keywords: frenchStems(keywords), body: base.bodyStems },
      (taken) => slugFor(title, taken),
    ).slug;
  };
}
