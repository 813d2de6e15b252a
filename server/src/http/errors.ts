import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, type DomainErrorKind } from '@essaim/domain';
import type { ApiErrorDto } from '@essaim/protocol';
import type { z } from 'zod';
import type { Logger } from '../logger.js';

/** The one mapping from domain errors to HTTP statuses. */
export const httpStatusOf: Record<DomainErrorKind, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
};

/** The message of a body that is JSON but not an object, from zod or from body-parser alike. */
const NOT_AN_OBJECT = 'Le corps de la requête doit être un objet JSON.';

/**
 * zod's own messages are English (« Invalid input: expected object, received array », or just
 * « Invalid input » when no locale is loaded, as with `zod/mini` alone): every schema of
 * packages/protocol gives its own French ones, and what still falls through to zod's (a body that
 * is not an object, a key nobody expected) is said in French here, by issue code.
 */
function frenchMessage(issue: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too |Unrecognized|Expected)/.test(issue.message)) return issue.message;
  if (issue.path.length === 0 && issue.code === 'invalid_type') return NOT_AN_OBJECT;
  switch (issue.code) {
    case 'invalid_type':
      return 'Type de valeur inattendu.';
    case 'unrecognized_keys':
      return 'Champ inconnu.';
    case 'too_big':
    case 'too_small':
      return 'Valeur hors des limites admises.';
    case 'invalid_value':
      return 'Valeur non reconnue.';
    default:
      return 'Valeur invalide.';
  }
}

/**
 * Turns a zod failure into a domain error that lists every offending field in French. Takes the
 * errors of classic zod and of `zod/mini` alike (`z.core.$ZodError`, which both extend).
 */
export function fromZodError(error: z.core.$ZodError): DomainError {
  const details = error.issues.map((i) => ({
    path: i.path.join('.') || '(corps)',
    message: frenchMessage(i),
  }));
  const summary = details.map((d) => d.message).join(' ');
  return new DomainError('invalid_input', `Requête invalide : ${summary}`, details);
}

/** Whether `body` (the raw text body-parser kept on its error) is a JSON text. */
function isJsonText(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** body-parser errors carry a `type`; these are the ones a client can cause. */
function fromBodyParserError(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      // `express.json()` takes objects and arrays only: `null`, `3` or `"x"` are valid JSON that
      // it refuses as « parse failed »; they are told apart from text that is not JSON at all.
      return new DomainError(
        'invalid_input',
        isJsonText((err as { body?: unknown }).body)
          ? NOT_AN_OBJECT
          : 'Le corps de la requête n’est pas du JSON valide.',
      );
    case 'entity.too.large':
      return new DomainError('payload_too_large', 'Le corps de la requête est trop volumineux.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('invalid_input', 'Encodage du corps de la requête non pris en charge.');
    default:
      return undefined;
  }
}

export const apiNotFound: RequestHandler = (_req, res) => {
  const body: ApiErrorDto = { error: 'not_found', message: 'Cette adresse d’API n’existe pas.' };
  res.status(404).json(body);
};

/** French sentences for the client errors that come from Express itself rather than from Essaim. */
const HTTP_MESSAGES: Record<number, { error: string; message: string }> = {
  400: { error: 'invalid_input', message: 'Adresse ou requête mal formée.' },
  403: { error: 'forbidden', message: 'Accès refusé.' },
  404: { error: 'not_found', message: 'Cette page ou ce fichier n’existe pas.' },
  405: { error: 'method_not_allowed', message: 'Méthode non prise en charge pour cette adresse.' },
  413: { error: 'payload_too_large', message: 'Le corps de la requête est trop volumineux.' },
  416: { error: 'range_not_satisfiable', message: 'Plage demandée hors du fichier.' },
};

/**
 * A client error raised by Express or its middleware (http-errors: `status` 400–499), e.g. a URL
 * whose percent-encoding does not decode (400), a missing static asset (404), a file changed
 * between two range requests (412/416). They are the caller's, not the server's: never a 500.
 */
function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  // A malformed percent-encoding thrown as is by a decoder.
  if (err instanceof URIError) return 400;
  return undefined;
}

/**
 * SQLite refusing a write that raced with another (a unique key taken, a row removed meanwhile):
 * the other request won, this one gets a 409 with a French message, never a 500.
 */
function isConstraintRace(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof err.code === 'string' &&
    /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY|FOREIGNKEY)$/.test(err.code)
  );
}

const RACE_MESSAGE =
  'Cette opération est arrivée en même temps qu’une autre qui l’a devancée. Rechargez la page et vérifiez le résultat.';

/**
 * The last handler: domain errors to their status, client errors of Express to theirs (logged at
 * `info`, they are the caller's), races lost in SQLite to 409, anything else to a French 500
 * logged at `error`. API paths answer JSON (`{ error, message }`), other paths plain text.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const send = (status: number, body: ApiErrorDto) => {
      // The static client's compression middleware may have announced a precompressed twin
      // before the request failed: an error's body is never compressed.
      res.removeHeader('Content-Encoding');
      res.status(status);
      if (req.originalUrl.startsWith('/api/') || req.originalUrl === '/api') res.json(body);
      else res.type('text/plain; charset=utf-8').send(body.message);
    };
    const domain = err instanceof DomainError ? err : fromBodyParserError(err);
    if (domain) {
      const body: ApiErrorDto = { error: domain.kind, message: domain.message };
      if (domain.details) body.details = domain.details;
      if (domain.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(domain.retryAfterSeconds));
      send(httpStatusOf[domain.kind], body);
      return;
    }
    const status = clientErrorStatus(err);
    if (status !== undefined) {
      logger.info({ status, url: req.originalUrl.slice(0, 200) }, 'client error');
      send(status, HTTP_MESSAGES[status] ?? { error: 'client_error', message: 'Requête refusée.' });
      return;
    }
    if (isConstraintRace(err)) {
      logger.warn({ err }, 'write lost a race (409)');
      send(409, { error: 'conflict', message: RACE_MESSAGE });
      return;
    }
    logger.error({ err }, 'unexpected error');
    send(500, {
      error: 'internal',
      message: 'Une erreur inattendue est survenue. Réessayez plus tard.',
    });
  };
}
