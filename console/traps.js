import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ApiError, download, requestJson, streamTraps } from './api.js';
import { ErrorMessage, Field, html } from './ui.js';
import { displayValue, hexOf, perSecond, TRAP_CSV_COLUMNS, toCsv, toNdjson, varbindSummary } from './util.js';

/**
 * Traps: the buffered history (GET /snmp/traps/recent), then the live stream (GET /snmp/traps) from the
 * last id seen. Pause closes the stream and keeps that id; resume reopens it with Last-Event-ID, so the
 * service replays what arrived meanwhile, in order. A dropped stream reconnects the same way, and says so.
 */

/** Items kept in the page, by count and by the size of their JSON (oldest dropped first), and rows drawn. */
const MAX_ITEMS = 5000;
const MAX_ITEM_CHARS = 32 * 1024 * 1024;
const MAX_ROWS = 500;
const HISTORY = 200;
const CHART_SECONDS = 300;

const EMPTY_FILTERS = { source: '', trapOid: '', version: '' };

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
  });

function timeOf(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour12: false }) + `.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export function TrapsPage({ features, visible }) {
  const [filters, setFilters] = useState(EMPTY_FILTERS);
  const [applied, setApplied] = useState(EMPTY_FILTERS);
  const [status, setStatus] = useState('connecting');
  const [error, setError] = useState(/** @type {Error | undefined} */ (undefined));
  const [paused, setPaused] = useState(false);
  const [selected, setSelected] = useState(/** @type {any} */ (undefined));
  const [, setVersion] = useState(0);
  const [gaps, setGaps] = useState(0);
  const [reconnects, setReconnects] = useState(0);
  const items = useRef(/** @type {any[]} */ ([]));
  const lastId = useRef(/** @type {string | undefined} */ (undefined));
  const times = useRef(/** @type {number[]} */ ([]));
  const redraw = useRef(0);

  /** Re-render at most once a frame, however fast traps come. */
  const changed = useCallback(() => {
    if (redraw.current) return;
    redraw.current = requestAnimationFrame(() => {
      redraw.current = 0;
      setVersion((n) => n + 1);
    });
  }, []);

  const kept = useRef(0);
  const add = useCallback((item) => {
    items.current.push(item);
    kept.current += item.size ?? 0;
    let drop = 0;
    let freed = 0;
    while (drop < items.current.length - 1 && (items.current.length - drop > MAX_ITEMS || kept.current - freed > MAX_ITEM_CHARS)) {
      freed += items.current[drop].size ?? 0;
      drop++;
    }
    items.current.splice(0, drop);
    kept.current -= freed;
    if (item.kind === 'trap') {
      times.current.push(Date.parse(item.event.receivedAt));
      if (times.current.length > MAX_ITEMS) times.current.splice(0, times.current.length - MAX_ITEMS);
    }
    changed();
  }, [changed]);

  // The stream: (re)started when the filters are applied, stopped while paused.
  useEffect(() => {
    if (!features.traps || paused) return;
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      setError(undefined);
      // Not live until this stream is: the one before it (other filters, or before a pause) has ended.
      setStatus('connecting');
      try {
        if (lastId.current === undefined) {
          const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(applied).filter(([, v]) => v !== '')), limit: String(HISTORY) });
          const recent = await requestJson('GET', `/snmp/traps/recent?${query}`, undefined, signal);
          for (const event of recent.events) add({ kind: 'trap', event, size: JSON.stringify(event).length });
          // null: the stream has no event yet; the stream then starts from now.
          lastId.current = recent.lastId ?? undefined;
        }
      } catch (err) {
        if (signal.aborted) return;
        setError(err);
        setStatus('stopped');
        return;
      }
      let attempt = 0;
      // 'connecting' was set above; each later attempt is 'reconnecting', set before its wait below.
      while (!signal.aborted) {
        let retryAfter;
        try {
          await streamTraps(
            applied,
            lastId.current,
            (message) => {
              if (message.event === 'trap') {
                lastId.current = message.id ?? String(message.data.id);
                add({ kind: 'trap', event: message.data, size: message.size });
              } else if (message.event === 'gap') {
                setGaps((n) => n + 1);
                add({ kind: 'gap', missed: message.data.missed, at: new Date().toISOString() });
              }
            },
            signal,
            () => {
              if (attempt > 0) {
                setReconnects((n) => n + 1);
                add({ kind: 'reconnect', at: new Date().toISOString(), after: lastId.current });
              }
              attempt = 0;
              setError(undefined);
              setStatus('live');
            },
          );
          if (signal.aborted) return;
          add({ kind: 'note', at: new Date().toISOString(), text: 'The service ended the stream.' });
        } catch (err) {
          if (signal.aborted) return;
          setError(err);
          if (err instanceof ApiError && [400, 401, 403].includes(err.status)) {
            setStatus('stopped');
            return;
          }
          retryAfter = err instanceof ApiError ? err.retryAfter : undefined;
        }
        attempt++;
        setStatus('reconnecting');
        await sleep(retryAfter ? retryAfter * 1000 : Math.min(5_000, 250 * 2 ** attempt), signal);
      }
    })();
    return () => controller.abort();
  }, [features.traps, paused, applied, add]);

  const apply = (event) => {
    event.preventDefault();
    items.current = [];
    kept.current = 0;
    times.current = [];
    lastId.current = undefined;
    setSelected(undefined);
    setApplied({ ...filters });
    setPaused(false);
    changed();
  };

  const clear = () => {
    items.current = [];
    kept.current = 0;
    times.current = [];
    setSelected(undefined);
    changed();
  };

  if (!features.traps) return html`<p>This service has no trap stream.</p>`;

  const traps = items.current.filter((item) => item.kind === 'trap').map((item) => item.event);
  const rows = items.current.slice(-MAX_ROWS).reverse();
  const statusText = paused
    ? `Paused after #${lastId.current ?? '—'}: resume to receive what arrived meanwhile.`
    : status === 'live'
      ? `Live${lastId.current ? ` (after #${lastId.current})` : ''}.`
      : status === 'reconnecting'
        ? `Reconnecting… it will resume after #${lastId.current ?? '—'}.`
        : status === 'stopped'
          ? 'Stopped.'
          : 'Connecting…';

  return html`<div class="traps">
    <form class="filters" onSubmit=${apply} aria-label="Trap filters">
      <${Field} label="Source (IP or CIDR)" name="source" value=${filters.source} placeholder="127.0.0.0/8"
        onInput=${(e) => setFilters({ ...filters, source: e.currentTarget.value })} />
      <${Field} label="Trap OID or name" name="trapOid" value=${filters.trapOid} placeholder="IF-MIB::linkDown"
        onInput=${(e) => setFilters({ ...filters, trapOid: e.currentTarget.value })} />
      <${Field} as="select" label="Version" name="version" value=${filters.version}
        onChange=${(e) => setFilters({ ...filters, version: e.currentTarget.value })}>
        <option value="">any</option><option value="1">v1</option><option value="2c">v2c</option><option value="3">v3</option>
      <//>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button type="button" class="pause" aria-pressed=${paused} onClick=${() => setPaused((p) => !p)}>${paused ? 'Resume' : 'Pause'}</button>
        <button type="button" onClick=${clear}>Clear</button>
      </div>
    </form>

    <div class="stream-status">
      <span class=${`badge ${paused ? 'paused' : status}`} data-status=${paused ? 'paused' : status} role="status" aria-live="polite">${statusText}</span>
      <span class="counts">${traps.length} traps · ${reconnects} reconnects · ${gaps} gaps</span>
      <span class="exports">
        <button type="button" disabled=${traps.length === 0} onClick=${() => download('traps.ndjson', toNdjson(traps), 'application/x-ndjson')}>Export NDJSON</button>
        <button type="button" disabled=${traps.length === 0} onClick=${() => download('traps.csv', toCsv(TRAP_CSV_COLUMNS, traps), 'text/csv')}>Export CSV</button>
      </span>
    </div>
    <${ErrorMessage} error=${error} />

    <${TrapChart} times=${times.current} visible=${visible} />

    <div class="table-wrap" tabindex="0" role="region" aria-label="Received traps, newest first">
      <table class="trap-list">
        <caption class="visually-hidden">Received traps, newest first</caption>
        <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Source</th><th scope="col">Version</th><th scope="col">Trap</th><th scope="col">Varbinds</th><th scope="col"><span class="visually-hidden">Details</span></th></tr></thead>
        <tbody>
          ${rows.length === 0 ? html`<tr><td colspan="7" class="empty">No trap yet. Send one to the trap port.</td></tr>` : null}
          ${rows.map((item) => (item.kind === 'trap' ? TrapRow(item.event, setSelected, selected) : MarkerRow(item)))}
        </tbody>
      </table>
    </div>
    ${items.current.length > MAX_ROWS ? html`<p class="hint">Showing the newest ${MAX_ROWS} of ${items.current.length}; the exports hold all of them.</p>` : null}
    ${selected ? html`<${TrapDrawer} event=${selected} onClose=${() => setSelected(undefined)} />` : null}
  </div>`;
}

