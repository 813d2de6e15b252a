import { Router } from 'express';

/** `/api/reference`: reference data every form needs (French territories). */
export function referenceRouter(): Router {
  return Router();
}
