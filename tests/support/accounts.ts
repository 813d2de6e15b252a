import type { EspaceRole } from '@essaim/domain';

/** A logged-in person, as a program sees them: a session cookie and helpers that send it. */
export interface Session {
  baseUrl: string;
  cookie: string;
  userId: string;
  email: string;
  name: string;
  /** fetch with the session cookie and this server's Origin (as a browser page would send). */
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** A fresh websocket token for a Node provider. */
  collabToken(): Promise<string>;
}

export const DEFAULT_PASSWORD = 'mot-de-passe-de-test-1';

function sessionCookieFrom(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.includes('essaim_session='));
  if (!setCookie) throw new Error(`pas de cookie de session (statut ${response.status})`);
  return setCookie.split(';')[0] as string;
}

function makeSession(
  baseUrl: string,
  cookie: string,
  user: { id: string; email: string; name: string },
): Session {
  const session: Session = {
    baseUrl,
    cookie,
    userId: user.id,
    email: user.email,
    name: user.name,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('origin', baseUrl);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${baseUrl}${path}`, { ...init, headers, body: body ?? null });
    },
    collabToken: async () => {
      const response = await session.fetch('/api/auth/collab-token', { method: 'POST' });
      if (!response.ok) throw new Error(`jeton refusé : ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
  };
  return session;
}

/** The same person and cookie against another address of the same data (a restarted server). */
export function atAddress(session: Session, baseUrl: string): Session {
  return makeSession(baseUrl, session.cookie, {
    id: session.userId,
    email: session.email,
    name: session.name,
  });
}

export async function postJson(
  baseUrl: string,
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...headers },
    body: JSON.stringify(json),
  });
}

/** First run through the public API: the administrator (animateur of the first espace). */
export async function setupInstance(
  baseUrl: string,
  admin = { email: 'admin@hcts.example', name: 'Administratrice', espaceName: 'Pratiques émergentes' },
): Promise<{ admin: Session; espaceId: string }> {
  const response = await postJson(baseUrl, '/api/auth/setup', { ...admin, password: DEFAULT_PASSWORD });
  if (response.status !== 201)
    throw new Error(`installation refusée : ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as {
    user: { id: string; email: string; name: string; espaces: { id: string }[] };
  };
  const espaceId = user.espaces[0]?.id;
  if (!espaceId) throw new Error('aucun espace créé');
  return { admin: makeSession(baseUrl, sessionCookieFrom(response), user), espaceId };
}

export async function login(baseUrl: string, email: string, password = DEFAULT_PASSWORD): Promise<Session> {
  const response = await postJson(baseUrl, '/api/auth/login', { email, password });
  if (!response.ok) throw new Error(`connexion refusée : ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string; email: string; name: string } };
  return makeSession(baseUrl, sessionCookieFrom(response), user);
}

/** An animateur invites someone with a role; the person accepts with a name and a password. */
export async function invite(
  manager: Session,
  espaceId: string,
  role: EspaceRole,
  name: string,
  email = `${name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '')}@hcts.example`,
): Promise<Session> {
  const created = await manager.fetch(`/api/espaces/${espaceId}/invitations`, {
    method: 'POST',
    json: { email, role },
  });
  if (created.status !== 201)
    throw new Error(`invitation refusée : ${created.status} ${await created.text()}`);
  const { link } = (await created.json()) as { link: string };
  const token = link.split('/').pop() as string;
  const accepted = await postJson(manager.baseUrl, `/api/invitations/${token}/accept`, {
    name,
    password: DEFAULT_PASSWORD,
  });
  if (!accepted.ok) throw new Error(`acceptation refusée : ${accepted.status} ${await accepted.text()}`);
  const { user } = (await accepted.json()) as { user: { id: string; email: string; name: string } };
  return makeSession(manager.baseUrl, sessionCookieFrom(accepted), user);
}

/** Creates a document through the public API as this person. */
export async function createDocument(
  session: Session,
  espaceId: string,
  title = 'Conférences familiales en Ardèche',
  kind: 'fiche' | 'synthese' = 'fiche',
): Promise<{ id: string; name: string }> {
  const response = await session.fetch('/api/documents', { method: 'POST', json: { title, kind, espaceId } });
  if (response.status !== 201)
    throw new Error(`création refusée : ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; name: string };
}

/** An instance with one espace and one document, and the animateur who can write it. */
export async function writableDocument(
  baseUrl: string,
): Promise<{ admin: Session; espaceId: string; id: string; name: string }> {
  const { admin, espaceId } = await setupInstance(baseUrl);
  const doc = await createDocument(admin, espaceId);
  return { admin, espaceId, ...doc };
}
