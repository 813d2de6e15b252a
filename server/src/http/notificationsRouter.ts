import { Router } from 'express';
import {
  markNotificationsReadInput,
  notificationListQuery,
  notificationPreferencesInput,
  type NotificationListDto,
  type NotificationPreferencesDto,
  type UnreadCountDto,
} from '@essaim/protocol';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/**
 * The caller's notifications (issue 10): `GET /api/notifications`, `GET /api/notifications/unread-count`,
 * `POST /api/notifications/read` (`{ids}` or `{all: true}`), `GET|PUT /api/notifications/preferences`.
 * Everything is about the caller only; nothing names another person.
 */
export function notificationsRouter(services: Services): Router {
  const router = Router();
  const { notifications } = services;
  router.get('/', (req, res) => {
    const { actor } = requireAuth(res);
    const body: NotificationListDto = notifications.list(actor, parseQuery(notificationListQuery, req.query));
    res.json(body);
  });
  router.get('/unread-count', (_req, res) => {
    const body: UnreadCountDto = notifications.unreadCount(requireAuth(res).actor);
    res.json(body);
  });
  router.post('/read', (req, res) => {
    const { actor } = requireAuth(res);
    const body: UnreadCountDto = notifications.markRead(
      actor,
      parseBody(markNotificationsReadInput, req.body),
    );
    res.json(body);
  });
  router.get('/preferences', (_req, res) => {
    const body: NotificationPreferencesDto = notifications.preferences(requireAuth(res).actor);
    res.json(body);
  });
  router.put('/preferences', (req, res) => {
    const { actor } = requireAuth(res);
    const { email } = parseBody(notificationPreferencesInput, req.body);
    const body: NotificationPreferencesDto = notifications.setPreferences(actor, email);
    res.json(body);
  });
  return router;
}
