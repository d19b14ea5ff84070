import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio, leavesLoopback, openBrowser, type TestBrowser } from '../helpers/browser.ts';
import { closedPort, lineServer, openSslServer, selfSignedCertificate, type OpenSslServer, type TcpPeer, type TestCertificate } from '../helpers/probe-peers.ts';
import { compareIdTexts, parseStreamId } from '../../src/events/stream-id.ts';
import { startService, type RunningService } from '../helpers/service.ts';
import { startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';
import { metricValue, scrape, trapPortOf } from '../helpers/traps-flood.ts';
import { OIDS, runSnmpTool } from '../helpers/traps-peers.ts';

/**
 * The console in real headless Chromium (Debian's, through playwright-core) against the real service
 * process, with snmptrap for traps, snmpd for get/walk and local TCP and openssl s_server peers for
 * probes. Every request the browser makes is recorded: none may leave loopback.
 *
 * Screenshots go to a temporary folder; `npm run screenshots` (CONSOLE_SCREENSHOTS=docs) writes them to
 * docs/console-*.png instead, as committed and shown in the README.
 */

// Names of the page's globals, for the functions that page.evaluate runs in the browser (the project's
// TypeScript has no DOM library: the service never runs in a browser).
declare const document: any, sessionStorage: any, localStorage: any, location: any, getComputedStyle: any, Node: any, scrollTo: any;
type DomElement = any;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'console-test-token-0123456789abcdef';
const TRAP_BUFFER = 40;
const WAIT = 20_000;

let service: RunningService;
let trapPort: number;
let snmpd: Snmpd;
let browser: TestBrowser;
let page: Page;
let lineA: TcpPeer;
let lineB: TcpPeer;
let cert: TestCertificate;
let tls: OpenSslServer;
let shotDir: string;
let markers = 0;

function serviceEnv(extra: Record<string, string> = {}) {
  return {
    API_TOKENS: JSON.stringify([{ name: 'console', token: TOKEN, scopes: ['read', 'traps'] }]),
    TRAP_BUFFER: String(TRAP_BUFFER),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

beforeAll(async () => {
  shotDir = process.env.CONSOLE_SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'netprobe-console-shots-'));
  mkdirSync(shotDir, { recursive: true });
  [service, snmpd, lineA, lineB] = await Promise.all([startService(serviceEnv()), startSnmpd(), lineServer('127.0.0.1', 'hello\n'), lineServer()]);
  trapPort = await trapPortOf(service);
  cert = selfSignedCertificate(45);
  tls = await openSslServer(cert);
  browser = await openBrowser();
  page = browser.page;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([service?.stop(), snmpd?.stop(), lineA?.close(), lineB?.close(), tls?.close()]);
  cert?.cleanup();
  if (process.env.CONSOLE_SCREENSHOTS !== 'docs' && shotDir) rmSync(shotDir, { recursive: true, force: true });
});

const marker = (label: string) => `${label}-${process.pid}-${++markers}`;

/** snmptrap -v2c to the service's trap port, the marker as the first varbind (so the list row shows it). */
async function sendTrap(trapOid: string, mark: string): Promise<void> {
  const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', trapOid, OIDS.marker, 's', mark, `${OIDS.ifIndex}.2`, 'i', '2']);
  expect(sent.code, sent.stderr).toBe(0);
}

/** Open trap streams, as the service counts them (/metrics is open by default). */
const subscribers = async () => metricValue(await scrape(service.baseUrl), 'netprobe_trap_subscribers');

const trapRow = (mark: string) => page.locator('#page-traps tr.trap', { hasText: mark });

/** The markers of the trap rows shown, top to bottom. */
async function shownMarkers(prefix: string): Promise<string[]> {
  const texts = await page.locator('#page-traps tr.trap td.varbinds').allInnerTexts();
  return texts.flatMap((text) => text.match(new RegExp(`${prefix}-\\d+-\\d+`, 'g')) ?? []);
}

async function screenshot(name: string): Promise<void> {
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shotDir, `console-${name}.png`) });
}

async function downloadText(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

async function showPage(id: 'traps' | 'explore' | 'probe'): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: id[0].toUpperCase() + id.slice(1) }).click();
  await expect.poll(() => page.locator(`#page-${id}`).isVisible()).toBe(true);
}

