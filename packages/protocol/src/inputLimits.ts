/**
 * The limits of the input rules (inputRules.ts) and their French messages, without zod: the login,
 * setup and catalogue pages read them before the first drawing, and a module that builds zod
 * schemas is loaded with zod (issue 16: the editor's first JavaScript stays under 300 KB gzipped
 * only when zod is left to the late panels; `npx tsx --conditions=@essaim/source bench/run.ts
 * bundle`).
 */

/** `n` written the French way (« 10 000 »), for the messages of limits. */
export function frenchNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** « <Subject> ne peut pas dépasser <max> caractères. », the message of every length limit. */
export function tooLongMessage(subject: string, max: number): string {
  return `${subject} ne peut pas dépasser ${frenchNumber(max)} caractères.`;
}

/** « <Subject> contient des caractères invisibles ou de contrôle. », shared with comments. */
export function invisibleCharactersMessage(subject: string): string {
  return `${subject} contient des caractères invisibles ou de contrôle.`;
}

/** Longest e-mail address (RFC 5321: 254 octets for a path). */
export const EMAIL_MAX_LENGTH = 254;

/** Passwords: long rather than complicated (ANSSI / NIST guidance). */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest password, in characters: hashing a longer one would only cost the server time. */
export const PASSWORD_MAX_LENGTH = 200;
