import type { AdminUserDto, AuditEntryDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

export type { AdminUserDto };

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

export function listUsers(signal?: AbortSignal): Promise<AdminUserDto[]> {
  return apiFetch<{ users: AdminUserDto[] }>('/users', { signal }).then((b) => b.users);
}

export function setUserDisabled(id: string, disabled: boolean): Promise<void> {
  return apiFetch<undefined>(`${userPath(id)}/${disabled ? 'disable' : 'enable'}`, { method: 'POST' });
}

export function createResetLink(id: string): Promise<{ link: string; expiresAt: string }> {
  return apiFetch(`${userPath(id)}/password-reset`, { method: 'POST' });
}

export function listAudit(limit: number, before?: number, signal?: AbortSignal): Promise<AuditEntryDto[]> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== undefined) query.set('before', String(before));
  return apiFetch<{ entries: AuditEntryDto[] }>(`/audit?${query.toString()}`, { signal }).then(
    (b) => b.entries,
  );
}
