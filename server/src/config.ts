import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'], { error: 'attendu : true ou false' })
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  PUBLIC_URL: z.url({ error: 'URL absolue attendue (ex. https://essaim.example.org)' }).optional(),
  /** Largest websocket frame accepted once a connection is authenticated. */
  MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /**
   * Largest encoded state a document may reach. A fiche is 4 to 5 pages (tens of kB); the default
   * leaves room for images' references, long syntheses and years of history, and stops a writer
   * from filling the disk and every reader's memory.
   */
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(16 * 1024 * 1024),
  /**
   * Yjs structs one writer may send per second once past one update of the largest size
   * (`MAX_UPDATE_STRUCTS`); beyond, their updates wait (see collab/writerPacing.ts). People
   * typing send a few a second; 0 turns the pacing off.
   */
  WRITER_STRUCTS_PER_SECOND: z.coerce.number().int().min(0).default(25_000),
  /** `FULL` fsyncs every commit (survives power loss); `NORMAL` survives process crashes. */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /**
   * Outgoing broadcast coalescing of Hocuspocus. `0` (default): the updates applied in one
   * event-loop turn leave as one message; `off`: one message per update; a number: a window of
   * that many ms. Whatever the setting, the transport hands a socket's backlog to Hocuspocus at most
   * 256 messages per turn (collab/transport.ts, `InboundPacer`), so with `0` a typist's keystroke
   * leaves at once and a burst leaves in bounded merges. Measured in docs/PERFORMANCE.md (`flush`,
   * `hurriedWriter`).
   */
  FLUSH_DELAY_MS: z.union([z.literal('off'), z.coerce.number().int().min(0)]).default(0),
  SERVE_CLIENT: booleanFromEnv.default(true),
  /** Seed the demonstration espace, accounts and fiches into an empty database at start. */
  DEMO: booleanFromEnv.default(true),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(14 * 24 * 3600),
  SESSION_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(60 * 24 * 3600),
  COLLAB_RECHECK_SECONDS: z.coerce.number().min(0.1).default(15),
  SMTP_URL: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(1).default('Essaim <ne-pas-repondre@essaim.invalid>'),
  /** Bytes of images one document may hold (sum of the distinct files uploaded into it). */
  UPLOAD_QUOTA_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  /** Bytes of images one account may have uploaded, all documents together. */
  UPLOAD_QUOTA_ACCOUNT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  /** How long an uploaded image no document shows is kept before it is removed. */
  ORPHAN_UPLOAD_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(24 * 3600),
  /** A websocket that has not authenticated any document after this long is closed. */
  COLLAB_AUTH_TIMEOUT_SECONDS: z.coerce.number().min(0.1).default(30),
  /**
   * A websocket with more than 1 MiB waiting to be sent that reads less than 16 KiB in this time
   * is dropped (it reconnects and syncs; collab/transport.ts, `StalledReaders`).
   */
  COLLAB_STALLED_READER_SECONDS: z.coerce.number().min(0.1).default(10),
  /** Websockets not yet authenticated that one address may hold at once. */
  COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /**
   * Catalogue pages (`GET /api/documents`) one account may ask in 10 s; beyond, 429 until the
   * window ends (http/documentsRouter.ts). 0: no limit.
   */
  CATALOGUE_REQUESTS_PER_10_SECONDS: z.coerce.number().int().min(0).default(40),
  /** Documents one account may create in a sliding hour ({@link DocumentLimits}); 0: no limit. */
  DOCUMENTS_PER_HOUR_PER_ACCOUNT: z.coerce.number().int().min(0).default(60),
  /** Authenticated websockets one account may hold at once (one per open tab); 0: no limit. */
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: z.coerce.number().int().min(0).default(50),
  /** `loopback`: a reverse proxy on this machine tells the client's address and scheme. */
  TRUST_PROXY: z
    .enum(['false', 'loopback'], { error: 'TRUST_PROXY vaut false ou loopback.' })
    .default('false'),
  /**
   * While someone is connected, a document's update log is folded into its state only once it
   * holds this many updates (±25 % per document); always when the last person leaves and at
   * shutdown. 1: at every debounced store, as before issue 17.
   */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(200),
  /** A pause in activity this long records an automatic version (issue 11). */
  VERSION_PAUSE_MINUTES: z.coerce.number().min(0.1).default(5),
  /** Continuous activity records an automatic version at least this often. */
  VERSION_EVERY_MINUTES: z.coerce.number().min(1).default(30),
});

