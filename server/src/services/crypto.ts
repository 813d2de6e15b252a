import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { PRESENCE_PALETTE } from '@essaim/domain';

/**
 * scrypt parameters: N = 2^15, r = 8 (32 MiB of memory per hash), p = 1. Memory-hard, about 60 ms
 * on this class of machine; stored with the hash so they can be raised later without breaking
 * existing passwords.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password.normalize('NFC'), salt, keyLength, {
    N,
    r,
    p,
    maxmem: maxmem(N, r),
  });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const N = Number(n);
  const R = Number(r);
  const key = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: maxmem(N, R),
  });
  return timingSafeEqual(key, expected);
}

/** A hash computed with the same cost as a real one, to compare against when no account matches. */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword(randomToken()));

/** A random secret for links and cookies (256 bits, URL-safe). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What is stored instead of a token: a leaked database does not hand out live links or sessions. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Short-lived signed tokens (`<payload>.<signature>`), for websockets opened by programs. */
export function signToken(key: string, payload: Record<string, string | number>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', key).update(body).digest('base64url');
  return `${body}.${signature}`;
}

export function verifySignedToken(key: string, token: string): Record<string, unknown> | null {
  const [body, signature] = token.split('.');
  if (!body || !signature) return null;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString());
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A person's default colour (carets, presence) from the presence palette of `@essaim/domain`
 * (distinct colours, all 4.5:1 with white text), stable per account: a page then takes a colour no
 * one else present uses (issue 16), and the server keeps it when it is in the palette.
 */
export function colorFor(id: string): string {
  const digest = createHash('sha256').update(id).digest();
  return PRESENCE_PALETTE[(digest[0] ?? 0) % PRESENCE_PALETTE.length] as string;
}
