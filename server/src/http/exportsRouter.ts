import { Router, type Response } from 'express';
import { z } from 'zod';
import { can, forbidden, notFound } from '@essaim/domain';
import { exportFormats } from '../exports/types.js';
import type { Services } from '../services/index.js';
import type { NamedExport } from '../services/exportService.js';
import { actorOf, requireAuth } from './session.js';
import { parseQuery } from './validate.js';

const draftExportQuery = z.object({
  format: z.enum(exportFormats, { error: 'Le format vaut pdf, docx, odt, md ou html.' }),
  version: z.string({ error: 'version doit être un identifiant.' }).min(1).max(100).optional(),
});

/** Sends an export as a download, with a file name people recognise. */
function send(res: Response, result: NamedExport): void {
  res.type(result.contentType);
  res.attachment(result.fileName);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(result.body);
}

/**
 * Downloads (issue 14): `GET /api/documents/:id/export?format=&version=` (a draft or a version, for
 * readers of the document) and `GET /pratiques/<slug>/v/<N>/export.<ext>` (a publication, for
 * anyone).
 */
export function exportsApiRouter(services: Services): Router {
  const router = Router();
  router.get('/documents/:id/export', async (req, res) => {
    const { format, version } = parseQuery(draftExportQuery, req.query);
    send(res, await services.exports.draft(requireAuth(res).actor, req.params.id, format, version));
  });
  return router;
}

/** `GET /pratiques/<slug>/v/<N>/export.<ext>`: a visible publication, as it was published. */
export function publicationExports(services: Services): Router {
  const router = Router();
  router.get('/pratiques/:slug/v/:number/export.:ext', async (req, res) => {
    if (!can(actorOf(res), 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
    const format = exportFormats.find((f) => f === req.params.ext);
    const number = Number(req.params.number);
    const publication = Number.isInteger(number)
      ? services.publications.visible(req.params.slug, number)
      : undefined;
    if (!format || !publication) throw notFound('Cette publication n’existe pas.');
    const result = await services.exports.publication(publication, format);
    send(res, result);
  });
  return router;
}
