import type { ApiErrorDto } from '@essaim/protocol';

/**
 * A failed `/api` call. `status` is 0 when the server could not be reached at all (offline, DNS,
 * server down), so pages can tell "the document does not exist" from "we cannot know right now".
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: ApiErrorDto,
  ) {
    super(body.message);
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/**
 * Called when the server answers 401 to an authenticated call: the session ended (expired, logged
 * out elsewhere, account disabled). The session context sends the person back to the login page.
 * Routes that are public or that log in (`/auth/…`, `/invitations/…`) answer 401 for their own
 * reasons and are left to their pages.
 */
let sessionLostListener: (() => void) | null = null;

export function onSessionLost(listener: () => void): () => void {
  sessionLostListener = listener;
  return () => {
    if (sessionLostListener === listener) sessionLostListener = null;
  };
}

const OWN_401 = /^\/(auth|invitations)\//;

/**
 * The error of a request that got no answer: « Vous êtes hors ligne » when the browser knows it
 * has no network (`navigator.onLine` false), as the editor's badge says, « Le serveur est
 * injoignable » otherwise (tester BR42: the page said one while the badge said the other).
 */
export function networkError(): ApiErrorDto {
  return {
    error: 'network',
    message: navigator.onLine
      ? 'Le serveur est injoignable. Vérifiez votre connexion puis réessayez.'
      : 'Vous êtes hors ligne. Vérifiez votre connexion puis réessayez.',
  };
}

function isApiErrorDto(value: unknown): value is ApiErrorDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { error?: unknown }).error === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * JSON over `fetch` for the same-origin API. Every failure becomes an {@link ApiError} whose
 * message is French and meant for people; the server already writes its messages in French.
 */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      ...rest,
      headers: {
        accept: 'application/json',
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: json === undefined ? rest.body : JSON.stringify(json),
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, networkError());
  }
  // 204 (logout, disable…) has no body: `undefined` is then the answer. A request aborted while
  // its body is read stays aborted (callers ignore it), not an empty answer.
  const body: unknown =
    response.status === 204
      ? undefined
      : await response.json().catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') throw error;
          return undefined;
        });
  if (!response.ok) {
    if (response.status === 401 && !OWN_401.test(path)) sessionLostListener?.();
    throw new ApiError(
      response.status,
      isApiErrorDto(body)
        ? body
        : {
            error: 'http',
            message: `Le serveur a répondu par une erreur (${response.status}). Réessayez plus tard.`,
          },
    );
  }
  return body as T;
}
