import type { Request, RequestHandler, Response } from 'express';
import { unauthorized, type Actor } from '@essaim/domain';
import { parse as parseCookie, serialize } from 'cookie';
import type { Config } from '../config.js';
import type { Authenticated, RequestOrigin } from '../services/authService.js';
import type { Services } from '../services/index.js';

/** `__Host-` pins the cookie to this exact origin, over https only. */
export const sessionCookieName = (config: Pick<Config, 'secureCookies'>): string =>
  config.secureCookies ? '__Host-essaim_session' : 'essaim_session';

/** The session token carried by a request's cookies (also used on websocket upgrades). */
export function sessionTokenFrom(
  cookieHeader: string | null | undefined,
  config: Pick<Config, 'secureCookies'>,
): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[sessionCookieName(config)];
}

/** Resolves who is calling from the session cookie; anonymous otherwise. Never refuses by itself. */
export function resolveSession(services: Services, config: Config): RequestHandler {
  return (req, res, next) => {
    const auth = services.auth.authenticate(sessionTokenFrom(req.headers.cookie, config));
    res.locals.auth = auth;
    res.locals.actor = auth?.actor ?? ({ kind: 'anonymous' } satisfies Actor);
    next();
  };
}

export function setSessionCookie(res: Response, token: string, config: Config): void {
  res.append(
    'Set-Cookie',
    serialize(sessionCookieName(config), token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: Math.floor(config.sessionMaxMs / 1000),
    }),
  );
}

export function clearSessionCookie(res: Response, config: Config): void {
  res.append(
    'Set-Cookie',
    serialize(sessionCookieName(config), '', {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: 0,
    }),
  );
}

export const actorOf = (res: Response): Actor => res.locals.actor as Actor;
export const authOf = (res: Response): Authenticated | null =>
  (res.locals.auth as Authenticated | null) ?? null;

/** The logged-in person, or a 401 for routes that need one. */
export function requireAuth(res: Response): Authenticated {
  const auth = authOf(res);
  if (!auth) throw unauthorized();
  return auth;
}

export const originOf = (req: Request): RequestOrigin => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});

/** Base URL for links sent to people: the configured public URL, or this request's own origin. */
export const baseUrlOf = (req: Request, config: Config): string =>
  config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
