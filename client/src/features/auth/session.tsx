import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { MeDto, UserDto } from '@essaim/protocol';
import { ApiError, onSessionLost } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import {
  claimLocalData,
  eraseLocalData,
  rememberAccount,
  rememberedAccount,
} from '../../shared/localData.js';
import { getMe, logout, reachServer } from './api.js';
import { dropEarlyCollabSocket } from '../editor/earlySocket.js';
import { sessionMessages as m } from './sessionMessages.js';

/** Why nobody is logged in any more, for the login page's message. */
export type SignedOutReason = 'signed-out' | 'ended';

export interface CurrentEspace {
  id: string;
  name: string;
}

export interface SessionContextValue {
  me: MeDto;
  user: UserDto | null;
  /** Started from the account remembered by this browser: the server was unreachable. */
  offline: boolean;
  signedOutReason: SignedOutReason | null;
  /** Logging out is under way: pages are unmounted so documents close before being erased. */
  signingOut: boolean;
  /** The espace the person works in now (header navigation). */
  currentEspace: CurrentEspace | null;
  setCurrentEspace: (espace: CurrentEspace) => void;
  /** After a login, a first-run setup or an accepted invitation (the server set the cookie). */
  signedIn: (user: UserDto) => Promise<void>;
  /** Reads `/api/auth/me` again (roles changed, invitation accepted, password reset). */
  refresh: () => Promise<void>;
  /** Closes and erases the local copies, then ends the session on the server. Throws on failure. */
  signOut: () => Promise<void>;
  /** The server said the session is over (401, websocket `unauthorized`). */
  sessionEnded: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

type Boot =
  | { status: 'loading' }
  | { status: 'unreachable' }
  | { status: 'ready'; me: MeDto; offline: boolean; signedOutReason: SignedOutReason | null };

/**
 * What the collaborative server accepts, when `/api/auth/me` cannot be read (offline start): its
 * defaults (`MAX_MESSAGE_BYTES`, `MAX_DOCUMENT_BYTES` in server/src/config.ts), in bytes. A server
 * configured lower refuses a too large change once reached, and the editor then says what to do.
 */
const OFFLINE_COLLAB_LIMITS: MeDto['collabLimits'] = {
  messageBytes: 2 * 1024 * 1024,
  documentBytes: 16 * 1024 * 1024,
};

/**
 * How long (ms) the app waits for `/api/auth/me` (under 2 KB) before it takes the server as
 * unreachable: 15 s, as the editor waits for a document's description (a request that never
 * answered left « Chargement d'Essaim… » forever; tester BR30).
 */
const SESSION_ANSWER_TIMEOUT_MS = 15_000;

async function boot(signal: AbortSignal): Promise<Boot> {
  const timeout = AbortSignal.timeout(SESSION_ANSWER_TIMEOUT_MS);
  try {
    const me = await getMe(AbortSignal.any([signal, timeout]));
    if (me.user) {
      await claimLocalData(me.user.id);
      rememberAccount(me.user);
    }
    return { status: 'ready', me, offline: false, signedOutReason: null };
  } catch (error) {
    const timedOut = timeout.aborted && !signal.aborted;
    if (timedOut || (error instanceof ApiError && error.isNetworkError)) {
      // Offline: documents opened before remain available to the account that opened them.
      const user = rememberedAccount();
      if (user) {
        return {
          status: 'ready',
          me: {
            user,
            setupNeeded: false,
            demo: false,
            demoAccounts: [],
            collabLimits: OFFLINE_COLLAB_LIMITS,
          },
          offline: true,
          signedOutReason: null,
        };
      }
      return { status: 'unreachable' };
    }
    throw error;
  }
}

/** Loads who is logged in (`/api/auth/me`) before anything else, and keeps it for every page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Boot>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [signingOut, setSigningOut] = useState(false);
  const [currentEspace, setCurrentEspaceState] = useState<CurrentEspace | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    boot(controller.signal).then(
      (next) => {
        if (!controller.signal.aborted) setState(next);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        console.error('Session non chargée :', error);
        setState({ status: 'unreachable' });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // The collaboration socket opened as the app started on a document's address carries the
  // cookie of that moment (editor/earlySocket.ts): only for the account then logged in. Dropped as
  // soon as the session says nobody is, or another account is.
  const userId = state.status === 'ready' ? (state.me.user?.id ?? null) : undefined;
  const firstUserId = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (userId === undefined) return;
    if (firstUserId.current === undefined) firstUserId.current = userId;
    if (userId === null || userId !== firstUserId.current) dropEarlyCollabSocket();
  }, [userId]);

  /** Who is logged in now, and why nobody is when the account goes away. */
  const setUser = useCallback(
    (user: UserDto | null, signedOutReason: SignedOutReason | null, patch: Partial<MeDto> = {}) => {
      setState((previous) =>
        previous.status === 'ready'
          ? { status: 'ready', me: { ...previous.me, ...patch, user }, offline: false, signedOutReason }
          : previous,
      );
    },
    [],
  );

