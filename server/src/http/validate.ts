import { invalidInput, type DomainError } from '@essaim/domain';
import { z } from 'zod';
import { fromZodError } from './errors.js';

/**
 * Parses a request body with a schema from packages/protocol, or throws a French 400. Any zod 4
 * schema is taken: the protocol's are `zod/mini` ones (small in the client's bundle), the server's
 * own may be classic; both share zod's core, which parses them. A missing body counts as `{}`.
 */
export function parseBody<T extends z.core.$ZodType>(schema: T, body: unknown): z.output<T> {
  const result = z.safeParse(schema, body ?? {});
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

/**
 * A 400 on one field, shaped as the zod refusals are (`Requête invalide : <message>`, and the
 * field in `details` with the same message), for the rules a schema cannot know (a territory of
 * the reference list, a parameter given twice).
 */
export function fieldError(path: string, message: string): DomainError {
  return invalidInput(`Requête invalide : ${message}`, [{ path, message }]);
}

/**
 * Parses a query string with a schema. Empty values count as absent (an HTML form sends every
 * field); a parameter given more than once (`?theme=a&theme=b`, or `theme[]=`, which Express
 * reads as an array or an object) is refused with a French message naming it, so nothing can
 * smuggle an array or an object in.
 * @throws DomainError `invalid_input` (400) with `details`, one per offending parameter.
 */
export function parseQuery<T extends z.core.$ZodType>(schema: T, query: unknown): z.output<T> {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' && value !== undefined)
      throw fieldError(
        key.slice(0, 50),
        `Le paramètre « ${key.slice(0, 50)} » ne peut être donné qu’une fois, et sous forme de texte.`,
      );
    if (value !== '') cleaned[key] = value;
  }
  return parseBody(schema, cleaned);
}
