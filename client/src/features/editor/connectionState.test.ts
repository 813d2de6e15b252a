import { describe, expect, it } from 'vitest';
import { connectionState, type ConnectionFacts } from './connectionState.js';

const settled: ConnectionFacts = {
  browserOnline: true,
  socket: 'connected',
  lostOnce: false,
  synced: true,
  unsyncedChanges: 0,
  editedHere: false,
  readOnly: false,
};

describe('connection badge', () => {
  it('says « connected » once synced when nothing was typed yet', () => {
    expect(connectionState(settled)).toBe('connected');
  });

  it('says « saved » only when the server acknowledged every change made here', () => {
    expect(connectionState({ ...settled, editedHere: true })).toBe('saved');
    expect(connectionState({ ...settled, editedHere: true, unsyncedChanges: 2 })).toBe('syncing');
  });

  it('says « connecting » while the first handshake is under way', () => {
    expect(connectionState({ ...settled, socket: 'connecting', synced: false })).toBe('connecting');
    expect(connectionState({ ...settled, synced: false, editedHere: true })).toBe('connecting');
  });

  it('says « offline » when the browser lost the network, even if the socket looks open', () => {
    expect(connectionState({ ...settled, browserOnline: false, editedHere: true })).toBe('offline');
  });

  it('says « unreachable », not « offline », when the socket was lost while the browser has a network', () => {
    expect(connectionState({ ...settled, socket: 'connecting', lostOnce: true, synced: false })).toBe(
      'unreachable',
    );
    expect(connectionState({ ...settled, socket: 'disconnected', lostOnce: true, synced: false })).toBe(
      'unreachable',
    );
    expect(
      connectionState({ ...settled, socket: 'disconnected', lostOnce: true, browserOnline: false }),
    ).toBe('offline');
  });

  it('says « connecting » once the socket is back, until the server has answered the handshake', () => {
    expect(connectionState({ ...settled, lostOnce: true, synced: false, editedHere: true })).toBe(
      'connecting',
    );
  });

  it('never says « saved » on a connection that has not synced, even with no pending counter', () => {
    expect(connectionState({ ...settled, synced: false, editedHere: true, unsyncedChanges: 0 })).toBe(
      'connecting',
    );
  });

  it('says « connected » on a read-only connection, even with edits the server refused', () => {
    expect(connectionState({ ...settled, readOnly: true, editedHere: true, unsyncedChanges: 3 })).toBe(
      'connected',
    );
    expect(connectionState({ ...settled, readOnly: true, synced: false })).toBe('connecting');
    expect(connectionState({ ...settled, readOnly: true, browserOnline: false })).toBe('offline');
  });
});
