import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled } from '../support/provider.js';

/**
 * Issue 15, item 8: changing a role must not silently drop a person's document assignments. A
 * rapporteur made membre keeps them, inactive while she cannot write; made rapporteur again, she
 * writes the same documents again. Leaving the espace still removes them.
 */

const t = useTestInstance();

interface Doc {
  id: string;
  name: string;
}

let docs: Doc[];

beforeAll(async () => {
  docs = [
    await createDocument(t.admin, t.espaceId, 'Conférences familiales en Gironde'),
    await createDocument(t.admin, t.espaceId, 'Aller-vers dans l’Oise'),
  ];
});

async function assign(doc: Doc, who: Session): Promise<void> {
  const response = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: who.userId },
  });
  expect(response.status).toBe(200);
}

async function setRole(who: Session, role: string): Promise<void> {
  const response = await t.admin.fetch(`/api/espaces/${t.espaceId}/members/${who.userId}`, {
    method: 'PUT',
    json: { role },
  });
  expect(response.status).toBe(200);
}

/** The documents of the espace `who` is assigned to, as the catalogue says. */
async function assignedTo(who: Session): Promise<string[]> {
  const response = await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}&assignee=${who.userId}`);
  const { documents } = (await response.json()) as { documents: { id: string }[] };
  return documents.map((d) => d.id).sort();
}

const accessOf = async (who: Session, doc: Doc): Promise<string> =>
  ((await (await who.fetch(`/api/documents/${doc.id}`)).json()) as { access: string }).access;

describe('a role change and the assignments', () => {
  it('keeps a rapporteur’s assignments, inactive, while she is membre, and gives them back with the role', async () => {
    const karima = await invite(t.admin, t.espaceId, 'rapporteur', 'Karima Haddad');
    for (const doc of docs) await assign(doc, karima);
    const all = docs.map((d) => d.id).sort();
    expect(await assignedTo(karima)).toEqual(all);

    await setRole(karima, 'membre');
    expect(await assignedTo(karima)).toEqual([]);
    expect(await accessOf(karima, docs[0] as Doc)).toBe('read');

    await setRole(karima, 'rapporteur');
    expect(await assignedTo(karima)).toEqual(all);
    expect(await accessOf(karima, docs[0] as Doc)).toBe('write');

    const { entries } = (await (await t.admin.fetch('/api/audit?limit=50')).json()) as {
      entries: { action: string; details: Record<string, unknown> | null }[];
    };
    const changes = entries.filter((e) => e.action === 'member.role').map((e) => e.details);
    expect(changes).toContainEqual(expect.objectContaining({ to: 'membre', suspendedAssignments: 2 }));
    expect(changes).toContainEqual(expect.objectContaining({ to: 'rapporteur', restoredAssignments: 2 }));
  });

  it('makes her open editor read-only at once, and writable again with the role', async () => {
    const thomas = await invite(t.admin, t.espaceId, 'rapporteur', 'Thomas Girard');
    const doc = docs[1] as Doc;
    await assign(doc, thomas);
    const client = t.track(connectAs(thomas, t.server.wsUrl, doc.name));
    await expect.poll(() => client.provider.authorizedScope).toBe('read-write');
    await expect.poll(() => isSettled(client)).toBe(true);
    const told: string[] = [];
    client.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = JSON.parse(payload) as { type?: string; access?: string };
      if (message.type === 'access' && message.access) told.push(message.access);
    });

    await setRole(thomas, 'membre');
    await expect.poll(() => told).toEqual(['read']);
    await setRole(thomas, 'rapporteur');
    await expect.poll(() => told).toEqual(['read', 'write']);
  });

  it('keeps the assignments of a rapporteur made animateur, who still writes', async () => {
    const anne = await invite(t.admin, t.espaceId, 'rapporteur', 'Anne Promue');
    await assign(docs[0] as Doc, anne);
    await setRole(anne, 'animateur');
    expect(await assignedTo(anne)).toEqual([(docs[0] as Doc).id]);
  });

  it('forgets the kept assignments of a person who leaves the espace', async () => {
    const paul = await invite(t.admin, t.espaceId, 'rapporteur', 'Paul Parti');
    await assign(docs[0] as Doc, paul);
    await setRole(paul, 'membre');
    const removed = await t.admin.fetch(`/api/espaces/${t.espaceId}/members/${paul.userId}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    const added = await t.admin.fetch(`/api/espaces/${t.espaceId}/members/${paul.userId}`, {
      method: 'PUT',
      json: { role: 'rapporteur' },
    });
    expect(added.status).toBe(200);
    expect(await assignedTo(paul)).toEqual([]);
  });
});
