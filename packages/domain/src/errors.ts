/**
 * Domain errors. Each kind maps to exactly one HTTP status (server/src/http/errors.ts) and one
 * websocket close code (packages/protocol), so a refusal reads the same on every transport.
 * Messages are French because they reach people as they are.
 */
export type DomainErrorKind =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: { path: string; message: string }[],
    /** For `rate_limited`: seconds before trying again is useful. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (message = 'Ressource introuvable.') => new DomainError('not_found', message);
export const forbidden = (message = 'Vous n’avez pas les droits nécessaires pour cette action.') =>
  new DomainError('forbidden', message);
export const unauthorized = (message = 'Vous devez vous connecter.') =>
  new DomainError('unauthorized', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const gone = (message: string) => new DomainError('gone', message);
export const invalidInput = (message: string, details?: { path: string; message: string }[]) =>
  new DomainError('invalid_input', message, details);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', message, undefined, retryAfterSeconds);
