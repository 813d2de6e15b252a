import { PRESENCE_PALETTE } from '@essaim/domain';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_CARET_TYPE_NAME, relayedPresence, type PresenceAccount } from './AwarenessBindingExtension.js';

const mallory: PresenceAccount = { id: 'u-mallory', name: 'Mallory Membre', color: PRESENCE_PALETTE[2] };
const nobody = new Map<number, unknown>();
const position = Y.relativePositionToJSON(
  Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment('default'), 0),
) as Record<string, unknown>;

describe('the presence state the server relays', () => {
  it('gives a state without `user` the account’s identity and colour, and nothing of what it carried', () => {
    expect(relayedPresence({ name: 'Administratrice', html: '<b>x</b>' }, mallory, 7, nobody)).toEqual({
      user: { id: 'u-mallory', name: 'Mallory Membre', color: PRESENCE_PALETTE[2], colourSettled: false },
    });
  });

  it('writes the account’s name and id over the claimed ones, and drops the extra fields of `user`', () => {
    const state = {
      user: { name: 'Autre', id: 'u-autre', color: PRESENCE_PALETTE[5], colourSettled: true, avatar: 'x' },
    };
    expect(relayedPresence(state, mallory, 7, nobody)).toEqual({
      user: { id: 'u-mallory', name: 'Mallory Membre', color: PRESENCE_PALETTE[5], colourSettled: true },
    });
  });

  it('replaces a colour outside the palette by the first one nobody holds when the account’s own is held, announced unsettled', () => {
    const present = new Map<number, unknown>([
      [3, { user: { color: PRESENCE_PALETTE[2], colourSettled: true } }],
      [4, { user: { color: PRESENCE_PALETTE[0], colourSettled: true } }],
    ]);
    const relayed = relayedPresence({ user: { color: '#ffffff', colourSettled: true } }, mallory, 7, present);
    expect(relayed.user).toMatchObject({ color: PRESENCE_PALETTE[1], colourSettled: false });
    // Its own entry in the document does not count against it.
    const own = new Map<number, unknown>([
      [7, { user: { color: PRESENCE_PALETTE[2], colourSettled: true } }],
    ]);
    expect(relayedPresence({ user: { color: 'red' } }, mallory, 7, own).user.color).toBe(PRESENCE_PALETTE[2]);
  });

  it('gives a newcomer tab of an account already present that tab’s colour, not one of its own', () => {
    const present = new Map<number, unknown>([
      [3, { user: { id: 'u-mallory', color: PRESENCE_PALETTE[4], colourSettled: true } }],
      [4, { user: { id: 'u-autre', color: PRESENCE_PALETTE[2], colourSettled: true } }],
    ]);
    expect(relayedPresence({ user: { color: 'red' } }, mallory, 7, present).user.color).toBe(
      PRESENCE_PALETTE[4],
    );
  });

  it('keeps a readable caret with its position fields only, and relays `null` for one readers cannot place or too long a type name', () => {
    const caret = { anchor: { ...position, extra: 'x' }, head: position, note: 'y' };
    expect(relayedPresence({ cursor: caret }, mallory, 7, nobody).cursor).toEqual({
      anchor: position,
      head: position,
    });
    expect(relayedPresence({ cursor: { anchor: null, head: 5 } }, mallory, 7, nobody).cursor).toBeNull();
    const long = { tname: 'x'.repeat(MAX_CARET_TYPE_NAME + 1), assoc: 0 };
    expect(relayedPresence({ cursor: { anchor: long, head: long } }, mallory, 7, nobody).cursor).toBeNull();
    expect(relayedPresence({ cursor: null }, mallory, 7, nobody)).toHaveProperty('cursor', null);
    expect(relayedPresence({}, mallory, 7, nobody)).not.toHaveProperty('cursor');
  });
});

describe('a colour once settled', () => {
  const others = new Map<number, unknown>([
    [3, { user: { color: PRESENCE_PALETTE[0], colourSettled: true } }],
    [4, { user: { color: PRESENCE_PALETTE[1], colourSettled: true } }],
  ]);

  it('is kept when the page announces another one at will, so it cannot flip the others’ colours', () => {
    for (const wanted of [PRESENCE_PALETTE[0], PRESENCE_PALETTE[1], PRESENCE_PALETTE[4]]) {
      const relayed = relayedPresence(
        { user: { color: wanted, colourSettled: true } },
        mallory,
        7,
        others,
        PRESENCE_PALETTE[2],
      );
      expect(relayed.user).toMatchObject({ color: PRESENCE_PALETTE[2], colourSettled: true });
    }
  });

  it('moves when the rule makes it give way to someone settled earlier on the same colour', () => {
    const taken = new Map<number, unknown>([
      [3, { user: { color: PRESENCE_PALETTE[2], colourSettled: true } }],
    ]);
    const relayed = relayedPresence(
      { user: { color: PRESENCE_PALETTE[0], colourSettled: true } },
      mallory,
      7,
      taken,
      PRESENCE_PALETTE[2],
    );
    expect(relayed.user.color).toBe(PRESENCE_PALETTE[0]);
  });
});
