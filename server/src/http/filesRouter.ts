import { Router } from 'express';
import type { Services } from '../services/index.js';

/** `POST /api/documents/:id/files` (upload an image) and `GET /api/files/:hash` (serve it). */
export function filesRouter(services: Services): Router {
  void services;
  return Router();
}
