import { describe, expect, it } from 'vitest';
import { useTestInstance } from '../support/instance.js';
import { RawClient } from '../support/rawClient.js';

/**
 * Without `TRUST_PROXY`, nobody can choose their address (issue 15): `X-Forwarded-For` is ignored
 * by the HTTP limits and by the websocket limits alike, so changing it at each request gets round
 * nothing.
 */

const t = useTestInstance({ COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS: '3' });

describe('client addresses without a trusted proxy', () => {
  it('counts unauthenticated sockets by their real address whatever X-Forwarded-For says', async () => {
    const sockets = await Promise.all(
      [1, 2, 3].map((n) => RawClient.open(t.server.wsUrl, { 'x-forwarded-for': `198.51.100.${n}` })),
    );
    await expect(RawClient.open(t.server.wsUrl, { 'x-forwarded-for': '198.51.100.99' })).rejects.toThrow(
      'HTTP 429',
    );
    for (const socket of sockets) socket.close();
  });

  it('limits « mot de passe oublié » by the real address whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) {
      const response = await fetch(`${t.server.url}/api/auth/forgot`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: t.server.url,
          'x-forwarded-for': `203.0.113.${n}`,
        },
        body: JSON.stringify({ email: `personne${n}@example.org` }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
  });
});
