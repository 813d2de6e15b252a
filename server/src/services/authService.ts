import { randomUUID } from 'node:crypto';
import {
  conflict,
  defaultThemes,
  DomainError,
  gone,
  rateLimited,
  unauthorized,
  type Actor,
} from '@essaim/domain';
import type { UserDto } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import type {
  AccountRepository,
  AttemptLimit,
  SessionRecord,
  UserRecord,
} from '../storage/accountRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { SettingsRepository } from '../storage/settingsRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { Actors } from './actors.js';
import type { AuditService } from './auditService.js';
import type { Mailer } from './mailer.js';
import { busy, HashingQueue } from './authThrottle.js';
import {
  decoyPasswordHash,
  hashPassword,
  randomToken,
  signToken,
  tokenHash,
  verifyPassword,
  verifySignedToken,
} from './crypto.js';

export interface AuthSettings {
  /** Sliding lifetime of a session without activity. */
  sessionIdleMs: number;
  /** Absolute lifetime of a session, whatever the activity. */
  sessionMaxMs: number;
  /** Lifetime of the websocket tokens handed to programs. */
  collabTokenMs: number;
  /** Failed logins tolerated per account, then per address, within the window. */
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  failureWindowMs: number;
  /** « Mot de passe oublié » requests one address may send within the window (then 429). */
  maxResetRequestsPerAddress: number;
  /** Reset emails one account may receive within the window (more requests are answered alike, sending nothing). */
  maxResetEmailsPerAccount: number;
  resetRequestWindowMs: number;
}

export const defaultAuthSettings: AuthSettings = {
  sessionIdleMs: 14 * 24 * 3600 * 1000,
  sessionMaxMs: 60 * 24 * 3600 * 1000,
  collabTokenMs: 5 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 30,
  failureWindowMs: 15 * 60 * 1000,
  maxResetRequestsPerAddress: 5,
  maxResetEmailsPerAccount: 3,
  resetRequestWindowMs: 60 * 60 * 1000,
};

/** Who is behind a request, once the session is checked. */
export interface Authenticated {
  user: UserRecord;
  session: SessionRecord;
  actor: Actor;
}

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** A new account whose password is already hashed. */
export interface UserInput {
  email: string;
  name: string;
  passwordHash: string;
  isAdmin?: boolean;
}

const BAD_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';
const EMAIL_TAKEN = 'Un compte existe déjà avec cette adresse électronique.';

/** `1 minute`, `15 minutes`: a wait in whole minutes, in French. */
const minutesText = (seconds: number): string => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
};

/** Accounts and sessions: first-run setup, login, logout, session checks, password resets. */
export class AuthService {
  private readonly signingKey: string;
  private readonly db: Db;
  private readonly accounts: AccountRepository;
  private readonly espaces: EspaceRepository;
  private readonly actors: Actors;
  private readonly audit: AuditService;
  private readonly events: AccessEvents;
  private readonly mailer: Mailer;
  private readonly settings: AuthSettings;
  private readonly now: () => number;
  private readonly hashing: HashingQueue;
  private readonly logger: Logger | undefined;

  constructor(deps: {
    db: Db;
    accounts: AccountRepository;
    espaces: EspaceRepository;
    settings: SettingsRepository;
    actors: Actors;
    audit: AuditService;
    events: AccessEvents;
    mailer: Mailer;
    authSettings?: AuthSettings;
    now?: () => number;
    /** Bounds the password hashes computed at once (one per process). */
    hashing?: HashingQueue;
    logger?: Logger;
  }) {
    this.db = deps.db;
    this.accounts = deps.accounts;
    this.espaces = deps.espaces;
    this.actors = deps.actors;
    this.audit = deps.audit;
    this.events = deps.events;
    this.mailer = deps.mailer;
    this.settings = deps.authSettings ?? defaultAuthSettings;
    this.now = deps.now ?? Date.now;
    this.hashing = deps.hashing ?? new HashingQueue();
    this.logger = deps.logger;
    this.signingKey = deps.settings.getOrCreate('token_signing_key', randomToken);
  }

