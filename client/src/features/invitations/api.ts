import type { InvitationInfoDto, UserDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

/** What an invitation link offers (`GET /api/invitations/:token`). */
export type InvitationInfo = InvitationInfoDto;

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
