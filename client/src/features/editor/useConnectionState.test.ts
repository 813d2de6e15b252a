import { describe, expect, it } from 'vitest';
import { nextShown } from './useConnectionState.js';

describe('the connection badge’s shown state', () => {
  it('waits before showing « Enregistrement… » after « Enregistré » or « Connecté », so a keystroke changes nothing on screen', () => {
    expect(nextShown('saved', 'syncing')).toEqual({ now: 'saved', later: 'syncing' });
    expect(nextShown('connected', 'syncing')).toEqual({ now: 'connected', later: 'syncing' });
    // The acknowledgement came within the delay: the badge stays as it was.
    expect(nextShown('saved', 'saved')).toEqual({ now: 'saved', later: null });
  });

  it('shows « Connecté » rather than flash « Enregistrement… » when what the editor writes as it opens is sent right after the handshake', () => {
    expect(nextShown('connecting', 'syncing')).toEqual({ now: 'connected', later: 'syncing' });
    expect(nextShown('connecting', 'saved')).toEqual({ now: 'saved', later: null });
  });

  it('shows « Connexion au serveur… » rather than flash « Serveur injoignable » when the network comes back and the provider has not yet reconnected', () => {
    expect(nextShown('offline', 'unreachable')).toEqual({ now: 'connecting', later: 'unreachable' });
    // The facts read again within the delay (the provider's own events): still put off.
    expect(nextShown('connecting', 'unreachable', 'unreachable')).toEqual({
      now: 'connecting',
      later: 'unreachable',
    });
    expect(nextShown('connecting', 'unreachable')).toEqual({ now: 'unreachable', later: null });
  });

  it('shows every other change at once', () => {
    expect(nextShown('saved', 'offline')).toEqual({ now: 'offline', later: null });
    expect(nextShown('offline', 'syncing')).toEqual({ now: 'syncing', later: null });
    expect(nextShown('saved', 'unreachable')).toEqual({ now: 'unreachable', later: null });
    expect(nextShown('unreachable', 'connecting')).toEqual({ now: 'connecting', later: null });
    expect(nextShown('syncing', 'saved')).toEqual({ now: 'saved', later: null });
    expect(nextShown('connected', 'saved')).toEqual({ now: 'saved', later: null });
  });
});