function TrapRow(event, select, selected) {
  return html`<tr key=${`t${event.id}`} class=${`trap${selected?.id === event.id ? ' selected' : ''}`} data-id=${event.id} data-trap=${event.trapName ?? event.trapOid}>
    <td class="num">${event.id}</td>
    <td title=${event.receivedAt}>${timeOf(event.receivedAt)}</td>
    <td>${event.source.address}:${event.source.port}</td>
    <td>v${event.version} ${event.pduType === 'inform' ? 'inform' : ''}</td>
    <td class="trap-name" title=${event.trapOid}>${event.trapName ?? event.trapOid}</td>
    <td class="varbinds">${varbindSummary(event)}</td>
    <td><button type="button" class="details" onClick=${() => select(event)} aria-label=${`Details of trap ${event.id}`}>Details</button></td>
  </tr>`;
}

function MarkerRow(item) {
  const text =
    item.kind === 'gap'
      ? `Gap: ${item.missed === null ? 'an unknown number of' : item.missed} traps were lost (the service's buffer no longer held them).`
      : item.kind === 'reconnect'
        ? `Reconnected at ${timeOf(item.at)}, resuming after #${item.after}.`
        : item.text;
  return html`<tr key=${`${item.kind}-${item.at}`} class=${`marker ${item.kind}`}><td colspan="7" role="note">${text}</td></tr>`;
}

