import { describe, expect, it } from 'vitest';
import { PRESENCE_PALETTE } from '@essaim/domain';
import { keepDistinctColour, type ColourAwareness, type SyncSource } from './presenceColour.js';

const violet = '#8c3fb0';
const [first] = PRESENCE_PALETTE;

/** An awareness with this page's state and the others', calling listeners as y-protocols does. */
function fakeAwareness(clientID: number, others: Record<number, unknown>) {
  const states = new Map<number, unknown>(Object.entries(others).map(([id, s]) => [Number(id), s]));
  states.set(clientID, { user: { name: 'Moi', color: violet } });
  const listeners = new Set<() => void>();
  const awareness: ColourAwareness = {
    clientID,
    getStates: () => states,
    getLocalState: () => (states.get(clientID) as Record<string, unknown>) ?? null,
    setLocalStateField(field, value) {
      states.set(clientID, { ...(states.get(clientID) as object), [field]: value });
      for (const listener of [...listeners]) listener();
    },
    on: (_event, listener) => void listeners.add(listener),
    off: (_event, listener) => void listeners.delete(listener),
  };
  const set = (id: number, state: unknown) => {
    states.set(id, state);
    for (const listener of [...listeners]) listener();
  };
  const mine = () => (states.get(clientID) as { user: { color: string; colourSettled: boolean } }).user;
  return { awareness, set, mine };
}

function fakeProvider(synced: boolean) {
  const listeners = new Set<() => void>();
  const provider: SyncSource & { sync(): void } = {
    isSynced: synced,
    on: (_event, listener) => listeners.add(listener),
    off: (_event, listener) => listeners.delete(listener),
    sync() {
      (this as { isSynced: boolean }).isSynced = true;
      for (const listener of [...listeners]) listener();
    },
  };
  return provider;
}

describe('keeping this page’s presence colour distinct', () => {
  it('gives way to someone already present with the same colour, and settles once synced', () => {
    const { awareness, mine } = fakeAwareness(5, { 9: { user: { color: violet, colourSettled: true } } });
    const provider = fakeProvider(false);
    const stop = keepDistinctColour(awareness, provider);
    expect(mine()).toMatchObject({ color: first, colourSettled: false });
    provider.sync();
    expect(mine()).toMatchObject({ color: first, colourSettled: true });
    stop();
  });

  it('keeps a settled colour when a newcomer arrives with it', () => {
    const { awareness, set, mine } = fakeAwareness(9, {});
    const stop = keepDistinctColour(awareness, fakeProvider(true));
    expect(mine()).toMatchObject({ color: violet, colourSettled: true });
    set(2, { user: { color: violet, colourSettled: false } });
    expect(mine().color).toBe(violet);
    stop();
  });

  it('picks again when the editor sets its account colour back, and ignores unreadable states', () => {
    const { awareness, mine } = fakeAwareness(7, {
      3: { user: { color: violet, colourSettled: true } },
      4: 'not a state',
      6: { user: 'not a user' },
    });
    const stop = keepDistinctColour(awareness, fakeProvider(true));
    expect(mine().color).toBe(first);
    awareness.setLocalStateField('user', { name: 'Moi', color: violet });
    expect(mine()).toMatchObject({ color: first, colourSettled: true });
    stop();
  });

  it('stops following the awareness once stopped', () => {
    const { awareness, set, mine } = fakeAwareness(7, {});
    const stop = keepDistinctColour(awareness, fakeProvider(true));
    stop();
    set(1, { user: { color: violet, colourSettled: true } });
    expect(mine().color).toBe(violet);
  });
});
