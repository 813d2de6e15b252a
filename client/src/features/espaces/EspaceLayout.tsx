import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useParams } from 'wouter';
import type { EspaceDetailDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { PageLoading } from '../../shared/PageLoading.js';
import { useSession } from '../auth/session.js';
import { getEspace, getEspaceRecent } from './api.js';
import { espaceLayoutMessages as m } from './layoutMessages.js';

/** What the pages of one espace share: its details, and a way to read them again after a change. */
export interface EspaceContext {
  espace: EspaceDetailDto;
  /** Replaces the details with a fresher copy (e.g. the answer of a role change). */
  setEspace: (espace: EspaceDetailDto) => void;
  reload: () => Promise<void>;
}

const EspaceCtx = createContext<EspaceContext | null>(null);

/**
 * The espace of the page, for the pages drawn inside {@link EspaceLayout} (`/espaces/:id/…`).
 * Throws when called outside it (a page routed elsewhere by mistake).
 */
export function useEspace(): EspaceContext {
  const context = useContext(EspaceCtx);
  if (!context) throw new Error('useEspace : page hors de /espaces/:id');
  return context;
}

type State =
  | { status: 'loading' }
  | { status: 'ready'; espace: EspaceDetailDto }
  | { status: 'error'; httpStatus: number; message: string };

/**
 * `/espaces/:id/…`: loads the espace once for its pages (documents, people), drawn as `children`
 * once it is here (they read it with {@link useEspace}).
 */
export function EspaceLayout({ children }: { children: ReactNode }) {
  const { id = '' } = useParams<{ id?: string }>();
  return (
    <EspaceLoader key={id} id={id}>
      {children}
    </EspaceLoader>
  );
}

function EspaceLoader({ id, children }: { id: string; children: ReactNode }) {
  const { setCurrentEspace } = useSession();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    // The first load shares the header's answer; « Réessayer » asks again.
    (attempt === 0 ? getEspaceRecent(id) : getEspace(id, controller.signal)).then(
      (espace) => {
        if (!controller.signal.aborted) setState({ status: 'ready', espace });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          httpStatus: error instanceof ApiError ? error.status : 0,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, [id, attempt]);

  const espace = state.status === 'ready' ? state.espace : null;
  useEffect(() => {
    if (espace) setCurrentEspace({ id: espace.id, name: espace.name });
  }, [espace, setCurrentEspace]);

  const setEspace = useCallback((next: EspaceDetailDto) => setState({ status: 'ready', espace: next }), []);
  const reload = useCallback(async () => {
    setEspace(await getEspace(id));
  }, [id, setEspace]);

  if (state.status === 'loading') {
    return <PageLoading message={m.loading} />;
  }
  if (state.status === 'error') {
    if (state.httpStatus === 404) {
      return (
        <ErrorPage title={m.notFoundTitle} code={m.notFoundCode} lead={m.notFoundLead} homeLabel={m.home} />
      );
    }
    if (state.httpStatus === 403) {
      return (
        <ErrorPage
          title={m.forbiddenTitle}
          code={m.forbiddenCode}
          lead={m.forbiddenLead}
          homeLabel={m.home}
        />
      );
    }
    return (
      <ErrorPage
        title={m.errorTitle}
        lead={state.message}
        onRetry={() => {
          setState({ status: 'loading' });
          setAttempt((n) => n + 1);
        }}
        retryLabel={m.retry}
        homeLabel={m.home}
      />
    );
  }
  return <EspaceProvider value={{ espace: state.espace, setEspace, reload }}>{children}</EspaceProvider>;
}

/** Provides the espace to its pages; the value changes only when one of its parts does. */
function EspaceProvider({ value, children }: { value: EspaceContext; children: ReactNode }) {
  const { espace, setEspace, reload } = value;
  const context = useMemo(() => ({ espace, setEspace, reload }), [espace, setEspace, reload]);
  return <EspaceCtx.Provider value={context}>{children}</EspaceCtx.Provider>;
}
