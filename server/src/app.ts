import http from 'node:http';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import type { Hocuspocus } from '@hocuspocus/server';
import { pinoHttp } from 'pino-http';
import { attachComments } from './collab/CommentsBroadcast.js';
import { createCollabServer } from './collab/createCollabServer.js';
import type { CollabContext } from './collab/context.js';
import { attachCollabTransport, type CollabTransport } from './collab/transport.js';
import type { Config } from './config.js';
import { adminRouter } from './http/adminRouter.js';
import { authRouter } from './http/authRouter.js';
import { csrfProtection } from './http/csrf.js';
import { documentsRouter } from './http/documentsRouter.js';
import { espacesRouter } from './http/espacesRouter.js';
import { filesRouter } from './http/filesRouter.js';
import { referenceRouter } from './http/referenceRouter.js';
import { DEMO_SETTING } from './demo/seedDemo.js';
import { invitationsRouter } from './http/invitationsRouter.js';
import { notificationsRouter } from './http/notificationsRouter.js';
import { threadsRouter } from './http/threadsRouter.js';
import { versionsRouter } from './http/versionsRouter.js';
import { reviewRouter } from './http/reviewRouter.js';
import { publicationsRouter } from './http/publicationsRouter.js';
import { inspirationForm, signalsRouter } from './http/signalsRouter.js';
import { exportsApiRouter, publicationExports } from './http/exportsRouter.js';
import { resolveSession, sessionTokenFrom } from './http/session.js';
import { apiNotFound, errorHandler } from './http/errors.js';
import { answerMalformedRequests } from './http/malformedRequests.js';
import { staticClient } from './http/staticClient.js';
import { portalRouter } from './portal/portalRouter.js';
import type { Logger } from './logger.js';
import { originPolicy } from './originPolicy.js';
import type { Services } from './services/index.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  services: Services;
  /**
   * Called when accepted updates cannot be made durable. The process must not acknowledge them:
   * main.ts stops at once, nothing is sent, and clients resend their changes after the restart.
   */
  onFatal: (error: unknown) => void;
  /** The instance runs with demonstration data (shown on the login page). */
  demo?: boolean;
}

export interface App {
  httpServer: http.Server;
  hocuspocus: Hocuspocus<CollabContext>;
  /** Closes every connection, stores every document, and stops the HTTP server. */
  close(): Promise<void>;
}

/**
 * Hashes of the one small `<style>` element the DSFR colour-scheme script inserts, so the CSP can
 * stay free of 'unsafe-inline' (read from Chromium's CSP violation report).
 */
const DSFR_STYLE_HASHES = [
  'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY=', // :root { color-scheme: light; }
  'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w=', // :root { color-scheme: dark; }
];

const CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));

/** Builds the whole server (REST + websocket on one HTTP server) without listening. */
export function createApp({ config, logger, services, onFatal, demo = false }: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from a reverse proxy on this machine, and only when configured (issue 15).
  app.set('trust proxy', config.trustProxy ? 'loopback' : false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", ...DSFR_STYLE_HASHES.map((h) => `'${h}'`)],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          // The app shell's service worker (/sw.js, issue 16) and the web app manifest: already
          // allowed through script-src / default-src, said explicitly so a tightening keeps them.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Same-origin only; nothing is meant to be embedded elsewhere yet.
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    pinoHttp({
      logger: logger.child({ component: 'http' }),
      autoLogging: { ignore: (req) => req.url === '/api/health' },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // The API's JSON and the portal's pages, compressed on the fly (brotli or gzip, as the browser
  // accepts; above 1 KB): on the slow line of issue 16 the catalogue's list and the references were
  // sent as is (tester BR31). Static files are compressed at build time (staticClient.ts).
  app.use(['/api', '/pratiques'], compression());

  const originAllowed = originPolicy(config.allowedOrigins);
  const api = express.Router();
  api.get('/health', (_req, res) => {
    services.db.prepare('SELECT 1').get();
    res.json({ status: 'ok' });
  });
  api.use(csrfProtection(originAllowed));
  api.use(express.json({ limit: '256kb' }));
  api.use(resolveSession(services, config));
  api.use(
    '/auth',
    authRouter(services, config, () => demo || services.settings.get(DEMO_SETTING) === 'on'),
  );
  api.use('/espaces', espacesRouter(services, config));
  api.use('/invitations', invitationsRouter(services, config));
  api.use('/documents', documentsRouter(services, config));
  api.use(filesRouter(services, config));
  api.use(threadsRouter(services, config));
  api.use(versionsRouter(services));
  api.use(reviewRouter(services, config));
  api.use(publicationsRouter(services));
  api.use(signalsRouter(services));
  api.use(exportsApiRouter(services));
  api.use('/notifications', notificationsRouter(services));
  api.use('/reference', referenceRouter());
  api.use(adminRouter(services, config));
  api.use(apiNotFound);
  app.use('/api', api);
  app.use(publicationExports(services));
  app.use(inspirationForm(services));
  app.use('/pratiques', portalRouter(services, config));
  if (config.serveClient)
    app.use(
      staticClient(CLIENT_DIST, {
        hasSession: (cookie) => services.auth.authenticate(sessionTokenFrom(cookie, config)) !== null,
      }),
    );
  app.use(errorHandler(logger));

  const httpServer = http.createServer(app);
  answerMalformedRequests(httpServer);
  const { hocuspocus, access, durable } = createCollabServer({ services, config, logger });
  attachComments(hocuspocus, services);
  const stopDigests = services.notifications.startDigests();
  const stopVersions = services.versions.startSchedule(30_000, (err) =>
    logger.error({ err }, 'automatic versions failed'),
  );
  const stopOrphanSweeps = services.files.startOrphanSweeps(config.orphanUploadGraceMs, (err) =>
    logger.error({ err }, 'sweep of unused uploads failed'),
  );
  const transport: CollabTransport = attachCollabTransport({
    httpServer,
    hocuspocus,
    logger: logger.child({ component: 'collab' }),
    path: '/collab',
    originAllowed,
    trustProxy: config.trustProxy,
    maxPayload: config.maxMessageBytes,
    maxPreAuthPayload: 64 * 1024,
    maxUnauthenticatedPerAddress: config.maxUnauthenticatedSocketsPerAddress,
    sessionAccount: (req) =>
      services.auth.authenticate(sessionTokenFrom(req.headers.cookie, config))?.user.id ?? null,
    authTimeoutMs: config.collabAuthTimeoutMs,
    stalledReaderMs: config.collabStalledReaderMs,
    // Group commit: every update accepted during this turn is written before any frame leaves
    // (the whole path: collab/durableUpdates.ts).
    beforeSend: durable.commitBeforeSend,
    onFatal,
  });

  return {
    httpServer,
    hocuspocus,
    close: () => {
      access.stop();
      stopDigests();
      stopVersions();
      stopOrphanSweeps();
      return closeAll(httpServer, hocuspocus, transport, logger);
    },
  };
}

async function closeAll(
  httpServer: http.Server,
  hocuspocus: Hocuspocus<CollabContext>,
  transport: CollabTransport,
  logger: Logger,
): Promise<void> {
  const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  hocuspocus.closeConnections();
  hocuspocus.flushPendingStores();
  const deadline = Date.now() + 10_000;
  while (hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (hocuspocus.getDocumentsCount() > 0) {
    logger.warn(
      { documents: hocuspocus.getDocumentsCount() },
      'documents still loaded at shutdown (their updates are in the log)',
    );
  }
  await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
  await transport.close();
  httpServer.closeAllConnections();
  await stopped;
}
