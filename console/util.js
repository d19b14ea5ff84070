/**
 * Pure helpers of the console: no DOM, no network, so the tests run them in Node
 * (test/unit/console-util.test.ts).
 */

/* ------------------------------------------------------------------ export */

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value) {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading = + - @ would be a formula in a spreadsheet: prefix it with a quote, as OWASP advises.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * CSV text: a header line, then one line per row.
 * @param {{ key: string, label: string, value?: (row: any) => unknown }[]} columns
 * @param {any[]} rows
 */
export function toCsv(columns, rows) {
  const lines = [columns.map((column) => csvField(column.label)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value ? column.value(row) : row[column.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** NDJSON text: one JSON document per line. */
export function toNdjson(items) {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

/* ------------------------------------------------------------------ sorting */

/** Compares dotted numeric strings arc by arc (1.3.6.1.2 < 1.3.6.1.10); anything else as text. */
export function compareOids(a, b) {
  const left = String(a).split('.');
  const right = String(b).split('.');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] === right[i]) continue;
    const x = Number(left[i]);
    const y = Number(right[i]);
    if (Number.isInteger(x) && Number.isInteger(y) && /^\d+$/.test(left[i]) && /^\d+$/.test(right[i])) return x - y;
    return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}

const isEmpty = (v) => v === undefined || v === null || v === '';

/** Compares two cell values: numbers (and numeric strings) by value, OIDs by arcs, the rest as text; empty last. */
export function compareValues(a, b) {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) === isEmpty(b) ? 0 : isEmpty(a) ? 1 : -1;
  const x = typeof a === 'number' ? a : /^-?\d+(\.\d+)?$/.test(String(a)) ? Number(a) : NaN;
  const y = typeof b === 'number' ? b : /^-?\d+(\.\d+)?$/.test(String(b)) ? Number(b) : NaN;
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  if (/^\d+(\.\d+)+$/.test(String(a)) && /^\d+(\.\d+)+$/.test(String(b))) return compareOids(a, b);
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * Rows sorted by one column (a stable sort; the input is not changed); empty cells stay last either way.
 * @param {any[]} rows
 * @param {(row: any) => unknown} value
 * @param {'ascending' | 'descending'} direction
 */
export function sortRows(rows, value, direction) {
  const sign = direction === 'descending' ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const [x, y] = [value(a.row), value(b.row)];
      const order = isEmpty(x) || isEmpty(y) ? compareValues(x, y) : sign * compareValues(x, y);
      return order || a.index - b.index;
    })
    .map(({ row }) => row);
}

/* ------------------------------------------------------------------ the API's document */

/**
 * What the service offers, read from its OpenAPI document at run time: the console shows a feature only when
 * the operations it needs are there.
 * @param {any} document
 */
export function featuresOf(document) {
  const paths = (document && document.paths) || {};
  const has = (path, method) => Boolean(paths[path] && paths[path][method]);
  return {
    get: has('/snmp/get', 'post'),
    walk: has('/snmp/walk', 'post'),
    table: has('/snmp/table', 'post'),
    mibs: has('/snmp/mibs', 'get'),
    translate: has('/snmp/translate', 'get'),
    traps: has('/snmp/traps', 'get'),
    probe: has('/socket/probe', 'post'),
  };
}

/* ------------------------------------------------------------------ varbinds */

const encoder = new TextEncoder();

/** The bytes of a varbind value as hex pairs, when it has bytes: hex-encoded values, and text OctetStrings (UTF-8). */
export function hexOf(varbind) {
  if (varbind.encoding === 'hex' && typeof varbind.value === 'string') return varbind.value.replace(/(..)(?!$)/g, '$1 ');
  if (varbind.type === 'OctetString' && typeof varbind.value === 'string') {
    return Array.from(encoder.encode(varbind.value), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  }
  return '';
}

/** A varbind's value as one line of text, with its MIB rendering (enum, display hint) beside the raw value when the service sends one. */
export function displayValue(varbind) {
  if (varbind.value === null) return varbind.type;
  const raw = String(varbind.value);
  const named = varbind.enum ?? varbind.valueName ?? varbind.display;
  return named !== undefined && String(named) !== raw ? `${named} (${raw})` : raw;
}

/**
 * A walk of a table shown as a table: varbinds named `MODULE::column.index` grouped into rows by index and
 * columns by column name. Undefined when the varbinds do not form at least two columns over shared indexes.
 * @param {{ oid: string, name?: string, value: unknown, type: string }[]} varbinds
 */
export function pivotTable(varbinds) {
  /** @type {Map<string, Record<string, unknown>>} */
  const rows = new Map();
  /** @type {string[]} */
  const columns = [];
  for (const varbind of varbinds) {
    const match = varbind.name ? /^(?:[\w-]+::)?([A-Za-z][\w-]*)\.(\d+(?:\.\d+)*)$/.exec(varbind.name) : null;
    if (!match) return undefined;
    const [, column, index] = match;
    if (!columns.includes(column)) columns.push(column);
    let row = rows.get(index);
    if (!row) rows.set(index, (row = {}));
    row[column] = displayValue(varbind);
  }
  if (columns.length < 2 || rows.size === 0) return undefined;
  const indexes = [...rows.keys()].sort(compareOids);
  return { columns, rows: indexes.map((index) => ({ index, values: rows.get(index) ?? {} })) };
}

/* ------------------------------------------------------------------ traps */

const SNMP_TRAP_HEADER = new Set(['1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.1.1.4.1.0']);

/** The varbinds a trap carries beyond its header (sysUpTime.0 and snmpTrapOID.0). */
export function payloadVarbinds(event) {
  return event.varbinds.filter((varbind) => !SNMP_TRAP_HEADER.has(varbind.oid));
}

/** `name=value` for the first few payload varbinds, for a list row. */
export function varbindSummary(event, count = 2) {
  const payload = payloadVarbinds(event);
  const shown = payload.slice(0, count).map((varbind) => `${shortName(varbind)}=${displayValue(varbind)}`);
  if (payload.length > count) shown.push(`+${payload.length - count} more`);
  return shown.join(', ');
}

/** A MIB name without its module (ifIndex.2), or the OID. */
export function shortName(varbind) {
  return varbind.name ? varbind.name.replace(/^[\w-]+::/, '') : varbind.oid;
}

/** The trap list's columns, for the CSV export. */
export const TRAP_CSV_COLUMNS = [
  { key: 'id', label: 'id' },
  { key: 'receivedAt', label: 'receivedAt' },
  { key: 'source', label: 'source', value: (event) => `${event.source.address}:${event.source.port}` },
  { key: 'version', label: 'version' },
  { key: 'pduType', label: 'pduType' },
  { key: 'trapOid', label: 'trapOid' },
  { key: 'trapName', label: 'trapName' },
  { key: 'varbinds', label: 'varbinds', value: (event) => payloadVarbinds(event).map((v) => `${v.name ?? v.oid}=${displayValue(v)}`).join('; ') },
];

/**
 * Counts per second over the last `seconds` seconds, ending at `nowMs`: the x values (unix seconds) and the
 * counts, as uPlot takes them.
 * @param {number[]} timesMs arrival times in ms
 */
export function perSecond(timesMs, nowMs, seconds) {
  const end = Math.floor(nowMs / 1000);
  const start = end - seconds + 1;
  const xs = Array.from({ length: seconds }, (_, i) => start + i);
  const counts = new Array(seconds).fill(0);
  for (const time of timesMs) {
    const second = Math.floor(time / 1000);
    if (second >= start && second <= end) counts[second - start]++;
  }
  return [xs, counts];
}

/* ------------------------------------------------------------------ probes */

const PROTOCOL_PREFIX = /^(tcp|tls|udp):\/\//i;

/**
 * The targets of a pasted list: one per line, `host:port`, `[v6]:port` or `tls://host:port`; `#` starts a
 * comment. Returns the targets and the lines that could not be read.
 * @param {string} text
 */
export function parseTargets(text) {
  /** @type {{ host: string, port: number, protocol?: string }[]} */
  const targets = [];
  /** @type {{ line: number, text: string, message: string }[]} */
  const errors = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const prefix = PROTOCOL_PREFIX.exec(line);
    const rest = prefix ? line.slice(prefix[0].length) : line;
    const match = /^\[([^\]]+)\]:(\d+)$/.exec(rest) ?? /^([^\s:/]+):(\d+)$/.exec(rest);
    const port = match ? Number(match[2]) : NaN;
    if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
      errors.push({ line: i + 1, text: raw.trim(), message: 'expected host:port, [ipv6]:port or tls://host:port' });
      return;
    }
    targets.push({ host: match[1], port, ...(prefix ? { protocol: prefix[1].toLowerCase() } : {}) });
  });
  return { targets, errors };
}

export const PHASES = [
  { key: 'dnsMs', label: 'DNS' },
  { key: 'connectMs', label: 'connect' },
  { key: 'tlsMs', label: 'TLS' },
  { key: 'firstByteMs', label: 'first byte' },
];

/**
 * A probe's timing bar: each phase that took place, as a share (0–100) of `scaleMs`, in order.
 * @param {Record<string, number | null>} timings
 * @param {number} scaleMs the longest total among the results shown, so that bars compare
 */
export function timingSegments(timings, scaleMs) {
  const scale = scaleMs > 0 ? scaleMs : 1;
  return PHASES.flatMap((phase) => {
    const ms = timings[phase.key];
    return typeof ms === 'number' ? [{ ...phase, ms, percent: Math.min(100, (ms / scale) * 100) }] : [];
  });
}

/** How urgent a certificate's expiry is: expired, soon (under 30 days), or ok. */
export function expiryLevel(daysRemaining) {
  if (daysRemaining < 0) return 'expired';
  if (daysRemaining < 30) return 'soon';
  return 'ok';
}
