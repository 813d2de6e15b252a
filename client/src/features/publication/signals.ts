import { reuseSignalStatuses, type ReuseSignalStatus } from '@essaim/protocol';

/** The address parameter of the moderation page's filter: `?statut=approuve`. */
export const STATUS_PARAM = 'statut';

/** The filter of the moderation page from its address; anything unknown is « en attente ». */
export function readSignalStatus(params: URLSearchParams): ReuseSignalStatus {
  const value = params.get(STATUS_PARAM);
  return reuseSignalStatuses.find((s) => s === value) ?? 'en_attente';
}

/**
 * The signal that takes the focus once `removedId` leaves the list `list` (in its order): the
 * next one, else the previous one, else null (the list is then empty).
 */
export function nextAfterRemoval(list: readonly { id: string }[], removedId: string): string | null {
  const index = list.findIndex((s) => s.id === removedId);
  if (index === -1) return null;
  return list[index + 1]?.id ?? list[index - 1]?.id ?? null;
}

/**
 * A `mailto:` link for an address a visitor typed (validated as an email by the server): every
 * character but the `@` percent-encoded, so nothing in it can add headers (`?cc=`, `&body=`).
 */
export function mailtoOf(email: string): string {
  return `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}`;
}
