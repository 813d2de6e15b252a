import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, synced } from '../support/provider.js';

const t = useTestInstance();

describe('a person who loses the connection', () => {
  it('keeps editing offline, and both sides’ edits merge when the connection comes back', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const alice = t.open(name);
    const bob = t.open(name);
    await synced(alice);
    await synced(bob);
    alice.text.insert(0, 'Pair-aidance. ');
    await expect.poll(() => bob.text.toString()).toBe('Pair-aidance. ');

    alice.socket.disconnect();
    await expect.poll(() => alice.socket.status).toBe('disconnected');

    alice.text.insert(alice.text.length, 'Écrit hors ligne par Alice. ');
    bob.text.insert(0, 'Ajout de Bob pendant ce temps. ');
    await expect.poll(() => isSettled(bob)).toBe(true);
    expect(bob.text.toString()).not.toContain('Alice');
    expect(alice.text.toString()).not.toContain('Bob');

    await alice.socket.connect();
    await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);
    await expect.poll(() => alice.text.toString()).toBe(bob.text.toString());
    expect(alice.text.toString()).toContain('Écrit hors ligne par Alice.');
    expect(alice.text.toString()).toContain('Ajout de Bob pendant ce temps.');
    expect(alice.text.toString()).toContain('Pair-aidance.');

    // And the server stored the merged result for the next person.
    const carol = t.open(name);
    await expect.poll(() => carol.text.toString()).toBe(alice.text.toString());
  });
});