describe('the console in headless Chromium, against the real service', { timeout: 90_000 }, () => {
  it('opens /console, asks for the token, and goes live once given it', async () => {
    await page.goto(`${service.baseUrl}/console`);
    // Without a token the trap history is refused, and the page says so.
    await expect.poll(() => page.locator('#page-traps .error').innerText(), { timeout: WAIT }).toMatch(/Authentication required/);
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status'), { timeout: WAIT }).toBe('live');
    expect(await page.evaluate(() => [sessionStorage.getItem('netprobe.token'), localStorage.length])).toEqual([TOKEN, 0]);
  });

  it('shows traps sent with snmptrap as they arrive, with a detail drawer', async () => {
    const marks = [marker('first'), marker('first'), marker('first')];
    for (const mark of marks) await sendTrap(OIDS.linkDown, mark);
    for (const mark of marks) await trapRow(mark).waitFor({ timeout: WAIT });
    const row = trapRow(marks[1]);
    expect(await row.locator('.trap-name').innerText()).toBe('IF-MIB::linkDown');

    await row.getByRole('button', { name: /Details of trap/ }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.isVisible()).toBe(true);
    const text = await drawer.innerText();
    expect(text).toContain('SNMPv2-MIB::snmpTrapOID.0');
    expect(text).toContain(OIDS.marker);
    expect(text).toContain(marks[1]);
    expect(text).toMatch(/IF-MIB::ifIndex\.2\s+1\.3\.6\.1\.2\.1\.2\.2\.1\.1\.2\s+Integer\s+2\b/);
    expect(await drawer.getByRole('button', { name: 'Close' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
  });

  it('filters with the stream parameters; pause, send more, resume: the missed traps arrive, in order', async () => {
    await page.getByLabel('Trap OID or name').fill('IF-MIB::linkDown');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status'), { timeout: WAIT }).toBe('live');
    const up = marker('up');
    const down = marker('down');
    await sendTrap(OIDS.linkUp, up);
    await sendTrap(OIDS.linkDown, down);
    await trapRow(down).waitFor({ timeout: WAIT });
    expect(await trapRow(up).count()).toBe(0);

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status')).toBe('paused');
    const missed = [marker('missed'), marker('missed'), marker('missed'), marker('missed')];
    for (const mark of missed) await sendTrap(OIDS.linkDown, mark);
    await sendTrap(OIDS.linkUp, marker('up'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await shownMarkers('missed')).toEqual([]);

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => shownMarkers('missed'), { timeout: WAIT }).toHaveLength(missed.length);
    // Newest first, so the list shows them in reverse order of sending; their ids increase as sent.
    expect(await shownMarkers('missed')).toEqual([...missed].reverse());
    const ids = await Promise.all(missed.map((mark) => trapRow(mark).getAttribute('data-id')));
    expect(ids.every((id) => id !== null && parseStreamId(id) !== undefined)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => compareIdTexts(a!, b!)));
    expect(await page.locator('#page-traps tr.marker.gap').count()).toBe(0);
    expect(await page.locator('#page-traps tr.trap[data-trap="IF-MIB::linkUp"]').count()).toBe(0);
  });

  it('exports what is shown as NDJSON and CSV, and charts traps per second', async () => {
    const ndjson = await downloadText(() => page.getByRole('button', { name: 'Export NDJSON' }).click());
    expect(ndjson.name).toBe('traps.ndjson');
    const events = ndjson.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(new Set(events.map((e) => e.trapName))).toEqual(new Set(['IF-MIB::linkDown']));
    const csv = await downloadText(() => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.text.split('\r\n')[0]).toBe('id,receivedAt,source,version,pduType,trapOid,trapName,varbinds');
    expect(csv.text).toContain('IF-MIB::linkDown');
    await expect.poll(() => page.locator('#page-traps .chart-summary').innerText(), { timeout: WAIT }).toMatch(/^\d+ traps, at most \d+ per second$/);
    expect(await page.locator('#page-traps .chart canvas').count()).toBeGreaterThan(0);
    await screenshot('traps');
  });

  it('is not live while the history for new filters loads: the stream before them has ended', async () => {
    const status = () => page.locator('#page-traps [data-status]').getAttribute('data-status');
    await expect.poll(status, { timeout: WAIT }).toBe('live');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/snmp/traps/recent*', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.getByRole('button', { name: 'Apply filters' }).click();
      // Until the new stream is open the page says so: whoever waits for 'live' waits for that stream.
      await expect.poll(status, { timeout: WAIT }).toBe('connecting');
      release();
      await expect.poll(status, { timeout: WAIT }).toBe('live');
    } finally {
      release();
      await page.unroute('**/snmp/traps/recent*');
    }
  });

  it('shows a gap when the traps missed while paused no longer fit the service buffer', async () => {
    await page.getByLabel('Trap OID or name').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status'), { timeout: WAIT }).toBe('live');
    await page.getByRole('button', { name: 'Pause' }).click();
    // Paused once the page's stream is closed: a trap sent before that would still reach it, and move its
    // resume point into the flood (no gap, if ten of them got through).
    await expect.poll(subscribers, { timeout: WAIT }).toBe(0);
    const flood = Array.from({ length: TRAP_BUFFER + 10 }, () => marker('flood'));
    for (let i = 0; i < flood.length; i += 10) await Promise.all(flood.slice(i, i + 10).map((mark) => sendTrap(OIDS.linkDown, mark)));
    await page.getByRole('button', { name: 'Resume' }).click();
    const gap = page.locator('#page-traps tr.marker.gap');
    await gap.waitFor({ timeout: WAIT });
    expect(await gap.innerText()).toMatch(/Gap: \d+ traps were lost/);
    expect(await page.locator('#page-traps .counts').innerText()).toMatch(/1 gaps/);
  });

  it('shows the reconnect when the service restarts, and resumes the stream', async () => {
    const port = service.port;
    const errorsBefore = browser.errors.length;
    expect(await service.stop()).toBe(0);
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status'), { timeout: WAIT }).toBe('reconnecting');
    service = await startService(serviceEnv({ PORT: String(port) }));
    trapPort = await trapPortOf(service);
    await page.locator('#page-traps tr.marker.reconnect').waitFor({ timeout: WAIT });
    await expect.poll(() => page.locator('#page-traps [data-status]').getAttribute('data-status'), { timeout: WAIT }).toBe('live');
    // While stopping and starting, the service answers 503 ("shutting down", "starting", with Retry-After)
    // and the console retries: Chromium logs those responses. Only here are they expected.
    const restartErrors = browser.errors.splice(errorsBefore);
    browser.errors.push(...restartErrors.filter((text) => !/status of 503/.test(text)));
    const after = marker('after');
    await sendTrap(OIDS.linkDown, after);
    await trapRow(after).waitFor({ timeout: WAIT });
  });

  it('explores an agent: get with v3 credentials (never echoed), a walk and its table view, sortable, exported as CSV', async () => {
    await showPage('explore');
    const explore = page.locator('#page-explore');
    const user = TEST_USERS.sha256;
    await explore.getByLabel('Host').fill('127.0.0.1');
    await explore.getByLabel('Port').fill(String(snmpd.port));
    await explore.getByLabel('Version').selectOption('3');
    await explore.getByLabel('User').fill(user.name);
    await explore.getByLabel('Security level').selectOption('authNoPriv');
    await explore.getByLabel('Auth protocol').selectOption('sha256');
    await explore.getByLabel('Auth key').fill(user.authKey);
    await explore.getByLabel('OIDs (names or numbers, separated by spaces or lines)').fill('SNMPv2-MIB::sysName.0 SNMPv2-MIB::sysUpTime.0');
    await explore.getByRole('button', { name: 'Run get' }).click();
    await expect.poll(() => explore.locator('.results .summary').innerText(), { timeout: WAIT }).toMatch(/^2 varbinds/);
    expect(await explore.locator('.results tbody').innerText()).toContain('netprobe-test-agent');
    const secretShown = await page.evaluate(
      (secret) => [document.body.innerText.includes(secret), JSON.stringify({ ...sessionStorage }).includes(secret), location.href.includes(secret)],
      user.authKey,
    );
    expect(secretShown).toEqual([false, false, false]);

    await explore.getByLabel('Version').selectOption('2c');
    await explore.getByLabel('Community').fill('public');
    await explore.getByRole('radio', { name: 'walk' }).check();
    await explore.getByLabel('Subtree (name or OID)').fill('SNMPv2-MIB::system');
    await explore.getByRole('button', { name: 'Run walk' }).click();
    await expect.poll(() => explore.locator('.results .summary').innerText(), { timeout: WAIT }).toMatch(/^\d+ varbinds, endOfSubtree|^\d+ varbinds, end/);
    expect(await explore.locator('.results tbody').innerText()).toContain('SNMPv2-MIB::sysName.0');
    // Sort by name, then the other way round.
    const nameHeader = explore.locator('.results th', { hasText: 'Name' });
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await explore.locator('.results tbody tr td:nth-child(2)').allInnerTexts();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await explore.locator('.results tbody tr td:nth-child(2)').allInnerTexts()).toEqual([...ascending].reverse());

    const csv = await downloadText(() => explore.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.text.split('\r\n')[0]).toMatch(/^OID,Name,Type,Value/);
    expect(csv.text).toContain('netprobe-test-agent');
    expect(csv.text).not.toContain(user.authKey);
  });

  it('shows a table as a table: a walk of ifTable by rows, POST /snmp/table, and the MIB browser', async () => {
    const explore = page.locator('#page-explore');
    await explore.getByLabel('Subtree (name or OID)').fill('IF-MIB::ifTable');
    await explore.getByRole('button', { name: 'Run walk' }).click();
    // The system walk's results stay on screen until this walk's replace them: wait for ifTable's own rows.
    await expect.poll(() => explore.locator('.results tbody').innerText(), { timeout: WAIT }).toContain('IF-MIB::ifDescr');
    await expect.poll(() => explore.locator('.results .summary').innerText(), { timeout: WAIT }).toMatch(/^\d+ varbinds, (?!walking)/);
    await explore.getByLabel('Show as a table (rows by index)').check();
    const header = await explore.locator('.results thead').innerText();
    expect(header).toMatch(/Index[\s\S]*ifIndex[\s\S]*ifDescr/);
    const loRow = explore.locator('.results tbody tr', { hasText: 'lo' }).first();
    await loRow.waitFor();
    expect(await explore.locator('.results tbody tr').count()).toBeGreaterThanOrEqual(1);

    // The service has POST /snmp/table, GET /snmp/mibs and GET /snmp/translate: the page shows them
    // (test/unit/console-util.test.ts: a document without them hides them).
    await explore.getByRole('radio', { name: 'table' }).check();
    await explore.getByLabel('Table (name or OID)').fill('IF-MIB::ifTable');
    await explore.getByRole('button', { name: 'Run table' }).click();
    await expect.poll(() => explore.locator('.results .summary').innerText(), { timeout: WAIT }).toMatch(/^\d+ rows/);
    expect(await explore.locator('.results thead').innerText()).toMatch(/Index[\s\S]*ifIndex \(index\)[\s\S]*ifDescr[\s\S]*ifOperStatus/);
    const lo = explore.locator('.results tbody tr', { hasText: 'lo' }).first();
    expect(await lo.innerText()).toMatch(/\bup\(1\)/); // enum names beside the number

    const mibs = explore.locator('section.mibs');
    await mibs.getByRole('button', { name: 'List loaded MIB modules' }).click();
    await expect.poll(() => mibs.getByRole('list', { name: 'Loaded MIB modules' }).innerText(), { timeout: WAIT }).toMatch(/IF-MIB\s+bundled, \d+ objects/);
    await mibs.getByLabel('Name or OID').fill('IF-MIB::ifEntry');
    await mibs.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => mibs.locator('dl.facts').innerText(), { timeout: WAIT }).toMatch(/OID\s+1\.3\.6\.1\.2\.1\.2\.2\.1\b[\s\S]*index\s+ifIndex/);
    await mibs.getByRole('button', { name: 'Use as table' }).click();
    expect(await explore.getByLabel('Table (name or OID)').inputValue()).toBe('IF-MIB::ifEntry');
    await mibs.getByLabel('Name or OID').fill('1.3.6.1.2.1.2.2.1.8');
    await mibs.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => mibs.locator('dl.facts').innerText(), { timeout: WAIT }).toMatch(/name\s+IF-MIB::ifOperStatus[\s\S]*enums\s+up\(1\), down\(2\)/);
    await screenshot('explore');
  });

  it('probes a pasted list: states, per-phase timing bars, the certificate and its expiry', async () => {
    await showPage('probe');
    const probe = page.locator('#page-probe');
    const closed = await closedPort('tcp');
    await probe.getByLabel('Targets, one per line').fill(
      [`127.0.0.1:${lineA.port}`, `127.0.0.1:${lineB.port}`, `127.0.0.1:${closed}  # nothing listens`, `tls://127.0.0.1:${tls.port}`].join('\n'),
    );
    await probe.getByLabel('TLS: report untrusted certificates instead of failing').check();
    await probe.getByRole('button', { name: 'Probe', exact: true }).click();
    await expect.poll(() => probe.locator('.probe-results .summary').innerText(), { timeout: WAIT }).toMatch(/^4 probes, 3 ok/);
    const states = await probe.locator('.probe-result').evaluateAll((items) => items.map((item) => (item as DomElement).dataset.state));
    expect(states).toEqual(['open', 'open', 'closed', 'open']);
    const tlsResult = probe.locator('.probe-result').nth(3);
    expect(await tlsResult.locator('.segment').evaluateAll((s) => s.map((e) => e.className))).toEqual(['segment phase-dnsMs', 'segment phase-connectMs', 'segment phase-tlsMs']);
    expect(await tlsResult.locator('.bar').getAttribute('aria-label')).toMatch(/connect [\d.]+ ms, TLS [\d.]+ ms/);
    const expiry = await tlsResult.locator('.expiry').innerText();
    expect(expiry).toMatch(/expires in 4[45] days/);
    await tlsResult.locator('summary').click();
    expect(await tlsResult.locator('dl.cert').first().innerText()).toMatch(/CN=probe\.test[\s\S]*DNS:probe\.test, IP Address:127\.0\.0\.1|CN=probe\.test[\s\S]*DNS:probe\.test/);
    expect(await probe.locator('.probe-result').nth(2).locator('.probe-error').innerText()).toMatch(/^REFUSED/);
    await screenshot('probe');
  });

  it('is keyboard reachable, labelled, legible, and usable on a narrow screen', async () => {
    // Every form control has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => (el as DomElement).labels?.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);

    // Tab from the top reaches the navigation, the token field and the page's controls.
    await page.goto(`${service.baseUrl}/console#/traps`);
    await page.locator('#page-traps').waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => {
        const el = document.activeElement as DomElement | null;
        return el ? `${el.tagName.toLowerCase()}:${(el as DomElement).labels?.[0]?.innerText ?? el.innerText ?? ''}` : '';
      }));
    }
    expect(reached).toEqual(expect.arrayContaining(['a:Skip to content', 'a:Traps', 'a:Explore', 'a:Probe', 'input:API token', 'input:Source (IP or CIDR)', 'button:Pause']));

    // Text contrast: at least 4.5:1 (3:1 for large text) against the background it sits on.
    for (const id of ['traps', 'explore', 'probe'] as const) {
      await showPage(id);
      const samples = await page.evaluate(() => {
        const background = (el: DomElement | null): string => {
          for (let node = el; node; node = node.parentElement) {
            const color = getComputedStyle(node).backgroundColor;
            if (!/rgba\(.*, 0\)$/.test(color) && color !== 'transparent') return color;
          }
          return 'rgb(255, 255, 255)';
        };
        return [...document.querySelectorAll('body *')]
          .filter((el) => {
            const html = el as DomElement;
            const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
            return ownText && html.offsetParent !== null && !(html as DomElement).disabled && !html.closest('[disabled], .u-axis, .visually-hidden');
          })
          .map((el) => {
            const style = getComputedStyle(el);
            return { text: (el as DomElement).innerText.slice(0, 40), color: style.color, background: background(el), size: parseFloat(style.fontSize), bold: Number(style.fontWeight) >= 700 };
          });
      });
      const poor = samples
        .map((s) => ({ ...s, ratio: contrastRatio(s.color, s.background) }))
        .filter((s) => s.ratio < (s.size >= 24 || (s.bold && s.size >= 18.66) ? 3 : 4.5));
      expect(poor, id).toEqual([]);
    }

    // 1280×800 and a phone: no page scrolls sideways; wide tables scroll inside their own box.
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(viewport);
      for (const id of ['traps', 'explore', 'probe'] as const) {
        await showPage(id);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${id} at ${viewport.width}px`).toBeLessThanOrEqual(0);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('made no request that left loopback, and logged no error but the 401 before the token', async () => {
    expect(browser.requests.length).toBeGreaterThan(10);
    expect(browser.requests.filter(leavesLoopback)).toEqual([]);
    expect(browser.requests.some((url) => url.includes('/console/vendor/preact/'))).toBe(true);
    const unexpected = browser.errors.filter((text) => !/status of 401|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|network error/i.test(text));
    expect(unexpected).toEqual([]);
  });
});
