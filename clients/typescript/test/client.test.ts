import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, lineServer, type TcpPeer } from '../../../test/helpers/probe-peers.ts';
import { startService, type RunningService } from '../../../test/helpers/service.ts';
import { parseCliVarbinds, snmpCli, startSnmpd, type Snmpd } from '../../../test/helpers/snmpd.ts';
import { eventually } from '../../../test/helpers/replicas.ts';
import { metricValue, scrape, trapPortOf } from '../../../test/helpers/traps-flood.ts';
import { OIDS, runSnmpTool } from '../../../test/helpers/traps-peers.ts';
import { compareIdTexts } from '../../../src/events/stream-id.ts';
import { createNetprobeClient, NetprobeError, ok, type NetprobeClient, type TrapMessage } from '../src/index.ts';

/** The typed client against the real service process, snmpd, snmptrap and local TCP listeners. */

const TOKEN = 'client-test-token-0123456789abcdef';

let service: RunningService;
let trapPort: number;
let snmpd: Snmpd;
let listener: TcpPeer;
let client: NetprobeClient;
let markers = 0;

function env(extra: Record<string, string> = {}) {
  return { API_TOKENS: JSON.stringify([{ name: 'client', token: TOKEN, scopes: ['read', 'traps'] }]), ...extra };
}

