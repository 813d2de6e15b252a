/** Query parameter of `/connexion` that names the page to come back to after logging in. */
export const RETURN_PARAM = 'retour';

/**
 * The page to come back to, only if it is a path of this site: `//autre.example` or
 * `https://…` would send the person elsewhere after logging in (open redirect).
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  // Coming back to the login page itself would loop.
  if (value === '/connexion' || value.startsWith('/connexion?')) return null;
  return value;
}

/** `/connexion?retour=…` for a page the person asked for before logging in. */
export function loginPathFor(returnTo: string | null): string {
  const path = safeReturnPath(returnTo);
  return path && path !== '/' ? `/connexion?${RETURN_PARAM}=${encodeURIComponent(path)}` : '/connexion';
}
