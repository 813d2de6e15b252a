import { apiFetch } from '../../shared/api.js';

/**
 * Calls of the « kit d'essaimage » routes of an espace (issue 14; contract in the README,
 * « Téléchargements et kit d'essaimage »). Every failure is an `ApiError` whose message is the
 * server's French sentence (`404` nothing published matches, `429` too many kits being prepared).
 */

/** Which kit: the published practices of an espace, optionally of one theme or of a search. */
export interface KitTarget {
  espaceId: string;
  /** A theme id of the espace, or null for every theme. */
  theme?: string | null;
  /** Words of a search (the portal's semantics: every word must be found), or empty. */
  q?: string;
}

/**
 * Where a kit stands, as `GET|POST /api/espaces/:id/kit/etat` answers: `ready` (cached; `size` in
 * bytes), `building` (`done` of `total` publications exported), `absent` (`error`: why its last
 * build failed, if it did).
 */
export interface KitStateDto {
  state: 'ready' | 'building' | 'absent';
  done: number;
  total: number;
  size: number | null;
  error?: string;
}

/** The query string of a target (`?theme=…&q=…`, or '' when none), in a fixed order. */
export function kitQuery(target: KitTarget): string {
  const params = new URLSearchParams();
  if (target.theme) params.set('theme', target.theme);
  if (target.q?.trim()) params.set('q', target.q.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

const kitPath = (target: KitTarget) => `/espaces/${encodeURIComponent(target.espaceId)}/kit`;

/** The address of the zip itself (`GET /api/espaces/:id/kit.zip?…`), for a plain download link. */
export function kitZipUrl(target: KitTarget): string {
  return `/api${kitPath(target)}.zip${kitQuery(target)}`;
}

/** `GET /api/espaces/:id/kit/etat?…`: where the kit stands, without starting anything. */
export function kitState(target: KitTarget, signal?: AbortSignal): Promise<KitStateDto> {
  return apiFetch<KitStateDto>(`${kitPath(target)}/etat${kitQuery(target)}`, { signal: signal ?? null });
}

/** `POST /api/espaces/:id/kit/etat?…`: starts its build (unless ready or under way), answers its state. */
export function startKit(target: KitTarget, signal?: AbortSignal): Promise<KitStateDto> {
  return apiFetch<KitStateDto>(`${kitPath(target)}/etat${kitQuery(target)}`, {
    method: 'POST',
    signal: signal ?? null,
  });
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/**
 * A size as French readers write it (decimal units, as the DSFR's download links): « 820 octets »,
 * « 12 Ko », « 4,2 Mo », « 1,3 Go ».
 */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} octet${bytes > 1 ? 's' : ''}`;
  if (bytes < 1_000_000) return `${decimal.format(Math.max(1, Math.round(bytes / 1000)))} Ko`;
  if (bytes < 1_000_000_000) return `${decimal.format(bytes / 1_000_000)} Mo`;
  return `${decimal.format(bytes / 1_000_000_000)} Go`;
}
