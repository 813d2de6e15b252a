import type { z } from 'zod';
import { fromZodError } from './errors.js';

/** Parses a request body with a schema from packages/protocol, or throws a French 400. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
