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
import type { FileRecord, FileRepository } from '../storage/fileRepository.js';
import type { AuditService } from './auditService.js';
import type { DocumentService } from './documentService.js';

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

/** A file the caller may read, and where its bytes are. */
export interface ReadableFile extends FileRecord {
  path: string;
  /** Extension for the file name given to the browser. */
  ext: string;
}

/** Images uploaded into documents, stored once by sha256 under `DATA_DIR/files`. */
export class FileService {
  constructor(
    private readonly files: FileRepository,
    private readonly documents: DocumentService,
    private readonly filesDir: string,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Checks what can be checked before the body is read: the document, the right to edit it, and the
   * announced type. Returns the accepted type.
   */
  checkUpload(actor: Actor, documentId: string, declaredType: string | undefined): UploadMime {
    if (actor.kind !== 'user') throw unauthorized();
    const target = this.documents.accessTarget(documentId);
    if (!target) throw notFound('Ce document n’existe pas.');
    if (!can(actor, 'document.edit', target)) {
      throw forbidden(
        can(actor, 'document.read', target)
          ? 'Vous ne pouvez pas ajouter d’image à ce document : il faut pouvoir le modifier.'
          : 'Vous n’avez pas accès à ce document.',
      );
    }
    const mime = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!isUploadMime(mime)) throw new UnsupportedFileType(ACCEPTED);
    return mime;
  }

  /** Stores an image uploaded into a document (once per content) and links it to the document. */
  async upload(
    actor: Actor,
    documentId: string,
    declaredType: string | undefined,
    bytes: Uint8Array,
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
    // Bytes first: a row never names a file that is not on disk.
    await this.writeOnce(hash, bytes);
    const at = this.now().toISOString();
    const userId = actor.kind === 'user' ? actor.userId : null;
    this.files.record(
      { hash, mime, size: bytes.length, createdAt: at },
      { documentId, uploadedBy: userId, uploadedAt: at },
    );
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
