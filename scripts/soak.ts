// `npm run soak`: hostile input against the real service process for a few minutes (issue #11), on
// loopback only. Not part of `npm test`. Prints, per scenario, RSS and open descriptors before, at the
// peak and after; exits non-zero if the service died, a scenario's checks failed, or memory or
// descriptors did not come back under their bounds after the load.
import { parseArgs } from 'node:util';
import { readMemory, sampleRss } from '../bench/lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../bench/lib/processes.ts';
import { startNetprobe, type Netprobe } from '../bench/lib/service.ts';
import { metricValue, openFds, pollUntil, scrape, sendAll, SseTally, v2cTrap, v2cTrapWithBlob } from '../test/helpers/traps-flood.ts';
import { compareIdTexts } from '../src/events/stream-id.ts';
import { captureSeeds, fuzzDatagrams, prng, sendPaced } from '../test/helpers/traps-fuzz.ts';
import { encodeResponse, encodeV1Trap, encodeV3Response, orderedTree, PDU, startFakeAgent, type FakeReply, type FakeRequest } from '../test/helpers/snmp-fake-agent.ts';

function usage(): string {
  return `Usage: npm run soak -- [--minutes N] [--scenario <name>]... [--rss-after-mib N] [--settle-seconds N] [--seed N]

  --minutes N         total load time, shared by the scenarios (default 4)
  --scenario <name>   run only this scenario (repeatable): ${SCENARIOS.map((s) => s.name).join(', ')}
  --rss-after-mib N   RSS the service must be back under after each scenario (default 400)
  --settle-seconds N  pause after each scenario before measuring "after" (default 10)
  --seed N            seed of the random datagrams (default 20261202)
`;
}

export interface SoakContext {
  service: Netprobe;
  /** The scenario loads the service until this time (Date.now()). */
  until: number;
  random: () => number;
  log(message: string): void;
}

/** A load against the running service. It throws when the service misbehaves; it returns a one-line summary. */
export interface Scenario {
  name: string;
  run(ctx: SoakContext): Promise<string>;
}

/** The campaign. */
export const SCENARIOS: Scenario[] = [
  { name: 'trap-flood', run: trapFlood },
  { name: 'garbage', run: garbageFlood },
  { name: 'hostile-agent', run: hostileAgent },
];

/** Descriptors a scenario may leave open beyond those it found (sockets of the HTTP keep-alive pool). */
const FD_SLACK = 16;

interface Measured {
  name: string;
  summary: string;
  seconds: number;
  rss: { before: number; peak: number; after: number };
  fds: { before: number; peak: number; after: number };
  failure?: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '4' },
      scenario: { type: 'string', multiple: true },
      'rss-after-mib': { type: 'string', default: '400' },
      'settle-seconds': { type: 'string', default: '10' },
      seed: { type: 'string', default: '20261202' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const chosen = values.scenario ? SCENARIOS.filter((s) => values.scenario!.includes(s.name)) : SCENARIOS;
  if (chosen.length === 0) throw new Error(`no such scenario: ${values.scenario!.join(', ')}`);
  const loadMs = (Number(values.minutes) * 60_000) / chosen.length;
  const rssAfterBound = Number(values['rss-after-mib']);
  const settleMs = Number(values['settle-seconds']) * 1000;
  const random = prng(Number(values.seed));

  const registry = new ProcessRegistry();
  const uninstall = installCleanup(registry);
  const started = new Date();
  const results: Measured[] = [];
  try {
    const service = await startNetprobe(registry);
    const log = (message: string) => process.stderr.write(`[soak ${((Date.now() - started.getTime()) / 1000).toFixed(0)}s] ${message}\n`);
    log(`service pid ${service.pid} on ${service.baseUrl}, traps on udp ${service.trapPort}; ${chosen.length} scenarios of ${(loadMs / 1000).toFixed(0)} s`);
    for (const scenario of chosen) {
      results.push(await measure(scenario, { service, until: Date.now() + loadMs, random, log }, settleMs, rssAfterBound));
      if (!alive(service)) break;
    }
    if (!alive(service)) results.push(failed('service', `the service exited (${service.child.exitCode ?? service.child.signalCode}):\n${service.output()}`));
  } finally {
    await registry.stopAll();
    uninstall();
  }
  process.stdout.write(report(results, started, rssAfterBound));
  return results.some((r) => r.failure) ? 1 : 0;
}

