import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { ApiError } from '../../shared/api.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { formatSize, kitState, kitZipUrl, startKit, type KitStateDto, type KitTarget } from './kitApi.js';
import './kit.css';

/** Every sentence of the « Kit d'essaimage » block, in one place so it can be translated. */
export const kitMessages = {
  button: 'Kit d’essaimage',
  hint: (theme: string | null) =>
    theme
      ? `Un zip des fiches publiées du thème « ${theme} » : chacune en PDF, Word et Markdown, avec un index à ouvrir sans connexion et un tableau pratiques.csv.`
      : 'Un zip des fiches publiées de cet espace : chacune en PDF, Word et Markdown, avec un index à ouvrir sans connexion et un tableau pratiques.csv.',
  /** The hint on a phone, beside the button (issue 16). */
  hintShort: (theme: string | null) =>
    theme
      ? `Les fiches publiées du thème « ${theme} » en PDF, Word et Markdown (zip).`
      : 'Les fiches publiées en PDF, Word et Markdown (zip).',
  starting: 'Préparation du kit d’essaimage…',
  progress: (done: number, total: number) =>
    `${done} ${done > 1 ? 'fiches' : 'fiche'} sur ${total} ${done > 1 ? 'préparées' : 'préparée'}`,
  ready: (size: string) => `Télécharger le kit d’essaimage (zip, ${size})`,
  readyStatus: 'Le kit d’essaimage est prêt.',
  failedTitle: 'Le kit d’essaimage n’a pas pu être préparé',
  failed: 'La préparation du kit a échoué. Réessayez plus tard.',
  empty: 'Aucune fiche publiée ne correspond : il n’y a pas encore de kit d’essaimage à télécharger.',
};

const m = kitMessages;

/** How often the state of a build is asked, in milliseconds. */
const POLL_MS = 500;

type View =
  | { status: 'idle' }
  | { status: 'starting' }
  | { status: 'building'; done: number; total: number }
  | { status: 'ready'; size: number }
  | { status: 'empty' }
  | { status: 'failed'; message: string };

/**
 * « Kit d'essaimage » (issue 14): one button that asks the server to prepare the zip of the
 * espace's published fiches (or of one theme's, or of a search's), then shows its progress as a
 * `<progress>` labelled « 12 fiches sur 50 préparées » (spoken politely as it advances), then the
 * download link « Télécharger le kit d'essaimage (zip, 4,2 Mo) », which receives the focus. A kit
 * already prepared shows its link at once. Refusals are the server's French sentences; a search
 * or theme with nothing published says so.
 *
 * Props: `espaceId`; `theme` (id, or null for all) and `themeLabel` (what the hint names); `q`
 * (search words); `className` (spacing where it is placed). Changing the first three starts over.
 */
export function KitDownload({
  espaceId,
  theme = null,
  themeLabel = null,
  q = '',
  className,
}: {
  espaceId: string;
  theme?: string | null;
  themeLabel?: string | null;
  q?: string;
  className?: string;
}) {
  const hintId = useId();
  const statusId = useId();
  // What is shown belongs to one kit: another espace, theme or search shows the button again.
  const kitKey = JSON.stringify([espaceId, theme, q]);
  const [shown, setShown] = useState<{ kitKey: string; view: View }>({ kitKey, view: { status: 'idle' } });
  const view: View = shown.kitKey === kitKey ? shown.view : { status: 'idle' };
  const setView = useCallback((next: View) => setShown({ kitKey, view: next }), [kitKey]);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const controller = useRef<AbortController | null>(null);

  // Another kit, or the page left: the build goes on on the server, the polling here stops.
  useEffect(
    () => () => {
      controller.current?.abort();
      controller.current = null;
    },
    [kitKey],
  );

  const target: KitTarget = { espaceId, theme, q };

  const show = useCallback(
    (state: KitStateDto) => {
      if (state.state === 'ready') {
        setView({ status: 'ready', size: state.size ?? 0 });
        requestFocus(() => linkRef.current);
      } else if (state.state === 'building')
        setView({ status: 'building', done: state.done, total: state.total });
      else {
        setView({ status: 'failed', message: state.error ?? m.failed });
        requestFocus(() => failureRef.current);
      }
    },
    [requestFocus, setView],
  );

  const prepare = async () => {
    if (view.status === 'starting' || view.status === 'building') return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setView({ status: 'starting' });
    const { signal } = current;
    try {
      let state = await startKit(target, signal);
      while (!signal.aborted) {
        show(state);
        if (state.state !== 'building') return;
        await new Promise<void>((resolve) => {
          const timer = window.setTimeout(resolve, POLL_MS);
          signal.addEventListener(
            'abort',
            () => {
              window.clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
        if (signal.aborted) return;
        state = await kitState(target, signal);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 404) setView({ status: 'empty' });
      else {
        setView({ status: 'failed', message: error instanceof Error ? error.message : m.failed });
        requestFocus(() => failureRef.current);
      }
    }
  };

  const busy = view.status === 'starting' || view.status === 'building';

  return (
    <div className={className ? `essaim-kit ${className}` : 'essaim-kit'}>
      <button
        type="button"
        className={fr.cx(
          'fr-btn',
          'fr-btn--secondary',
          'fr-btn--sm',
          'fr-btn--icon-left',
          'fr-icon-download-line',
        )}
        aria-describedby={hintId}
        // Not `disabled`: the button keeps the focus while the kit is prepared.
        aria-disabled={busy || undefined}
        onClick={() => void prepare()}
      >
        {m.button}
      </button>
      {/* One sentence or the other is displayed (and so described to screen readers): the short
          one on a phone. */}
      <p id={hintId} className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-kit__hint'}>
        <span className="essaim-wide-only">{m.hint(theme ? (themeLabel ?? theme) : null)}</span>
        <span className="essaim-narrow-only">{m.hintShort(theme ? (themeLabel ?? theme) : null)}</span>
      </p>
      <div className="essaim-kit__state">
        {view.status === 'building' && (
          // Labelled by the sentence under it (« 12 fiches sur 50 préparées »), spoken as it changes.
          <progress
            className="essaim-kit__progress"
            aria-labelledby={statusId}
            max={Math.max(view.total, 1)}
            value={view.done}
          />
        )}
        <p id={statusId} role="status" aria-live="polite" className={fr.cx('fr-text--sm', 'fr-mb-0')}>
          {view.status === 'starting' && m.starting}
          {view.status === 'building' && m.progress(view.done, view.total)}
          {view.status === 'ready' && m.readyStatus}
          {view.status === 'empty' && m.empty}
        </p>
        {view.status === 'ready' && (
          <a
            ref={linkRef}
            className={fr.cx('fr-link', 'fr-icon-download-line', 'fr-link--icon-left')}
            href={kitZipUrl(target)}
            download
          >
            {m.ready(formatSize(view.size))}
          </a>
        )}
      </div>
      {view.status === 'failed' && (
        <FormAlert
          focusRef={failureRef}
          small
          as="h3"
          title={m.failedTitle}
          description={view.message}
          className={fr.cx('fr-mt-1w')}
        />
      )}
    </div>
  );
}
