import { describe, expect, it } from 'vitest';
import { nextShown } from './useConnectionState.js';

describe('the connection badge’s shown state', () => {
  it('waits before showing « Enregistrement… » after « Enregistré » or « Connecté », so a keystroke changes nothing on screen', () => {
    expect(nextShown('saved', 'syncing')).toEqual({ now: 'saved', later: 'syncing' });
    expect(nextShown('connected', 'syncing')).toEqual({ now: 'connected', later: 'syncing' });
    // The acknowledgement came within the delay: the badge stays as it was.
    expect(nextShown('saved', 'saved')).toEqual({ now: 'saved', later: null });
  });

  it('keeps « Connexion au serveur… » rather than flash « Enregistrement… » for the round trip the provider’s handshake leaves unacknowledged', () => {
    expect(nextShown('connecting', 'syncing')).toEqual({ now: 'connecting', later: 'syncing' });
    expect(nextShown('connecting', 'saved')).toEqual({ now: 'saved', later: null });
    expect(nextShown('connecting', 'connected')).toEqual({ now: 'connected', later: null });
  });

  it('keeps what it showed while the provider tries to reconnect, and shows the outcome once known', () => {
    expect(nextShown('saved', 'connecting')).toEqual({ now: 'saved', later: 'connecting' });
    expect(nextShown('connected', 'connecting')).toEqual({ now: 'connected', later: 'connecting' });
    expect(nextShown('unreachable', 'connecting')).toEqual({ now: 'unreachable', later: 'connecting' });
    // The attempt failed, or succeeded: at once.
    expect(nextShown('saved', 'unreachable', 'connecting')).toEqual({ now: 'unreachable', later: null });
    expect(nextShown('unreachable', 'saved', 'connecting')).toEqual({ now: 'saved', later: null });
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
    expect(nextShown('syncing', 'saved')).toEqual({ now: 'saved', later: null });
    expect(nextShown('connected', 'saved')).toEqual({ now: 'saved', later: null });
  });
});
