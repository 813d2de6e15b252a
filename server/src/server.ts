import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { seedDemo } from './demo/seedDemo.js';
import { FRENCH_STEMS_VERSION } from './services/frenchText.js';
import { buildServices, type Services } from './services/index.js';
import { WalCheckpointer } from './storage/checkpointer.js';
import { openDatabase } from './storage/db.js';

/** Settings key: the stems version the search indexes (public and drafts) were built with. */
const STEMS_SETTING = 'publication_search_stems';

export interface RunningServer {
  app: App;
  services: Services;
  /** `http://host:port` actually bound (port 0 resolves to a free port). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Opens the database, builds the app and listens. Used by main.ts and by in-process tests, so both
 * run the very same wiring.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  onFatal: (error: unknown) => void = defaultOnFatal(logger),
): Promise<RunningServer> {
  const db = openDatabase(config.databaseFile, { synchronous: config.sqliteSynchronous });
  const checkpointer = new WalCheckpointer(
    db,
    config.databaseFile,
    logger.child({ component: 'checkpoint' }),
  );
  checkpointer.start();
  const services = buildServices(db, {
    logger,
    smtp: config.smtp,
    filesDir: path.join(config.dataDir, 'files'),
    kitCacheDir: path.join(config.dataDir, 'cache', 'kits'),
    exportCacheDir: path.join(config.dataDir, 'cache', 'exports'),
    authSettings: { sessionIdleMs: config.sessionTtlMs, sessionMaxMs: config.sessionMaxMs },
    versionSchedule: config.versionSchedule,
    documentLimits: { perHourPerAccount: config.documentsPerHourPerAccount },
  });
  if (services.settings.get(STEMS_SETTING) !== FRENCH_STEMS_VERSION) {
    // The French folding or stemmer changed: the public search and the drafts' search are
    // indexed again, before anyone searches.
    const reindexed = services.publications.reindexSearch();
    // The drafts' index too (issue 18): about 14 s for 1,000 fiches, once.
    const drafts = services.draftSearch.rebuild();
    services.settings.set(STEMS_SETTING, FRENCH_STEMS_VERSION);
    logger.info({ reindexed, drafts, version: FRENCH_STEMS_VERSION }, 'search indexes rebuilt');
  }
  if (config.demo) await seedDemo(services, logger.child({ component: 'demo' }));
  const app = createApp({ config, logger, services, onFatal });
  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = app.httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  return {
    app,
    services,
    port,
    url: `http://${host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await checkpointer.stop();
        db.close();
      })()),
  };
}

function defaultOnFatal(logger: Logger) {
  return (error: unknown): void => {
    logger.fatal({ err: error }, 'stopping: an update could not be made durable');
    process.exit(1);
  };
}
