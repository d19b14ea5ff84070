import htm from 'htm';
import { h } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { sortRows } from './util.js';

/** Components shared by the pages. Markup is written with htm (tagged templates): no build step. */

export const html = htm.bind(h);

let nextId = 0;
/** A stable id for a label's `for`. */
export function useId(prefix) {
  const [id] = useState(() => `${prefix}-${++nextId}`);
  return id;
}

/** A labelled input, select or textarea. `children` are a select's options. */
export function Field({ label, hint, as = 'input', children, ...props }) {
  const id = useId('field');
  const hintId = hint ? `${id}-hint` : undefined;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${h(as, { id, 'aria-describedby': hintId, ...props }, children)}
    ${hint ? html`<small id=${hintId} class="hint">${hint}</small>` : null}
  </div>`;
}

export function ErrorMessage({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message ?? String(error)}</p>`;
}

/**
 * A table whose columns sort on a click (or Enter/Space on the header button), with `aria-sort`.
 * @param {{ caption: string, columns: { key: string, label: string, value?: (row: any) => unknown, render?: (row: any) => any, className?: string }[],
 *   rows: any[], rowKey: (row: any) => string, onRowOpen?: (row: any) => void, empty?: string, initialSort?: string }} props
 */
export function DataTable({ caption, columns, rows, rowKey, onRowOpen, empty = 'Nothing yet.', initialSort }) {
  const [sort, setSort] = useState({ key: initialSort, direction: /** @type {'ascending' | 'descending'} */ ('ascending') });
  const column = columns.find((c) => c.key === sort.key);
  const sorted = useMemo(
    () => (column ? sortRows(rows, column.value ?? ((row) => row[column.key]), sort.direction) : rows),
    [rows, column, sort.direction],
  );
  const toggle = (key) =>
    setSort((current) => ({ key, direction: current.key === key && current.direction === 'ascending' ? 'descending' : 'ascending' }));
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${caption}>
    <table>
      <caption class="visually-hidden">${caption}</caption>
      <thead>
        <tr>
          ${columns.map(
            (c) => html`<th scope="col" aria-sort=${sort.key === c.key ? sort.direction : 'none'} class=${c.className}>
              <button type="button" class="sort" onClick=${() => toggle(c.key)}>
                ${c.label}<span aria-hidden="true">${sort.key === c.key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${sorted.length === 0
          ? html`<tr><td colspan=${columns.length} class="empty">${empty}</td></tr>`
          : sorted.map(
              (row) => html`<tr key=${rowKey(row)} data-key=${rowKey(row)} class=${onRowOpen ? 'openable' : undefined}
                  onClick=${onRowOpen ? () => onRowOpen(row) : undefined}>
                ${columns.map((c) => html`<td class=${c.className}>${c.render ? c.render(row) : String(c.value ? c.value(row) ?? '' : row[c.key] ?? '')}</td>`)}
              </tr>`,
            )}
      </tbody>
    </table>
  </div>`;
}
