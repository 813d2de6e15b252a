import { describe, expect, it } from 'vitest';
import { refusalKindOf, UpdateRefusals } from './updateRefusal.js';

describe('what a close says about the changes made here', () => {
  it('reads a refused update from the reason of a document closed on an open socket', () => {
    expect(refusalKindOf({ code: 1000, reason: 'document-too-large' })).toBe('document-full');
    expect(refusalKindOf({ code: 1000, reason: 'invalid-update' })).toBe('invalid');
    expect(refusalKindOf({ code: 1000, reason: 'malformed-update' })).toBe('invalid');
  });

  it('reads a refused update from the code of a closed socket', () => {
    expect(refusalKindOf({ code: 1009, reason: '' })).toBe('too-large');
    expect(refusalKindOf({ code: 4413, reason: 'frame-too-large-before-authentication' })).toBe('too-large');
    expect(refusalKindOf({ code: 4422, reason: '' })).toBe('invalid');
    expect(refusalKindOf({ code: 4400, reason: 'malformed-message' })).toBe('invalid');
  });

  it('says nothing of network losses, server restarts, denials and the watchdog’s own closes', () => {
    for (const event of [
      { code: 1006, reason: '' },
      { code: 1000, reason: 'provider_initiated' },
      { code: 4503, reason: 'server-shutdown' },
      { code: 1000, reason: 'forbidden' },
      { code: 4408, reason: 'no-response' },
      undefined,
    ])
      expect(refusalKindOf(event)).toBeNull();
  });
});

describe('refusal state of an open document', () => {
  it('stops connecting at a refusal and connects again only when asked, counting refusals', () => {
    const calls: string[] = [];
    const refusals = new UpdateRefusals(
      () => calls.push('stop'),
      () => calls.push('start'),
    );
    let notified = 0;
    refusals.subscribe(() => (notified += 1));

    refusals.refuse('too-large');
    expect(refusals.get()).toEqual({ kind: 'too-large', count: 1 });
    expect(refusals.holding).toBe(true);
    refusals.reconnect();
    expect(refusals.get()).toBeNull();
    refusals.reconnect(); // nothing to do: no second connection
    refusals.refuse('too-large');
    expect(refusals.get()).toEqual({ kind: 'too-large', count: 2 });

    expect(calls).toEqual(['stop', 'start', 'stop']);
    expect(notified).toBe(3);
  });
});
