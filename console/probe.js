import { useState } from 'preact/hooks';
import { download, requestJson } from './api.js';
import { ErrorMessage, Field, html } from './ui.js';
import { expiryLevel, parseTargets, PHASES, timingSegments, toCsv } from './util.js';

/**
 * Probe: one target or a pasted list (POST /socket/probe, a batch for several), each result with its
 * per-phase timing bar (bars share one scale, so they compare) and, for TLS, the certificate and its expiry.
 */

const EXAMPLE = '127.0.0.1:22\ntls://127.0.0.1:443\n';

const CSV_COLUMNS = [
  { key: 'host', label: 'host' },
  { key: 'port', label: 'port' },
  { key: 'protocol', label: 'protocol' },
  { key: 'state', label: 'state' },
  { key: 'ok', label: 'ok' },
  ...PHASES.map((phase) => ({ key: phase.key, label: phase.key, value: (r) => r.timings[phase.key] })),
  { key: 'totalMs', label: 'totalMs', value: (r) => r.timings.totalMs },
  { key: 'error', label: 'error', value: (r) => (r.error ? `${r.error.code}: ${r.error.message}` : '') },
  { key: 'certificate', label: 'certificate', value: (r) => r.tls?.certificate?.subject ?? '' },
  { key: 'validTo', label: 'validTo', value: (r) => r.tls?.certificate?.validTo ?? '' },
];

