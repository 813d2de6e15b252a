import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr';
import {
  categories,
  categoryHints,
  categoryLabels,
  structureTypeLabels,
  structureTypes,
  TITLE_MAX_LENGTH,
  type Categorie,
  type DocumentKindName,
  type StructureType,
} from '@essaim/domain';
import type { DocumentMetadata, TerritoiresDto } from '@essaim/protocol';
import { useThemes } from '../themes/useThemes.js';
import { territoryGroups } from '../catalogue/territories.js';
import { TerritoryOptions } from '../catalogue/TerritoryOptions.js';
import { useTerritoires } from '../catalogue/useTerritoires.js';
import { metadataMessages as m } from './messages.js';
import {
  addKeyword,
  MAX_KEYWORD_LENGTH,
  metadataFields,
  parseYear,
  themeChoices,
  toggleTheme,
  YEAR_MIN,
  yearMax,
} from './metadataRules.js';
import { lengthNotice, textLength, withinLimit } from './lengthLimit.js';
import { useMetadata, type TextField } from './useMetadata.js';
import './metadata.css';

/**
 * A text typed here, kept while it is not stored (an emptied title, a year being typed), and
 * replaced whenever the stored value changes (a co-editor's change, or ours coming back).
 */
function useDraft(stored: string): [string, (value: string) => void] {
  const [state, setState] = useState({ stored, draft: stored });
  if (state.stored !== stored) {
    setState({ stored, draft: stored });
    return [stored, (draft) => setState({ stored, draft })];
  }
  return [state.draft, (draft) => setState((s) => ({ ...s, draft }))];
}

interface FieldProps {
  disabled: boolean;
}

function TextInput({
  label,
  hint,
  stored,
  onWrite,
  disabled,
  maxLength,
  required,
  textArea,
  autoComplete,
}: FieldProps & {
  label: string;
  hint?: string;
  stored: string;
  onWrite: (value: string) => void;
  maxLength: number;
  required?: string;
  textArea?: boolean;
  autoComplete?: string;
}) {
  const [draft, setDraft] = useDraft(stored);
  const missing = required !== undefined && draft.trim() === '';
  // Said before the limit cuts anything (issue 16): a counter near it, a sentence at it.
  const notice = disabled ? null : lengthNotice(textLength(draft), maxLength);
  const change = (input: string) => {
    const value = withinLimit(draft, input, maxLength);
    setDraft(value);
    if (required === undefined || value.trim() !== '') onWrite(value);
  };
  const common = {
    label,
    hintText: hint,
    disabled,
    state: missing ? ('error' as const) : notice ? ('info' as const) : ('default' as const),
    stateRelatedMessage: missing ? required : (notice ?? undefined),
  };
  return textArea ? (
    <Input
      {...common}
      textArea
      nativeTextAreaProps={{
        value: draft,
        rows: 2,
        onChange: (event) => change(event.target.value),
      }}
    />
  ) : (
    <Input
      {...common}
      nativeInputProps={{
        value: draft,
        autoComplete,
        required: required !== undefined,
        onChange: (event) => change(event.target.value),
      }}
    />
  );
}

function YearInput({
  stored,
  onWrite,
  disabled,
}: FieldProps & { stored: number | null; onWrite: (value: number | null) => void }) {
  const [draft, setDraft] = useDraft(stored === null ? '' : String(stored));
  const parsed = parseYear(draft);
  return (
    <Input
      label={m.annee.label}
      hintText={m.annee.hint}
      disabled={disabled}
      state={parsed.ok ? 'default' : 'error'}
      stateRelatedMessage={parsed.ok ? undefined : m.annee.invalid(YEAR_MIN, yearMax())}
      nativeInputProps={{
        value: draft,
        inputMode: 'numeric',
        maxLength: 4,
        autoComplete: 'off',
        onChange: (event) => {
          setDraft(event.target.value);
          const next = parseYear(event.target.value);
          if (next.ok) onWrite(next.value);
        },
      }}
    />
  );
}