function TrapDrawer({ event, onClose }) {
  const close = useRef(/** @type {HTMLButtonElement | null} */ (null));
  useEffect(() => {
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    close.current?.focus();
    const onKey = (e) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, [event.id]);
  return html`<aside class="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title">
    <div class="drawer-head">
      <h3 id="drawer-title">Trap #${event.id}: ${event.trapName ?? event.trapOid}</h3>
      <button type="button" ref=${close} onClick=${onClose}>Close</button>
    </div>
    <dl class="facts">
      <dt>Received</dt><dd>${event.receivedAt}</dd>
      <dt>Source</dt><dd>${event.source.address}:${event.source.port}</dd>
      <dt>Version</dt><dd>${event.version} (${event.pduType})</dd>
      <dt>Trap OID</dt><dd>${event.trapOid}</dd>
      ${event.user ? html`<dt>User</dt><dd>${event.user}</dd>` : null}
      <dt>Uptime</dt><dd>${(event.uptime / 100).toFixed(2)} s</dd>
      ${event.v1 ? html`<dt>v1 enterprise</dt><dd>${event.v1.enterprise} (generic ${event.v1.genericTrap}, specific ${event.v1.specificTrap}, agent ${event.v1.agentAddress})</dd>` : null}
    </dl>
    <div class="table-wrap">
      <table class="varbind-table">
        <caption>Varbinds (${event.varbinds.length})</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th><th scope="col">Hex</th></tr></thead>
        <tbody>
          ${event.varbinds.map(
            (v, i) => html`<tr key=${i}>
              <td><span class="name">${v.name ?? v.oid}</span>${v.name ? html`<br /><small>${v.oid}</small>` : null}</td>
              <td>${v.type}</td>
              <td class="value">${displayValue(v)}</td>
              <td class="hex">${hexOf(v)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </aside>`;
}

/** Traps per second over the last five minutes (uPlot), redrawn every second while the page is shown. */
function TrapChart({ times, visible }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const chart = useRef(/** @type {uPlot | null} */ (null));
  const [summary, setSummary] = useState('no traps');

  useEffect(() => {
    if (!box.current) return;
    const data = perSecond(times, Date.now(), CHART_SECONDS);
    chart.current = new uPlot(
      {
        width: Math.max(200, box.current.clientWidth || 600),
        height: 140,
        legend: { show: false },
        cursor: { show: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(5, max)] } },
        axes: [{ stroke: '#333', grid: { stroke: '#e3e3e3' } }, { stroke: '#333', grid: { stroke: '#e3e3e3' }, size: 40 }],
        series: [{}, { label: 'traps/s', stroke: '#0b5cad', fill: 'rgba(11, 92, 173, 0.15)', width: 1.5, paths: uPlot.paths.stepped?.({ align: 1 }) }],
      },
      /** @type {any} */ (data),
      box.current,
    );
    const resize = new ResizeObserver(() => {
      if (box.current && box.current.clientWidth > 0) chart.current?.setSize({ width: box.current.clientWidth, height: 140 });
    });
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!visible) return;
    const tick = () => {
      const data = perSecond(times, Date.now(), CHART_SECONDS);
      chart.current?.setData(/** @type {any} */ (data));
      const total = data[1].reduce((a, b) => a + b, 0);
      setSummary(total === 0 ? 'no traps' : `${total} traps, at most ${Math.max(...data[1])} per second`);
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [visible, times]);

  return html`<figure class="chart">
    <figcaption>Traps per second, last 5 minutes: <span class="chart-summary">${summary}</span></figcaption>
    <div ref=${box} role="img" aria-label=${`Traps per second over the last 5 minutes: ${summary}`}></div>
  </figure>`;
}