  setupNeeded(): boolean {
    return this.accounts.countUsers() === 0;
  }

  /** First run: the administrator and the first espace, whose animateur they become. */
  async setup(
    input: { email: string; name: string; password: string; espaceName: string },
    origin: RequestOrigin,
  ): Promise<{ token: string; user: UserDto }> {
    const passwordHash = await this.hash(input.password, origin.ip ?? 'inconnue');
    const at = new Date(this.now()).toISOString();
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash,
      isAdmin: true,
      disabledAt: null,
      createdAt: at,
    };
    const espaceId = randomUUID();
    this.db
      .transaction(() => {
        if (this.accounts.countUsers() > 0) throw conflict('Essaim est déjà configuré : connectez-vous.');
        this.accounts.insertUser(user);
        this.espaces.insert({ id: espaceId, name: input.espaceName, createdAt: at }, defaultThemes);
        this.espaces.setRole(espaceId, user.id, 'animateur', at);
      })
      .immediate();
    this.audit.record({
      actorId: user.id,
      action: 'setup',
      target: { type: 'espace', id: espaceId },
      ip: origin.ip,
    });
    return { token: this.openSession(user, origin), user: this.actors.userDto(user) };
  }

  /**
   * Hashes a password in the bounded queue ({@link HashingQueue}), for a request from `address`:
   * refused at once with a 429 when too many hashes are already under way. `null`: the server's
   * own work (command line, demonstration), which waits its turn and is never refused.
   */
  hash(password: string, address: string | null): Promise<string> {
    return this.hashing.run(address, () => hashPassword(password));
  }

  /**
   * Creates an account (command line, demonstration). The email must be free: checked again in
   * the same transaction as the insert, so two requests at the same moment give one account and a
   * 409. Requests that create accounts hash first ({@link hash}) and use {@link newUser} and
   * {@link insertUser} inside their own transaction (invitations).
   */
  async createUser(
    input: { email: string; name: string; password: string; isAdmin?: boolean },
    actorId: string | null,
  ): Promise<UserRecord> {
    if (this.accounts.findUserByEmail(input.email)) throw conflict(EMAIL_TAKEN);
    const user = this.newUser({
      email: input.email,
      name: input.name,
      isAdmin: input.isAdmin ?? false,
      passwordHash: await this.hash(input.password, null),
    });
    this.insertUser(user, actorId);
    return user;
  }

  /** A user record for {@link insertUser}, not stored yet. */
  newUser(input: UserInput): UserRecord {
    return {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash: input.passwordHash,
      isAdmin: input.isAdmin ?? false,
      disabledAt: null,
      createdAt: new Date(this.now()).toISOString(),
    };
  }

  /**
   * Stores a new account (in the caller's transaction, if any) and audits it. A 409 when the email
   * was taken in the meantime.
   */
  insertUser(user: UserRecord, actorId: string | null): void {
    if (!this.accounts.insertUserIfEmailFree(user)) throw conflict(EMAIL_TAKEN);
    this.audit.record({
      actorId,
      action: 'user.create',
      target: { type: 'user', id: user.id },
      details: { email: user.email, admin: user.isAdmin },
    });
  }

  /**
   * Logs in with an email and a password. Each attempt is counted before the password is checked,
   * atomically, per account and per address ({@link AccountRepository.reserveAttempts}): over a
   * limit, a 429 without checking anything. Before that, a full hashing queue refuses at once
   * (429, nothing counted). A successful login removes its own count and the account's failures.
   */
  async login(
    input: { email: string; password: string },
    origin: RequestOrigin,
  ): Promise<{ token: string; user: UserDto }> {
    const accountKey = `email:${input.email}`;
    const address = origin.ip ?? 'inconnue';
    // A full queue refuses first, at no cost: nothing is counted, read or written.
    if (this.hashing.isFull(address)) {
      this.audit.recordRepeated(
        { actorId: null, action: 'login.rate_limited', details: { key: 'busy' }, ip: origin.ip },
        `login.rate_limited|busy|${address}`,
      );
      throw busy();
    }
    const window = this.settings.failureWindowMs;
    const reserved = this.reserve(
      [
        { key: accountKey, max: this.settings.maxFailuresPerAccount, windowMs: window },
        { key: `ip:${address}`, max: this.settings.maxFailuresPerAddress, windowMs: window },
      ],
      (key, retryAfter) => {
        this.audit.recordRepeated(
          {
            actorId: null,
            action: 'login.rate_limited',
            details: { key: key.split(':')[0], email: input.email },
            ip: origin.ip,
          },
          // One row per full key (an account, an address) and window, however many addresses try.
          `login.rate_limited|${key}`,
        );
        return `Trop de tentatives de connexion. Réessayez dans ${minutesText(retryAfter)}.`;
      },
    );

    let user: UserRecord | undefined;
    let ok: boolean;
    try {
      // Same turn as the check above: the queue cannot have filled in between.
      ({ user, ok } = await this.hashing.run(address, async () => {
        const found = this.accounts.findUserByEmail(input.email);
        // Compare against a decoy when there is no account, so timing does not reveal which emails exist.
        const matches = await verifyPassword(
          input.password,
          found?.passwordHash ?? (await decoyPasswordHash()),
        );
        return { user: found, ok: matches };
      }));
    } catch (error) {
      // The check itself failed (an unreadable stored hash): it does not count as a guess.
      this.accounts.cancelAttempts(reserved);
      throw error;
    }
    if (!user || !ok || user.disabledAt) {
      this.audit.record({
        actorId: null,
        action: 'login.failure',
        target: user ? { type: 'user', id: user.id } : undefined,
        details: {
          email: input.email,
          reason: !user ? 'unknown' : user.disabledAt && ok ? 'disabled' : 'password',
        },
        ip: origin.ip,
      });
      if (user?.disabledAt && ok) throw unauthorized('Ce compte est désactivé. Contactez l’administrateur.');
      throw unauthorized(BAD_CREDENTIALS);
    }
    this.accounts.cancelAttempts(reserved);
    this.accounts.clearLoginFailures(accountKey);
    this.audit.record({
      actorId: user.id,
      action: 'login.success',
      target: { type: 'user', id: user.id },
      ip: origin.ip,
    });
    return { token: this.openSession(user, origin), user: this.actors.userDto(user) };
  }

  /**
   * Counts one attempt under each limit, or throws a 429 (with `Retry-After`) whose French message
   * `refusal` writes from the key that is full and the seconds to wait. Returns the ids to cancel.
   */
  private reserve(
    limits: readonly AttemptLimit[],
    refusal: (key: string, retryAfterSeconds: number) => string,
  ): number[] {
    const now = this.now();
    const result = this.accounts.reserveAttempts(limits, now);
    if (result.ok) return result.ids;
    const retryAfter = Math.max(1, Math.ceil((result.freeAt - now) / 1000));
    throw rateLimited(refusal(result.key, retryAfter), retryAfter);
  }

  /**
   * A session for someone who just proved who they are another way (an invitation accepted with
   * a new password). Not subject to the login rate limit: no password is being guessed.
   */
  openSessionFor(user: UserRecord, origin: RequestOrigin): string {
    this.audit.record({
      actorId: user.id,
      action: 'login.success',
      target: { type: 'user', id: user.id },
      ip: origin.ip,
    });
    return this.openSession(user, origin);
  }

  private openSession(user: UserRecord, origin: RequestOrigin): string {
    const token = randomToken();
    const now = this.now();
    this.accounts.insertSession({
      id: tokenHash(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: Math.min(now + this.settings.sessionIdleMs, now + this.settings.sessionMaxMs),
      revokedAt: null,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
      ip: origin.ip,
    });
    return token;
  }

  /** The person behind a session cookie, or null when unknown, expired, revoked or disabled. */
  authenticate(token: string | undefined): Authenticated | null {
    if (!token) return null;
    return this.authenticateSession(tokenHash(token));
  }

  private authenticateSession(sessionId: string): Authenticated | null {
    const session = this.accounts.findSession(sessionId);
    const now = this.now();
    if (!session || session.revokedAt !== null || session.expiresAt <= now) return null;
    const user = this.accounts.findUserById(session.userId);
    if (!user || user.disabledAt) return null;
    // Sliding expiry, written at most once a minute per session.
    if (now - session.lastSeenAt > 60_000) {
      const expiresAt = Math.min(
        now + this.settings.sessionIdleMs,
        session.createdAt + this.settings.sessionMaxMs,
      );
      this.accounts.touchSession(session.id, now, expiresAt);
      session.lastSeenAt = now;
      session.expiresAt = expiresAt;
    }
    return { user, session, actor: this.actors.fromRecord(user) };
  }

  /** Is this session still valid? (for open websockets, without sliding its expiry) */
  sessionAlive(sessionId: string): boolean {
    const session = this.accounts.findSession(sessionId);
    return !!session && session.revokedAt === null && session.expiresAt > this.now();
  }

  logout(auth: Authenticated, origin: RequestOrigin): void {
    this.accounts.revokeSession(auth.session.id, this.now());
    this.audit.record({ actorId: auth.user.id, action: 'logout', ip: origin.ip });
    this.events.sessionsRevoked([auth.session.id]);
  }

  /** A token a program passes as the provider's `token`; it names the session and expires soon. */
  collabToken(auth: Authenticated): { token: string; expiresAt: string } {
    const exp = this.now() + this.settings.collabTokenMs;
    return {
      token: signToken(this.signingKey, { sid: auth.session.id, exp }),
      expiresAt: new Date(exp).toISOString(),
    };
  }

  /** The session behind a websocket token, when the token is genuine, fresh and its session alive. */
  authenticateCollabToken(token: string): Authenticated | null {
    const payload = verifySignedToken(this.signingKey, token);
    if (!payload || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
    if (payload.exp <= this.now()) return null;
    return this.authenticateSession(payload.sid);
  }

  me(user: UserRecord): UserDto {
    return this.actors.userDto(user);
  }

  // Password resets -------------------------------------------------------------------------

  /** A one-time link to choose a new password, valid 24 hours. */
  createReset(userId: string, createdBy: string | null): string {
    const token = randomToken();
    const now = this.now();
    this.accounts.insertReset({
      id: randomUUID(),
      tokenHash: tokenHash(token),
      userId,
      createdBy,
      createdAt: now,
      expiresAt: now + 24 * 3600 * 1000,
      usedAt: null,
    });
    this.audit.record({
      actorId: createdBy,
      action: 'password_reset.create',
      target: { type: 'user', id: userId },
    });
    return token;
  }

  /** Checks a reset link without using it; returns the account's email for the form. */
  checkReset(token: string): { email: string } {
    const { user } = this.validReset(token);
    return { email: user.email };
  }

  async useReset(token: string, password: string, origin: RequestOrigin): Promise<void> {
    const { reset, user } = this.validReset(token);
    const hash = await this.hash(password, origin.ip ?? 'inconnue');
    const now = this.now();
    const revoked = this.db
      .transaction(() => {
        // Re-check inside the transaction: two tabs must not both use one link.
        if (this.accounts.findResetByTokenHash(tokenHash(token))?.usedAt !== null) {
          throw gone('Ce lien a déjà servi. Demandez-en un nouveau.');
        }
        this.accounts.markResetUsed(reset.id, now);
        this.accounts.setPassword(user.id, hash);
        this.accounts.clearLoginFailures(`email:${user.email}`);
        return this.accounts.revokeUserSessions(user.id, now);
      })
      .immediate();
    this.audit.record({
      actorId: user.id,
      action: 'password_reset.use',
      target: { type: 'user', id: user.id },
      ip: origin.ip,
    });
    this.events.sessionsRevoked(revoked);
  }

  private validReset(token: string) {
    const reset = this.accounts.findResetByTokenHash(tokenHash(token));
    if (!reset)
      throw new DomainError(
        'not_found',
        'Ce lien de réinitialisation n’existe pas. Vérifiez qu’il est complet.',
      );
    if (reset.usedAt !== null) throw gone('Ce lien a déjà servi. Demandez-en un nouveau.');
    if (reset.expiresAt <= this.now()) throw gone('Ce lien a expiré. Demandez-en un nouveau.');
    const user = this.accounts.findUserById(reset.userId);
    if (!user || user.disabledAt) throw gone('Ce compte est désactivé.');
    return { reset, user };
  }

  /**
   * « Mot de passe oublié ». The answer never says whether the account exists, neither in its
   * words nor in its timing (issue 15 measured 645–854 ms for an existing account, 3–11 ms for an
   * unknown one): this only counts the request against its address (a 429 past
   * `maxResetRequestsPerAddress` in the window, whatever the email) and returns; looking the
   * account up, creating the link and sending the email happen after the answer
   * ({@link sendResetLink}). Links come from `publicUrl` only (required with SMTP), never from the
   * request. Without email configured, the request is counted and nothing else happens.
   */
  requestPasswordReset(email: string, origin: RequestOrigin, publicUrl: string | null): void {
    const address = origin.ip ?? 'inconnue';
    this.reserve(
      [
        {
          key: `reset-ip:${address}`,
          max: this.settings.maxResetRequestsPerAddress,
          windowMs: this.settings.resetRequestWindowMs,
        },
      ],
      (_key, retryAfter) => {
        this.audit.recordRepeated(
          { actorId: null, action: 'password_reset.rate_limited', details: { key: 'ip' }, ip: origin.ip },
          `password_reset.rate_limited|ip|${address}`,
        );
        return `Trop de demandes de réinitialisation depuis cette adresse. Réessayez dans ${minutesText(retryAfter)}.`;
      },
    );
    // Counted with or without email, so that the answers are the same either way.
    if (!this.mailer.enabled) return;
    // After the answer has left: nothing of the account's existence shows in its timing.
    setImmediate(() => {
      this.sendResetLink(email, origin, publicUrl).catch((error: unknown) =>
        this.logger?.error({ err: error }, 'password reset email failed'),
      );
    });
  }

  /**
   * The work of a reset request, after its answer: at most `maxResetEmailsPerAccount` emails per
   * address asked for in the window (further requests are audited, aggregated, and send nothing),
   * and only to an account that exists and is enabled.
   */
  private async sendResetLink(email: string, origin: RequestOrigin, publicUrl: string | null): Promise<void> {
    if (!publicUrl) {
      this.logger?.error('password reset email not sent: PUBLIC_URL is required with SMTP_URL');
      return;
    }
    const counted = this.accounts.reserveAttempts(
      [
        {
          key: `reset-email:${email}`,
          max: this.settings.maxResetEmailsPerAccount,
          windowMs: this.settings.resetRequestWindowMs,
        },
      ],
      this.now(),
    );
    if (!counted.ok) {
      this.audit.recordRepeated(
        {
          actorId: null,
          action: 'password_reset.rate_limited',
          details: { key: 'email', email },
          ip: origin.ip,
        },
        `password_reset.rate_limited|email|${email}`,
      );
      return;
    }
    const user = this.accounts.findUserByEmail(email);
    if (!user || user.disabledAt) return;
    const token = this.createReset(user.id, null);
    await this.mailer.send({
      to: user.email,
      subject: 'Essaim : choisir un nouveau mot de passe',
      text: `Bonjour ${user.name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 24 heures) :\n${publicUrl}/reinitialisation/${token}\n\nSi vous n’avez rien demandé, ignorez ce message.\n`,
    });
  }

  get mailEnabled(): boolean {
    return this.mailer.enabled;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    return this.accounts.findUserByEmail(email);
  }

  findUserById(id: string): UserRecord | undefined {
    return this.accounts.findUserById(id);
  }
}
