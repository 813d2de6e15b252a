import { Navigate, Outlet, useLocation } from 'react-router';
import { loginPathFor } from '../../shared/returnPath.js';
import { useSession } from './session.js';

/**
 * Pages for logged-in people. Before the first account exists, everything leads to the first-run
 * page; without a session, to the login page, which comes back here afterwards (`?retour=`),
 * except after a deliberate logout.
 */
export function RequireAuth() {
  const { me, user, signedOutReason } = useSession();
  const location = useLocation();
  if (me.setupNeeded) return <Navigate to="/premiere-installation" replace />;
  if (!user) {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={signedOutReason === 'signed-out' ? '/connexion' : loginPathFor(here)} replace />;
  }
  return <Outlet />;
}
