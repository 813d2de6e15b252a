/**
 * Domain errors. Each kind maps to exactly one HTTP status (in server/src/http) and one websocket
 * close code (in packages/protocol), so a refusal reads the same on every transport. Messages are
 * French because they reach people as they are.
 */
export type DomainErrorKind =
  'invalid_input' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (message = 'Ressource introuvable.') => new DomainError('not_found', message);
export const forbidden = (message = 'Vous n’avez pas accès à cette ressource.') =>
  new DomainError('forbidden', message);
export const invalidInput = (message: string, details?: { path: string; message: string }[]) =>
  new DomainError('invalid_input', message, details);
