import { Redirect } from 'wouter';
import { useCurrentUser, useSession } from '../auth/session.js';

/**
 * `/`: straight to the espace the person works in (the last one visited, else the first one);
 * to the list of espaces for whoever belongs to none (an administrator without a role, a
 * newcomer whose invitation was revoked).
 */
export function HomeRedirect() {
  const user = useCurrentUser();
  const { currentEspace } = useSession();
  const espace = user.espaces.find((e) => e.id === currentEspace?.id) ?? user.espaces[0];
  return <Redirect to={espace ? `/espaces/${espace.id}` : '/espaces'} replace />;
}
