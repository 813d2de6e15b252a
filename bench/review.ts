import { initialSectionReview, type SectionReviewState } from '@essaim/domain';
import type { ReviewQueueDto } from '@essaim/protocol';
import { sqliteReviewRepository } from '../server/src/storage/reviewRepository.js';
import { createDocument, invite, setupInstance } from '../tests/support/accounts.js';
import { startTestServer } from '../tests/support/server.js';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult } from './lib/report.js';
import { seededRandom, summarize } from './lib/stats.js';

/** Issue 12: the review dashboard of an espace of 200 documents × 13 sections, under 50 ms on the server. */
const TARGET_MS = 50;

/**
 * Time to compute the « Relecture » dashboard (`ReviewService.queue`) of an espace of
 * `REVIEW_DOCUMENTS` fiches (13 sections each, the template's), whose sections are in every review
 * state (a quarter submitted, some approved and some of those stale, some with changes
 * requested), measured in the server's process (no HTTP), against the catalogue of the same
 * espace (`CatalogueService.list`) in the same run: the ratio says what the review costs over
 * listing the same documents. Also measured through HTTP for the animateur, as the page asks.
 */
export async function run(): Promise<BenchResult> {
  const documents = envInt('REVIEW_DOCUMENTS', 200);
  const rounds = envInt('REVIEW_ROUNDS', 60);
  const server = await startTestServer();
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Rose Rapporteuse');
    log(`review: ${documents} fiches…`);
    const ids: string[] = [];
    for (let i = 0; i < documents; i++)
      ids.push((await createDocument(admin, espaceId, `Fiche ${i + 1}`)).id);
    const repo = sqliteReviewRepository(server.services.db);
    const random = seededRandom(12);
    const states: SectionReviewState[] = ['brouillon', 'soumise', 'approuvee', 'modifications_demandees'];
    let sections = 0;
    for (const id of ids) {
      const record = server.services.db
        .prepare<[string], { sections: string }>('SELECT sections FROM documents WHERE id = ?')
        .get(id);
      for (const section of JSON.parse(record?.sections ?? '[]') as {
        id: string;
        hash: string;
        title: string;
      }[]) {
        sections++;
        const state = states[Math.floor(random() * states.length)] ?? 'brouillon';
        if (state === 'brouillon') continue;
        // One approval in five is stale: approved over another hash than the section's.
        const approvedHash = state === 'approuvee' ? (random() < 0.2 ? 'ancienne' : section.hash) : null;
        const at = new Date(Date.UTC(2026, 10, 1) + Math.floor(random() * 1e9)).toISOString();
        repo.save(
          {
            ...initialSectionReview,
            state,
            approvedHash,
            submittedBy: rapporteur.userId,
            submittedAt: at,
            decidedBy: state === 'soumise' ? null : admin.userId,
            decidedAt: state === 'soumise' ? null : at,
            message: state === 'modifications_demandees' ? 'Précisez le public accueilli.' : null,
            documentId: id,
            sectionId: section.id,
            threadId: null,
            revision: 0,
          },
          {
            documentId: id,
            sectionId: section.id,
            sectionTitle: section.title,
            action: state === 'soumise' ? 'submit' : state === 'approuvee' ? 'approve' : 'request_changes',
            fromState: 'brouillon',
            toState: state,
            actorId: admin.userId,
            message: null,
            versionId: null,
            sectionHash: section.hash,
            at,
          },
        );
      }
    }
    const actor = server.services.actors.forUser(admin.userId);
    const time = async (f: () => unknown): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        await f();
        out.push(performance.now() - started);
      }
      return out;
    };
    // Warm both paths (statement caches, JIT) before measuring.
    await time(() => server.services.reviews.queue(actor, espaceId, {}));
    await time(() => server.services.catalogue.list(actor, { espaceId, limit: 200 }));
    const queue = summarize(await time(() => server.services.reviews.queue(actor, espaceId, {})));
    const catalogue = summarize(
      await time(() => server.services.catalogue.list(actor, { espaceId, limit: 200 })),
    );
    const http: number[] = [];
    let entries = 0;
    for (let i = 0; i < Math.min(rounds, 30); i++) {
      const started = performance.now();
      const response = await admin.fetch(`/api/espaces/${espaceId}/review-queue`);
      const body = (await response.json()) as ReviewQueueDto;
      http.push(performance.now() - started);
      entries = body.entries.length;
    }
    const httpSummary = summarize(http);
    return {
      name: 'review',
      date: new Date().toISOString(),
      machine: machine(),
      params: { documents, sectionsPerDocument: sections / documents, rounds },
      results: { queueMs: queue, httpMs: httpSummary, entries, sections },
      vanilla: { catalogueMs: catalogue },
      ratio: { queueOverCatalogue: Math.round((queue.p50 / catalogue.p50) * 100) / 100 },
      targets: [
        {
          name: `tableau de relecture, ${documents} documents × 13 sections (p95, serveur)`,
          target: `< ${TARGET_MS} ms`,
          actual: `${queue.p95} ms`,
          met: queue.p95 < TARGET_MS,
        },
      ],
      notes: [
        `${entries} entrées dans la file ; catalogue du même espace : p50 ${catalogue.p50} ms`,
        `par HTTP (animateur, JSON compris) : p50 ${httpSummary.p50} ms, p95 ${httpSummary.p95} ms`,
      ],
    };
  } finally {
    await server.stop();
  }
}
