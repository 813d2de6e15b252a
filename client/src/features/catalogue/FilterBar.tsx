import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { fr } from '@codegouvfr/react-dsfr';
import {
  categories,
  categoryLabels,
  documentKindNames,
  documentReviewStateLabels,
  documentReviewStates,
  START_YEAR_MIN,
  startYearMax,
  structureTypeLabels,
  structureTypes,
  type Categorie,
  type DocumentReviewState,
  type StructureType,
} from '@essaim/domain';
import {
  SEARCH_TEXT_MAX,
  SEARCH_TEXT_SUBJECT,
  tooLongMessage,
  type DocumentKind,
  type TerritoiresDto,
  type ThemeDto,
} from '@essaim/protocol';
import { documentsMessages } from '../documents/messages.js';
import { activeFilterCount, parseYear, resetFilters, withQuery, type CatalogueFilters } from './filters.js';
import { catalogueMessages as m } from './messages.js';
import { NATIONAL } from './territories.js';
import { TerritoryOptions } from './TerritoryOptions.js';
import { NarrowDisclosure } from '../sections/NarrowDisclosure.js';

/** A change to the filters, applied to the latest ones (the address may have changed meanwhile). */
export type FiltersChange = Partial<CatalogueFilters> | ((current: CatalogueFilters) => CatalogueFilters);

const TYPING_DELAY_MS = 400;
/** An invalid year is said once no key was pressed for this long (or the field is left). */
const YEAR_CHECK_DELAY_MS = 1_000;

/** `''` for « all », a value otherwise: what a `<select>` gives back. */
const orNull = <T extends string>(value: string): T | null => (value === '' ? null : (value as T));

/**
 * A text field applied a moment after the person stops typing (or at once with Entrée), that
 * follows the address when it changes otherwise (back button, reset).
 */