function ThemesField({
  espaceId,
  selected,
  onWrite,
  disabled,
}: FieldProps & { espaceId: string | null; selected: string[]; onWrite: (themes: string[]) => void }) {
  const { state, retry } = useThemes(espaceId);
  const themes = state.status === 'ready' ? state.value : null;
  const choices = themeChoices(themes, selected);
  if (state.status === 'loading' && selected.length === 0) {
    return <p className={fr.cx('fr-text--sm')}>{m.themes.loading}</p>;
  }
  return (
    <>
      {state.status === 'error' && (
        <Alert
          className={fr.cx('fr-mb-2w')}
          severity="warning"
          small
          description={
            <>
              {m.themes.failed}{' '}
              <Button type="button" size="small" priority="tertiary" onClick={retry}>
                {m.themes.retry}
              </Button>
            </>
          }
        />
      )}
      {choices.length === 0 ? (
        <p className={fr.cx('fr-text--sm')}>{m.themes.none}</p>
      ) : (
        <Checkbox
          legend={m.themes.legend}
          hintText={m.themes.hint}
          disabled={disabled}
          small
          options={choices.map((choice) => ({
            label: choice.archived
              ? m.themes.archived(choice.label)
              : choice.unknown
                ? m.themes.unknown(choice.label)
                : choice.label,
            hintText: choice.archived ? m.themes.archivedHint : undefined,
            nativeInputProps: {
              name: 'themes',
              value: choice.id,
              checked: selected.includes(choice.id),
              // An archived or unknown theme can be removed, not added back.
              disabled: disabled || ((choice.archived || choice.unknown) && !selected.includes(choice.id)),
              onChange: (event) => onWrite(toggleTheme(selected, choice.id, event.target.checked)),
            },
          }))}
        />
      )}
    </>
  );
}

function TerritoireSelect({
  stored,
  onWrite,
  disabled,
}: FieldProps & { stored: string | null; onWrite: (value: string | null) => void }) {
  const territoires: TerritoiresDto | null = useTerritoires();
  // Sorted once per list, not at every render (the panel renders as people type).
  const groups = useMemo(() => (territoires ? territoryGroups(territoires) : []), [territoires]);
  const known =
    stored === null ||
    stored === 'national' ||
    groups.some((g) => g.region.value === stored || g.departements.some((d) => d.value === stored));
  return (
    <Select
      label={m.territoire.label}
      hint={territoires ? m.territoire.hint : m.territoire.loading}
      disabled={disabled}
      nativeSelectProps={{
        value: stored ?? '',
        onChange: (event) => onWrite(event.target.value === '' ? null : event.target.value),
      }}
    >
      <option value="">{m.territoire.none}</option>
      <option value="national">{m.territoire.national}</option>
      {!known && stored && <option value={stored}>{stored}</option>}
      {territoires && <TerritoryOptions reference={territoires} wholeRegion={m.territoire.wholeRegion} />}
    </Select>
  );
}

