import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { loginPathFor } from '../../shared/returnPath.js';
import { useSession } from './session.js';

/**
 * Pages for logged-in people (`children`). Before the first account exists, everything leads to
 * the first-run page; without a session, to the login page, which comes back here afterwards
 * (`?retour=`: path, query and hash of this page), except after a deliberate logout.
 */
export function RequireAuth({ children }: { children: ReactNode }): ReactNode {
  const { me, user, signedOutReason } = useSession();
  if (me.setupNeeded) return <Redirect to="/premiere-installation" replace />;
  if (!user) {
    const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    return <Redirect to={signedOutReason === 'signed-out' ? '/connexion' : loginPathFor(here)} replace />;
  }
  return children;
}
