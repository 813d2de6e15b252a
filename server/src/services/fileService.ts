import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  can,
  DomainError,
  forbidden,
  invalidInput,
  notFound,
  unauthorized,
  type Actor,
  type Target,
} from '@essaim/domain';
import type { UploadDto } from '@essaim/protocol';
import { fileTypeFromBuffer } from 'file-type';
import type { CollabStore } from '../storage/collabStore.js';
import type { FileRecord, FileRepository, UploadQuota } from '../storage/fileRepository.js';
import type { AuditService } from './auditService.js';
import type { DocumentService } from './documentService.js';
import { assertMayChange } from './documentTarget.js';

export type { UploadQuota } from '../storage/fileRepository.js';

type DocumentTarget = Extract<Target, { type: 'document' }>;

/** Largest image accepted, in bytes (10 Mio). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The image types accepted, with the extension they are served under. SVG is refused: it can run scripts. */
export const UPLOAD_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
} as const;
export type UploadMime = keyof typeof UPLOAD_TYPES;

const isUploadMime = (mime: string): mime is UploadMime => Object.hasOwn(UPLOAD_TYPES, mime);

/** sha256 in lowercase hex: the only file names ever joined to `filesDir`. */
const HASH = /^[0-9a-f]{64}$/;
export const isFileHash = (value: string): boolean => HASH.test(value);

/**
 * The content is not an accepted image, or not the one announced (HTTP 415). Not a `DomainError`:
 * the domain has no kind for it, so the files router maps it itself.
 */
export class UnsupportedFileType extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFileType';
  }
}

const ACCEPTED = 'Seules les images PNG, JPEG, GIF et WebP peuvent être ajoutées.';
export const TOO_LARGE_MESSAGE = 'L’image dépasse la taille maximale autorisée (10 Mio).';

/** `12 Mio`, `1,5 Gio`: a size in French binary units. */
export function formatBytes(bytes: number): string {
  const units = ['octets', 'Kio', 'Mio', 'Gio'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : value.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  return `${shown} ${units[unit]}`;
}

/** The French 413 of a quota reached: which one, its size, and what to do. */
export function quotaMessage(which: 'document' | 'account', quota: UploadQuota): string {
  return which === 'document'
    ? `Ce document a atteint sa limite d’images (${formatBytes(quota.documentBytes)}). Retirez des images dont il n’a plus besoin ou réduisez leur taille, puis réessayez.`
    : `Vous avez atteint votre limite d’images téléversées (${formatBytes(quota.accountBytes)}). Réduisez la taille de vos images ou demandez à l’administrateur de relever la limite.`;
}

/** The marker every image source carries in a document (`/api/files/<sha256>`). */
const FILE_URL = Buffer.from('/api/files/');

/**
 * The file hashes a stored document mentions, read straight from its encoded state, the state it
 * replaced and its pending log rows: an image's `src` attribute is stored as one UTF-8 string.
 * Conservative on purpose: an image deleted since the last compaction, or the URL typed as text,
 * still counts, so a file is never removed while something may show it.
 */
export function fileHashesIn(blobs: readonly (Uint8Array | null | undefined)[]): Set<string> {
  const hashes = new Set<string>();
  for (const blob of blobs) {
    if (!blob) continue;
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let at = bytes.indexOf(FILE_URL); at >= 0; at = bytes.indexOf(FILE_URL, at + 1)) {
      const start = at + FILE_URL.length;
      const hash = bytes.toString('latin1', start, start + 64);
      if (isFileHash(hash)) hashes.add(hash);
    }
  }
  return hashes;
}
/** A file the caller may read, and where its bytes are. */
export interface ReadableFile extends FileRecord {
  path: string;
  /** Extension for the file name given to the browser. */
  ext: string;
}

/** What a sweep of unused uploads removed. */
export interface OrphanSweep {
  removed: number;
  bytes: number;
}

/**
 * Images uploaded into documents, stored once by sha256 under `DATA_DIR/files`, within quotas
 * per document and per account, and removed once no stored document has shown them for a grace
 * period ({@link sweepOrphans}).
 */
export class FileService {
  /** Hashes being uploaded now (bytes written, row not yet recorded): never removed meanwhile. */
  private readonly uploading = new Map<string, number>();
  /** Hashes whose bytes are being removed: an upload of the same bytes waits for it to finish. */
  private readonly removing = new Map<string, Promise<void>>();

