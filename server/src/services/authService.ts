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
import type { Db } from '../storage/db.js';
import type { AccountRepository, SessionRecord, UserRecord } from '../storage/accountRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { SettingsRepository } from '../storage/settingsRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { Actors } from './actors.js';
import type { AuditService } from './auditService.js';
import type { Mailer } from './mailer.js';
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
}

export const defaultAuthSettings: AuthSettings = {
  sessionIdleMs: 14 * 24 * 3600 * 1000,
  sessionMaxMs: 60 * 24 * 3600 * 1000,
  collabTokenMs: 5 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 30,
  failureWindowMs: 15 * 60 * 1000,
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

const BAD_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

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
    const passwordHash = await hashPassword(input.password);
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

  /** Creates an account (CLI, invitations). The email must be free. */
  async createUser(
    input: { email: string; name: string; password: string; isAdmin?: boolean },
    actorId: string | null,
  ): Promise<UserRecord> {
    if (this.accounts.findUserByEmail(input.email)) {
      throw conflict('Un compte existe déjà avec cette adresse électronique.');
    }
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      isAdmin: input.isAdmin ?? false,
      disabledAt: null,
      createdAt: new Date(this.now()).toISOString(),
    };
    this.accounts.insertUser(user);
    this.audit.record({
      actorId,
      action: 'user.create',
      target: { type: 'user', id: user.id },
      details: { email: user.email, admin: user.isAdmin },
    });
    return user;
  }

  async login(
    input: { email: string; password: string },
    origin: RequestOrigin,
  ): Promise<{ token: string; user: UserDto }> {
    const accountKey = `email:${input.email}`;
    const addressKey = `ip:${origin.ip ?? 'inconnue'}`;
    this.checkRateLimit(accountKey, this.settings.maxFailuresPerAccount, input.email, origin);
    this.checkRateLimit(addressKey, this.settings.maxFailuresPerAddress, input.email, origin);

    const user = this.accounts.findUserByEmail(input.email);
    // Compare against a decoy when there is no account, so timing does not reveal which emails exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok || user.disabledAt) {
      this.accounts.recordLoginFailure([accountKey, addressKey], this.now());
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
    this.accounts.clearLoginFailures(accountKey);
    this.audit.record({
      actorId: user.id,
      action: 'login.success',
      target: { type: 'user', id: user.id },
      ip: origin.ip,
    });
    return { token: this.openSession(user, origin), user: this.actors.userDto(user) };
  }

  private checkRateLimit(key: string, max: number, email: string, origin: RequestOrigin): void {
    const since = this.now() - this.settings.failureWindowMs;
    const { count, oldest } = this.accounts.loginFailures(key, since);
    if (count < max) return;
    const retryAfter = Math.max(
      1,
      Math.ceil(((oldest ?? this.now()) + this.settings.failureWindowMs - this.now()) / 1000),
    );
    this.audit.record({
      actorId: null,
      action: 'login.rate_limited',
      details: { email, key: key.split(':')[0] },
      ip: origin.ip,
    });
    const minutes = Math.ceil(retryAfter / 60);
    throw rateLimited(
      `Trop de tentatives de connexion. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
      retryAfter,
    );
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
    const hash = await hashPassword(password);
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
   * « Mot de passe oublié ». With SMTP configured, an existing account gets a link by email. The
   * answer never says whether the account exists.
   */
  async forgotPassword(email: string, baseUrl: string): Promise<void> {
    if (!this.mailer.enabled) return;
    const user = this.accounts.findUserByEmail(email);
    if (!user || user.disabledAt) return;
    const token = this.createReset(user.id, null);
    await this.mailer.send({
      to: user.email,
      subject: 'Essaim : choisir un nouveau mot de passe',
      text: `Bonjour ${user.name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 24 heures) :\n${baseUrl}/reinitialisation/${token}\n\nSi vous n’avez rien demandé, ignorez ce message.\n`,
    });
  }

  get mailEnabled(): boolean {
    return this.mailer.enabled;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    return this.accounts.findUserByEmail(email);
  }
}
