import { Router } from 'express';
import { territoires } from '../reference/territoires.js';

/** `/api/reference`: reference data every form needs (French territories). Public, cached a day. */
export function referenceRouter(): Router {
  // Read and checked now, so a damaged reference file stops the server at start, not on a request.
  territoires();
  const router = Router();
  router.get('/territoires', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').json(territoires());
  });
  return router;
}