export function ProbePage({ features }) {
  const [text, setText] = useState(EXAMPLE);
  const [protocol, setProtocol] = useState('tcp');
  const [timeoutMs, setTimeoutMs] = useState('3000');
  const [insecure, setInsecure] = useState(false);
  const [results, setResults] = useState(/** @type {any[] | undefined} */ (undefined));
  const [summary, setSummary] = useState('');
  const [error, setError] = useState(/** @type {Error | undefined} */ (undefined));
  const [running, setRunning] = useState(false);

  if (!features.probe) return html`<p>This service has no socket probes.</p>`;

  const run = async (event) => {
    event.preventDefault();
    setError(undefined);
    const { targets, errors } = parseTargets(text);
    if (errors.length > 0) {
      setError(new Error(errors.map((e) => `line ${e.line} (${e.text}): ${e.message}`).join('; ')));
      return;
    }
    if (targets.length === 0) {
      setError(new Error('Give at least one target, host:port.'));
      return;
    }
    const shared = { protocol, timeoutMs: Number(timeoutMs) };
    // TLS options are for TLS probes only: a target gets them when it is one.
    const withTls = (target) => ({ ...target, ...(insecure && (target.protocol ?? protocol) === 'tls' ? { tls: { insecure: true } } : {}) });
    setRunning(true);
    try {
      if (targets.length === 1) {
        const answer = await requestJson('POST', '/socket/probe', { ...shared, ...withTls(targets[0]) });
        setResults([answer]);
        setSummary(`1 probe: ${answer.state}`);
      } else {
        const answer = await requestJson('POST', '/socket/probe', { ...shared, targets: targets.map(withTls) });
        setResults(answer.results);
        const byState = Object.entries(answer.summary.byState ?? {}).map(([state, n]) => `${n} ${state}`).join(', ');
        setSummary(`${answer.summary.total} probes, ${answer.summary.ok} ok (${byState})`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  const scale = results ? Math.max(1, ...results.map((r) => r.timings.totalMs)) : 1;
  return html`<div class="probe">
    <form class="probe-form" onSubmit=${run} aria-label="Probe targets">
      <${Field} as="textarea" label="Targets, one per line" name="targets" rows="6" value=${text} onInput=${(e) => setText(e.currentTarget.value)}
        hint="host:port, [ipv6]:port, or with a protocol: tls://host:443, udp://host:53. # starts a comment." />
      <div class="row">
        <${Field} as="select" label="Default protocol" name="protocol" value=${protocol} onChange=${(e) => setProtocol(e.currentTarget.value)}>
          <option value="tcp">tcp</option><option value="tls">tls</option><option value="udp">udp</option>
        <//>
        <${Field} label="Timeout (ms)" name="timeoutMs" type="number" min="1" max="60000" value=${timeoutMs} onInput=${(e) => setTimeoutMs(e.currentTarget.value)} />
        <label class="check"><input type="checkbox" name="insecure" checked=${insecure} onChange=${(e) => setInsecure(e.currentTarget.checked)} /> TLS: report untrusted certificates instead of failing</label>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled=${running}>${running ? 'Probing…' : 'Probe'}</button>
        ${results ? html`<button type="button" onClick=${() => download('probes.csv', toCsv(CSV_COLUMNS, results), 'text/csv')}>Export CSV</button>` : null}
      </div>
    </form>
    <${ErrorMessage} error=${error} />
    ${results
      ? html`<section class="probe-results" aria-label="Probe results">
          <p role="status" class="summary">${summary}</p>
          <ul class="legend" aria-label="Timing phases">
            ${PHASES.map((phase) => html`<li><span class=${`swatch phase-${phase.key}`} aria-hidden="true"></span>${phase.label}</li>`)}
          </ul>
          <ol class="probe-list">
            ${results.map((result, i) => html`<${ProbeResult} key=${i} result=${result} scale=${scale} />`)}
          </ol>
        </section>`
      : null}
  </div>`;
}

function ProbeResult({ result, scale }) {
  const segments = timingSegments(result.timings, scale);
  const certificate = result.tls?.certificate;
  const described = segments.map((s) => `${s.label} ${s.ms} ms`).join(', ');
  return html`<li class=${`probe-result state-${result.state.replace('|', '-')}`} data-state=${result.state} data-target=${`${result.host}:${result.port}`}>
    <div class="probe-head">
      <span class="target">${result.protocol}://${result.host}:${result.port}</span>
      <span class=${`badge ${result.ok ? 'ok' : 'bad'}`}>${result.state}</span>
      <span class="total">${result.timings.totalMs} ms</span>
      ${result.address && result.address !== result.host ? html`<span class="address">${result.address}</span>` : null}
    </div>
    <div class="bar" role="img" aria-label=${`Timings: ${described || 'none'}; total ${result.timings.totalMs} ms`}>
      ${segments.map((s) => html`<span class=${`segment phase-${s.key}`} style=${{ width: `${s.percent}%` }} title=${`${s.label}: ${s.ms} ms`}></span>`)}
    </div>
    <p class="phases">${segments.map((s) => `${s.label} ${s.ms} ms`).join(' · ')}</p>
    ${result.error ? html`<p class="probe-error">${result.error.code}: ${result.error.message}</p>` : null}
    ${result.response ? html`<p class="response">Read ${result.response.bytes} bytes (${result.response.endedBy}): <code>${result.response.text.slice(0, 200)}</code></p>` : null}
    ${result.tls
      ? html`<div class="tls">
          <p>${result.tls.protocol ?? 'no TLS'} ${result.tls.cipher ?? ''} ${result.tls.alpn ? `ALPN ${result.tls.alpn}` : ''}
            · ${result.tls.authorized ? 'trusted' : `not trusted (${result.tls.authorizationError ?? 'unknown reason'})`}</p>
          ${certificate
            ? html`<details>
                <summary>
                  Certificate ${certificate.subject}: <span class=${`expiry ${expiryLevel(certificate.daysRemaining)}`}>
                    ${certificate.daysRemaining < 0 ? `expired ${-certificate.daysRemaining} days ago` : `expires in ${certificate.daysRemaining} days`}</span>
                  (${certificate.validTo})
                </summary>
                ${[certificate, ...result.tls.chain.slice(1)].map(
                  (cert, i) => html`<dl class="facts cert" key=${i}>
                    <dt>${i === 0 ? 'Subject' : `Chain ${i}`}</dt><dd>${cert.subject}</dd>
                    <dt>Issuer</dt><dd>${cert.issuer}</dd>
                    ${cert.san.length ? html`<dt>SAN</dt><dd>${cert.san.join(', ')}</dd>` : null}
                    <dt>Valid</dt><dd>${cert.validFrom} → ${cert.validTo} (${cert.daysRemaining} days left)</dd>
                    <dt>Serial</dt><dd>${cert.serialNumber}</dd>
                    <dt>SHA-256</dt><dd class="hex">${cert.fingerprint256}</dd>
                  </dl>`,
                )}
              </details>`
            : null}
        </div>`
      : null}
  </li>`;
}