function KeywordsField({
  words,
  onWrite,
  disabled,
}: FieldProps & { words: string[]; onWrite: (words: string[]) => void }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const inputId = useId();
  const listId = useId();

  const add = () => {
    const result = addKeyword(words, input);
    if (!result.ok) {
      setError(
        result.reason === 'empty'
          ? m.motsCles.empty
          : result.reason === 'tooLong'
            ? m.motsCles.tooLong
            : result.reason === 'duplicate'
              ? m.motsCles.duplicate(result.word)
              : m.motsCles.tooMany,
      );
      return;
    }
    onWrite(result.list);
    setInput('');
    setError(null);
    setAnnouncement(m.motsCles.added(result.word));
  };

  const remove = (word: string) => {
    onWrite(words.filter((w) => w !== word));
    setAnnouncement(m.motsCles.removed(word));
    document.getElementById(inputId)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  return (
    <div className="essaim-keywords">
      <Input
        label={m.motsCles.label}
        hintText={m.motsCles.hint}
        disabled={disabled}
        state={error ? 'error' : 'default'}
        stateRelatedMessage={error ?? undefined}
        nativeInputProps={{
          id: inputId,
          value: input,
          maxLength: MAX_KEYWORD_LENGTH + 10,
          autoComplete: 'off',
          onChange: (event) => {
            setInput(event.target.value);
            if (error) setError(null);
          },
          onKeyDown,
        }}
        action={
          <Button type="button" priority="secondary" disabled={disabled} onClick={add}>
            {m.motsCles.add}
          </Button>
        }
      />
      {words.length === 0 ? (
        <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.motsCles.none}</p>
      ) : (
        <ul id={listId} className={fr.cx('fr-tags-group')} aria-label={m.motsCles.listLabel}>
          {words.map((word) => (
            <li key={word}>
              {disabled ? (
                <p className={fr.cx('fr-tag')}>{word}</p>
              ) : (
                <button
                  type="button"
                  className={fr.cx('fr-tag', 'fr-tag--dismiss')}
                  aria-label={m.motsCles.remove(word)}
                  onClick={() => remove(word)}
                >
                  {word}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="fr-sr-only" role="status" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}

/**
 * « Informations de la fiche »: the metadata of the document, edited live in the shared Y.Doc
 * (each field is written as it changes; a co-editor's change appears at once). Disabled for
 * readers. A synthesis only has a title and themes.
 *
 * Loaded right after the text's first drawing (`editor/LazyPanels.tsx`, issue 16), which draws its
 * closed header meanwhile: `defaultExpanded` opens it if that header was clicked; `focusToggle`,
 * read once mounted, says whether the header's button had the focus, which then goes to this
 * panel's button.
 */
export function MetadataPanel({
  ydoc,
  kind,
  espaceId,
  readOnly,
  defaultExpanded = false,
  focusToggle,
}: {
  ydoc: Y.Doc;
  kind: DocumentKindName;
  espaceId: string | null;
  readOnly: boolean;
  defaultExpanded?: boolean;
  focusToggle?: { readonly current: boolean };
}) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // At mount: the header drawn before this panel had the focus.
    if (focusToggle?.current) root.current?.querySelector<HTMLButtonElement>('.fr-accordion__btn')?.focus();
  }, [focusToggle]);
  const { values, text, set } = useMetadata(ydoc);
  const fields = new Set(metadataFields(kind));
  const has = (field: keyof DocumentMetadata) => fields.has(field);
  const write = (field: TextField) => (value: string) => {
    if (!readOnly) set(field, value);
  };
  const put = <K extends keyof DocumentMetadata>(field: K, value: DocumentMetadata[K]) => {
    if (!readOnly) set(field, value);
  };
  const categorieName = useId();

  return (
    <Accordion
      ref={root}
      label={m.panelTitle[kind]}
      titleAs="h2"
      className="essaim-metadata"
      defaultExpanded={defaultExpanded}
    >
      <p className={fr.cx('fr-text--sm')}>{readOnly ? m.readOnly : m.lead}</p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12')}>
          <TextInput
            label={m.title.label}
            hint={m.title.hint}
            stored={text.title}
            onWrite={write('title')}
            disabled={readOnly}
            maxLength={TITLE_MAX_LENGTH}
            required={m.title.required}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <ThemesField
            espaceId={espaceId}
            selected={values.themes}
            onWrite={(themes) => put('themes', themes)}
            disabled={readOnly}
          />
        </div>
        {has('categorie') && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <RadioButtons
              legend={m.categorie.legend}
              hintText={m.categorie.hint}
              name={categorieName}
              disabled={readOnly}
              small
              options={[
                ...categories.map((c: Categorie) => ({
                  label: categoryLabels[c],
                  hintText: categoryHints[c],
                  nativeInputProps: {
                    value: c,
                    checked: values.categorie === c,
                    onChange: () => put('categorie', c),
                  },
                })),
                {
                  label: m.categorie.none,
                  nativeInputProps: {
                    value: '',
                    checked: values.categorie === null,
                    onChange: () => put('categorie', null),
                  },
                },
              ]}
            />
          </div>
        )}
        {has('territoire') && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <TerritoireSelect
              stored={values.territoire}
              onWrite={(value) => put('territoire', value)}
              disabled={readOnly}
            />
          </div>
        )}
        {has('anneeDemarrage') && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <YearInput
              stored={values.anneeDemarrage}
              onWrite={(value) => put('anneeDemarrage', value)}
              disabled={readOnly}
            />
          </div>
        )}
        {has('structure') && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <TextInput
              label={m.structure.label}
              hint={m.structure.hint}
              stored={text.structure}
              onWrite={write('structure')}
              disabled={readOnly}
              maxLength={200}
              autoComplete="organization"
            />
          </div>
        )}
        {has('structureType') && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Select
              label={m.structureType.label}
              disabled={readOnly}
              nativeSelectProps={{
                value: values.structureType ?? '',
                onChange: (event) =>
                  put(
                    'structureType',
                    event.target.value === '' ? null : (event.target.value as StructureType),
                  ),
              }}
            >
              <option value="">{m.structureType.none}</option>
              {structureTypes.map((t) => (
                <option key={t} value={t}>
                  {structureTypeLabels[t]}
                </option>
              ))}
            </Select>
          </div>
        )}
        {has('public') && (
          <div className={fr.cx('fr-col-12')}>
            <TextInput
              label={m.public.label}
              hint={m.public.hint}
              stored={text.public}
              onWrite={write('public')}
              disabled={readOnly}
              maxLength={500}
              textArea
            />
          </div>
        )}
        {has('contact') && (
          <div className={fr.cx('fr-col-12')}>
            <TextInput
              label={m.contact.label}
              hint={m.contact.hint}
              stored={text.contact}
              onWrite={write('contact')}
              disabled={readOnly}
              maxLength={300}
            />
          </div>
        )}
        {has('motsCles') && (
          <div className={fr.cx('fr-col-12')}>
            <KeywordsField
              words={values.motsCles}
              onWrite={(words) => put('motsCles', words)}
              disabled={readOnly}
            />
          </div>
        )}
      </div>
    </Accordion>
  );
}