  constructor(
    private readonly files: FileRepository,
    private readonly documents: DocumentService,
    private readonly filesDir: string,
    private readonly audit: AuditService,
    /** Where stored documents are read to find the images they show. */
    private readonly store: Pick<CollabStore, 'documentIds' | 'load'>,
    /** The files publications show (issue 13): frozen pages keep their images whatever the draft. */
    private readonly published: () => Iterable<string> = () => [],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Checks what can be checked before the body is read: the document, the right to edit it, and the
   * announced type. Returns the accepted type. (Quotas need the bytes: the same image uploaded
   * again adds nothing.)
   */
  checkUpload(actor: Actor, documentId: string, declaredType: string | undefined): UploadMime {
    if (actor.kind !== 'user') throw unauthorized();
    const target = this.documents.storedTarget(documentId);
    if (!target) throw notFound('Ce document n’existe pas.');
    if (!can(actor, 'document.read', target)) throw forbidden('Vous n’avez pas accès à ce document.');
    assertMayChange(
      actor,
      'document.edit',
      target,
      'Vous ne pouvez pas ajouter d’image à ce document : il faut pouvoir le modifier.',
    );
    const mime = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!isUploadMime(mime)) throw new UnsupportedFileType(ACCEPTED);
    return mime;
  }

  private refuseQuota(
    userId: string,
    documentId: string,
    which: 'document' | 'account',
    quota: UploadQuota,
  ): never {
    this.audit.recordRepeated(
      {
        actorId: userId,
        action: 'file.quota_reached',
        target: { type: 'document', id: documentId },
        details: { quota: which },
      },
      `file.quota_reached|${which}|${userId}|${documentId}`,
    );
    throw new DomainError('payload_too_large', quotaMessage(which, quota));
  }

