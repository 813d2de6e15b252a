import type { MeDto, UserDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

export function getMe(signal?: AbortSignal): Promise<MeDto> {
  return apiFetch<MeDto>('/auth/me', { signal });
}

export function login(input: { email: string; password: string }): Promise<UserDto> {
  return apiFetch<{ user: UserDto }>('/auth/login', { method: 'POST', json: input }).then((b) => b.user);
}

export function setupInstance(input: {
  email: string;
  name: string;
  password: string;
  espaceName: string;
}): Promise<UserDto> {
  return apiFetch<{ user: UserDto }>('/auth/setup', { method: 'POST', json: input }).then((b) => b.user);
}

/**
 * Resolves when the server answers (`GET /api/health`); rejects with the French network message of
 * `apiFetch` (`ApiError` status 0) when it cannot be reached. Asked before a logout erases anything.
 */
export async function reachServer(): Promise<void> {
  await apiFetch<{ status: string }>('/health');
}

export function logout(): Promise<void> {
  return apiFetch<undefined>('/auth/logout', { method: 'POST' });
}

export function forgotPassword(email: string): Promise<{ message: string; emailEnabled: boolean }> {
  return apiFetch('/auth/forgot', { method: 'POST', json: { email } });
}

export function checkPasswordReset(token: string, signal?: AbortSignal): Promise<{ email: string }> {
  return apiFetch(`/auth/password-resets/${encodeURIComponent(token)}`, { signal });
}

export function resetPassword(token: string, password: string): Promise<void> {
  return apiFetch<undefined>(`/auth/password-resets/${encodeURIComponent(token)}`, {
    method: 'POST',
    json: { password },
  });
}
