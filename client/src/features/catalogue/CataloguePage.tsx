import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useLoad } from '../../shared/useLoad.js';
import { useCurrentUser } from '../auth/session.js';
import { archiveDocument, restoreDocument } from '../documents/api.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { espacesMessages } from '../espaces/messages.js';
import { roleLabel } from '../espaces/roles.js';
import { KitDownload } from '../publication/KitDownload.js';
import { NarrowDisclosure } from '../sections/NarrowDisclosure.js';
import { useThemes } from '../themes/useThemes.js';
import { ActivityPanel } from './ActivityPanel.js';
import { listActivity, searchDocuments } from './api.js';
import { DocumentCards } from './DocumentCards.js';
import type { DocumentAction, Labels } from './DocumentParts.js';
import { DocumentTable } from './DocumentTable.js';
import { FilterBar, type FiltersChange } from './FilterBar.js';
import { SortControls } from './SortControls.js';
import { activeFilterCount, readFilters, resetFilters, toApiQuery, writeFilters } from './filters.js';
import { catalogueMessages as m } from './messages.js';
import {
  appendPage,
  firstPage,
  pageQuery,
  remainingCount,
  withoutDocument,
  type ShownPages,
} from './paging.js';
import { territoryLabel } from './territories.js';
import { useNow } from './useNow.js';
import { useTerritoires } from './useTerritoires.js';
import './catalogue.css';
import { useSearchParams } from '../../shared/useSearchParams.js';

/** Asked before archiving or restoring a document. */
const archiveModal = createModal({ id: 'modale-archivage', isOpenedByDefault: false });

/** Address parameter of the display mode (not a filter: the server never sees it). */
const VIEW_PARAM = 'affichage';
const TABLE_VIEW = 'tableau';

const ACTIVITY_REFRESH_MS = 60_000;

type Pending = { doc: DocumentDto; action: 'archive' | 'restore' };

/**
 * « Afficher plus de documents »: on its way, failed, or what it added, for the pages `of` (the
 * value shown: any other, such as the first page of a new filter, shows no such state).
 */
type MoreState =
  | { of: ShownPages; status: 'loading' }
  | { of: ShownPages; status: 'error'; message: string }
  | { of: ShownPages; status: 'done'; announcement: string };

/**
 * `/espaces/:id`: the espace's catalogue. Filters and sort live in the address (shareable, the back
 * button undoes a filter) and go to the server, which filters, sorts and pages (issue 17): the
 * first page shows with the number of documents found, and « Afficher plus de documents » adds the
 * next one below it (the focus goes to its first document, the count is announced); a change of
 * filter or sort starts again from the first page. The documents show as cards or as a table.
 * Next to them, the espace's recent activity. The animateur archives and restores documents from
 * here.
 */
