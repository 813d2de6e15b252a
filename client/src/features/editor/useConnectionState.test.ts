import { describe, expect, it } from 'vitest';
import { nextShown } from './useConnectionState.js';

describe('the connection badge’s shown state', () => {
  it('waits before showing « Enregistrement… » after « Enregistré » or « Connecté », so a keystroke changes nothing on screen', () => {
    expect(nextShown('saved', 'syncing')).toEqual({ now: 'saved', later: 'syncing' });
    expect(nextShown('connected', 'syncing')).toEqual({ now: 'connected', later: 'syncing' });
    // The acknowledgement came within the delay: the badge stays as it was.
    expect(nextShown('saved', 'saved')).toEqual({ now: 'saved', later: null });
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
