import type { RequestHandler } from 'express';
import { DomainError } from '@essaim/domain';
import type { OriginPolicy } from '../originPolicy.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection by origin check (OWASP): a write that carries cookies must come from one of our
 * own pages. Browsers always send `Origin` on such requests; a write with cookies and neither
 * `Origin` nor `Referer` is refused. Programs without cookies (tokens) are not concerned. The
 * scheme counts: `https://host` does not pass for a page of `http://host`.
 */
export function csrfProtection(originAllowed: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    const host = req.get('host');
    if (origin !== undefined) {
      if (!originAllowed(origin, host, req.protocol)) return next(refused());
      return next();
    }
    if (req.headers.cookie) return next(refused());
    next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

const refused = () =>
  new DomainError('forbidden', 'Requête refusée : elle ne vient pas d’une page d’Essaim (protection CSRF).');
