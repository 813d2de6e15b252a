import { describe, expect, it } from 'vitest';
import { AccountSockets } from './accountSockets.js';
import type { SocketState } from './context.js';

function socket(): SocketState & { close(): void } {
  const hooks: (() => void)[] = [];
  return {
    authenticated: false,
    onClose: (release) => void hooks.push(release),
    close: () => hooks.splice(0).forEach((hook) => hook()),
  };
}

describe('sockets per account', () => {
  it('admits an account’s sockets up to the limit, counts a socket once whatever it opens, and frees a place when one closes', () => {
    const sockets = new AccountSockets(2);
    const [a, b, c] = [socket(), socket(), socket()];
    expect(sockets.admit('u1', a)).toBe(true);
    expect(sockets.admit('u1', a)).toBe(true);
    expect(sockets.admit('u1', b)).toBe(true);
    expect(sockets.admit('u1', c)).toBe(false);
    expect(sockets.admit('u2', c)).toBe(true);
    a.close();
    expect(sockets.heldBy('u1')).toBe(1);
    expect(sockets.admit('u1', socket())).toBe(true);
  });

  it('never counts a server-side connection, which has no socket, and has no limit at 0', () => {
    const direct = { authenticated: true };
    const limited = new AccountSockets(1);
    limited.admit('u1', socket());
    expect(limited.admit('u1', direct)).toBe(true);
    const unlimited = new AccountSockets(0);
    for (let i = 0; i < 500; i++) expect(unlimited.admit('u1', socket())).toBe(true);
  });
});
