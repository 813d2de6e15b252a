import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * Serves the built client: hashed assets for a year, `index.html` never cached, and every other
 * path answered with `index.html` so client-side routes survive a reload.
 */
export function staticClient(distDir: string): Router {
  const router = express.Router();
  const indexFile = path.join(distDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    router.use((_req, res) => {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Le client n’est pas construit : lancez « npm run build » puis redémarrez le serveur.');
    });
    return router;
  }
  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  router.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}
