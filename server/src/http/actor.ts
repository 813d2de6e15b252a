import type { RequestHandler, Response } from 'express';
import type { Actor } from '@essaim/domain';

/**
 * Resolves who is calling. Until accounts exist every caller is a guest; the session lookup will
 * replace this middleware and nothing downstream changes, since routes only read `actorOf(res)`.
 */
export const resolveActor: RequestHandler = (_req, res, next) => {
  res.locals.actor = { kind: 'guest' } satisfies Actor;
  next();
};

export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
