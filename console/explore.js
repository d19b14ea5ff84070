import { useMemo, useRef, useState } from 'preact/hooks';
import { download, postNdjson, requestJson } from './api.js';
import { DataTable, ErrorMessage, Field, html } from './ui.js';
import { compareOids, displayValue, hexOf, pivotTable, toCsv } from './util.js';

/**
 * Explore an agent: get, walk (NDJSON, rows as they arrive) and, when the service has POST /snmp/table,
 * table; a MIB browser when it has GET /snmp/mibs and GET /snmp/translate. Secrets are typed into password
 * fields, sent in the request body only, and never shown, stored or exported.
 */

const ROW_LIMIT = 2000;

const VARBIND_COLUMNS = [
  { key: 'oid', label: 'OID', value: (v) => v.oid, className: 'oid' },
  { key: 'name', label: 'Name', value: (v) => v.name ?? '' },
  { key: 'type', label: 'Type', value: (v) => v.type },
  { key: 'value', label: 'Value', value: (v) => displayValue(v), className: 'value' },
  { key: 'enum', label: 'Enum', value: (v) => v.enum ?? v.valueName ?? '' },
  { key: 'hex', label: 'Hex', value: (v) => hexOf(v), className: 'hex' },
];

const INITIAL = {
  host: '127.0.0.1',
  port: '161',
  mode: 'inline',
  credentials: '',
  version: '2c',
  community: 'public',
  context: '',
  userName: '',
  level: 'authPriv',
  authProtocol: 'sha256',
  authKey: '',
  privProtocol: 'aes',
  privKey: '',
  operation: 'get',
  oids: 'SNMPv2-MIB::sysDescr.0 SNMPv2-MIB::sysName.0 SNMPv2-MIB::sysUpTime.0',
  root: 'SNMPv2-MIB::system',
  table: 'IF-MIB::ifTable',
  maxVarbinds: '10000',
  timeoutMs: '2000',
};

/** The target and credentials part of a request body, from the form. */
function targetBody(form) {
  const body = { host: form.host.trim(), port: Number(form.port), timeoutMs: Number(form.timeoutMs) };
  if (form.mode === 'profile') return { ...body, credentials: form.credentials.trim() };
  if (form.version !== '3') return { ...body, version: form.version, community: form.community };
  const user = { name: form.userName, level: form.level };
  if (form.level !== 'noAuthNoPriv') Object.assign(user, { authProtocol: form.authProtocol, authKey: form.authKey });
  if (form.level === 'authPriv') Object.assign(user, { privProtocol: form.privProtocol, privKey: form.privKey });
  return { ...body, version: '3', user, ...(form.context ? { context: form.context } : {}) };
}

