import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may act on this server, for websocket upgrades and cookie-authenticated
 * writes alike (one rule, two transports). With a configured public URL, its origins; otherwise
 * same-origin, judged by the request's scheme and `Host`: `https://host` is another origin than
 * `http://host` (issue 15: the scheme was ignored).
 */
export type OriginPolicy = (origin: string, host: string | undefined, scheme: string) => boolean;

export function originPolicy(allowedOrigins: readonly string[] | null): OriginPolicy {
  const allowed = allowedOrigins && new Set(allowedOrigins);
  return (origin, host, scheme) => {
    if (allowed) return allowed.has(origin);
    if (!host) return false;
    try {
      const url = new URL(origin);
      return url.protocol === `${scheme}:` && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  };
}

/**
 * Proxies trusted to tell the client's address and scheme (`X-Forwarded-For`,
 * `X-Forwarded-Proto`): none unless `TRUST_PROXY=loopback` (a reverse proxy on this machine), then
 * the loopback interface only, as Express's `trust proxy: 'loopback'` (server/src/app.ts), so HTTP
 * and websocket requests agree on who the client is. Trusting them by default would let anyone on
 * the machine pick their address and get round every per-address limit (issue 15).
 */
const isLoopback = (address: string | undefined): boolean =>
  address !== undefined &&
  (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

/**
 * The client's address of a raw Node request (a websocket upgrade): the socket's peer, or, when
 * proxies are trusted (`trustProxy`) and the peer is one, the nearest address it forwarded that is not itself trusted
 * (the same walk as Express's `req.ip`). `'inconnue'` when the socket has already gone.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  let address = req.socket.remoteAddress;
  if (!trustProxy || !isLoopback(address)) return address ?? 'inconnue';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .reverse();
  for (const hop of forwarded) {
    address = hop;
    if (!isLoopback(hop)) break;
  }
  return address ?? 'inconnue';
}

/** `https` for a TLS socket or, from a trusted proxy, what `X-Forwarded-Proto` says; else `http`. */
export function requestScheme(req: IncomingMessage, trustProxy: boolean): string {
  if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
  const header = req.headers['x-forwarded-proto'];
  const forwarded = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return trustProxy && isLoopback(req.socket.remoteAddress) && (forwarded === 'https' || forwarded === 'http')
    ? forwarded
    : 'http';
}