  const sessionEnded = useCallback(() => setUser(null, 'ended'), [setUser]);

  useEffect(() => onSessionLost(sessionEnded), [sessionEnded]);

  const signedIn = useCallback(
    async (user: UserDto) => {
      await claimLocalData(user.id);
      rememberAccount(user);
      setUser(user, null, { setupNeeded: false });
    },
    [setUser],
  );

  const refresh = useCallback(async () => {
    const me = await getMe();
    if (me.user) rememberAccount(me.user);
    setState((previous) => ({
      status: 'ready',
      me,
      offline: false,
      // The account was there and is not any more: its session ended.
      signedOutReason:
        previous.status === 'ready' && previous.me.user && !me.user
          ? 'ended'
          : previous.status === 'ready'
            ? previous.signedOutReason
            : null,
    }));
  }, []);

  const signOut = useCallback(async () => {
    setSigningOut(true);
    try {
      // Offline, nothing is erased: a logout the server cannot record would leave its session
      // open (the person logged back in silently with the network) while the local copies were
      // gone. The person is told; everything stays as it was.
      await reachServer();
      // Order matters (STACK.md): providers and Y.Docs closed, local copies erased, then the server.
      await eraseLocalData();
      await logout();
      setCurrentEspaceState(null);
      setUser(null, 'signed-out');
    } finally {
      setSigningOut(false);
    }
  }, [setUser]);

  const setCurrentEspace = useCallback((espace: CurrentEspace) => {
    setCurrentEspaceState((previous) =>
      previous?.id === espace.id && previous.name === espace.name ? previous : espace,
    );
  }, []);

  const value = useMemo<SessionContextValue | null>(
    () =>
      state.status === 'ready'
        ? {
            me: state.me,
            user: state.me.user,
            offline: state.offline,
            signedOutReason: state.signedOutReason,
            signingOut,
            currentEspace,
            setCurrentEspace,
            signedIn,
            refresh,
            signOut,
            sessionEnded,
          }
        : null,
    [state, signingOut, currentEspace, setCurrentEspace, signedIn, refresh, signOut, sessionEnded],
  );

  if (state.status === 'loading') {
    return (
      <main className={fr.cx('fr-container', 'fr-py-6w')}>
        <p role="status">{m.loadingApp}</p>
      </main>
    );
  }
  if (state.status === 'unreachable' || value === null) {
    return (
      <main>
        <ErrorPage
          title={m.unreachableTitle}
          lead={m.unreachableLead}
          onRetry={() => {
            setState({ status: 'loading' });
            setAttempt((n) => n + 1);
          }}
          retryLabel={m.retry}
        />
      </main>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() hors de <SessionProvider>');
  return value;
}

/** The logged-in account, in pages behind `<RequireAuth>`. */
export function useCurrentUser(): UserDto {
  const { user } = useSession();
  if (!user) throw new Error('useCurrentUser() sans personne connectée');
  return user;
}
