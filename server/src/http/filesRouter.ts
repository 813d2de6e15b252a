import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { DomainError } from '@essaim/domain';
import type { ApiErrorDto } from '@essaim/protocol';
import {
  MAX_UPLOAD_BYTES,
  TOO_LARGE_MESSAGE,
  UnsupportedFileType,
  type ReadableFile,
} from '../services/fileService.js';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { actorOf, requireAuth } from './session.js';

/** Served files never change (the name is the hash of the content). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * `POST /api/documents/:id/files` (upload an image, raw bytes as the body) and
 * `GET /api/files/:hash` (serve it to whoever can read a document it was uploaded into).
 *
 * 415 has no domain error kind: `UnsupportedFileType` is mapped to it by this router's own error
 * handler, with the API's usual `{ error, message }` body.
 */
export function filesRouter(services: Services, config: Pick<Config, 'uploadQuota'>): Router {
  const router = Router();
  const { files } = services;
  const quota = config.uploadQuota;

  /** Refuses before reading the body: not logged in, no such document, no right to edit, wrong type. */
  const checkUpload: RequestHandler = (req, res, next) => {
    const { actor } = requireAuth(res);
    files.checkUpload(actor, String(req.params.id), req.get('content-type'));
    next();
  };

  // Compressed bodies are refused rather than inflated (no decompression bombs).
  const raw = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES, inflate: false });
  const readBody: RequestHandler = (req, res, next) => {
    raw(req, res, (error?: unknown) => {
      if (isBodyParserError(error, 'entity.too.large'))
        return next(new DomainError('payload_too_large', TOO_LARGE_MESSAGE));
      next(error);
    });
  };

  router.post('/documents/:id/files', checkUpload, readBody, async (req, res) => {
    const { actor } = requireAuth(res);
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    res
      .status(201)
      .json(await files.upload(actor, String(req.params.id), req.get('content-type'), bytes, quota));
  });

  router.get('/files/:hash', async (req, res) => {
    const file = await files.open(actorOf(res), req.params.hash);
    const etag = `"${file.hash}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The bytes are shown as an image, never run as a page, even when opened directly.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (matchesEtag(req.get('if-none-match'), file.hash)) {
      res.status(304).end();
      return;
    }
    setFileHeaders(file, res);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(fs.createReadStream(file.path), res);
    } catch (error) {
      // The browser went away (page left, image no longer needed): nothing to report.
      if (isCode(error, 'ERR_STREAM_PREMATURE_CLOSE')) return;
      throw error;
    }
  });

  const unsupportedType: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (!(error instanceof UnsupportedFileType)) return next(error);
    const body: ApiErrorDto = { error: 'unsupported_media_type', message: error.message };
    res.status(415).json(body);
  };
  router.use(unsupportedType);
  return router;
}

function setFileHeaders(file: ReadableFile, res: express.Response): void {
  res.setHeader('Content-Type', file.mime);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', `inline; filename="${file.hash}.${file.ext}"`);
}

/** `If-None-Match` may list several tags, weak ones, or `*`. */
function matchesEtag(header: string | undefined, hash: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === `"${hash}"`);
}

function isBodyParserError(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && error.type === type;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