/** Everything the server reads from its environment, parsed and checked once at start. */
export interface Config {
  port: number;
  host: string;
  /** Folder of the database (`essaim.sqlite`) and, later, uploads. Created when missing. */
  dataDir: string;
  databaseFile: string;
  logLevel: (typeof logLevels)[number];
  /**
   * Origins allowed to open a websocket, from PUBLIC_URL. Browsers always send `Origin`; refusing
   * foreign ones stops another site from opening a collaborative session with a visitor's cookies.
   * `null` (no PUBLIC_URL): only same-origin requests, judged by the request's `Host`.
   */
  allowedOrigins: string[] | null;
  maxMessageBytes: number;
  /** Largest encoded Yjs state of one document (bytes): updates that would pass it are refused. */
  maxDocumentBytes: number;
  /** Structs per second of each writer's budget (0: no pacing); see collab/writerPacing.ts. */
  writerStructsPerSecond: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** `false` sends every change at once; a number batches broadcasts over that many ms. */
  flushDelay: false | number;
  /** Serve the built client from client/dist (off for API-only test servers). */
  serveClient: boolean;
  /** Seed demonstration data when the database is empty (`DEMO=false` starts empty). */
  demo: boolean;
  /**
   * Public base URL for links in invitations and resets. Null (only without SMTP): links shown to
   * copy are built from the request's own origin.
   */
  publicUrl: string | null;
  /** Session cookies are `Secure` when the public URL is https. */
  secureCookies: boolean;
  /** A session dies after this long without use… */
  sessionTtlMs: number;
  /** …and after this long whatever the use. */
  sessionMaxMs: number;
  /**
   * How often open websockets are re-checked against sessions and rights. Changes made through this
   * process apply at once; this sweep catches expiries and changes made by other processes (CLI).
   */
  collabRecheckMs: number;
  /**
   * Email is optional: without SMTP_URL, links are shown to copy. With it, PUBLIC_URL is required:
   * links in emails never come from a request's `Host` (password-reset poisoning, issue 15).
   */
  smtp: { url: string; from: string } | null;
  /** Upload quotas (bytes): per document and per account; over them an upload gets a 413. */
  uploadQuota: { documentBytes: number; accountBytes: number };
  /** Uploaded images that no stored document shows are removed after this long (ms). */
  orphanUploadGraceMs: number;
  /** Websockets that authenticate nothing within this time (ms) are closed. */
  collabAuthTimeoutMs: number;
  /** Time (ms) a websocket with more than 1 MiB waiting may go without reading before it is dropped. */
  collabStalledReaderMs: number;
  /** Unauthenticated websockets one client address may hold at once; more are refused (HTTP 429). */
  maxUnauthenticatedSocketsPerAddress: number;
  /** Authenticated websockets one account may hold at once (0: no limit); see collab/accountSockets.ts. */
  maxSocketsPerAccount: number;
  /** Documents one account may create in a sliding hour; 0: no limit. */
  documentsPerHourPerAccount: number;
  /** Catalogue pages one account may ask in 10 s; 0: no limit. */
  catalogueRequestsPer10Seconds: number;
  /** Whether `X-Forwarded-For` / `X-Forwarded-Proto` are read from a proxy on the loopback interface. */
  trustProxy: boolean;
  /** When automatic versions are recorded (ms): after a pause, and during continuous activity. */
  versionSchedule: { pauseMs: number; maxIntervalMs: number };
  /**
   * Updates logged since a connected document's last compaction before a debounced store compacts
   * it (see collab/PersistenceExtension.ts); 1 compacts at every store.
   */
  compactAfterUpdates: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Zod's French locale (`zod/v4/locales/fr`), for one parse rather than the whole process. */
const frenchIssues = z.locales.fr().localeError;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Parses the environment into a {@link Config}, or throws a {@link ConfigError} naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Zod's own French messages for the checks that carry none of their own (« Trop petit : attendu
  // que PORT soit >=0 »), as everything else an operator reads here is French (tester BR36 F7).
  const parsed = envSchema.safeParse(env, { error: frenchIssues });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    throw new ConfigError(
      'Configuration invalide :\n  PUBLIC_URL: obligatoire quand SMTP_URL est défini : les liens envoyés par ' +
        'courriel (invitations, réinitialisations) sont construits à partir de PUBLIC_URL, jamais de ' +
        'l’en-tête Host d’une requête (ex. PUBLIC_URL=https://essaim.example.org)',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: path.join(dataDir, 'essaim.sqlite'),
    logLevel: e.LOG_LEVEL,
    allowedOrigins: e.PUBLIC_URL ? originsOf(e.PUBLIC_URL) : null,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
    writerStructsPerSecond: e.WRITER_STRUCTS_PER_SECOND,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    flushDelay: e.FLUSH_DELAY_MS === 'off' ? false : e.FLUSH_DELAY_MS,
    serveClient: e.SERVE_CLIENT,
    demo: e.DEMO,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    secureCookies: e.PUBLIC_URL?.startsWith('https:') ?? false,
    sessionTtlMs: e.SESSION_TTL_SECONDS * 1000,
    sessionMaxMs: e.SESSION_MAX_SECONDS * 1000,
    collabRecheckMs: e.COLLAB_RECHECK_SECONDS * 1000,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : null,
    uploadQuota: {
      documentBytes: e.UPLOAD_QUOTA_DOCUMENT_BYTES,
      accountBytes: e.UPLOAD_QUOTA_ACCOUNT_BYTES,
    },
    orphanUploadGraceMs: e.ORPHAN_UPLOAD_GRACE_SECONDS * 1000,
    collabAuthTimeoutMs: e.COLLAB_AUTH_TIMEOUT_SECONDS * 1000,
    collabStalledReaderMs: e.COLLAB_STALLED_READER_SECONDS * 1000,
    maxUnauthenticatedSocketsPerAddress: e.COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS,
    maxSocketsPerAccount: e.COLLAB_MAX_SOCKETS_PER_ACCOUNT,
    documentsPerHourPerAccount: e.DOCUMENTS_PER_HOUR_PER_ACCOUNT,
    catalogueRequestsPer10Seconds: e.CATALOGUE_REQUESTS_PER_10_SECONDS,
    trustProxy: e.TRUST_PROXY === 'loopback',
    versionSchedule: {
      pauseMs: e.VERSION_PAUSE_MINUTES * 60_000,
      maxIntervalMs: e.VERSION_EVERY_MINUTES * 60_000,
    },
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
  };
}

/** The origin of the public URL; on a loopback host both usual names, which are the same server. */
function originsOf(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = [url.origin];
  if (LOOPBACK.has(url.hostname)) {
    for (const host of ['localhost', '127.0.0.1']) {
      origins.push(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
    }
  }
  return [...new Set(origins)];
}
