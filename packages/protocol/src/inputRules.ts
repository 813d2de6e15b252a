import { z } from 'zod/mini';
import {
  EMAIL_MAX_LENGTH,
  invisibleCharactersMessage,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  tooLongMessage,
} from './inputLimits.js';
import { isSingleLineText } from './text.js';

/**
 * The rules every field of one kind follows, in one place: single-line human text, e-mail
 * addresses, passwords, numbers and identifiers in query strings. Each field of that kind uses
 * the builder below, so that a rule (and its French message) cannot differ from one route to
 * another. The limits and messages the first pages show without zod are in inputLimits.ts.
 */

/** What {@link singleLineText} needs to know of one field. */
export interface SingleLineTextField {
  /** The field as the subject of a French sentence: « Le titre », « Le nom de l’espace ». */
  subject: string;
  /** Longest value, in characters (Unicode code points, as zod 4 counts them), after trimming. */
  max: number;
  /** Shortest value after trimming (1 by default; 0 for an optional text that may be empty). */
  min?: number;
  /** Message when the value is shorter than `min` (« <Subject> est obligatoire. » by default). */
  tooShort?: string;
  /** Message when the value is missing or not a string (« <Subject> doit être un texte. »). */
  notText?: string;
}

/**
 * Single-line human text (names, titles, labels, version names, structure names): a string,
 * trimmed and composed (Unicode NFC), between `min` and `max` characters, with no control character, line break, tab,
 * direction override, isolate or mark, zero-width character or line separator
 * ({@link isSingleLineText}); each refusal has its French message naming the field.
 */
export function singleLineText(field: SingleLineTextField) {
  const min = field.min ?? 1;
  return z.string({ error: field.notText ?? `${field.subject} doit être un texte.` }).check(
    z.trim(),
    // Composed (NFC) before it is counted and kept: « é » pasted from macOS is « e » and a
    // combining accent, two code points, and 120 of them were refused as over 200 characters
    // (tester BR38 F7); stored composed, it is found by search and compared as typed.
    z.normalize('NFC'),
    z.minLength(min, { error: field.tooShort ?? `${field.subject} est obligatoire.` }),
    z.maxLength(field.max, { error: tooLongMessage(field.subject, field.max) }),
    z.refine(isSingleLineText, { error: invisibleCharactersMessage(field.subject) }),
  );
}

/**
 * The check of every e-mail address: the rule browsers apply to `<input type="email">` (WHATWG
 * HTML, « valid e-mail address »), so that what a form's browser check lets through, the server
 * takes too, on every form alike.
 */
const emailCheck = () =>
  z.email({ pattern: z.regexes.html5Email, error: 'L’adresse électronique n’est pas valide.' });

/**
 * The e-mail address of every input that takes one (login, setup, invitations, « mot de passe
 * oublié », reuse signals): trimmed, lower-cased, at most {@link EMAIL_MAX_LENGTH} characters,
 * then checked as browsers check it. Addresses are compared lower-cased everywhere.
 */
export const emailAddress = z.pipe(
  z
    .string({ error: 'L’adresse électronique est obligatoire.' })
    .check(
      z.trim(),
      z.toLowerCase(),
      z.maxLength(EMAIL_MAX_LENGTH, { error: tooLongMessage('L’adresse électronique', EMAIL_MAX_LENGTH) }),
    ),
  emailCheck(),
);

/**
 * An optional e-mail address (the reuse signal's contact): absent, empty or blank gives `''`,
 * anything else follows {@link emailAddress}.
 */
export const optionalEmailAddress = z._default(
  z.pipe(
    z
      .string({ error: 'L’adresse électronique doit être un texte.' })
      .check(
        z.trim(),
        z.toLowerCase(),
        z.maxLength(EMAIL_MAX_LENGTH, { error: tooLongMessage('L’adresse électronique', EMAIL_MAX_LENGTH) }),
      ),
    z.union([z.literal(''), emailCheck()]),
  ),
  '',
);

const passwordTooLong = tooLongMessage('Le mot de passe', PASSWORD_MAX_LENGTH);

/**
 * A password being set (setup, invitation, reset): 12 to 200 characters, kept as typed (never
 * trimmed), with at least one character other than a space: a password of spaces only would be
 * mistaken for an empty field.
 */
export const newPassword = z.string({ error: 'Le mot de passe est obligatoire.' }).check(
  z.minLength(PASSWORD_MIN_LENGTH, {
    error: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  }),
  z.maxLength(PASSWORD_MAX_LENGTH, { error: passwordTooLong }),
  z.refine((s) => /\S/u.test(s), {
    error: 'Le mot de passe doit contenir autre chose que des espaces.',
  }),
);

/** A password given to log in: any non-empty one up to {@link PASSWORD_MAX_LENGTH} is checked. */
export const givenPassword = z
  .string({ error: 'Le mot de passe est obligatoire.' })
  .check(
    z.minLength(1, { error: 'Le mot de passe est obligatoire.' }),
    z.maxLength(PASSWORD_MAX_LENGTH, { error: passwordTooLong }),
  );

/** What {@link queryInteger} needs to know of one query parameter. */
export interface QueryIntegerField {
  /** The parameter's name as the query string spells it (`limit`, `annee`). */
  name: string;
  min: number;
  /** Largest value, or a function for a bound that moves (the current year). */
  max: number | (() => number);
  /** Message when out of range; « <name> vaut entre <min> et <max>. » by default. */
  outOfRange?: () => string;
}

/**
 * An integer in a query string: decimal digits only (no sign, no `0x`, no exponent, no decimal
 * point: `-1`, `abc`, `0x7E0`, `2e3` and `2016.0` are refused), within `[min, max]`, with French
 * messages naming the parameter: « … écrit en chiffres » for what is not digits, « … vaut entre
 * <min> et <max> » for digits out of range however many (`99999999999` included).
 */
export function queryInteger(field: QueryIntegerField) {
  const max = () => (typeof field.max === 'function' ? field.max() : field.max);
  const outOfRange = field.outOfRange ?? (() => `${field.name} vaut entre ${field.min} et ${max()}.`);
  return z.pipe(
    z.pipe(
      z.string({ error: `${field.name} doit être un nombre.` }).check(
        // Any number of digits: a long one is said to be out of range, not « not in digits »
        // (tester BR36 F8: an offset of ten digits was told it was not written in digits).
        z.regex(/^[0-9]+$/, {
          error: `${field.name} doit être un nombre entier écrit en chiffres (0 à 9).`,
        }),
      ),
      // Past 15 digits, a number too large for any bound (Number() would give Infinity, which
      // z.number() refuses with a message of its own).
      z.transform((digits: string) => (digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits))),
    ),
    z.number().check(z.refine((n) => n >= field.min && n <= max(), { error: () => outOfRange() })),
  );
}

/** Message of a territory that is not in the reference list, in a form (reuse signals). */
export const UNKNOWN_TERRITOIRE_MESSAGE = 'Choisissez un territoire dans la liste.';

/** Message of a `territoire` query parameter that is not in the reference list. */
export const UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE =
  'territoire n’est pas un territoire connu (dep:07, reg:84, national).';
