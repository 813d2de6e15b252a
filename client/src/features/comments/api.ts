import type {
  AuthorDto,
  CommentDto,
  CommentReplyDto,
  CreateThreadInput,
  EmailPreference,
  NotificationListDto,
  NotificationPreferencesDto,
  ThreadDto,
  ThreadListDto,
  ThreadReplyDto,
  UnreadCountDto,
} from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';
import { getEspaceRecent } from '../espaces/api.js';

/** REST calls of comments, mentions and notifications (contract: packages/protocol/src/comments.ts). */

const id = encodeURIComponent;

/** Every thread of a document (all statuses, document order), its counts and the caller's abilities. */
export function listThreads(documentId: string, signal?: AbortSignal): Promise<ThreadListDto> {
  return apiFetch<ThreadListDto>(`/documents/${id(documentId)}/threads?status=all`, { signal });
}

export function getThread(threadId: string, signal?: AbortSignal): Promise<ThreadDto> {
  return apiFetch<ThreadReplyDto>(`/threads/${id(threadId)}`, { signal }).then((r) => r.thread);
}

export function createThread(documentId: string, input: CreateThreadInput): Promise<ThreadDto> {
  return apiFetch<ThreadReplyDto>(`/documents/${id(documentId)}/threads`, {
    method: 'POST',
    json: input,
  }).then((r) => r.thread);
}

export function replyToThread(threadId: string, body: string): Promise<CommentDto> {
  return apiFetch<CommentReplyDto>(`/threads/${id(threadId)}/comments`, {
    method: 'POST',
    json: { body },
  }).then((r) => r.comment);
}

export function editComment(commentId: string, body: string): Promise<CommentDto> {
  return apiFetch<CommentReplyDto>(`/comments/${id(commentId)}`, { method: 'PATCH', json: { body } }).then(
    (r) => r.comment,
  );
}

export function deleteComment(commentId: string): Promise<CommentDto> {
  return apiFetch<CommentReplyDto>(`/comments/${id(commentId)}`, { method: 'DELETE' }).then((r) => r.comment);
}

export function deleteThread(threadId: string): Promise<void> {
  return apiFetch<undefined>(`/threads/${id(threadId)}`, { method: 'DELETE' });
}

export function setThreadStatus(threadId: string, action: 'resolve' | 'reopen'): Promise<ThreadDto> {
  return apiFetch<ThreadReplyDto>(`/threads/${id(threadId)}/${action}`, { method: 'POST' }).then(
    (r) => r.thread,
  );
}

/**
 * The people one can mention: the espace's members whose account is active (the espace's answer
 * the page's other readers share, `getEspaceRecent`).
 */
export function listMentionable(espaceId: string): Promise<AuthorDto[]> {
  return getEspaceRecent(espaceId).then((espace) =>
    espace.members
      .filter((member) => !member.disabled)
      .map((member) => ({ id: member.userId, name: member.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  );
}

export function listNotifications(signal?: AbortSignal): Promise<NotificationListDto> {
  return apiFetch<NotificationListDto>('/notifications?limit=50', { signal });
}

export function unreadCount(signal?: AbortSignal): Promise<number> {
  return apiFetch<UnreadCountDto>('/notifications/unread-count', { signal }).then((r) => r.unread);
}

export function markRead(which: { ids: string[] } | { all: true }): Promise<number> {
  return apiFetch<UnreadCountDto>('/notifications/read', { method: 'POST', json: which }).then(
    (r) => r.unread,
  );
}

export function getPreferences(signal?: AbortSignal): Promise<NotificationPreferencesDto> {
  return apiFetch<NotificationPreferencesDto>('/notifications/preferences', { signal });
}

export function setEmailPreference(email: EmailPreference): Promise<NotificationPreferencesDto> {
  return apiFetch<NotificationPreferencesDto>('/notifications/preferences', {
    method: 'PUT',
    json: { email },
  });
}
