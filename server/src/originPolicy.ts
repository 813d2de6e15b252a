/**
 * Which browser origins may act on this server, for websocket upgrades and cookie-authenticated
 * writes alike (one rule, two transports). With a configured public URL, its origins; otherwise
 * same-origin, judged by the request's `Host`.
 */
export type OriginPolicy = (origin: string, host: string | undefined) => boolean;

export function originPolicy(allowedOrigins: readonly string[] | null): OriginPolicy {
  const allowed = allowedOrigins && new Set(allowedOrigins);
  return (origin, host) => {
    if (allowed) return allowed.has(origin);
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}
