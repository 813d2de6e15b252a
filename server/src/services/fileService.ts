import type { FileRepository } from '../storage/fileRepository.js';
import type { DocumentService } from './documentService.js';

/** Images uploaded into documents, stored once by sha256 under `DATA_DIR/files`. */
export class FileService {
  constructor(
    readonly files: FileRepository,
    readonly documents: DocumentService,
    readonly filesDir: string,
  ) {}
}
