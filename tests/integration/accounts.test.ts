import { openDatabase } from '@essaim/server/storage';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, invite, login, postJson } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';

// Addresses are told by X-Forwarded-For, as by a reverse proxy on this machine.
const t = useTestInstance({ TRUST_PROXY: 'loopback' });

const message = async (response: Response): Promise<string> =>
  ((await response.json()) as { message: string }).message;

/** Makes a link look older than it is, straight in the database (as time passing would). */
function expire(table: 'invitations' | 'password_resets'): void {
  const db = openDatabase(`${t.server.dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
  db.prepare(`UPDATE ${table} SET expires_at = 0`).run();
  db.close();
}

async function inviteLink(email: string, role = 'membre'): Promise<string> {
  const response = await t.admin.fetch(`/api/espaces/${t.espaceId}/invitations`, {
    method: 'POST',
    json: { email, role },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { link: string }).link.split('/').pop() as string;
}

describe('first run', () => {
  it('creates the administrator once and refuses a second setup', async () => {
    const me = (await (await t.admin.fetch('/api/auth/me')).json()) as {
      user: { isAdmin: boolean; espaces: { role: string }[] };
      setupNeeded: boolean;
    };
    expect(me.setupNeeded).toBe(false);
    expect(me.user.isAdmin).toBe(true);
    expect(me.user.espaces[0]?.role).toBe('animateur');
    const again = await postJson(t.server.url, '/api/auth/setup', {
      email: 'autre@x.fr',
      name: 'Autre',
      password: DEFAULT_PASSWORD,
      espaceName: 'E',
    });
    expect(again.status).toBe(409);
  });
});

describe('login', () => {
  it('refuses a wrong password with the same French message as an unknown account', async () => {
    const wrong = await postJson(t.server.url, '/api/auth/login', {
      email: t.admin.email,
      password: 'pas-le-bon-mot-de-passe',
    });
    expect(wrong.status).toBe(401);
    const unknown = await postJson(t.server.url, '/api/auth/login', {
      email: 'personne@nulle.part',
      password: 'pas-le-bon-mot-de-passe',
    });
    expect(unknown.status).toBe(401);
    expect(await message(wrong)).toBe('Adresse électronique ou mot de passe incorrect.');
    expect(await message(unknown)).toBe('Adresse électronique ou mot de passe incorrect.');
  });

  it('rate-limits failed logins per account, even with the right password afterwards', async () => {
    const victim = await invite(t.admin, t.espaceId, 'membre', 'Victor Visé');
    for (let i = 0; i < 5; i++) {
      const r = await postJson(t.server.url, '/api/auth/login', {
        email: victim.email,
        password: `mauvais-${i}-mot-de-passe`,
      });
      expect(r.status).toBe(401);
    }
    const blocked = await postJson(t.server.url, '/api/auth/login', {
      email: victim.email,
      password: DEFAULT_PASSWORD,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await message(blocked)).toMatch(
      /^Trop de tentatives de connexion\. Réessayez dans \d+ minutes?\.$/,
    );
    // Other accounts are not affected.
    expect((await login(t.server.url, t.admin.email)).userId).toBe(t.admin.userId);
  });

  it('rate-limits failed logins per address across accounts', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.7' };
    // The test server trusts loopback proxies, so this address is the client's.
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const r = await postJson(
        t.server.url,
        '/api/auth/login',
        { email: `inconnu${i}@x.fr`, password: 'un-mot-de-passe-faux' },
        ip,
      );
      last = r.status;
    }
    expect(last).toBe(429);
  });

  it('answers 400 with French messages for malformed credentials', async () => {
    const response = await postJson(t.server.url, '/api/auth/login', {
      email: 'pas-une-adresse',
      password: '',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { details: { message: string }[] };
    expect(body.details.map((d) => d.message)).toEqual([
      'L’adresse électronique n’est pas valide.',
      'Le mot de passe est obligatoire.',
    ]);
  });
});

describe('invitations', () => {
  it('lets an invited person set a name and password, then refuses the same link again', async () => {
    const token = await inviteLink('nadia@hcts.example', 'rapporteur');
    const info = (await (await fetch(`${t.server.url}/api/invitations/${token}`)).json()) as {
      espaceName: string;
      role: string;
    };
    expect(info).toMatchObject({
      espaceId: t.espaceId,
      espaceName: 'Pratiques émergentes',
      role: 'rapporteur',
      email: 'nadia@hcts.example',
      accountExists: false,
    });
    const accepted = await postJson(t.server.url, `/api/invitations/${token}/accept`, {
      name: 'Nadia',
      password: DEFAULT_PASSWORD,
    });
    expect(accepted.status).toBe(200);
    expect(
      accepted.headers.getSetCookie().some((c) => c.includes('HttpOnly') && c.includes('SameSite=Lax')),
    ).toBe(true);

    const reused = await postJson(t.server.url, `/api/invitations/${token}/accept`, {
      name: 'Nadia',
      password: DEFAULT_PASSWORD,
    });
    expect(reused.status).toBe(410);
    expect(await message(reused)).toContain('déjà été utilisée');
  });

  it('lets an invited person in even from an address that hit the login rate limit', async () => {
    const ip = { 'x-forwarded-for': '198.51.100.9' };
    for (let i = 0; i < 31; i++) {
      await postJson(
        t.server.url,
        '/api/auth/login',
        { email: `x${i}@x.fr`, password: 'un-mot-de-passe-faux' },
        ip,
      );
    }
    const token = await inviteLink('bureau.partage@hcts.example');
    const accepted = await postJson(
      t.server.url,
      `/api/invitations/${token}/accept`,
      { name: 'Bureau', password: DEFAULT_PASSWORD },
      ip,
    );
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { espaceId: string }).espaceId).toBe(t.espaceId);
  });

  it('keeps one live link per person: inviting the same address again replaces the pending invitation', async () => {
    const first = await inviteLink('deux.fois@hcts.example');
    const second = await inviteLink('deux.fois@hcts.example');
    expect((await fetch(`${t.server.url}/api/invitations/${first}`)).status).toBe(410);
    expect((await fetch(`${t.server.url}/api/invitations/${second}`)).status).toBe(200);
    const detail = (await (await t.admin.fetch(`/api/espaces/${t.espaceId}`)).json()) as {
      invitations: { email: string }[];
    };
    expect(detail.invitations.filter((i) => i.email === 'deux.fois@hcts.example')).toHaveLength(1);
  });

  it('refuses an expired invitation link with a clear message', async () => {
    const token = await inviteLink('tardif@hcts.example');
    expire('invitations');
    const response = await fetch(`${t.server.url}/api/invitations/${token}`);
    expect(response.status).toBe(410);
    expect(await message(response)).toBe(
      'Cette invitation a expiré. Demandez-en une nouvelle à l’animateur.',
    );
  });

  it('refuses a short password when accepting, and keeps the invitation usable', async () => {
    const token = await inviteLink('court@hcts.example');
    const weak = await postJson(t.server.url, `/api/invitations/${token}/accept`, {
      name: 'Court',
      password: 'court',
    });
    expect(weak.status).toBe(400);
    expect(await message(weak)).toContain('au moins 12 caractères');
    const ok = await postJson(t.server.url, `/api/invitations/${token}/accept`, {
      name: 'Court',
      password: DEFAULT_PASSWORD,
    });
    expect(ok.status).toBe(200);
  });
});

describe('password reset links made by the administrator', () => {
  it('sets a new password once, revokes old sessions, and refuses the link afterwards', async () => {
    const person = await invite(t.admin, t.espaceId, 'membre', 'Oubli Mémoire');
    const made = await t.admin.fetch(`/api/users/${person.userId}/password-reset`, { method: 'POST' });
    expect(made.status).toBe(201);
    const token = ((await made.json()) as { link: string }).link.split('/').pop() as string;
    expect(
      ((await (await fetch(`${t.server.url}/api/auth/password-resets/${token}`)).json()) as { email: string })
        .email,
    ).toBe(person.email);

    const used = await postJson(t.server.url, `/api/auth/password-resets/${token}`, {
      password: 'un-tout-nouveau-mot-de-passe',
    });
    expect(used.status).toBe(204);
    expect((await person.fetch('/api/espaces')).status).toBe(401);
    expect((await login(t.server.url, person.email, 'un-tout-nouveau-mot-de-passe')).userId).toBe(
      person.userId,
    );

    const again = await postJson(t.server.url, `/api/auth/password-resets/${token}`, {
      password: 'encore-un-autre-mot-de-passe',
    });
    expect(again.status).toBe(410);
    expect(await message(again)).toBe('Ce lien a déjà servi. Demandez-en un nouveau.');
  });

  it('refuses an expired reset link', async () => {
    const person = await invite(t.admin, t.espaceId, 'membre', 'Lente Personne');
    const made = await t.admin.fetch(`/api/users/${person.userId}/password-reset`, { method: 'POST' });
    const token = ((await made.json()) as { link: string }).link.split('/').pop() as string;
    expire('password_resets');
    const response = await postJson(t.server.url, `/api/auth/password-resets/${token}`, {
      password: 'un-tout-nouveau-mot-de-passe',
    });
    expect(response.status).toBe(410);
    expect(await message(response)).toBe('Ce lien a expiré. Demandez-en un nouveau.');
  });

  it('answers « mot de passe oublié » without saying whether the account exists', async () => {
    const known = await postJson(t.server.url, '/api/auth/forgot', { email: t.admin.email });
    const unknown = await postJson(t.server.url, '/api/auth/forgot', { email: 'personne@nulle.part' });
    expect(known.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
  });
});

describe('audit log', () => {
  it('records logins, failures, role changes, assignments, invitations and resets for the administrator', async () => {
    const person = await invite(t.admin, t.espaceId, 'rapporteur', 'Paul Audité');
    await t.admin.fetch(`/api/espaces/${t.espaceId}/members/${person.userId}`, {
      method: 'PUT',
      json: { role: 'membre' },
    });
    await t.admin.fetch(`/api/users/${person.userId}/password-reset`, { method: 'POST' });
    await postJson(t.server.url, '/api/auth/login', {
      email: person.email,
      password: 'faux-mot-de-passe-123',
    });
    const response = await t.admin.fetch('/api/audit?limit=200');
    expect(response.status).toBe(200);
    const { entries } = (await response.json()) as {
      entries: { action: string; actor: { name: string } | null; at: string }[];
    };
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'setup',
      'login.success',
      'login.failure',
      'invitation.create',
      'invitation.accept',
      'member.role',
      'password_reset.create',
    ]) {
      expect(actions, action).toContain(action);
    }
    const roleChange = entries.find((e) => e.action === 'member.role');
    expect(roleChange?.actor?.name).toBe('Administratrice');
    expect(Date.parse(roleChange?.at ?? '')).toBeGreaterThan(0);
  });
});

describe('an espace keeps an animateur', () => {
  it('refuses to demote the last animateur', async () => {
    const response = await t.admin.fetch(`/api/espaces/${t.espaceId}/members/${t.admin.userId}`, {
      method: 'PUT',
      json: { role: 'membre' },
    });
    expect(response.status).toBe(409);
    expect(await message(response)).toContain('au moins un animateur');
  });
});
