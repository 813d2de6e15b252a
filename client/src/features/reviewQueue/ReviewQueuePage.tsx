import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr';
import type { EspaceDetailDto, ReviewQueueDto, ReviewQueueEntryDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useLoad, type Loadable } from '../../shared/useLoad.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { useThemes } from '../themes/useThemes.js';
import {
  compareWithCurrent,
  getReviewedSections,
  getReviewQueue,
  listDocumentsByTitle,
  reviewSection,
  type QueueScope,
} from './api.js';
import { DocumentProgress } from './DocumentProgress.js';
import { activeScopeCount, readQueueScope, writeQueueScope } from './filters.js';
import { reviewQueueMessages as m } from './messages.js';
import {
  entryKey,
  focusAfterRemoval,
  groupEntries,
  loadEvidence,
  queueGroups,
  withLiveReview,
  type DocumentEvidence,
  type EvidenceSource,
  type LiveDocumentReview,
  type QueueGroup,
} from './model.js';
import { entryHeadingId, QueueEntry, type Decide } from './QueueEntry.js';
import './reviewQueue.css';
import { useSearchParams } from '../../shared/useSearchParams.js';

const NO_ENTRIES: ReviewQueueEntryDto[] = [];

const groupTitles: Record<QueueGroup, { title: string; hint: string }> = {
  submitted: { title: m.groupSubmitted, hint: m.groupSubmittedHint },
  stale: { title: m.groupStale, hint: m.groupStaleHint },
  changes: { title: m.groupChanges, hint: m.groupChangesHint },
};

const evidenceSource: EvidenceSource = { sections: getReviewedSections, compare: compareWithCurrent };