  /**
   * Stores an image uploaded into a document (once per content) and links it to the document,
   * within `quota` (checked in the transaction that records it: a 413 with a French message, and
   * bytes written for nothing are removed).
   */
  async upload(
    actor: Actor,
    documentId: string,
    declaredType: string | undefined,
    bytes: Uint8Array,
    quota: UploadQuota = { documentBytes: Infinity, accountBytes: Infinity },
  ): Promise<UploadDto> {
    const declared = this.checkUpload(actor, documentId, declaredType);
    if (bytes.length === 0) throw invalidInput('Le fichier envoyé est vide.');
    if (bytes.length > MAX_UPLOAD_BYTES) throw new DomainError('payload_too_large', TOO_LARGE_MESSAGE);
    const mime = await sniff(bytes);
    if (!mime) {
      throw new UnsupportedFileType(`Le contenu du fichier n’est pas une image PNG, JPEG, GIF ou WebP.`);
    }
    if (mime !== declared) {
      throw new UnsupportedFileType(
        `Le contenu du fichier (${mime}) ne correspond pas au type annoncé (${declared}).`,
      );
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const userId = actor.kind === 'user' ? actor.userId : null;
    this.uploading.set(hash, (this.uploading.get(hash) ?? 0) + 1);
    let outcome: ReturnType<FileRepository['recordWithinQuota']>;
    try {
      // A sweep removing these very bytes finishes first; then they are written again.
      await this.removing.get(hash);
      // Bytes first: a row never names a file that is not on disk.
      await this.writeOnce(hash, bytes);
      const at = this.now().toISOString();
      outcome = this.files.recordWithinQuota(
        { hash, mime, size: bytes.length, createdAt: at },
        { documentId, uploadedBy: userId, uploadedAt: at },
        quota,
      );
      if ('refused' in outcome && !this.files.find(hash) && this.uploading.get(hash) === 1) {
        await fs.rm(this.pathOf(hash), { force: true });
      }
    } finally {
      const left = (this.uploading.get(hash) ?? 1) - 1;
      if (left > 0) this.uploading.set(hash, left);
      else this.uploading.delete(hash);
    }
    if ('refused' in outcome) this.refuseQuota(userId ?? '', documentId, outcome.refused, quota);
    this.audit.record({
      actorId: userId,
      action: 'file.upload',
      target: { type: 'document', id: documentId },
      details: { hash, mime, size: bytes.length },
    });
    // Same content, same hash: the file row (first upload) is authoritative.
    const stored = this.files.find(hash);
    return {
      hash,
      url: `/api/files/${hash}`,
      mime: stored?.mime ?? mime,
      size: stored?.size ?? bytes.length,
    };
  }

  /**
   * Removes the uploads no stored document shows (issue 15: images uploaded and never placed were
   * kept forever). A file is removed when every upload of it is older than `graceMs` and no
   * document's stored state or log mentions it ({@link fileHashesIn}), nor any publication, hidden
   * or not (issue 13); archived documents count.
   * Documents are read one per event-loop turn. `now` is injectable for tests. The removals are
   * audited in one row. Returns how many files and bytes went.
   */
  async sweepOrphans(graceMs: number, now: Date = this.now()): Promise<OrphanSweep> {
    const cutoff = new Date(now.getTime() - graceMs).toISOString();
    const candidates = this.files.unprotectedFiles(cutoff);
    if (candidates.length === 0) return { removed: 0, bytes: 0 };
    const shown = new Set<string>(this.published());
    for (const documentId of this.store.documentIds()) {
      await new Promise((resolve) => setImmediate(resolve));
      const stored = this.store.load(documentId);
      for (const hash of fileHashesIn([stored.state, stored.previousState, ...stored.updates]))
        shown.add(hash);
    }
    let removed = 0;
    let bytes = 0;
    for (const { hash, size } of candidates) {
      // Checked and removed in the same turn: an upload of these bytes starting now waits for it.
      if (shown.has(hash) || this.uploading.has(hash) || !this.files.removeFile(hash, cutoff)) continue;
      const removal = fs.rm(this.pathOf(hash), { force: true }).finally(() => this.removing.delete(hash));
      this.removing.set(hash, removal);
      await removal;
      removed += 1;
      bytes += size;
    }
    if (removed > 0) {
      this.audit.record({
        actorId: null,
        action: 'file.orphans_removed',
        details: { count: removed, size: bytes },
      });
    }
    return { removed, bytes };
  }

  /**
   * Sweeps unused uploads every `intervalMs` (default: the grace period, at most hourly), the first
   * time after one interval. Returns the function that stops it (the server's close calls it).
   */
  startOrphanSweeps(
    graceMs: number,
    onError: (error: unknown) => void,
    intervalMs = Math.min(graceMs, 3600_000),
  ): () => void {
    let running: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = this.sweepOrphans(graceMs)
        .catch(onError)
        .finally(() => (running = null));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * A file the actor may read: it was uploaded into at least one live document they can read.
   * Anything else (malformed hash, unknown file, no access) is "not found", so nothing is revealed;
   * an anonymous caller is asked to log in.
   */
  async open(actor: Actor, hash: string): Promise<ReadableFile> {
    const missing = () => (actor.kind === 'user' ? notFound('Cette image n’existe pas.') : unauthorized());
    if (!isFileHash(hash)) throw notFound('Cette image n’existe pas.');
    const file = this.files.find(hash);
    if (!file) throw missing();
    const readable = this.files
      .documentsOf(hash)
      .some((id) => canRead(actor, this.documents.accessTarget(id)));
    if (!readable) throw missing();
    return this.located(file);
  }

  /**
   * A file a visible publication shows (issue 13: the portal and publication exports serve it to
   * anyone). The caller has checked that a publication shows it; this only finds the bytes.
   * @throws DomainError `not_found` for a malformed hash, an unknown file or missing bytes.
   */
  async openPublished(hash: string): Promise<ReadableFile> {
    if (!isFileHash(hash)) throw notFound('Cette image n’existe pas.');
    const file = this.files.find(hash);
    if (!file) throw notFound('Cette image n’existe pas.');
    return this.located(file);
  }

  private async located(file: FileRecord): Promise<ReadableFile> {
    const hash = file.hash;
    const filePath = this.pathOf(hash);
    try {
      const stat = await fs.stat(filePath);
      return { ...file, size: stat.size, path: filePath, ext: extensionOf(file.mime) };
    } catch (error) {
      if (isNoEntry(error)) throw notFound('Cette image n’existe pas.');
      throw error;
    }
  }

  private pathOf(hash: string): string {
    if (!isFileHash(hash)) throw new Error(`not a file hash: ${hash}`);
    return path.join(this.filesDir, hash.slice(0, 2), hash);
  }

  /** Writes the bytes under their hash unless already there: temporary file, fsync, rename. */
  private async writeOnce(hash: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(hash);
    if (await exists(target)) return;
    const dir = path.dirname(target);
    await fs.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${hash}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(temp, 'wx', 0o640);
    try {
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(dir);
  }
}

function canRead(actor: Actor, target: DocumentTarget | undefined): boolean {
  return target !== undefined && can(actor, 'document.read', target);
}

/** The accepted type of the content, from its bytes; APNG is a PNG. */
async function sniff(bytes: Uint8Array): Promise<UploadMime | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return undefined;
  const mime = detected.mime === 'image/apng' ? 'image/png' : detected.mime;
  return isUploadMime(mime) ? mime : undefined;
}

function extensionOf(mime: string): string {
  return isUploadMime(mime) ? UPLOAD_TYPES[mime] : 'bin';
}

const isNoEntry = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (error) {
    if (isNoEntry(error)) return false;
    throw error;
  }
}

/** Makes the rename itself durable (a no-op where directories cannot be opened, e.g. Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: the file itself is already synced.
  } finally {
    await handle?.close();
  }
}