export function ExplorePage({ features }) {
  const [form, setForm] = useState(INITIAL);
  const [result, setResult] = useState(/** @type {any} */ (undefined));
  const [error, setError] = useState(/** @type {Error | undefined} */ (undefined));
  const [running, setRunning] = useState(false);
  const [asTable, setAsTable] = useState(false);
  const controller = useRef(/** @type {AbortController | undefined} */ (undefined));
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });

  const operations = [
    features.get && { id: 'get', label: 'get' },
    features.walk && { id: 'walk', label: 'walk' },
    features.table && { id: 'table', label: 'table' },
  ].filter(Boolean);

  const run = async (event) => {
    event.preventDefault();
    controller.current?.abort();
    const abort = (controller.current = new AbortController());
    setError(undefined);
    setRunning(true);
    setAsTable(false);
    try {
      if (form.operation === 'get') {
        const oids = form.oids.split(/[\s,]+/).filter(Boolean);
        const answer = await requestJson('POST', '/snmp/get', { ...targetBody(form), oids }, abort.signal);
        setResult({ kind: 'varbinds', varbinds: answer.varbinds, summary: `${answer.varbinds.length} varbinds in ${answer.elapsedMs} ms` });
      } else if (form.operation === 'walk') {
        await walk(form, abort.signal, setResult, setError);
      } else {
        const answer = await requestJson('POST', '/snmp/table', { ...targetBody(form), table: form.table.trim() }, abort.signal);
        setResult({ kind: 'table', table: answer, summary: `${answer.rows?.length ?? 0} rows${answer.truncated ? ' (truncated)' : ''} in ${answer.elapsedMs} ms` });
      }
    } catch (err) {
      if (!abort.signal.aborted) setError(err);
    } finally {
      if (controller.current === abort) setRunning(false);
    }
  };

  const cancel = () => {
    controller.current?.abort();
    setRunning(false);
  };

  const pivot = useMemo(() => (result?.kind === 'varbinds' && result.done !== false ? pivotTable(result.varbinds) : undefined), [result]);

  return html`<div class="explore">
    <form class="target" onSubmit=${run} aria-label="Target and operation">
      <fieldset>
        <legend>Agent</legend>
        <${Field} label="Host" name="host" required value=${form.host} onInput=${set('host')} autocomplete="off" />
        <${Field} label="Port" name="port" type="number" min="1" max="65535" required value=${form.port} onInput=${set('port')} />
        <${Field} label="Timeout (ms)" name="timeoutMs" type="number" min="10" max="60000" value=${form.timeoutMs} onInput=${set('timeoutMs')} />
      </fieldset>
      <fieldset>
        <legend>Credentials</legend>
        <div class="radios" role="radiogroup" aria-label="Credentials">
          <label><input type="radio" name="mode" value="inline" checked=${form.mode === 'inline'} onChange=${set('mode')} /> inline</label>
          <label><input type="radio" name="mode" value="profile" checked=${form.mode === 'profile'} onChange=${set('mode')} /> a profile configured on the server</label>
        </div>
        ${form.mode === 'profile'
          ? html`<${Field} label="Profile name" name="credentials" required value=${form.credentials} onInput=${set('credentials')}
              hint="The server keeps the secrets (snmp.credentials); the request only names them." />`
          : html`<${Field} as="select" label="Version" name="version" value=${form.version} onChange=${set('version')}>
                <option value="1">v1</option><option value="2c">v2c</option><option value="3">v3</option>
              <//>
              ${form.version === '3'
                ? html`<${Field} label="User" name="userName" required value=${form.userName} onInput=${set('userName')} autocomplete="off" />
                    <${Field} as="select" label="Security level" name="level" value=${form.level} onChange=${set('level')}>
                      <option>noAuthNoPriv</option><option>authNoPriv</option><option>authPriv</option>
                    <//>
                    ${form.level !== 'noAuthNoPriv'
                      ? html`<${Field} as="select" label="Auth protocol" name="authProtocol" value=${form.authProtocol} onChange=${set('authProtocol')}>
                            ${['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'].map((p) => html`<option>${p}</option>`)}
                          <//>
                          <${Field} label="Auth key" name="authKey" type="password" autocomplete="off" value=${form.authKey} onInput=${set('authKey')} />`
                      : null}
                    ${form.level === 'authPriv'
                      ? html`<${Field} as="select" label="Privacy protocol" name="privProtocol" value=${form.privProtocol} onChange=${set('privProtocol')}>
                            ${['des', 'aes', 'aes256b', 'aes256r'].map((p) => html`<option>${p}</option>`)}
                          <//>
                          <${Field} label="Privacy key" name="privKey" type="password" autocomplete="off" value=${form.privKey} onInput=${set('privKey')} />`
                      : null}
                    <${Field} label="Context" name="context" value=${form.context} onInput=${set('context')} />`
                : html`<${Field} label="Community" name="community" type="password" autocomplete="off" value=${form.community} onInput=${set('community')} />`}`}
      </fieldset>
      <fieldset>
        <legend>Operation</legend>
        <div class="radios" role="radiogroup" aria-label="Operation">
          ${operations.map(
            (op) => html`<label><input type="radio" name="operation" value=${op.id} checked=${form.operation === op.id} onChange=${set('operation')} /> ${op.label}</label>`,
          )}
        </div>
        ${form.operation === 'get'
          ? html`<${Field} as="textarea" label="OIDs (names or numbers, separated by spaces or lines)" name="oids" rows="3" value=${form.oids} onInput=${set('oids')} />`
          : form.operation === 'walk'
            ? html`<${Field} label="Subtree (name or OID)" name="root" value=${form.root} onInput=${set('root')} />
                <${Field} label="At most (varbinds)" name="maxVarbinds" type="number" min="1" value=${form.maxVarbinds} onInput=${set('maxVarbinds')} />`
            : html`<${Field} label="Table (name or OID)" name="table" value=${form.table} onInput=${set('table')} />`}
        <div class="actions">
          <button type="submit" class="primary" disabled=${running}>Run ${form.operation}</button>
          ${running ? html`<button type="button" onClick=${cancel}>Cancel</button>` : null}
        </div>
      </fieldset>
    </form>

    <${ErrorMessage} error=${error} />
    ${result ? html`<${Results} result=${result} pivot=${pivot} asTable=${asTable} setAsTable=${setAsTable} />` : null}
    ${features.mibs || features.translate
      ? html`<${MibBrowser} features=${features} onUse=${(name, operation) => setForm({ ...form, operation, ...(operation === 'walk' ? { root: name } : operation === 'table' ? { table: name } : { oids: name }) })} />`
      : null}
  </div>`;
}