async function measure(scenario: Scenario, ctx: SoakContext, settleMs: number, rssAfterBound: number): Promise<Measured> {
  const { pid } = ctx.service;
  const rssBefore = readMemory(pid).rssMb;
  const fdsBefore = openFds(pid);
  let fdsPeak = fdsBefore;
  const fdSampler = setInterval(() => alive(ctx.service) && (fdsPeak = Math.max(fdsPeak, openFds(pid))), 250);
  const rssSampler = sampleRss(pid, 50);
  const startedAt = Date.now();
  ctx.log(`${scenario.name}: start`);
  let summary = '';
  let failure: string | undefined;
  try {
    summary = await scenario.run(ctx);
  } catch (err) {
    failure = (err as Error).message;
  } finally {
    clearInterval(fdSampler);
  }
  const seconds = (Date.now() - startedAt) / 1000;
  const rss = { before: rssBefore, peak: rssSampler.stop().peakRssMb, after: NaN };
  const fds = { before: fdsBefore, peak: fdsPeak, after: NaN };
  ctx.log(`${scenario.name}: ${failure ?? summary}; settling ${settleMs / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  if (!alive(ctx.service)) return { name: scenario.name, summary, seconds, rss, fds, failure: failure ?? 'the service died' };
  rss.after = readMemory(pid).rssMb;
  fds.after = openFds(pid);
  if (!failure && rss.after > rssAfterBound) failure = `RSS ${rss.after.toFixed(0)} MiB after the load, above ${rssAfterBound} MiB`;
  if (!failure && fds.after > fds.before + FD_SLACK) failure = `${fds.after} descriptors open after the load, ${fds.before} before`;
  return { name: scenario.name, summary, seconds, rss, fds, failure };
}

/**
 * One subscriber that stops reading and four that read; traps in batches, paced by the readers (the
 * point is memory under a stalled client, not the receive buffer): every fifth carries 2000 varbinds
 * (about 220 KB of JSON), one in a hundred 9000 (about 590 KB, over TRAP_MAX_EVENT_BYTES: dropped).
 * The readers must get every accepted trap in order without a gap; the stalled one, once it resumes,
 * what the ring still holds after a gap that counts the rest.
 */
async function trapFlood({ service, until, log }: SoakContext): Promise<string> {
  const url = `${service.baseUrl}/snmp/traps`;
  const stalled = await SseTally.connect(url);
  stalled.pause();
  const readers = await Promise.all(Array.from({ length: 4 }, () => SseTally.connect(url)));
  /** Every id, in order, as the first reader got them: what the stalled client is checked against. */
  const reference: string[] = [];
  const droppedBefore = metricValue(await scrape(service.baseUrl), 'netprobe_traps_dropped_total', '{reason="tooLarge"}');
  let sent = 0;
  let tooLarge = 0;
  try {
    while (Date.now() < until && alive(service)) {
      const expected: string[] = [];
      const datagrams: Buffer[] = [];
      for (let i = 0; i < 40; i++, sent++) {
        if (sent % 100 === 50) {
          datagrams.push(v2cTrap(`too-large-${sent}`, 9_000, 'nulls'));
          tooLarge++;
        }
        datagrams.push(v2cTrap(`soak-${sent}`, sent % 5 === 4 ? 2_000 : 0));
        expected.push(`soak-${sent}`);
      }
      await sendAll(datagrams, service.trapPort);
      for (const [i, reader] of readers.entries()) {
        await reader.until(() => reader.markers.length >= expected.length, 30_000, `the readers to get traps up to soak-${sent - 1}`);
        const ids = checkBatch(reader, expected);
        if (i === 0) reference.push(...ids);
      }
      if (sent % 10_000 === 0) log(`trap-flood: ${sent} traps sent`);
    }
    const lastId = readers[0].lastId;
    stalled.resume();
    await stalled.until(() => stalled.lastId === lastId, 120_000, `the stalled client to catch up to id ${lastId}`);
    const problem = stalled.sequenceProblem(reference);
    if (problem) throw new Error(`stalled client, resumed: ${problem}`);
    const dropped = metricValue(await scrape(service.baseUrl), 'netprobe_traps_dropped_total', '{reason="tooLarge"}') - droppedBefore;
    if (dropped !== tooLarge) throw new Error(`${tooLarge} too-large traps sent, ${dropped} counted as tooLarge`);
    const mib = (readers[0].bytes / 1024 / 1024).toFixed(0);
    const gaps = stalled.gaps.map((gap) => gap.missed).join(', ') || 'none';
    return `${sent} traps (${sent / 5} large, ${tooLarge} too large: dropped) to 4 readers, ${mib} MiB each, in order, no gap; the stalled client, resumed: gap of ${gaps}, then ${stalled.traps} traps in order`;
  } finally {
    for (const client of [stalled, ...readers]) client.close();
    const subscribers = await pollUntil(async () => metricValue(await scrape(service.baseUrl), 'netprobe_trap_subscribers'), 0);
    if (subscribers !== 0) log(`trap-flood: netprobe_trap_subscribers is ${subscribers} after the clients left`);
  }
}

/** A reader got exactly `expected` since the last check, in order and without a gap; forgets them then and returns their ids. */
function checkBatch(reader: SseTally, expected: string[]): string[] {
  const got = reader.markers.splice(0, reader.markers.length);
  const ids = reader.ids.splice(0, reader.ids.length);
  if (reader.gaps.length > 0) throw new Error(`a reader got a gap: ${JSON.stringify(reader.gaps)}`);
  if (got.join() !== expected.join()) throw new Error(`a reader got ${got.length} traps out of order or wrong: first ${got[0]}, expected ${expected[0]}`);
  if (ids.some((id, i) => i > 0 && compareIdTexts(id, ids[i - 1]) <= 0)) throw new Error(`a reader got ids out of order: ${ids.join(',')}`);
  return ids;
}

/**
 * Random and mutated datagrams (test/helpers/traps-fuzz.ts), plus large ones: random bytes up to 60 KB,
 * valid traps carrying a random 1–60 KB blob (hex in the JSON: up to 120 KB) and over-large ones. One
 * subscriber reads throughout; at the end a valid trap must still reach it.
 */
async function garbageFlood({ service, until, random, log }: SoakContext): Promise<string> {
  const seeds = await captureSeeds();
  const reader = await SseTally.connect(`${service.baseUrl}/snmp/traps`);
  const before = await scrape(service.baseUrl);
  let sent = 0;
  try {
    for (let round = 0; Date.now() < until && alive(service); round++) {
      const datagrams = fuzzDatagrams(seeds, 480, Math.floor(random() * 2 ** 31));
      for (let i = 0; i < 20; i++) datagrams.push(largeHostileDatagram(random, `garbage-${round}-${i}`));
      await sendPaced(datagrams, service.trapPort, '127.0.0.1', 100, 2);
      reader.markers.length = 0;
      reader.ids.length = 0;
      sent += datagrams.length;
      if (round % 200 === 0) log(`garbage: ${sent} datagrams sent`);
    }
    await deliverOne(service, reader, 'after-garbage');
    const after = await scrape(service.baseUrl);
    const delta = (name: string, labels = '') => metricValue(after, name, labels) - metricValue(before, name, labels);
    const accepted = ['1', '2c', '3'].reduce((sum, version) => sum + delta('netprobe_traps_received_total', `{version="${version}"}`), 0);
    const drops = ['malformed', 'unknownUser', 'unsupportedPdu', 'invalidNotification', 'tooLarge'].map((reason) => `${reason} ${delta('netprobe_traps_dropped_total', `{reason="${reason}"}`)}`);
    return `${sent} datagrams: ${accepted} accepted as events, dropped: ${drops.join(', ')}; a valid trap still delivered`;
  } finally {
    reader.close();
  }
}

/**
 * Sends a valid trap until the reader gets it: the flood outpaces the receiver on purpose, so the
 * kernel may drop the first copies while the backlog drains.
 */
async function deliverOne(service: Netprobe, reader: SseTally, marker: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!reader.markers.includes(marker)) {
    if (Date.now() > deadline) throw new Error(`a valid trap sent after the load did not arrive within ${timeoutMs} ms`);
    await sendAll([v2cTrap(marker)], service.trapPort);
    await reader.until(() => reader.markers.includes(marker), 1_000, marker).catch(() => {});
  }
}

const HOSTILE_ROOT = '1.3.6.1.4.1.99999';

/** What a hostile agent answers, and the statuses the service may give for it (never 500, never a crash). */
const HOSTILE_REPLIES: { name: string; reply: (req: FakeRequest, random: () => number) => FakeReply; statuses: number[] }[] = [
  { name: 'report', reply: (req) => encodeResponse(req, { varbinds: [{ oid: `${HOSTILE_ROOT}.1`, type: 2, value: 1 }] }, PDU.report), statuses: [502] },
  { name: 'getRequest', reply: (req) => encodeResponse(req, { varbinds: [{ oid: `${HOSTILE_ROOT}.1`, type: 5 }] }, PDU.get), statuses: [502] },
  { name: 'trapV2', reply: (req) => encodeResponse(req, { varbinds: [] }, PDU.trapV2), statuses: [502] },
  { name: 'trapV1', reply: (req) => encodeV1Trap(req), statuses: [504] },
  { name: 'v3-in-v2c', reply: (req) => encodeV3Response(req.requestId, [{ oid: `${HOSTILE_ROOT}.1`, type: 2, value: 1 }]), statuses: [504] },
  { name: 'wrong-id', reply: (req) => encodeResponse({ ...req, requestId: req.requestId ^ 1 }, { varbinds: [] }), statuses: [504] },
  { name: 'other-port', reply: (req) => ({ fromOtherPort: encodeResponse(req, orderedTree(HOSTILE_ROOT, 10)(req)) }), statuses: [504] },
  { name: 'ten-replies', reply: (req) => Array.from({ length: 10 }, () => encodeResponse(req, orderedTree(HOSTILE_ROOT, 10)(req))), statuses: [200] },
  {
    name: 'undecodable',
    reply: (req, random) => {
      const values: [number, Buffer][] = [[2, Buffer.alloc(41, 1)], [0x40, Buffer.alloc(5)], [0x41, Buffer.alloc(0)], [0x47, Buffer.from([1])], [6, Buffer.alloc(0)], [0x46, Buffer.alloc(40, 0xff)]];
      const [type, value] = values[Math.floor(random() * values.length)];
      return encodeResponse(req, { varbinds: [{ oid: `${HOSTILE_ROOT}.1`, type, value }] });
    },
    statuses: [502],
  },
  {
    name: 'truncated',
    reply: (req, random) => {
      const valid = encodeResponse(req, { varbinds: [{ oid: `${HOSTILE_ROOT}.1`, type: 4, value: 'x'.repeat(64) }] });
      return valid.subarray(0, Math.floor(random() * valid.length));
    },
    statuses: [502, 504],
  },
  {
    name: 'random-bytes',
    reply: (_req, random) => Buffer.from(Array.from({ length: Math.floor(random() * 1500) }, () => Math.floor(random() * 256))),
    statuses: [502, 504],
  },
  {
    name: 'endless-subtree',
    reply: (req) => {
      const last = Number(req.oids[0].slice(HOSTILE_ROOT.length + 1).split('.')[0] || 0);
      return { varbinds: Array.from({ length: Math.max(1, req.maxRepetitions) }, (_, i) => ({ oid: `${HOSTILE_ROOT}.${last + i + 1}`, type: 2, value: i })) };
    },
    statuses: [200],
  },
];

/**
 * A scripted agent on 127.0.0.1 answers every request with one of HOSTILE_REPLIES, in turn, while
 * get, bulk and walk requests (a few at a time) go through the service: every answer must be one of
 * the statuses the case allows, promptly bounded by the request's timeout.
 */
async function hostileAgent({ service, until, random, log }: SoakContext): Promise<string> {
  let current = HOSTILE_REPLIES[0];
  const agent = await startFakeAgent((req) => current.reply(req, random));
  const counts = new Map<string, number>();
  try {
    for (let round = 0; Date.now() < until && alive(service); round++) {
      current = HOSTILE_REPLIES[round % HOSTILE_REPLIES.length];
      await Promise.all(
        ['/snmp/get', '/snmp/bulk', '/snmp/walk', '/snmp/get'].map(async (path) => {
          const body = path === '/snmp/walk' ? { oid: HOSTILE_ROOT, maxVarbinds: 2000 } : { oids: [`${HOSTILE_ROOT}.1`] };
          const res = await fetch(`${service.baseUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ host: '127.0.0.1', port: agent.port, timeoutMs: 200, retries: 0, ...body }),
          });
          await res.arrayBuffer();
          if (!current.statuses.includes(res.status)) throw new Error(`${current.name} ${path}: status ${res.status}, expected ${current.statuses.join('/')}`);
          counts.set(current.name, (counts.get(current.name) ?? 0) + 1);
        }),
      );
      if (round % 500 === 0) log(`hostile-agent: ${round} rounds`);
    }
    return `${[...counts.values()].reduce((a, b) => a + b, 0)} requests answered as expected (${[...counts].map(([name, n]) => `${name} ${n}`).join(', ')})`;
  } finally {
    await agent.stop();
  }
}

