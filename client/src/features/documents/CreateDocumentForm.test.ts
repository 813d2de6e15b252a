import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api.js';
import { createErrorsFrom } from './CreateDocumentForm.js';

describe('errors of the creation form', () => {
  it('puts each server message next to its field, a theme of the list next to the themes', () => {
    const error = new ApiError(400, {
      error: 'validation',
      message: 'Requête invalide.',
      details: [
        { path: 'title', message: 'Le titre est obligatoire.' },
        { path: 'themes.1', message: 'Thème inconnu.' },
        { path: 'title', message: 'Second message ignoré.' },
      ],
    });
    expect(createErrorsFrom(error)).toEqual({
      fields: { title: 'Le titre est obligatoire.', themes: 'Thème inconnu.' },
    });
  });

  it('keeps what no field explains for the alert above the form', () => {
    expect(createErrorsFrom(new ApiError(403, { error: 'forbidden', message: 'Accès refusé.' }))).toEqual({
      fields: {},
      general: 'Accès refusé.',
    });
    expect(
      createErrorsFrom(
        new ApiError(400, {
          error: 'validation',
          message: 'Requête invalide.',
          details: [{ path: 'espaceId', message: 'L’espace de travail est obligatoire.' }],
        }),
      ),
    ).toEqual({ fields: {}, general: 'L’espace de travail est obligatoire.' });
  });
});
