import http from 'node:http';
import { loadConfig } from '@essaim/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invite, postJson, setupInstance, type Session } from '../support/accounts.js';
import { startMailingServer, type Mail, type MailingServer, type SmtpSink } from '../support/mail.js';
import type { TestServer } from '../support/server.js';

/**
 * Issue 15, « mot de passe oublié » from outside: a poisoned `Host` must not reach the emailed
 * link, the answer must take the same time for an existing and an unknown account, and requests
 * are limited per address (429) and per account (emails), with a real SMTP conversation.
 */

let mailing: MailingServer;
let sink: SmtpSink;
let server: TestServer;
let publicUrl: string;
let admin: Session;
let espaceId: string;

beforeAll(async () => {
  mailing = await startMailingServer({ TRUST_PROXY: 'loopback' });
  ({ server, sink, publicUrl } = mailing);
  ({ admin, espaceId } = await setupInstance(server.url));
});

afterAll(async () => {
  await mailing.stop();
});

/** « Mot de passe oublié » as sent from the client address `ip`. */
const forgot = (email: string, ip: string): Promise<Response> =>
  postJson(server.url, '/api/auth/forgot', { email }, { 'x-forwarded-for': ip });

/** The reset emails sent to `email` (the invitation each person got first is not one). */
const resetMailsTo = (email: string): Mail[] =>
  sink.mails.filter((m) => m.to.includes(email) && m.text.includes('reinitialisation/'));

describe('configuration', () => {
  it('refuses to start with SMTP_URL and no PUBLIC_URL, naming PUBLIC_URL', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/PUBLIC_URL: obligatoire/),
      }),
    );
    expect(() =>
      loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', PUBLIC_URL: 'https://essaim.example.org' }),
    ).not.toThrow();
  });
});

describe('the emailed link', () => {
  it('comes from PUBLIC_URL whatever Host the request carries', async () => {
    const victim = await invite(admin, espaceId, 'membre', 'Hélène Hôte');
    const url = new URL(server.url);
    const body = JSON.stringify({ email: victim.email });
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/auth/forgot',
          method: 'POST',
          headers: {
            host: 'evil.example',
            'x-forwarded-host': 'evil.example',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(202);
    await expect.poll(() => resetMailsTo(victim.email).length).toBe(1);
    const text = resetMailsTo(victim.email)[0]?.text ?? '';
    expect(text).toContain(`${publicUrl}/reinitialisation/`);
    expect(text).not.toContain('evil.example');
  });
});

describe('answers that say nothing about the account', () => {
  it('takes the same time for an existing account and an unknown one', async () => {
    const person = await invite(admin, espaceId, 'membre', 'Théo Temps');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      for (const [email, times] of [
        [person.email, known],
        [`personne-${i}@nulle.part`, unknown],
      ] as const) {
        const start = performance.now();
        const response = await forgot(email, `198.18.${i}.${times === known ? 1 : 2}`);
        times.push(performance.now() - start);
        expect(response.status).toBe(202);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
    // Before: 645–854 ms against 3–11 ms. Now both answer before anything about the account is done.
    expect(median(known)).toBeLessThan(median(unknown) * 3 + 20);
    await expect.poll(() => resetMailsTo(person.email).length).toBeGreaterThan(0);
  });

  it('refuses a sixth request from one address within the hour with a 429 in French, for any email', async () => {
    const ip = '198.19.0.1';
    for (let i = 0; i < 5; i++) expect((await forgot(`quelquun-${i}@nulle.part`, ip)).status).toBe(202);
    const refused = await forgot(admin.email, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^Trop de demandes de réinitialisation depuis cette adresse\. Réessayez dans \d+ minutes?\.$/,
    );
  });

  it('sends at most 3 emails to one account, however many addresses ask, and audits the rest in one row', async () => {
    const person = await invite(admin, espaceId, 'membre', 'Rita Répétée');
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => forgot(person.email, `198.20.0.${i + 1}`)),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    const skipped = async () => {
      const { entries } = (await (await admin.fetch('/api/audit?limit=500')).json()) as {
        entries: { action: string; details: { email?: string; count?: number } | null }[];
      };
      return entries.filter(
        (e) => e.action === 'password_reset.rate_limited' && e.details?.email === person.email,
      );
    };
    await expect.poll(async () => (await skipped())[0]?.details?.count).toBe(27);
    expect(await skipped()).toHaveLength(1);
    await expect.poll(() => resetMailsTo(person.email).length).toBe(3);
  });
});
