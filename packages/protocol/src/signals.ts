import { structureTypes } from '@essaim/domain';
import { z } from 'zod/mini';
import { invisibleCharactersMessage, tooLongMessage } from './inputLimits.js';
import { optionalEmailAddress, singleLineText, UNKNOWN_TERRITOIRE_MESSAGE } from './inputRules.js';
import { TERRITOIRE_PATTERN } from './metadata.js';
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
  territoire: z
    .string({ error: 'Indiquez votre territoire.' })
    .check(z.regex(TERRITOIRE_PATTERN, { error: UNKNOWN_TERRITOIRE_MESSAGE })),
  structureType: z.enum(structureTypes, { error: 'Choisissez un type de structure dans la liste.' }),
  structure: z._default(singleLineText({ subject: 'Le nom de la structure', min: 0, max: 200 }), ''),
  /** Trimmed and lower-cased like every e-mail address ({@link optionalEmailAddress}). */
  email: optionalEmailAddress,
  message: z._default(
    z
      .string({ error: 'Le message doit être un texte.' })
      .check(
        z.trim(),
        z.maxLength(SIGNAL_MESSAGE_MAX, { error: tooLongMessage('Le message', SIGNAL_MESSAGE_MAX) }),
        z.refine(isPlainText, { error: invisibleCharactersMessage('Le message') }),
      ),
    '',
  ),
  site: z._default(z.string().check(z.maxLength(500, { error: tooLongMessage('Le champ site', 500) })), ''),
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