beforeAll(async () => {
  [service, snmpd, listener] = await Promise.all([startService(env()), startSnmpd(), lineServer()]);
  trapPort = await trapPortOf(service);
  client = createNetprobeClient({ baseUrl: service.baseUrl, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await Promise.all([service?.stop(), snmpd?.stop(), listener?.close()]);
});

/** Open trap streams, as the service counts them (NaN while it does not answer). */
const subscriberCount = (target: RunningService) => scrape(target.baseUrl).then((text) => metricValue(text, 'netprobe_trap_subscribers'), () => NaN);

/** A subscription made now is the only one: those of earlier tests have been released. */
const noSubscriber = (target: RunningService) => eventually('the earlier subscriptions to be released', () => subscriberCount(target), (n) => n === 0, 20_000);
const subscribed = (target: RunningService) => eventually('a trap stream subscriber', () => subscriberCount(target), (n) => n > 0, 20_000);

/** `promise`, or a failure naming what did not happen within `ms` (rather than the whole test's timeout, which says nothing). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const marker = () => `client-${process.pid}-${++markers}`;

async function sendTrap(mark: string): Promise<void> {
  const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', mark]);
  expect(sent.code, sent.stderr).toBe(0);
}

const markerOf = (message: TrapMessage) => (message.event === 'trap' ? message.data.varbinds.find((v) => v.oid === OIDS.marker)?.value : undefined);

/** Takes messages from an iterator until `count` traps carrying one of `marks` have come. */
async function collect(iterator: AsyncIterator<TrapMessage>, marks: string[], timeoutMs = 15_000): Promise<TrapMessage[]> {
  const got: TrapMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < marks.length) {
    const next = await Promise.race([iterator.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out with ${got.length} of ${marks.length}`)), deadline - Date.now()))]);
    if (next.done) throw new Error('the subscription ended');
    if (marks.includes(String(markerOf(next.value)))) got.push(next.value);
  }
  return got;
}

describe('the typed client against the real service', { timeout: 60_000 }, () => {
  it('get: typed body and answer', async () => {
    const answer = await ok(
      client.api.POST('/snmp/get', { body: { host: '127.0.0.1', port: snmpd.port, community: 'public', oids: ['SNMPv2-MIB::sysName.0'] } }),
    );
    expect('varbinds' in answer && answer.varbinds).toEqual([expect.objectContaining({ name: 'SNMPv2-MIB::sysName.0', type: 'OctetString', value: 'netprobe-test-agent' })]);
  });

  it('errors are NetprobeErrors with the problem details', async () => {
    const noToken = createNetprobeClient({ baseUrl: service.baseUrl });
    const refused = await ok(noToken.api.POST('/snmp/get', { body: { host: '127.0.0.1', oids: ['sysName.0'] } })).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(NetprobeError);
    expect(refused).toMatchObject({ status: 401, problem: { type: '/problems/unauthorized' } });
  });

  it('walk: an async iterator over the NDJSON varbinds, then the summary; the same varbinds as snmpbulkwalk', async () => {
    const walk = client.walk({ host: '127.0.0.1', port: snmpd.port, community: 'public', oid: '1.3.6.1.2.1.1' });
    const oids: string[] = [];
    for await (const varbind of walk) oids.push(varbind.oid);
    expect(walk.summary).toMatchObject({ truncated: false, stopReason: expect.any(String) });
    const cli = parseCliVarbinds(await snmpCli('snmpbulkwalk', ['-v2c', '-c', 'public', `udp:127.0.0.1:${snmpd.port}`, '1.3.6.1.2.1.1']));
    expect(oids).toEqual(cli.map((v) => v.oid));
  });

  it('walk: a failure before the first varbind is thrown', async () => {
    const walk = client.walk({ host: '127.0.0.1', port: snmpd.port, community: 'public', oid: 'NO-SUCH-MIB::nothing' });
    const failure = await (async () => {
      for await (const _ of walk) void _;
    })().catch((err: unknown) => err);
    expect(failure).toMatchObject({ status: 400 });
  });

  it('a probe batch', async () => {
    const closed = await closedPort('tcp');
    const answer = await ok(
      client.api.POST('/socket/probe', { body: { protocol: 'tcp', timeoutMs: 2000, targets: [{ host: '127.0.0.1', port: listener.port }, { host: '127.0.0.1', port: closed }] } }),
    );
    if (!('results' in answer)) throw new Error('expected a batch answer');
    expect(answer.results.map((r) => r.state)).toEqual(['open', 'closed']);
    expect(answer.summary).toMatchObject({ total: 2, ok: 1 });
  });

  it('traps: an iterator over the stream; a new subscription from lastEventId gets what was missed, in order', async () => {
    const first = [marker(), marker()];
    const subscription = client.traps({ filters: { trapOid: 'IF-MIB::linkDown' } });
    const iterator = subscription[Symbol.asyncIterator]();
    await noSubscriber(service);
    const got = collect(iterator, first);
    await subscribed(service);
    for (const mark of first) await sendTrap(mark);
    expect((await got).map(markerOf)).toEqual(first);
    const resumeFrom = subscription.lastEventId;
    expect(resumeFrom).toMatch(/^\d+-\d+$/); // opaque to clients; `<ms>-<seq>` today
    await iterator.return?.();

    const missed = [marker(), marker(), marker()];
    for (const mark of missed) await sendTrap(mark);
    const resumed = client.traps({ filters: { trapOid: 'IF-MIB::linkDown' }, lastEventId: resumeFrom });
    const again = resumed[Symbol.asyncIterator]();
    const messages = await collect(again, missed);
    await again.return?.();
    expect(messages.map(markerOf)).toEqual(missed);
    const ids = messages.map((m) => (m.event === 'trap' ? m.id : ''));
    expect(ids).toEqual([...ids].sort(compareIdTexts));
    expect(compareIdTexts(resumeFrom!, ids[0])).toBeLessThan(0);
  });

  it('traps: resumes by itself when the service restarts', async () => {
    const reconnects: number[] = [];
    const controller = new AbortController();
    // Retries every 100–400 ms: a restart slow under load must not leave the client in a long backoff.
    const subscription = client.traps({ signal: controller.signal, retryDelayMs: 100, maxRetryDelayMs: 400, onReconnect: ({ attempt }) => reconnects.push(attempt) });
    const iterator = subscription[Symbol.asyncIterator]();
    const before = marker();
    await noSubscriber(service);
    const got = collect(iterator, [before]);
    await subscribed(service);
    await sendTrap(before);
    await got;

    const port = service.port;
    expect(await within(service.stop(), 20_000, 'the service to stop with a subscriber connected')).toBe(0);
    service = await startService(env({ PORT: String(port) }));
    trapPort = await trapPortOf(service);
    const after = marker();
    const pending = collect(iterator, [after], 30_000);
    await subscribed(service); // the client has reconnected by itself (its iterator is waiting in collect)
    await sendTrap(after);
    expect((await pending).map(markerOf)).toEqual([after]);
    expect(reconnects.length).toBeGreaterThan(0);
    controller.abort();
    expect(await within(iterator.next(), 5_000, 'the iterator to end once aborted')).toEqual({ done: true, value: undefined });
  });

  it('traps: refused subscriptions are thrown, not retried', async () => {
    const readOnly = createNetprobeClient({ baseUrl: service.baseUrl, token: 'not-a-valid-token-at-all-0000' });
    const failure = await readOnly.traps()[Symbol.asyncIterator]().next().catch((err: unknown) => err);
    expect(failure).toMatchObject({ status: 401 });
  });
});
