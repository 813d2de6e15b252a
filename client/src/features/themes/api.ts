import type { ThemeDto, ThemeListDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

const themesPath = (espaceId: string) => `/espaces/${encodeURIComponent(espaceId)}/themes`;

/** Every theme of an espace, archived ones included, with the number of documents carrying it. */
export function listThemes(espaceId: string, signal?: AbortSignal): Promise<ThemeDto[]> {
  return apiFetch<ThemeListDto>(themesPath(espaceId), { signal }).then((body) => body.themes);
}

export function createTheme(espaceId: string, label: string): Promise<ThemeDto> {
  return apiFetch<ThemeDto>(themesPath(espaceId), { method: 'POST', json: { label } });
}

/** Renames a theme, or archives it (kept on documents, no longer offered) and back. */
export function updateTheme(
  espaceId: string,
  themeId: string,
  change: { label?: string; archived?: boolean },
): Promise<ThemeDto> {
  return apiFetch<ThemeDto>(`${themesPath(espaceId)}/${encodeURIComponent(themeId)}`, {
    method: 'PATCH',
    json: change,
  });
}
