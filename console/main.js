import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fetchDocument, loadToken, saveToken } from './api.js';
import { ExplorePage } from './explore.js';
import { ProbePage } from './probe.js';
import { TrapsPage } from './traps.js';
import { html } from './ui.js';
import { featuresOf } from './util.js';

/** The console's shell: the token, the navigation (#/traps, #/explore, #/probe) and the page shown. */

const PAGES = [
  { id: 'traps', label: 'Traps', component: TrapsPage },
  { id: 'explore', label: 'Explore', component: ExplorePage },
  { id: 'probe', label: 'Probe', component: ProbePage },
];

function pageFromHash() {
  const id = location.hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.id === id) ?? PAGES[0];
}

function TokenForm({ onChange }) {
  const [token, setToken] = useState(loadToken());
  const [saved, setSaved] = useState(Boolean(loadToken()));
  const submit = (event) => {
    event.preventDefault();
    saveToken(token.trim());
    setSaved(Boolean(token.trim()));
    onChange();
  };
  const forget = () => {
    saveToken('');
    setToken('');
    setSaved(false);
    onChange();
  };
  return html`<form class="token" onSubmit=${submit}>
    <label for="token">API token</label>
    <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" value=${token}
      onInput=${(e) => setToken(e.currentTarget.value)} placeholder="bearer token" />
    <button type="submit">Use</button>
    <button type="button" onClick=${forget} disabled=${!saved}>Forget</button>
    <span class="token-state" role="status">${saved ? 'token set (this tab only)' : 'no token'}</span>
  </form>`;
}

function App() {
  const [page, setPage] = useState(pageFromHash);
  const [features, setFeatures] = useState(/** @type {ReturnType<typeof featuresOf> | undefined} */ (undefined));
  const [documentError, setDocumentError] = useState(/** @type {Error | undefined} */ (undefined));
  // Bumped when the token changes, so that pages (and their streams) start again with it.
  const [session, setSession] = useState(0);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    fetchDocument().then((document) => setFeatures(featuresOf(document)), setDocumentError);
  }, []);

  useEffect(() => {
    document.title = `${page.label} · netprobe console`;
  }, [page]);

  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <h1><a href="#/traps">netprobe</a> <span>console</span></h1>
      <nav aria-label="Pages">
        <ul>
          ${PAGES.map(
            (p) => html`<li><a href=${`#/${p.id}`} aria-current=${p.id === page.id ? 'page' : undefined}>${p.label}</a></li>`,
          )}
          <li><a href="/docs">API docs</a></li>
        </ul>
      </nav>
      <${TokenForm} onChange=${() => setSession((n) => n + 1)} />
    </header>
    <main id="main" tabindex="-1">
      ${documentError
        ? html`<p class="error" role="alert">Could not read the API description (/openapi.json): ${documentError.message}</p>`
        : features
          ? // Every page stays mounted (hidden when not shown), so the trap stream goes on while exploring.
            PAGES.map(
              (p) => html`<section key=${`${p.id}-${session}`} id=${`page-${p.id}`} hidden=${p.id !== page.id} aria-labelledby=${`title-${p.id}`}>
                <h2 id=${`title-${p.id}`}>${p.label}</h2>
                <${p.component} features=${features} visible=${p.id === page.id} />
              </section>`,
            )
          : html`<p>Loading…</p>`}
    </main>`;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