/** A walk as NDJSON: rows shown as they arrive (redrawn a few times a second), then its summary. */
async function walk(form, signal, setResult, setError) {
  const varbinds = [];
  let summary = 'walking…';
  let timer;
  const show = (done) => setResult({ kind: 'varbinds', varbinds: varbinds.slice(), summary: `${varbinds.length} varbinds, ${summary}`, done });
  timer = setInterval(() => show(false), 250);
  try {
    await postNdjson(
      '/snmp/walk',
      { ...targetBody(form), oid: form.root.trim(), maxVarbinds: Number(form.maxVarbinds) },
      (line) => {
        if (line.summary) summary = `${line.summary.stopReason}${line.summary.truncated ? ' (truncated)' : ''} in ${line.summary.elapsedMs} ms`;
        else if (line.error) setError(new Error(`${line.error.title}: ${line.error.detail ?? ''}`));
        else varbinds.push(line);
      },
      signal,
    );
  } finally {
    clearInterval(timer);
    show(true);
  }
}

function Results({ result, pivot, asTable, setAsTable }) {
  let columns;
  let rows;
  let rowKey;
  if (result.kind === 'table') {
    ({ columns, rows } = tableView(result.table));
    rowKey = (row) => row.__index;
  } else if (asTable && pivot) {
    columns = [{ key: '__index', label: 'Index', value: (row) => row.__index, className: 'oid' }, ...pivot.columns.map((c) => ({ key: c, label: c, value: (row) => row[c] ?? '' }))];
    rows = pivot.rows.map((row) => ({ __index: row.index, ...row.values }));
    rowKey = (row) => row.__index;
  } else {
    const hasEnums = result.varbinds.some((v) => v.enum !== undefined || v.valueName !== undefined);
    columns = VARBIND_COLUMNS.filter((c) => c.key !== 'enum' || hasEnums);
    rows = result.varbinds;
    rowKey = (v) => v.oid;
  }
  const shown = rows.length > ROW_LIMIT ? rows.slice(0, ROW_LIMIT) : rows;
  const csv = () => download('snmp.csv', toCsv(columns.map((c) => ({ ...c, label: c.label })), rows), 'text/csv');
  return html`<section class="results" aria-label="Results">
    <div class="results-head">
      <p role="status" class="summary">${result.summary}</p>
      ${pivot && result.kind === 'varbinds'
        ? html`<label class="toggle"><input type="checkbox" checked=${asTable} onChange=${(e) => setAsTable(e.currentTarget.checked)} /> Show as a table (rows by index)</label>`
        : null}
      <button type="button" onClick=${csv} disabled=${rows.length === 0}>Export CSV</button>
    </div>
    <${DataTable} caption="SNMP results" columns=${columns} rows=${shown} rowKey=${rowKey} />
    ${rows.length > ROW_LIMIT ? html`<p class="hint">Showing ${ROW_LIMIT} of ${rows.length} rows; the CSV has all of them.</p>` : null}
  </section>`;
}

/** POST /snmp/table's answer as columns and rows: the index, each decoded index part, then the columns. */
function tableView(table) {
  const rows = (table.rows ?? []).map((row) => {
    const flat = { __index: row.index };
    for (const [name, value] of Object.entries(row.indexValues ?? {})) flat[`index:${name}`] = value;
    for (const [name, value] of Object.entries(row.values ?? {})) flat[name] = row.enum?.[name] !== undefined ? `${row.enum[name]}(${value})` : value;
    return flat;
  });
  const indexNames = (table.index ?? []).map((part) => part.name);
  const columnNames = (table.columns ?? []).map((column) => column.name);
  for (const row of table.rows ?? []) {
    for (const name of Object.keys(row.values ?? {})) if (!columnNames.includes(name)) columnNames.push(name);
  }
  const cell = (value) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const columns = [
    { key: '__index', label: 'Index', value: (row) => row.__index, className: 'oid' },
    ...indexNames.map((name) => ({ key: `index:${name}`, label: `${name} (index)`, value: (row) => cell(row[`index:${name}`]) })),
    ...columnNames.map((name) => ({ key: name, label: name, value: (row) => cell(row[name]) })),
  ];
  return { columns, rows: rows.sort((a, b) => compareOids(a.__index, b.__index)) };
}

