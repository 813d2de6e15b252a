import { z } from 'zod';
import { fromZodError } from './errors.js';

/**
 * Parses a request body with a schema from packages/protocol, or throws a French 400. Any zod 4
 * schema is taken: the protocol's are `zod/mini` ones (small in the client's bundle), the server's
 * own may be classic; both share zod's core, which parses them.
 */
export function parseBody<T extends z.core.$ZodType>(schema: T, body: unknown): z.output<T> {
  const result = z.safeParse(schema, body ?? {});
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

/**
 * Parses a query string with a schema. Empty values count as absent (an HTML form sends every
 * field) and repeated parameters are refused, so `?a=1&a=2` cannot smuggle an array in.
 */
export function parseQuery<T extends z.core.$ZodType>(schema: T, query: unknown): z.output<T> {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (value !== '') cleaned[key] = value;
  }
  return parseBody(schema, cleaned);
}
