import { Router } from 'express';
import { z } from 'zod/mini';
import { stringify } from 'csv-stringify/sync';
import { reviewEventLabels, sectionReviewStateLabels } from '@essaim/domain';
import {
  reviewQueueQuery,
  reviewSectionInput,
  type ReviewedDocumentSectionsDto,
  type ReviewQueueDto,
  type SectionReviewReplyDto,
} from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import type { ReviewJournalEntry } from '../storage/reviewRepository.js';
import { baseUrlOf, requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/** Query of `GET /api/documents/:id/review-journal`: `format=json` (the default) or `csv`. */
const journalQuery = z.object({
  format: z._default(z.enum(['json', 'csv'], { error: 'format vaut json ou csv.' }), 'json'),
});

/**
 * Section review (issue 12): sections with their review, review steps, an espace's review queue,
 * and a document's « journal de relecture » (JSON, or CSV with `?format=csv`).
 */
export function reviewRouter(services: Services, config: Config): Router {
  const router = Router();
  const { reviews } = services;
  router.get('/documents/:id/sections', (req, res) => {
    const body: ReviewedDocumentSectionsDto = reviews.sections(requireAuth(res).actor, req.params.id);
    res.json(body);
  });
  router.post('/documents/:id/sections/:sectionId/review', (req, res) => {
    const { actor } = requireAuth(res);
    const input = parseBody(reviewSectionInput, req.body);
    const body: SectionReviewReplyDto = reviews.decide(actor, req.params.id, req.params.sectionId, input, {
      baseUrl: baseUrlOf(req, config),
    });
    res.json(body);
  });
  router.get('/documents/:id/review-journal', (req, res) => {
    const { actor } = requireAuth(res);
    const { format } = parseQuery(journalQuery, req.query);
    const entries = reviews.journal(actor, req.params.id);
    if (format !== 'csv') {
      res.json({ entries });
      return;
    }
    res.type('text/csv; charset=utf-8');
    res.attachment(`journal-de-relecture-${req.params.id}.csv`);
    // A byte-order mark, so that spreadsheet software reads the accents as UTF-8.
    res.send(`\uFEFF${journalCsv(entries)}`);
  });
  router.get('/espaces/:id/review-queue', (req, res) => {
    const { actor } = requireAuth(res);
    const query = parseQuery(reviewQueueQuery, req.query);
    const body: ReviewQueueDto = reviews.queue(actor, req.params.id, query);
    res.json(body);
  });
  return router;
}

/**
 * The journal as CSV (RFC 4180, `;` separated as French spreadsheets expect), one decision per
 * line. Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are
 * prefixed with an apostrophe (OWASP « CSV injection »).
 */
export function journalCsv(entries: readonly ReviewJournalEntry[]): string {
  const cell = (text: string | null): string =>
    text && /^[=+\-@\t\r]/.test(text) ? `'${text}` : (text ?? '');
  return stringify(
    entries.map((e) => [
      e.at,
      cell(e.sectionTitle),
      reviewEventLabels[e.action],
      sectionReviewStateLabels[e.fromState],
      sectionReviewStateLabels[e.toState],
      cell(e.actor?.name ?? null),
      cell(e.message),
      e.versionId ?? '',
      e.sectionHash ?? '',
    ]),
    {
      delimiter: ';',
      record_delimiter: '\r\n',
      header: true,
      columns: [
        'Date',
        'Section',
        'Action',
        'État avant',
        'État après',
        'Par',
        'Message',
        'Version',
        'Empreinte',
      ],
    },
  );
}