/** Each document's evidence (sections now, comparisons since approvals), read in parallel. */
async function loadAllEvidence(
  wanted: ReadonlyMap<string, string[]>,
  signal: AbortSignal,
): Promise<Map<string, Loadable<DocumentEvidence>>> {
  const out = new Map<string, Loadable<DocumentEvidence>>();
  await Promise.all(
    [...wanted].map(async ([documentId, sectionIds]) => {
      try {
        out.set(documentId, {
          status: 'ready',
          value: await loadEvidence(evidenceSource, documentId, sectionIds, signal),
        });
      } catch (error) {
        out.set(documentId, {
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
  // A newer round replaced this one: it must not land over it.
  signal.throwIfAborted();
  return out;
}

/** The section ids of the queue, by document. */
function sectionsByDocument(entries: readonly ReviewQueueEntryDto[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of entries) {
    const ids = out.get(entry.document.id) ?? [];
    ids.push(entry.section.id);
    out.set(entry.document.id, ids);
  }
  return out;
}

/**
 * `/espaces/:id/relecture`: the espace's « Relecture » dashboard (issue 12). What waits, in the
 * server's order (`GET /api/espaces/:id/review-queue`): sections submitted (oldest first),
 * approvals gone stale, sections with changes requested — for the animateur everything, for a
 * rapporteur her requests and stale approvals. Each section shows what changed since its last
 * approval and the steps the caller may take; then each document's progress. Filters by document
 * and theme live in the address. Membres are told the page is not theirs (the queue is 403).
 */
export function ReviewQueuePage() {
  const { espace } = useEspace();
  if (!espace.permissions.readReviewQueue) {
    return (
      <ErrorPage
        title={m.forbiddenTitle}
        code={m.forbiddenCode}
        lead={m.forbiddenLead}
        homeLabel={m.home}
        homeTo={`/espaces/${espace.id}`}
      />
    );
  }
  return <ReviewQueueView espace={espace} />;
}

function ReviewQueueView({ espace }: { espace: EspaceDetailDto }) {
  useDocumentTitle(m.documentTitle(espace.name));
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const queueHeadingRef = useRef<HTMLHeadingElement>(null);
  const requestFocus = useFocusRequest();
  const queueId = useId();
  const progressId = useId();

  const [params, setParams] = useSearchParams();
  const scope = useMemo(() => readQueueScope(params), [params]);
  const setScope = useCallback(
    (change: Partial<QueueScope>) =>
      setParams((current) => writeQueueScope({ ...readQueueScope(current), ...change }, current)),
    [setParams],
  );

  const queue = useLoad(
    (signal) => getReviewQueue(espace.id, scope, signal).then((value) => ({ scope, value })),
    [espace.id, scope.documentId, scope.theme],
  );
  const { state: themes } = useThemes(espace.id);
  const documents = useLoad(
    (signal) => listDocumentsByTitle(espace.id, scope.theme, signal),
    [espace.id, scope.theme],
  );

  const ready = queue.state.status === 'ready' ? queue.state.value : null;
  const busy =
    ready !== null && (ready.scope.documentId !== scope.documentId || ready.scope.theme !== scope.theme);
  const listed = ready?.value.entries ?? NO_ENTRIES;

  // What each document's sections say now, and what changed since their approvals.
  const wanted = useMemo(() => sectionsByDocument(listed), [listed]);
  const signature = [...wanted].map(([doc, ids]) => `${doc}:${ids.join(',')}`).join(';');
  const [round, setRound] = useState(0);
  const evidence = useLoad((signal) => loadAllEvidence(wanted, signal), [signature, round]);
  const evidenceMap = evidence.state.status === 'ready' ? evidence.state.value : null;
  const evidenceOf = (documentId: string): Loadable<DocumentEvidence> | undefined =>
    evidenceMap?.get(documentId);
  // The entries as their sections stand now, once read (see `withLiveReview`).
  const entries = useMemo(
    () =>
      listed.flatMap((entry) => {
        const read = evidenceMap?.get(entry.document.id);
        const live =
          read?.status === 'ready' ? withLiveReview(entry, read.value.sections.get(entry.section.id)) : entry;
        return live ? [live] : [];
      }),
    [listed, evidenceMap],
  );
  const groups = useMemo(() => groupEntries(entries), [entries]);

  // Each document's review read now (after a decision, with the evidence), over the queue's
  // (stored a few seconds behind the text): « 13 / 13 » and « Prête à publier » at once.
  const [liveDocuments, setLiveDocuments] = useState<ReadonlyMap<string, LiveDocumentReview>>(new Map());
  const [evidenceSeen, setEvidenceSeen] = useState(evidenceMap);
  if (evidenceMap !== evidenceSeen) {
    setEvidenceSeen(evidenceMap);
    const next = new Map(liveDocuments);
    for (const [id, read] of evidenceMap ?? [])
      if (read.status === 'ready') next.set(id, read.value.document);
    setLiveDocuments(next);
  }
  const progressRows = useMemo(
    () =>
      (ready?.value.documents ?? []).map((doc) => {
        const live = liveDocuments.get(doc.id);
        return live ? { ...doc, reviewState: live.reviewState, review: live.review } : doc;
      }),
    [ready, liveDocuments],
  );

  const { reload: reloadQueue } = queue;
  const refresh = useCallback(() => {
    setLiveDocuments(new Map());
    reloadQueue();
    setRound((n) => n + 1);
  }, [reloadQueue]);
  // Back on the tab: others may have written or decided meanwhile.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const [outcome, setOutcome] = useState<string | null>(null);
  // A refusal whose section may leave the list once read again (someone else decided first):
  // its reason must outlive the card that showed it.
  const [refusal, setRefusal] = useState<{ key: string; text: string; seen: ReviewQueueDto } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  if (refusal && ready && ready.value !== refusal.seen) {
    // The queue read again after the refusal: gone, the reason moves up to the page.
    setRefusal(null);
    if (!entries.some((e) => entryKey(e) === refusal.key)) setNotice(refusal.text);
  }
  // The card that had the focus is gone: the reason takes it.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const decide: Decide = async (entry, input) => {
    setOutcome(null);
    setNotice(null);
    try {
      await reviewSection(entry.document.id, entry.section.id, input);
    } catch (error) {
      // The section moved on (changed words, another decision): show it as it is now.
      if (error instanceof ApiError && error.status === 409) {
        const title = entry.section.title.trim() || m.untitledSection;
        if (ready) {
          const text = m.refusedGone(title, entry.document.title, error.message);
          setRefusal({ key: entryKey(entry), text, seen: ready.value });
        }
        refresh();
      }
      throw error;
    }
    const key = entryKey(entry);
    const next = focusAfterRemoval(entries, key);
    // It leaves its list at once; the queue read again puts it where it now belongs.
    queue.update((current) => ({
      ...current,
      value: { ...current.value, entries: current.value.entries.filter((e) => entryKey(e) !== key) },
    }));
    reloadQueue();
    getReviewedSections(entry.document.id).then(
      (read) =>
        setLiveDocuments((current) =>
          new Map(current).set(entry.document.id, { reviewState: read.reviewState, review: read.review }),
        ),
      // The queue read again still gives a progress, a few seconds behind.
      () => undefined,
    );
    setOutcome(m.done(input.action, entry.section.title.trim() || m.untitledSection, entry.document.title));
    requestFocus(
      () => (next ? document.getElementById(entryHeadingId(next)) : null) ?? queueHeadingRef.current,
    );
  };

  const narrowed = activeScopeCount(scope) > 0;
  const themeList = themes.status === 'ready' ? themes.value : [];
  const documentList = documents.state.status === 'ready' ? documents.state.value : [];
  const chosenDocumentMissing =
    scope.documentId !== null && !documentList.some((d) => d.id === scope.documentId);
  const chosenDocumentTitle =
    ready?.value.documents.find((d) => d.id === scope.documentId)?.title ?? scope.documentId;

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mb-1w')}>
        {m.pageTitle}
      </h1>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>{espace.name}</p>
      <p className={fr.cx('fr-text--lead', 'fr-mb-3w')}>{m.lead}</p>

      <QueueFilters
        scope={scope}
        onChange={setScope}
        documents={documentList.map((d) => ({ id: d.id, title: d.title }))}
        missingDocument={chosenDocumentMissing ? chosenDocumentTitle : null}
        themes={themeList}
      />

      <section aria-labelledby={queueId} className={fr.cx('fr-mt-4w')}>
        <div className="essaim-queue-head">
          <h2 id={queueId} ref={queueHeadingRef} tabIndex={-1} className={fr.cx('fr-h4', 'fr-mb-0')}>
            {m.queueTitle}
          </h2>
          {/* Announced each time the list changes, so people hear what a filter or a decision did. */}
          <p role="status" className={fr.cx('fr-mb-0') + ' essaim-muted'}>
            {queue.state.status === 'loading' ? m.loading : ready ? m.queueCount(entries.length) : null}
          </p>
        </div>
        <StatusMessage message={outcome} className={fr.cx('fr-mt-2w')} />
        {notice && (
          <FormAlert
            focusRef={noticeRef}
            severity="warning"
            small
            as="h3"
            title={m.decisionFailedTitle}
            description={notice}
            className={fr.cx('fr-mt-2w', 'fr-mb-2w')}
          />
        )}

        {queue.state.status === 'error' && (
          <LoadFailed
            as="h3"
            title={m.loadErrorTitle}
            message={queue.state.message}
            retryLabel={m.retry}
            onRetry={queue.retry}
          />
        )}
        {ready && (
          <div aria-busy={busy} className={'essaim-queue' + (busy ? ' essaim-queue--busy' : '')}>
            {entries.length === 0 ? (
              <p className={fr.cx('fr-mt-2w')}>{narrowed ? m.queueEmptyFiltered : m.queueEmpty}</p>
            ) : (
              queueGroups.map((group) =>
                groups[group].length === 0 ? null : (
                  <QueueGroupSection key={group} group={group} count={groups[group].length}>
                    {groups[group].map((entry) => (
                      <li key={entryKey(entry)}>
                        <QueueEntry
                          entry={entry}
                          evidence={evidenceOf(entry.document.id)}
                          onDecide={decide}
                          onRetryEvidence={() => setRound((n) => n + 1)}
                        />
                      </li>
                    ))}
                  </QueueGroupSection>
                ),
              )
            )}
          </div>
        )}
      </section>

      <section aria-labelledby={progressId} className={fr.cx('fr-mt-6w')}>
        <h2 id={progressId} className={fr.cx('fr-h4')}>
          {m.progressTitle}
        </h2>
        {ready &&
          (progressRows.length === 0 ? (
            <p>{m.progressEmpty}</p>
          ) : (
            <DocumentProgress documents={progressRows} onFilter={(documentId) => setScope({ documentId })} />
          ))}
      </section>
    </div>
  );
}

function QueueGroupSection({
  group,
  count,
  children,
}: {
  group: QueueGroup;
  count: number;
  children: ReactNode;
}) {
  const headingId = useId();
  const { title, hint } = groupTitles[group];
  return (
    <section aria-labelledby={headingId} className="essaim-queue-group" data-group={group}>
      <div className="essaim-queue-group__head">
        <h3 id={headingId} className={fr.cx('fr-h5', 'fr-mb-0')}>
          {title}
        </h3>
        <Badge as="span" small noIcon>
          {count}
        </Badge>
      </div>
      <p className={fr.cx('fr-text--sm', 'fr-mb-2w') + ' essaim-muted'}>{hint}</p>
      <ul className="essaim-queue-group__list">{children}</ul>
    </section>
  );
}

/**
 * « Document » and « Thème », written in the page's address at once (the page reads it to ask the
 * server; nothing is filtered here).
 */
function QueueFilters({
  scope,
  onChange,
  documents,
  missingDocument,
  themes,
}: {
  scope: QueueScope;
  onChange: (change: Partial<QueueScope>) => void;
  documents: { id: string; title: string }[];
  /** The chosen document's title when the list does not have it (loading, other theme). */
  missingDocument: string | null;
  themes: { id: string; label: string; archived: boolean }[];
}) {
  const headingId = useId();
  const documentSelectId = useId();
  const active = themes.filter((t) => !t.archived);
  const archived = themes.filter((t) => t.archived);
  return (
    <section aria-labelledby={headingId} className="essaim-queue-filters">
      <div className="essaim-queue-filters__head">
        <h2 id={headingId} className={fr.cx('fr-h6', 'fr-mb-0')}>
          <span className={fr.cx('fr-icon-filter-line', 'fr-mr-1w')} aria-hidden="true" />
          {m.filtersTitle}
        </h2>
        {activeScopeCount(scope) > 0 && (
          <Button
            type="button"
            size="small"
            priority="tertiary"
            iconId="fr-icon-refresh-line"
            onClick={() => {
              onChange({ documentId: null, theme: null });
              // The button disappears with the filters: the first filter is where to start again.
              document.getElementById(documentSelectId)?.focus();
            }}
          >
            {m.resetFilters}
          </Button>
        )}
      </div>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select
            label={m.documentFilter}
            nativeSelectProps={{
              id: documentSelectId,
              name: 'document',
              value: scope.documentId ?? '',
              onChange: (event) => onChange({ documentId: event.target.value || null }),
            }}
          >
            <option value="">{m.allDocuments}</option>
            {documents.map((doc) => (
              <option key={doc.id} value={doc.id}>
                {doc.title}
              </option>
            ))}
            {scope.documentId && missingDocument !== null && (
              <option value={scope.documentId}>{missingDocument}</option>
            )}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select
            label={m.themeFilter}
            nativeSelectProps={{
              name: 'theme',
              value: scope.theme ?? '',
              onChange: (event) => onChange({ theme: event.target.value || null }),
            }}
          >
            <option value="">{m.allThemes}</option>
            {active.map((theme) => (
              <option key={theme.id} value={theme.id}>
                {theme.label}
              </option>
            ))}
            {archived.length > 0 && (
              <optgroup label={m.archivedThemesGroup}>
                {archived.map((theme) => (
                  <option key={theme.id} value={theme.id}>
                    {theme.label}
                  </option>
                ))}
              </optgroup>
            )}
            {scope.theme && !themes.some((t) => t.id === scope.theme) && (
              <option value={scope.theme}>{scope.theme}</option>
            )}
          </Select>
        </div>
      </div>
    </section>
  );
}
