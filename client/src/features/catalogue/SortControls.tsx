import { Select } from '@codegouvfr/react-dsfr/Select';
import type { CatalogueSort } from '@essaim/protocol';
import type { FiltersChange } from './FilterBar.js';
import { catalogueSorts } from '@essaim/protocol';
import { withSort, type CatalogueFilters, type SortOrder } from './filters.js';
import { catalogueMessages as m } from './messages.js';

/**
 * « Trier par » and « Ordre », above the results; choosing a key resets its natural order.
 * « Pertinence » is offered while words are searched (best match first: no order to choose).
 */
export function SortControls({
  filters,
  onChange,
}: {
  filters: CatalogueFilters;
  onChange: (change: FiltersChange) => void;
}) {
  return (
    <div className="essaim-sort">
      <Select
        label={m.sortLabel}
        nativeSelectProps={{
          name: 'tri',
          value: filters.sort,
          onChange: (event) => {
            const sort = event.target.value as CatalogueSort;
            onChange((current) => withSort(current, sort));
          },
        }}
      >
        {catalogueSorts
          .filter((sort) => sort !== 'relevance' || filters.q.trim() !== '')
          .map((sort) => (
            <option key={sort} value={sort}>
              {m.sortLabels[sort]}
            </option>
          ))}
      </Select>
      {filters.sort !== 'relevance' && (
        <Select
          label={m.orderLabel}
          nativeSelectProps={{
            name: 'ordre',
            value: filters.order,
            onChange: (event) => onChange({ order: event.target.value as SortOrder }),
          }}
        >
          <option value="asc">{m.orderLabels.asc}</option>
          <option value="desc">{m.orderLabels.desc}</option>
        </Select>
      )}
    </div>
  );
}
