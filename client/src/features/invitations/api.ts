import type { UserDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';
import type { EspaceRole } from '../espaces/roles.js';

/** What an invitation link offers (`GET /api/invitations/:token`). */
export interface InvitationInfo {
  espaceName: string;
  email: string;
  role: EspaceRole;
  /** An account exists for this address: the person logs in instead of choosing a password. */
  accountExists: boolean;
}

const invitationPath = (token: string) => `/invitations/${encodeURIComponent(token)}`;

export function getInvitation(token: string, signal?: AbortSignal): Promise<InvitationInfo> {
  return apiFetch<InvitationInfo>(invitationPath(token), { signal });
}

/** Accepts: a new person with a name and a password, or (empty body) the logged-in invited account. */
export function acceptInvitation(
  token: string,
  input: { name: string; password: string } | null,
): Promise<UserDto> {
  return apiFetch<{ user: UserDto }>(`${invitationPath(token)}/accept`, {
    method: 'POST',
    json: input ?? {},
  }).then((b) => b.user);
}
