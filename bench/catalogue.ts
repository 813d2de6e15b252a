import type { DocumentListDto } from '@essaim/protocol';
import { sqliteDocumentRepository } from '../server/src/storage/documentRepository.js';
import { setupInstance } from '../tests/support/accounts.js';
import { startTestServer } from '../tests/support/server.js';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult } from './lib/report.js';
import { summarize } from './lib/stats.js';

/**
 * Issue 17 (tester BR33 F1): a member looping on the catalogue of an espace of 3,468 documents
 * stalled everyone (2.2 MB of JSON and 250–430 ms of event loop a call; writer → reader p99 from
 * 9.6 to 808 ms). The catalogue now answers pages; a page must cost little whatever the espace.
 */
const TARGET_MS = 50;

/**
 * Times `GET /api/documents?espaceId=…` (the catalogue's first page, as the page asks it) on an
 * espace of `CATALOGUE_DOCUMENTS` fiches (3,000 by default) created through the services, over
 * HTTP with the administrator's session, against a reference in the same run: the read every call
 * made before paging (every document of the espace with its sections, `DocumentRepository.search`,
 * in process). Also reports the JSON bytes of a page and the time to read the whole espace page
 * after page (what the editor's link dialog and « Personnes » do: pages of 200).
 */
export async function run(): Promise<BenchResult> {
  const documents = envInt('CATALOGUE_DOCUMENTS', 3000);
  const rounds = envInt('CATALOGUE_ROUNDS', 30);
  const server = await startTestServer();
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    const actor = server.services.actors.forUser(admin.userId);
    log(`catalogue: ${documents} fiches…`);
    for (let i = 0; i < documents; i++)
      server.services.documents.create(actor, {
        espaceId,
        title: `Fiche ${i + 1} — ${i % 7 === 0 ? 'aller-vers' : 'pair-aidance'}`,
        kind: 'fiche',
        themes: [],
      });
    const page: number[] = [];
    let bytes = 0;
    for (let i = 0; i < rounds + 2; i++) {
      const started = performance.now();
      const response = await admin.fetch(`/api/documents?espaceId=${espaceId}`, {
        headers: { 'accept-encoding': 'identity' },
      });
      const text = await response.text();
      if (i >= 2) page.push(performance.now() - started);
      bytes = Buffer.byteLength(text);
    }
    const repository = sqliteDocumentRepository(server.services.db);
    const readAll: number[] = [];
    for (let i = 0; i < Math.min(rounds, 10) + 1; i++) {
      const started = performance.now();
      repository.search({ espaceIds: [espaceId], archived: false });
      if (i >= 1) readAll.push(performance.now() - started);
    }
    const started = performance.now();
    let offset: number | null = 0;
    let seen = 0;
    while (offset !== null) {
      const response = await admin.fetch(`/api/documents?espaceId=${espaceId}&limit=200&offset=${offset}`);
      const body = (await response.json()) as DocumentListDto;
      seen += body.documents.length;
      offset = body.nextOffset;
    }
    const wholeMs = Math.round(performance.now() - started);
    const pageSummary = summarize(page);
    const readAllSummary = summarize(readAll);
    return {
      name: 'catalogue',
      date: new Date().toISOString(),
      machine: machine(),
      params: { documents, rounds },
      results: {
        pageMs: pageSummary,
        pageBytes: bytes,
        wholeEspaceInPagesMs: wholeMs,
        wholeEspaceDocuments: seen,
      },
      vanilla: { readEveryDocumentMs: readAllSummary },
      ratio: { pageOverReadAll: Math.round((pageSummary.p50 / readAllSummary.p50) * 100) / 100 },
      targets: [
        {
          name: `première page du catalogue, espace de ${documents} documents (p95, HTTP)`,
          target: `< ${TARGET_MS} ms`,
          actual: `${pageSummary.p95} ms`,
          met: pageSummary.p95 < TARGET_MS,
        },
      ],
      notes: [
        `une page : ${bytes} octets de JSON ; l'espace entier par pages de 200 : ${wholeMs} ms (${seen} documents)`,
        `référence, la lecture de chaque appel avant les pages (tous les documents avec leurs sections) : p50 ${readAllSummary.p50} ms`,
      ],
    };
  } finally {
    await server.stop();
  }
}
