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

export function getEspace(id: string, signal?: AbortSignal): Promise<EspaceDetailDto> {
  return apiFetch<EspaceDetailDto>(espacePath(id), { signal });
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