function useTypedValue(applied: string, apply: (value: string) => void, accept: (value: string) => boolean) {
  const [value, setValue] = useState(applied);
  const [seen, setSeen] = useState(applied);
  if (applied !== seen) {
    setSeen(applied);
    setValue(applied);
  }
  useEffect(() => {
    const typed = value.trim();
    if (typed === applied || !accept(typed)) return;
    const timer = window.setTimeout(() => apply(typed), TYPING_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [value, applied, apply, accept]);
  return [value, setValue] as const;
}

const anyText = () => true;
const validYear = (value: string) => value === '' || parseYear(value) !== null;

/**
 * The catalogue's filters (search, kind, review state, theme, category, territory, structure type,
 * rapporteur, year, « mes documents », archived). Every change is written in the page's address,
 * which the page reads to ask the server; nothing is filtered here.
 */
export function FilterBar({
  filters,
  onChange,
  themes,
  territoires,
  rapporteurs,
}: {
  filters: CatalogueFilters;
  onChange: (change: FiltersChange) => void;
  themes: ThemeDto[];
  territoires: TerritoiresDto | null;
  rapporteurs: { userId: string; name: string }[];
}) {
  const id = useId();
  const applyQ = useCallback((value: string) => onChange((current) => withQuery(current, value)), [onChange]);
  const applyYear = useCallback((value: string) => onChange({ annee: parseYear(value) }), [onChange]);
  const [q, setQ] = useTypedValue(filters.q, applyQ, anyText);
  const [year, setYear] = useTypedValue(
    filters.annee === null ? '' : String(filters.annee),
    applyYear,
    validYear,
  );
  // Said once the person is done with the field (left, or no key for a moment), not at each
  // digit typed: the list stays on the last valid year meanwhile, and the message says so.
  const [yearChecked, setYearChecked] = useState(false);
  const yearInvalid = !validYear(year.trim());
  const yearError = yearInvalid && (yearChecked || year.trim().length >= 4);
  useEffect(() => {
    if (!yearInvalid || yearChecked) return;
    const timer = window.setTimeout(() => setYearChecked(true), YEAR_CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [year, yearInvalid, yearChecked]);
  // The search stops at the server's limit (maxlength) and says it (tester F12).
  const qFull = q.length >= SEARCH_TEXT_MAX;
  const active = activeFilterCount(filters);
  const activeThemes = themes.filter((t) => !t.archived);
  const archivedThemes = themes.filter((t) => t.archived);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setYearChecked(true);
    onChange((current) => ({
      ...withQuery(current, q.trim()),
      annee: yearInvalid ? current.annee : parseYear(year.trim()),
    }));
  };

  const reset = () => {
    setQ('');
    setYear('');
    onChange(resetFilters);
    // The button disappears with the filters: the search field is where filtering starts again.
    document.getElementById(`${id}-q`)?.focus();
  };

  const cell = fr.cx('fr-col-12', 'fr-col-sm-6', 'fr-col-lg-3');

  return (
    <form
      role="search"
      aria-labelledby={`${id}-titre`}
      onSubmit={submit}
      noValidate
      className="essaim-filters"
    >
      {/* On a phone, search and filters are folded: the first documents are on the first screen. */}
      <NarrowDisclosure summary={`${m.filtersTitle} · ${m.activeFilters(active)}`}>
        <div className="essaim-filters__head">
          <h2 id={`${id}-titre`} className={fr.cx('fr-h6', 'fr-mb-0')}>
            <span className={fr.cx('fr-icon-filter-line', 'fr-mr-1w')} aria-hidden="true" />
            {m.filtersTitle}
          </h2>
          <div className="essaim-filters__state">
            <p className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-muted'}>{m.activeFilters(active)}</p>
            {active > 0 && (
              <Button
                type="button"
                size="small"
                priority="tertiary"
                iconId="fr-icon-refresh-line"
                onClick={reset}
              >
                {m.resetFilters}
              </Button>
            )}
          </div>
        </div>
        <div className="essaim-filters__search">
          <Input
            label={m.searchLabel}
            hintText={m.searchHint}
            className={fr.cx('fr-mb-0')}
            state={qFull ? 'info' : 'default'}
            stateRelatedMessage={qFull ? tooLongMessage(SEARCH_TEXT_SUBJECT, SEARCH_TEXT_MAX) : undefined}
            nativeInputProps={{
              id: `${id}-q`,
              type: 'search',
              name: 'q',
              value: q,
              maxLength: SEARCH_TEXT_MAX,
              autoComplete: 'off',
              onChange: (event) => setQ(event.target.value),
            }}
          />
          <Button type="submit" iconId="fr-icon-search-line">
            {m.searchLabel}
          </Button>
        </div>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mt-1w')}>
          <div className={cell}>
            <Select
              label={m.kindFilter}
              nativeSelectProps={{
                name: 'type',
                value: filters.kind ?? '',
                onChange: (event) => onChange({ kind: orNull<DocumentKind>(event.target.value) }),
              }}
            >
              <option value="">{m.allKinds}</option>
              {documentKindNames.map((kind) => (
                <option key={kind} value={kind}>
                  {documentsMessages.kindLabel[kind]}
                </option>
              ))}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.reviewStateFilter}
              nativeSelectProps={{
                name: 'etat',
                value: filters.reviewState ?? '',
                onChange: (event) =>
                  onChange({ reviewState: orNull<DocumentReviewState>(event.target.value) }),
              }}
            >
              <option value="">{m.allReviewStates}</option>
              {documentReviewStates.map((state) => (
                <option key={state} value={state}>
                  {documentReviewStateLabels[state]}
                </option>
              ))}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.themeFilter}
              nativeSelectProps={{
                name: 'theme',
                value: filters.theme ?? '',
                onChange: (event) => onChange({ theme: orNull(event.target.value) }),
              }}
            >
              <option value="">{m.allThemes}</option>
              {activeThemes.map((theme) => (
                <option key={theme.id} value={theme.id}>
                  {theme.label}
                </option>
              ))}
              {archivedThemes.length > 0 && (
                <optgroup label={m.archivedThemesGroup}>
                  {archivedThemes.map((theme) => (
                    <option key={theme.id} value={theme.id}>
                      {theme.label}
                    </option>
                  ))}
                </optgroup>
              )}
              {filters.theme && !themes.some((t) => t.id === filters.theme) && (
                // Themes still loading, or an address naming a theme that no longer exists.
                <option value={filters.theme}>{filters.theme}</option>
              )}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.categoryFilter}
              nativeSelectProps={{
                name: 'categorie',
                value: filters.categorie ?? '',
                onChange: (event) => onChange({ categorie: orNull<Categorie>(event.target.value) }),
              }}
            >
              <option value="">{m.allCategories}</option>
              {categories.map((categorie) => (
                <option key={categorie} value={categorie}>
                  {categoryLabels[categorie]}
                </option>
              ))}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.territoryFilter}
              nativeSelectProps={{
                name: 'territoire',
                value: filters.territoire ?? '',
                onChange: (event) => onChange({ territoire: orNull(event.target.value) }),
              }}
            >
              <option value="">{m.allTerritories}</option>
              <option value={NATIONAL}>{m.national}</option>
              {territoires === null && filters.territoire && filters.territoire !== NATIONAL && (
                <option value={filters.territoire}>{filters.territoire}</option>
              )}
              {territoires && <TerritoryOptions reference={territoires} wholeRegion={m.wholeRegion} />}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.structureTypeFilter}
              nativeSelectProps={{
                name: 'structure',
                value: filters.structureType ?? '',
                onChange: (event) => onChange({ structureType: orNull<StructureType>(event.target.value) }),
              }}
            >
              <option value="">{m.allStructureTypes}</option>
              {structureTypes.map((type) => (
                <option key={type} value={type}>
                  {structureTypeLabels[type]}
                </option>
              ))}
            </Select>
          </div>
          <div className={cell}>
            <Select
              label={m.rapporteurFilter}
              nativeSelectProps={{
                name: 'rapporteur',
                value: filters.rapporteur ?? '',
                // One rapporteur replaces « mes documents » (both filter on who writes).
                onChange: (event) => onChange({ rapporteur: orNull(event.target.value), mine: false }),
              }}
            >
              <option value="">{m.allRapporteurs}</option>
              {rapporteurs.map((person) => (
                <option key={person.userId} value={person.userId}>
                  {person.name}
                </option>
              ))}
            </Select>
          </div>
          <div className={cell}>
            <Input
              label={m.yearFilter}
              hintText={m.yearHint}
              state={yearError ? 'error' : 'default'}
              stateRelatedMessage={
                yearError ? m.yearInvalid(START_YEAR_MIN, startYearMax(), filters.annee) : undefined
              }
              nativeInputProps={{
                name: 'annee',
                value: year,
                inputMode: 'numeric',
                maxLength: 4,
                autoComplete: 'off',
                'aria-invalid': yearError ? true : undefined,
                onChange: (event) => {
                  setYear(event.target.value);
                  setYearChecked(false);
                },
                onBlur: () => setYearChecked(true),
              }}
            />
          </div>
          <div className={cell}>
            <div className="essaim-filters__toggles">
              <ToggleSwitch
                label={m.mineToggle}
                helperText={m.mineHint}
                checked={filters.mine}
                showCheckedHint={false}
                labelPosition="right"
                onChange={(checked) => onChange({ mine: checked, rapporteur: null })}
              />
              <ToggleSwitch
                label={m.archivedToggle}
                helperText={m.archivedHint}
                checked={filters.archived}
                showCheckedHint={false}
                labelPosition="right"
                onChange={(checked) => onChange({ archived: checked })}
              />
            </div>
          </div>
        </div>
      </NarrowDisclosure>
    </form>
  );
}
