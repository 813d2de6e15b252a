import { structureTypes } from '@essaim/domain';
import { z } from 'zod/mini';
import { isPlainText } from './text.js';

/**
 * Reuse signals (issue 13): « Je m'inspire de cette pratique », left on the portal by a visitor
 * without an account, moderated by the animateur, then shown on the fiche and counted.
 */

/** Longest message of a reuse signal, in characters. */
export const SIGNAL_MESSAGE_MAX = 1_000;

/**
 * The portal's form (`POST /pratiques/<slug>/inspiration`, urlencoded, or JSON): where, in which
 * kind of structure, an optional structure name, contact email and message. `site` is the honeypot:
 * a field people never see; a form that fills it is thanked and dropped.
 */
export const reuseSignalInput = z.object({
  territoire: z.string({ error: 'Indiquez votre territoire.' }).check(
    z.regex(/^(dep:[0-9][0-9AB][0-9]?|reg:[0-9]{2}|national)$/, {
      error: 'Choisissez un territoire dans la liste.',
    }),
  ),
  structureType: z.enum(structureTypes, { error: 'Choisissez un type de structure dans la liste.' }),
  structure: z._default(
    z
      .string({ error: 'Le nom de la structure doit être un texte.' })
      .check(
        z.trim(),
        z.maxLength(200, { error: 'Le nom de la structure ne peut pas dépasser 200 caractères.' }),
        z.refine(isPlainText, { error: 'Le nom de la structure contient des caractères non autorisés.' }),
      ),
    '',
  ),
  email: z._default(
    z.union([
      z.literal(''),
      z
        // The rule browsers apply to `<input type="email">`: what the portal's form lets through.
        .email({ pattern: z.regexes.html5Email, error: 'L’adresse de courriel n’est pas valide.' })
        .check(z.maxLength(200)),
    ]),
    '',
  ),
  message: z._default(
    z
      .string({ error: 'Le message doit être un texte.' })
      .check(
        z.trim(),
        z.maxLength(SIGNAL_MESSAGE_MAX, { error: 'Le message ne peut pas dépasser 1 000 caractères.' }),
        z.refine(isPlainText, { error: 'Le message contient des caractères non autorisés.' }),
      ),
    '',
  ),
  site: z._default(z.string().check(z.maxLength(500)), ''),
});
export type ReuseSignalInput = z.infer<typeof reuseSignalInput>;

export const reuseSignalStatuses = ['en_attente', 'approuve', 'refuse'] as const;
export type ReuseSignalStatus = (typeof reuseSignalStatuses)[number];

/** A reuse signal as the animateur moderates it. */
export interface ReuseSignalDto {
  id: string;
  document: { id: string; title: string };
  territoire: string;
  /** The territory's name (« Nord », « Hauts-de-France »). */
  territoireLabel: string;
  structureType: string;
  structure: string;
  /** Only the animateur sees it; never shown on the portal. */
  email: string | null;
  message: string;
  status: ReuseSignalStatus;
  createdAt: string;
  moderatedAt: string | null;
}

/** Query of `GET /api/espaces/:id/signals`. */
export const reuseSignalListQuery = z.object({
  status: z._default(z.enum(reuseSignalStatuses, { error: 'Statut inconnu.' }), 'en_attente'),
});

/** Answer of `GET /api/espaces/:id/signals`: newest first. */
export interface ReuseSignalListDto {
  signals: ReuseSignalDto[];
}