export function CataloguePage() {
  const { espace } = useEspace();
  const user = useCurrentUser();
  useDocumentTitle(`${m.pageTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const resultsHeadingRef = useRef<HTMLHeadingElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const resultsId = useId();
  const now = useNow();

  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const tableView = params.get(VIEW_PARAM) === TABLE_VIEW;
  const query = toApiQuery(espace.id, filters);

  const results = useLoad(
    (signal) => searchDocuments(query, signal).then((page) => firstPage(query, page)),
    [query],
  );
  const resultsRef = useRef<HTMLDivElement>(null);
  const showMoreRef = useRef<HTMLButtonElement>(null);
  const moreRef = useRef<HTMLDivElement>(null);
  const moreId = useId();
  const [more, setMore] = useState<MoreState | null>(null);
  const moreRequest = useRef<AbortController | null>(null);
  // A page on its way belongs to the query shown: a new filter or sort (or leaving) drops it.
  useEffect(
    () => () => {
      moreRequest.current?.abort();
      moreRequest.current = null;
    },
    [query],
  );
  const { state: themes } = useThemes(espace.id);
  const territoires = useTerritoires();
  const activity = useLoad(
    (signal) => listActivity(espace.id, signal).then((body) => body.activity),
    [espace.id],
  );
  const { reload: reloadActivity } = activity;
  useEffect(() => {
    const timer = window.setInterval(reloadActivity, ACTIVITY_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadActivity]);

  const changeFilters = useCallback(
    (change: FiltersChange) =>
      setParams((current) => {
        const before = readFilters(current);
        const next = typeof change === 'function' ? change(before) : { ...before, ...change };
        return writeFilters(next, current);
      }),
    [setParams],
  );
  const setView = (table: boolean) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (table) next.set(VIEW_PARAM, TABLE_VIEW);
        else next.delete(VIEW_PARAM);
        return next;
      },
      { replace: true },
    );

  const themeList = useMemo(() => (themes.status === 'ready' ? themes.value : []), [themes]);
  const labels: Labels = useMemo(() => {
    const byId = new Map(themeList.map((t) => [t.id, t.label]));
    return {
      theme: (id) => byId.get(id) ?? id,
      territory: (code) => territoryLabel(code, territoires),
    };
  }, [themeList, territoires]);
  const rapporteurs = useMemo(
    () =>
      espace.members
        .filter((member) => member.role !== 'membre')
        .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    [espace.members],
  );

  // ---- Archive and restore ---------------------------------------------------------------
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);

  const ask: DocumentAction = (doc, action) => {
    setPending({ doc, action });
    archiveModal.open();
  };
  const confirm = async () => {
    if (!pending) return;
    const { doc, action } = pending;
    setOutcome(null);
    setFailure(null);
    try {
      await (action === 'archive' ? archiveDocument(doc.id) : restoreDocument(doc.id));
      // It leaves the list shown (current documents, or archived ones): at once, then for real,
      // unless more pages were added, which a reload (the first page) would take away.
      const morePages = results.state.status === 'ready' && results.state.value.pages > 1;
      results.update((value) => withoutDocument(value, doc.id));
      if (!morePages) results.reload();
      activity.reload();
      setOutcome(action === 'archive' ? m.archived(doc.title) : m.restored(doc.title));
      requestFocus(() => resultsHeadingRef.current);
    } catch (error) {
      setFailure({
        title: action === 'archive' ? m.archiveErrorTitle : m.restoreErrorTitle,
        message: error instanceof Error ? error.message : String(error),
      });
      requestFocus(() => failureRef.current);
    }
  };

  const role = espace.role
    ? espacesMessages.yourRole(roleLabel[espace.role])
    : user.isAdmin
      ? espacesMessages.noRole
      : null;
  const canCreate = espace.permissions.createDocument;
  const ready = results.state.status === 'ready' ? results.state.value : null;
  const busy = ready !== null && ready.query !== query;
  const count = ready ? m.resultCount(ready.total, filters.archived) : null;
  const moreNow = ready && more?.of === ready ? more : null;
  const remaining = ready ? remainingCount(ready) : 0;
  /** The list is one of several pages: « Afficher plus » or its end's words are drawn under it. */
  const hasMore = ready !== null && (ready.pages > 1 || ready.nextOffset !== null);

  /**
   * Asks for the page after those shown and appends it (without a document already shown), then
   * moves the focus to its first new document, or keeps it on the button when it brought none.
   */
  const showMore = async () => {
    // Not while another filter's first page is on its way (`busy`): it replaces this list.
    if (!ready || busy || ready.nextOffset === null || moreNow?.status === 'loading') return;
    const shown = ready;
    const controller = new AbortController();
    moreRequest.current?.abort();
    moreRequest.current = controller;
    setMore({ of: shown, status: 'loading' });
    try {
      const page = await searchDocuments(pageQuery(shown.query, shown.nextOffset ?? 0), controller.signal);
      if (controller.signal.aborted) return;
      const { pages, firstNewId } = appendPage(shown, page);
      // The list may have changed meanwhile (a document archived): the page is added to it.
      results.update((value) =>
        value === shown ? pages : value.query === shown.query ? appendPage(value, page).pages : value,
      );
      const added = pages.documents.length - shown.documents.length;
      setMore({
        of: pages,
        status: 'done',
        announcement: m.moreLoaded(added, pages.documents.length, pages.total),
      });
      requestFocus(
        () =>
          (firstNewId
            ? resultsRef.current?.querySelector<HTMLElement>(
                `[data-document-id="${CSS.escape(firstNewId)}"] a[href]`,
              )
            : null) ??
          showMoreRef.current ??
          resultsHeadingRef.current,
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      setMore({
        of: shown,
        status: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      if (moreRequest.current === controller) moreRequest.current = null;
    }
  };
  const narrowed = activeFilterCount({ ...filters, archived: false }) > 0;

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <div className="essaim-catalogue-head">
        <div>
          <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mb-1w')}>
            {espace.name}
          </h1>
          {role && <p className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>{role}</p>}
          <p className={fr.cx('fr-mb-0') + ' essaim-catalogue-lead'}>
            <span className="essaim-wide-only">{m.lead}</span>
            <span className="essaim-narrow-only">{m.leadShort}</span>
          </p>
          <KitDownload
            className={fr.cx('fr-mt-1w', 'fr-mt-md-2w')}
            espaceId={espace.id}
            theme={filters.theme}
            themeLabel={filters.theme ? labels.theme(filters.theme) : null}
          />
        </div>
        {(canCreate || espace.permissions.readReviewQueue) && (
          <ul
            className={
              fr.cx(
                'fr-btns-group',
                // Inline on a phone too (« --inline-md » stacked them full width): one row, where
                // they fit, under the kit.
                'fr-btns-group--inline',
                'fr-btns-group--right',
                'fr-btns-group--icon-left',
              ) + ' essaim-catalogue-actions'
            }
          >
            {espace.permissions.readReviewQueue && (
              <li>
                <Button
                  priority="secondary"
                  iconId="fr-icon-checkbox-circle-line"
                  linkProps={{ to: `/espaces/${espace.id}/relecture` }}
                >
                  <span className="essaim-wide-only">{m.reviewDashboard}</span>
                  <span className="essaim-narrow-only">{m.reviewDashboardShort}</span>
                </Button>
              </li>
            )}
            {canCreate && (
              <li>
                <Button
                  iconId="fr-icon-add-line"
                  linkProps={{ to: `/espaces/${espace.id}/nouveau-document` }}
                >
                  {m.newDocument}
                </Button>
              </li>
            )}
          </ul>
        )}
      </div>

      <FilterBar
        filters={filters}
        onChange={changeFilters}
        themes={themeList}
        territoires={territoires}
        rapporteurs={rapporteurs}
      />

      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mt-1w', 'fr-mt-md-3w')}>
        <section
          aria-labelledby={resultsId}
          className={
            fr.cx('fr-col-12', tableView ? 'fr-col-lg-12' : 'fr-col-lg-8') +
            (results.state.status === 'loading' ? ' essaim-results-section--waiting' : '')
          }
        >
          <div className="essaim-results-head">
            <div className="essaim-results-head__title">
              <h2 id={resultsId} ref={resultsHeadingRef} tabIndex={-1} className={fr.cx('fr-h4', 'fr-mb-0')}>
                {filters.archived ? m.archivedResultsTitle : m.resultsTitle}
              </h2>
              {/* Announced each time the list changes, so people hear what their filter did. */}
              <p role="status" className={fr.cx('fr-mb-0') + ' essaim-muted'}>
                {results.state.status === 'loading' ? m.loading : count}
              </p>
            </div>
            {/* On a phone the sort and the display are folded behind what they are set to. */}
            <NarrowDisclosure
              className="essaim-results-head__fold"
              summary={m.sortSummary(
                m.sortLabels[filters.sort],
                filters.sort === 'relevance' ? null : m.orderLabels[filters.order],
              )}
            >
              <div className="essaim-results-head__tools">
                <SortControls filters={filters} onChange={changeFilters} />
                <SegmentedControl
                  small
                  inlineLegend
                  legend={m.viewLegend}
                  segments={[
                    {
                      label: m.viewCards,
                      iconId: 'fr-icon-layout-grid-line',
                      nativeInputProps: {
                        checked: !tableView,
                        onChange: () => setView(false),
                        value: 'cartes',
                      },
                    },
                    {
                      label: m.viewTable,
                      iconId: 'fr-icon-table-line',
                      nativeInputProps: {
                        checked: tableView,
                        onChange: () => setView(true),
                        value: 'tableau',
                      },
                    },
                  ]}
                />
              </div>
            </NarrowDisclosure>
          </div>

          <StatusMessage message={outcome} className={fr.cx('fr-mt-2w')} />
          {failure && (
            <FormAlert focusRef={failureRef} as="h3" title={failure.title} description={failure.message} />
          )}

          {results.state.status === 'error' && (
            <LoadFailed
              as="h3"
              title={m.loadErrorTitle}
              message={results.state.message}
              retryLabel={m.retry}
              onRetry={results.retry}
            />
          )}
          {ready && (
            <div
              ref={resultsRef}
              aria-busy={busy}
              className={'essaim-results' + (busy ? ' essaim-results--busy' : '')}
            >
              {/* Each card holds two or three controls: past 50 documents, « Afficher plus » was
                  103 Tab presses away (tester BR37). Shown when it has the focus, as the page's
                  own skip links are. */}
              {ready.documents.length > 0 && hasMore && (
                <a
                  href={`#${moreId}`}
                  className={fr.cx('fr-link', 'fr-link--sm') + ' essaim-skip-within'}
                  onClick={(event) => {
                    event.preventDefault();
                    (showMoreRef.current ?? moreRef.current)?.focus();
                  }}
                >
                  {m.skipToEnd}
                </a>
              )}
              {ready.documents.length === 0 ? (
                <div className="essaim-empty">
                  <span className={fr.cx('fr-icon-folder-2-line', 'fr-icon--lg')} aria-hidden="true" />
                  {narrowed ? (
                    <>
                      <p className={fr.cx('fr-mb-1w')}>{m.emptyFiltered}</p>
                      <p className={fr.cx('fr-text--sm')}>{m.emptyFilteredHint}</p>
                      <Button
                        priority="secondary"
                        iconId="fr-icon-refresh-line"
                        onClick={() => changeFilters(resetFilters)}
                      >
                        {m.resetFilters}
                      </Button>
                    </>
                  ) : filters.archived ? (
                    <p className={fr.cx('fr-mb-0')}>{m.emptyArchived}</p>
                  ) : (
                    <>
                      <p className={fr.cx('fr-mb-1w')}>{m.empty}</p>
                      {canCreate && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.emptyCanCreate}</p>}
                    </>
                  )}
                </div>
              ) : tableView ? (
                <DocumentTable
                  documents={ready.documents}
                  caption={m.tableCaption(count ?? '')}
                  labels={labels}
                  now={now}
                  onAction={ask}
                />
              ) : (
                <DocumentCards documents={ready.documents} labels={labels} now={now} onAction={ask} />
              )}
              {ready.documents.length > 0 && hasMore && (
                <div
                  ref={moreRef}
                  id={moreId}
                  tabIndex={-1}
                  className={fr.cx('fr-mt-3w') + ' essaim-results-more'}
                >
                  {/* Announced as a page is asked for and once it is shown. */}
                  <p role="status" className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>
                    {moreNow?.status === 'loading'
                      ? m.loadingMore
                      : moreNow?.status === 'done'
                        ? moreNow.announcement
                        : m.shownOf(ready.documents.length, ready.total)}
                  </p>
                  {moreNow?.status === 'error' && (
                    <Alert
                      small
                      severity="error"
                      className={fr.cx('fr-mb-2w')}
                      description={`${m.moreErrorTitle} : ${moreNow.message}`}
                    />
                  )}
                  {ready.nextOffset !== null && (
                    <Button
                      ref={showMoreRef}
                      priority="secondary"
                      iconId="fr-icon-arrow-down-line"
                      // Not `disabled`: the focus stays on the button while the page comes.
                      nativeButtonProps={{ 'aria-disabled': moreNow?.status === 'loading' }}
                      onClick={() => void showMore()}
                    >
                      {`${m.showMore} (${m.remaining(remaining)})`}
                    </Button>
                  )}
                  {ready.nextOffset === null && remaining > 0 && (
                    <>
                      <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>{m.listChanged(remaining)}</p>
                      <Button
                        priority="secondary"
                        iconId="fr-icon-refresh-line"
                        onClick={() => results.reload()}
                      >
                        {m.refreshList}
                      </Button>
                    </>
                  )}
                </div>
              )}
            </div>
          )}
        </section>
        <div className={fr.cx('fr-col-12', tableView ? 'fr-col-lg-12' : 'fr-col-lg-4')}>
          <ActivityPanel activity={activity.state} now={now} onRetry={activity.retry} />
        </div>
      </div>

      <ConfirmDialog
        modal={archiveModal}
        title={pending?.action === 'restore' ? m.restoreDialogTitle : m.archiveDialogTitle}
        confirmLabel={pending?.action === 'restore' ? m.restoreConfirm : m.archiveConfirm}
        onConfirm={() => void confirm()}
      >
        <p>
          {pending &&
            (pending.action === 'restore'
              ? m.restoreDialogText(pending.doc.title)
              : m.archiveDialogText(pending.doc.title))}
        </p>
      </ConfirmDialog>
    </div>
  );
}