/** GET /snmp/translate's answer (MibTranslation) as terms and their text, in reading order. */
function translationFacts(node) {
  const syntax = node.syntax;
  const facts = [
    ['name', node.name],
    ['OID', node.oid],
    ['kind', node.kind],
    ['syntax', syntax && [syntax.name, syntax.base !== syntax.name ? `(${syntax.base})` : '', ...(syntax.textualConventions ?? [])].filter(Boolean).join(' ')],
    ['display hint', syntax?.displayHint],
    ['enums', syntax?.enums && Object.entries(syntax.enums).map(([name, value]) => `${name}(${value})`).join(', ')],
    ['sizes', syntax?.sizes?.map(([min, max]) => (min === max ? String(min) : `${min}..${max}`)).join(' | ')],
    ['access', node.access],
    ['status', node.status],
    ['units', node.units],
    ['index', node.index?.map((part) => (part.implied ? `IMPLIED ${part.name}` : part.name)).join(', ')],
    ['augments', node.augments],
  ];
  return facts.filter(([, text]) => text !== undefined && text !== '');
}

/** Loaded MIB modules (GET /snmp/mibs) and a look-up by name or OID (GET /snmp/translate), each when the service has it. */
function MibBrowser({ features, onUse }) {
  const [modules, setModules] = useState(/** @type {any[] | undefined} */ (undefined));
  const [filter, setFilter] = useState('');
  const [query, setQuery] = useState('');
  const [node, setNode] = useState(/** @type {any} */ (undefined));
  const [error, setError] = useState(/** @type {Error | undefined} */ (undefined));

  const loadModules = async () => {
    setError(undefined);
    try {
      const answer = await requestJson('GET', '/snmp/mibs');
      setModules(answer.modules);
    } catch (err) {
      setError(err);
    }
  };

  const translate = async (text) => {
    setError(undefined);
    setQuery(text);
    const param = /^\.?\d+(\.\d+)*$/.test(text.trim()) ? 'oid' : 'name';
    try {
      setNode(await requestJson('GET', `/snmp/translate?${new URLSearchParams({ [param]: text.trim() })}`));
    } catch (err) {
      setNode(undefined);
      setError(err);
    }
  };

  const shownModules = (modules ?? []).filter((m) => m.name.toLowerCase().includes(filter.toLowerCase()));
  const nodeName = node ? (node.name ?? node.oid) : '';
  return html`<section class="mibs" aria-labelledby="mibs-title">
    <h3 id="mibs-title">MIB browser</h3>
    <${ErrorMessage} error=${error} />
    ${features.translate
      ? html`<form class="lookup" onSubmit=${(e) => (e.preventDefault(), translate(query))} aria-label="Look up a MIB object">
          <${Field} label="Name or OID" name="lookup" value=${query} placeholder="IF-MIB::ifOperStatus" onInput=${(e) => setQuery(e.currentTarget.value)} />
          <div class="actions"><button type="submit">Look up</button></div>
        </form>`
      : null}
    ${node
      ? html`<div class="node">
          <dl class="facts">${translationFacts(node).map(([term, text]) => html`<dt>${term}</dt><dd>${text}</dd>`)}</dl>
          ${node.description ? html`<p class="description" tabindex="0">${node.description}</p>` : null}
          <div class="actions">
            <button type="button" onClick=${() => onUse(nodeName, 'get')}>Use in get</button>
            <button type="button" onClick=${() => onUse(nodeName, 'walk')}>Walk from here</button>
            ${features.table && node.index ? html`<button type="button" onClick=${() => onUse(nodeName, 'table')}>Use as table</button>` : null}
          </div>
        </div>`
      : null}
    ${features.mibs
      ? modules
        ? html`<${Field} label="Filter modules" name="moduleFilter" value=${filter} onInput=${(e) => setFilter(e.currentTarget.value)} />
            <ul class="modules" aria-label="Loaded MIB modules">
              ${shownModules.map((m) => {
                const name = m.name;
                return html`<li><button type="button" class="link" title="Start a look-up in this module" onClick=${() => setQuery(`${name}::`)} disabled=${!features.translate}>${name}</button>
                  <small> ${m.source}, ${m.objects} objects</small></li>`;
              })}
            </ul>`
        : html`<button type="button" onClick=${loadModules}>List loaded MIB modules</button>`
      : null}
  </section>`;
}