function largeHostileDatagram(random: () => number, marker: string): Buffer {
  const kind = Math.floor(random() * 3);
  if (kind === 0) return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 60_000) }, () => Math.floor(random() * 256)));
  if (kind === 1) return v2cTrapWithBlob(marker, 1 + Math.floor(random() * 60_000), random);
  return v2cTrap(marker, 9_000, 'nulls');
}

function alive(service: Netprobe): boolean {
  return service.child.exitCode === null && service.child.signalCode === null;
}

function failed(name: string, failure: string): Measured {
  const none = { before: NaN, peak: NaN, after: NaN };
  return { name, summary: '', seconds: 0, rss: none, fds: none, failure };
}

function report(results: Measured[], started: Date, rssAfterBound: number): string {
  const mib = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(0)} MiB`);
  const count = (n: number) => (Number.isNaN(n) ? '—' : String(n));
  const lines = [
    '',
    `Soak run ${started.toISOString()}, Node ${process.version}; service at its default bounds; RSS bound after each scenario ${rssAfterBound} MiB`,
    '',
    '| Scenario | Load | RSS before | RSS peak | RSS after | fds before | fds peak | fds after | Result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) =>
      [r.name, `${r.seconds.toFixed(0)} s`, mib(r.rss.before), mib(r.rss.peak), mib(r.rss.after), count(r.fds.before), count(r.fds.peak), count(r.fds.after), r.failure ? `**FAILED**: ${r.failure}` : 'ok'].join(' | '),
    ).map((row) => `| ${row} |`),
    '',
    ...results.filter((r) => r.summary).map((r) => `- ${r.name}: ${r.summary}`),
    '',
  ];
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
