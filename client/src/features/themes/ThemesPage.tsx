import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link } from 'wouter';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { THEME_LABEL_MAX_LENGTH } from '@essaim/domain';
import type { ThemeDto } from '@essaim/protocol';
import { DataTable } from '../../shared/DataTable.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { writeFilters, emptyFilters } from '../catalogue/filters.js';
import { lengthNotice, textLength, withinLimit } from '../metadata/lengthLimit.js';
import { createTheme, updateTheme } from './api.js';
import { themesMessages as m } from './messages.js';
import { byLabel, useThemes } from './useThemes.js';
import './themes.css';

/** Id of the button that archives or reactivates a theme, to bring the focus back to it. */
const actionId = (themeId: string) => `theme-${themeId}-archivage`;
const renameId = (themeId: string) => `theme-${themeId}-renommer`;

/**
 * `/espaces/:id/themes`: the espace's themes with their document counts. The animateur adds,
 * renames, archives and reactivates them; an archived theme stays on its documents but is no
 * longer offered in forms. Others read the list.
 */
export function ThemesPage() {
  const { espace } = useEspace();
  useDocumentTitle(`${m.pageTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { state, retry, update } = useThemes(espace.id);
  const manage = espace.role === 'animateur';
  const [outcome, setOutcome] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const activeId = useId();
  const archivedId = useId();

  const replace = (theme: ThemeDto) =>
    update((list) => [...list.filter((t) => t.id !== theme.id), theme].sort(byLabel));

  const toggleArchive = async (theme: ThemeDto) => {
    setOutcome(null);
    setFailure(null);
    try {
      const changed = await updateTheme(espace.id, theme.id, { archived: !theme.archived });
      replace(changed);
      setOutcome(changed.archived ? m.archived(changed.label) : m.unarchived(changed.label));
      // The theme moved to the other table: its button there keeps the focus.
      requestFocus(() => document.getElementById(actionId(theme.id)));
    } catch (error) {
      setFailure({
        title: m.archiveErrorTitle,
        message: error instanceof Error ? error.message : String(error),
      });
      requestFocus(() => failureRef.current);
    }
  };

  const catalogueLink = (theme: ThemeDto) =>
    `/espaces/${espace.id}?${writeFilters({ ...emptyFilters(), theme: theme.id }).toString()}`;

  const tableProps = {
    manage,
    espaceId: espace.id,
    catalogueLink,
    onRenamed: (before: ThemeDto, changed: ThemeDto) => {
      replace(changed);
      setFailure(null);
      setOutcome(m.renamed(before.label, changed.label));
    },
    onToggleArchive: (theme: ThemeDto) => void toggleArchive(theme),
  };
  const active = state.status === 'ready' ? state.value.filter((t) => !t.archived) : [];
  const archived = state.status === 'ready' ? state.value.filter((t) => t.archived) : [];

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <Breadcrumb
        className={fr.cx('fr-mb-3w')}
        currentPageLabel={m.pageTitle}
        segments={[{ label: espace.name, linkProps: { to: `/espaces/${espace.id}` } }]}
      />
      <h1 ref={headingRef} tabIndex={-1}>
        {m.pageTitle}
      </h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-2w')}>{m.lead}</p>
      {!manage && <p>{m.leadReadOnly}</p>}

      <StatusMessage message={outcome} className={fr.cx('fr-mt-2w')} />
      {failure && <FormAlert focusRef={failureRef} title={failure.title} description={failure.message} />}

      {manage && (
        <AddThemeForm
          espaceId={espace.id}
          onAdded={(theme) => {
            update((list) => [...list, theme].sort(byLabel));
            setFailure(null);
            setOutcome(m.added(theme.label));
          }}
        />
      )}

      {state.status === 'loading' && (
        <p role="status" className="essaim-muted">
          {m.loading}
        </p>
      )}
      {state.status === 'error' && (
        <LoadFailed
          as="h2"
          title={m.loadErrorTitle}
          message={state.message}
          retryLabel={m.retry}
          onRetry={retry}
        />
      )}
      {state.status === 'ready' && (
        <>
          <section aria-labelledby={activeId} className={fr.cx('fr-mt-6w')}>
            <h2 id={activeId}>{m.activeTitle}</h2>
            {active.length > 0 ? (
              <ThemesTable themes={active} caption={m.activeCaption(active.length)} {...tableProps} />
            ) : (
              <p>{m.activeEmpty}</p>
            )}
          </section>
          <section aria-labelledby={archivedId} className={fr.cx('fr-mt-6w')}>
            <h2 id={archivedId}>{m.archivedTitle}</h2>
            <p>{m.archivedLead}</p>
            {archived.length > 0 ? (
              <ThemesTable themes={archived} caption={m.archivedCaption(archived.length)} {...tableProps} />
            ) : (
              <p className="essaim-muted">{m.archivedEmpty}</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function ThemesTable({
  themes,
  caption,
  manage,
  espaceId,
  catalogueLink,
  onRenamed,
  onToggleArchive,
}: {
  themes: ThemeDto[];
  caption: string;
  manage: boolean;
  espaceId: string;
  catalogueLink: (theme: ThemeDto) => string;
  onRenamed: (before: ThemeDto, changed: ThemeDto) => void;
  onToggleArchive: (theme: ThemeDto) => void;
}) {
  return (
    <DataTable
      caption={caption}
      headers={[m.colLabel, m.colDocuments, ...(manage ? [m.colActions] : [])]}
      className="essaim-themes-table"
    >
      {themes.map((theme) => (
        <ThemeRow
          key={theme.id}
          theme={theme}
          manage={manage}
          espaceId={espaceId}
          catalogueLink={catalogueLink(theme)}
          onRenamed={(changed) => onRenamed(theme, changed)}
          onToggleArchive={() => onToggleArchive(theme)}
        />
      ))}
    </DataTable>
  );
}

/** `POST /api/espaces/:id/themes`: the label is checked by the server; its words show under the field. */
function AddThemeForm({ espaceId, onAdded }: { espaceId: string; onAdded: (theme: ThemeDto) => void }) {
  const id = useId();
  const [label, setLabel] = useState('');
  // Said before the 80-character limit cuts anything (issue 16).
  const addNotice = lengthNotice(textLength(label), THEME_LABEL_MAX_LENGTH);
  const [errors, setErrors] = useState<FormErrors<'label'>>(noErrors());
  const [pending, setPending] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (label.trim() === '') {
      setErrors({ fields: { label: m.labelRequired } });
      requestFocus(() => inputRef.current);
      return;
    }
    setPending(true);
    setErrors(noErrors());
    try {
      const theme = await createTheme(espaceId, label);
      setLabel('');
      onAdded(theme);
      // Ready for the next one.
      requestFocus(() => inputRef.current);
    } catch (error) {
      const next = formErrorsFrom(error, ['label'] as const);
      setErrors(next);
      requestFocus(() => (next.fields.label ? inputRef.current : alertRef.current));
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-titre`} className={'essaim-panel ' + fr.cx('fr-mt-4w')}>
      <h2 id={`${id}-titre`} className={fr.cx('fr-h5')}>
        {m.addTitle}
      </h2>
      {errors.general && (
        <FormAlert focusRef={alertRef} as="h3" title={m.addErrorTitle} description={errors.general} />
      )}
      <form onSubmit={submit} noValidate className="essaim-theme-add">
        <Input
          label={m.labelField}
          hintText={m.labelHint}
          state={errors.fields.label ? 'error' : addNotice ? 'info' : 'default'}
          stateRelatedMessage={errors.fields.label ?? addNotice ?? undefined}
          nativeInputProps={{
            ref: inputRef,
            name: 'label',
            value: label,
            autoComplete: 'off',
            'aria-required': true,
            'aria-invalid': errors.fields.label ? true : undefined,
            onChange: (event) => setLabel(withinLimit(label, event.target.value, THEME_LABEL_MAX_LENGTH)),
          }}
        />
        <Button type="submit" iconId="fr-icon-add-line" disabled={pending}>
          {pending ? m.adding : m.add}
        </Button>
      </form>
    </section>
  );
}

