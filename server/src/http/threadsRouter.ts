import { Router } from 'express';
import {
  addCommentInput,
  createThreadInput,
  editCommentInput,
  threadListQuery,
  type CommentReplyDto,
  type ThreadListDto,
  type ThreadReplyDto,
} from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { baseUrlOf, requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/**
 * Comment threads (issue 10): `GET|POST /api/documents/:id/threads`, `GET|DELETE /api/threads/:id`,
 * `POST /api/threads/:id/comments|resolve|reopen`, `PATCH|DELETE /api/comments/:id`. Who may do
 * what is decided by the comment service with `can()`; this router only parses and answers.
 */
export function threadsRouter(services: Services, config: Config): Router {
  const router = Router();
  const { comments } = services;
  router.get('/documents/:id/threads', (req, res) => {
    const { actor } = requireAuth(res);
    const { status } = parseQuery(threadListQuery, req.query);
    const body: ThreadListDto = comments.list(actor, req.params.id, status);
    res.json(body);
  });
  router.post('/documents/:id/threads', (req, res) => {
    const { actor } = requireAuth(res);
    const input = parseBody(createThreadInput, req.body);
    const body: ThreadReplyDto = {
      thread: comments.create(actor, req.params.id, input, { baseUrl: baseUrlOf(req, config) }),
    };
    res.status(201).json(body);
  });
  router.get('/threads/:id', (req, res) => {
    const body: ThreadReplyDto = { thread: comments.get(requireAuth(res).actor, req.params.id) };
    res.json(body);
  });
  router.delete('/threads/:id', (req, res) => {
    comments.deleteThread(requireAuth(res).actor, req.params.id);
    res.status(204).end();
  });
  router.post('/threads/:id/comments', (req, res) => {
    const { actor } = requireAuth(res);
    const { body } = parseBody(addCommentInput, req.body);
    const reply: CommentReplyDto = {
      comment: comments.reply(actor, req.params.id, body, { baseUrl: baseUrlOf(req, config) }),
    };
    res.status(201).json(reply);
  });
  router.post('/threads/:id/resolve', (req, res) => {
    const { actor } = requireAuth(res);
    const body: ThreadReplyDto = {
      thread: comments.resolve(actor, req.params.id, { baseUrl: baseUrlOf(req, config) }),
    };
    res.json(body);
  });
  router.post('/threads/:id/reopen', (req, res) => {
    const body: ThreadReplyDto = { thread: comments.reopen(requireAuth(res).actor, req.params.id) };
    res.json(body);
  });
  router.patch('/comments/:id', (req, res) => {
    const { actor } = requireAuth(res);
    const { body } = parseBody(editCommentInput, req.body);
    const reply: CommentReplyDto = {
      comment: comments.edit(actor, req.params.id, body, { baseUrl: baseUrlOf(req, config) }),
    };
    res.json(reply);
  });
  router.delete('/comments/:id', (req, res) => {
    const reply: CommentReplyDto = { comment: comments.remove(requireAuth(res).actor, req.params.id) };
    res.json(reply);
  });
  return router;
}
