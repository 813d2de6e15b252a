import type { EspaceDetailDto, EspaceDto, InvitationDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';
import type { EspaceRole } from './roles.js';

const espacePath = (id: string) => `/espaces/${encodeURIComponent(id)}`;

export function listEspaces(signal?: AbortSignal): Promise<EspaceDto[]> {
  return apiFetch<{ espaces: EspaceDto[] }>('/espaces', { signal }).then((b) => b.espaces);
}

export function createEspace(name: string): Promise<EspaceDto> {
  return apiFetch<EspaceDto>('/espaces', { method: 'POST', json: { name } });
}

/** How long an espace's answer is shared by the readers that tolerate it ({@link getEspaceRecent}), in ms. */
export const ESPACE_SHARED_MS = 10_000;

const recent = new Map<string, { answer: Promise<EspaceDetailDto>; at: number }>();

/** `GET /api/espaces/:id`, asked now; its answer is also shared for {@link ESPACE_SHARED_MS}. */
export function getEspace(id: string, signal?: AbortSignal): Promise<EspaceDetailDto> {
  const answer = apiFetch<EspaceDetailDto>(espacePath(id), { signal });
  share(id, answer);
  return answer;
}

/**
 * The espace as answered less than {@link ESPACE_SHARED_MS} ago (or being asked), else asked now:
 * one request for the readers of one page (its header's « Relecture » link, the people one can
 * mention, the espace's pages) instead of one each. Not abortable: the answer is shared; a
 * caller that no longer wants it ignores it. A failure is not shared (the next reader asks again).
 */
export function getEspaceRecent(id: string): Promise<EspaceDetailDto> {
  const found = recent.get(id);
  if (found && performance.now() - found.at < ESPACE_SHARED_MS) return found.answer;
  return getEspace(id);
}

function share(id: string, answer: Promise<EspaceDetailDto>): void {
  const entry = { answer, at: performance.now() };
  recent.set(id, entry);
  answer.then(
    // An aborted body reads as nothing (apiFetch): not an answer to share.
    (espace) => {
      if (!espace && recent.get(id) === entry) recent.delete(id);
    },
    () => {
      if (recent.get(id) === entry) recent.delete(id);
    },
  );
}

export function setMemberRole(espaceId: string, userId: string, role: EspaceRole): Promise<EspaceDetailDto> {
  return apiFetch<EspaceDetailDto>(`${espacePath(espaceId)}/members/${encodeURIComponent(userId)}`, {
    method: 'PUT',
    json: { role },
  });
}

export function removeMember(espaceId: string, userId: string): Promise<void> {
  return apiFetch<undefined>(`${espacePath(espaceId)}/members/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
  });
}

export function createInvitation(
  espaceId: string,
  input: { email: string; role: EspaceRole },
): Promise<InvitationDto> {
  return apiFetch<InvitationDto>(`${espacePath(espaceId)}/invitations`, { method: 'POST', json: input });
}

export function revokeInvitation(espaceId: string, invitationId: string): Promise<void> {
  return apiFetch<undefined>(`${espacePath(espaceId)}/invitations/${encodeURIComponent(invitationId)}`, {
    method: 'DELETE',
  });
}
