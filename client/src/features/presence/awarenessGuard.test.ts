import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { guardAwarenessStates, isReadableCursor, readableState } from './awarenessGuard.js';

/** A remote client's awareness update carrying `state` as it is, whatever it is. */
function remoteUpdate(clientID: number, state: unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state as Record<string, unknown>);
  return encodeAwarenessUpdate(awareness, [clientID]);
}

const doc = new Y.Doc();
const position = Y.relativePositionToJSON(
  Y.createRelativePositionFromTypeIndex(doc.getXmlFragment('default'), 0),
);

describe('awareness states from other people', () => {
  it.each([
    ['no caret', undefined, true],
    ['a caret taken away', null, true],
    ['a caret of relative positions', { anchor: position, head: position }, true],
    ['a caret without its head', { anchor: position }, false],
    ['a caret whose anchor is null', { anchor: null, head: position }, false],
    ['a caret that is a number', 5, false],
    ['positions that name nothing', { anchor: {}, head: {} }, false],
    [
      'positions with a text as client',
      { anchor: { item: { client: 'a', clock: 1 } }, head: position },
      false,
    ],
  ])('reads %s as %s', (_label, cursor, readable) => {
    expect(isReadableCursor(cursor)).toBe(readable);
  });

  it('keeps what it can read of a state: a bad caret becomes none, a user that is not an object goes', () => {
    expect(readableState('bonjour')).toBeNull();
    expect(readableState({ user: 'Pirate', cursor: { anchor: 1 }, other: 2 })).toEqual({
      other: 2,
      cursor: null,
    });
    const fine = { user: { name: 'Karima' }, cursor: null };
    expect(readableState(fine)).toBe(fine);
  });

  it('repairs remote states before any later listener sees them, and never touches its own', () => {
    const local = new Awareness(new Y.Doc());
    local.setLocalState({ user: { name: 'Moi' }, cursor: { anchor: 'local', head: 'local' } });
    const stop = guardAwarenessStates(local);
    const seenByCarets: unknown[] = [];
    local.on('change', () => seenByCarets.push(structuredClone(local.getStates().get(77))));

    applyAwarenessUpdate(
      local,
      remoteUpdate(77, { user: { name: 'Paul' }, cursor: { anchor: null, head: 3 } }),
      'remote',
    );
    applyAwarenessUpdate(local, remoteUpdate(88, 'pas un objet'), 'remote');
    expect(seenByCarets).toEqual([
      { user: { name: 'Paul' }, cursor: null },
      { user: { name: 'Paul' }, cursor: null },
    ]);
    expect(local.getStates().has(88)).toBe(false);
    expect(local.getLocalState()).toEqual({
      user: { name: 'Moi' },
      cursor: { anchor: 'local', head: 'local' },
    });
    stop();
  });
});