function ThemeRow({
  theme,
  manage,
  espaceId,
  catalogueLink,
  onRenamed,
  onToggleArchive,
}: {
  theme: ThemeDto;
  manage: boolean;
  espaceId: string;
  catalogueLink: string;
  onRenamed: (theme: ThemeDto) => void;
  onToggleArchive: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const requestFocus = useFocusRequest();

  const stopEditing = () => {
    setEditing(false);
    requestFocus(() => document.getElementById(renameId(theme.id)));
  };

  return (
    <tr>
      <td>
        {editing ? (
          <RenameForm
            theme={theme}
            espaceId={espaceId}
            onDone={(changed) => {
              onRenamed(changed);
              stopEditing();
            }}
            onCancel={stopEditing}
          />
        ) : (
          theme.label
        )}
      </td>
      <td>
        {theme.documents > 0 ? (
          <Link to={catalogueLink}>
            {m.documents(theme.documents)}
            <span className="fr-sr-only">{m.ofTheme(theme.label)}</span>
          </Link>
        ) : (
          m.documents(0)
        )}
      </td>
      {manage && (
        <td>
          <ul
            className={
              fr.cx(
                'fr-btns-group',
                'fr-btns-group--inline',
                'fr-btns-group--sm',
                'fr-btns-group--icon-left',
              ) + ' essaim-theme-actions'
            }
          >
            {!editing && (
              <li>
                <Button
                  type="button"
                  priority="secondary"
                  size="small"
                  iconId="fr-icon-edit-line"
                  nativeButtonProps={{ id: renameId(theme.id), 'aria-label': m.renameLabel(theme.label) }}
                  onClick={() => {
                    setEditing(true);
                  }}
                >
                  {m.rename}
                </Button>
              </li>
            )}
            <li>
              <Button
                type="button"
                priority="tertiary"
                size="small"
                iconId={theme.archived ? 'fr-icon-inbox-unarchive-line' : 'fr-icon-inbox-archive-line'}
                nativeButtonProps={{
                  id: actionId(theme.id),
                  'aria-label': theme.archived ? m.unarchiveLabel(theme.label) : m.archiveLabel(theme.label),
                }}
                onClick={onToggleArchive}
              >
                {theme.archived ? m.unarchive : m.archive}
              </Button>
            </li>
          </ul>
        </td>
      )}
    </tr>
  );
}

/** Inline rename: the field takes the focus, Échap cancels, the server's refusal shows under it. */
function RenameForm({
  theme,
  espaceId,
  onDone,
  onCancel,
}: {
  theme: ThemeDto;
  espaceId: string;
  onDone: (theme: ThemeDto) => void;
  onCancel: () => void;
}) {
  const [label, setLabel] = useState(theme.label);
  const renameNotice = lengthNotice(textLength(label), THEME_LABEL_MAX_LENGTH);
  const [errors, setErrors] = useState<FormErrors<'label'>>(noErrors());
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (label.trim() === theme.label) {
      onCancel();
      return;
    }
    setPending(true);
    setErrors(noErrors());
    try {
      onDone(await updateTheme(espaceId, theme.id, { label }));
    } catch (error) {
      const next = formErrorsFrom(error, ['label'] as const);
      setErrors(next.fields.label ? next : { fields: { label: next.general ?? '' } });
      setPending(false);
      inputRef.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <form onSubmit={submit} noValidate className="essaim-theme-rename">
      <Input
        label={m.newLabelField(theme.label)}
        classes={{ label: 'fr-sr-only' }}
        state={errors.fields.label ? 'error' : renameNotice ? 'info' : 'default'}
        stateRelatedMessage={errors.fields.label ?? renameNotice ?? undefined}
        nativeInputProps={{
          ref: inputRef,
          name: 'label',
          value: label,
          autoComplete: 'off',
          // The person asked to rename: the field is where they go.
          autoFocus: true,
          'aria-invalid': errors.fields.label ? true : undefined,
          onChange: (event) => setLabel(withinLimit(label, event.target.value, THEME_LABEL_MAX_LENGTH)),
          onKeyDown,
        }}
      />
      <div className="essaim-theme-rename__buttons">
        <Button type="submit" size="small" disabled={pending}>
          {pending ? m.saving : m.save}
        </Button>
        <Button type="button" size="small" priority="secondary" onClick={onCancel}>
          {m.cancel}
        </Button>
      </div>
    </form>
  );
}
