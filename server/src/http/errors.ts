import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, type DomainErrorKind } from '@essaim/domain';
import type { ApiErrorDto } from '@essaim/protocol';
import type { ZodError } from 'zod';
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

/** Turns a zod failure into a domain error that lists every offending field in French. */
export function fromZodError(error: ZodError): DomainError {
  const details = error.issues.map((i) => ({ path: i.path.join('.') || '(corps)', message: i.message }));
  const summary = details.map((d) => d.message).join(' ');
  return new DomainError('invalid_input', `Requête invalide : ${summary}`, details);
}

/** body-parser errors carry a `type`; these are the ones a client can cause. */
function fromBodyParserError(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new DomainError('invalid_input', 'Le corps de la requête n’est pas du JSON valide.');
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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const domain = err instanceof DomainError ? err : fromBodyParserError(err);
    if (domain) {
      const body: ApiErrorDto = { error: domain.kind, message: domain.message };
      if (domain.details) body.details = domain.details;
      if (domain.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(domain.retryAfterSeconds));
      res.status(httpStatusOf[domain.kind]).json(body);
      return;
    }
    logger.error({ err }, 'unexpected error');
    const body: ApiErrorDto = {
      error: 'internal',
      message: 'Une erreur inattendue est survenue. Réessayez plus tard.',
    };
    res.status(500).json(body);
  };
}
