// Scale-out through Redis Streams (issue #13): a real redis-server and three real service processes
// (src/main.ts, TRAP_BUS=redis) on their own HTTP and trap ports; traps sent with snmptrap.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compareIdTexts } from '../../src/events/stream-id.ts';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json, readiness, snmptrapTo, startReplica, tagged, type Replica } from '../helpers/replicas.ts';
import { metricValue, scrape, sendAll, v2cTrap } from '../helpers/traps-flood.ts';
import { markerOf, SseClient, sleep } from '../helpers/traps-peers.ts';

const STREAM = `netprobe:test:${process.pid}`;
/** Retention by count: MAXLEN ~ 20, and stream nodes of 4 entries so that Redis trims close to it. */
const MAXLEN = 20;
const ENV = {
  TRAP_STREAM: STREAM,
  TRAP_STREAM_MAXLEN: String(MAXLEN),
  // A small window, so that resuming further back reads the shared stream.
  TRAP_BUFFER: '5',
  TRAP_DEDUP_MS: '3000',
};

let redis: RedisServer;
let a: Replica;
let b: Replica;
let c: Replica;
const clients: SseClient[] = [];
let tags = 0;

beforeAll(async () => {
  redis = await startRedis(['--stream-node-max-entries', '4']);
  [a, b, c] = await Promise.all([startReplica('A', redis.url, ENV), startReplica('B', redis.url, ENV), startReplica('C', redis.url, ENV)]);
}, 120_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await Promise.all([a, b, c].map((replica) => replica?.service.stop('SIGKILL')));
  await redis?.stop();
});

async function subscribe(replica: Replica, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
  const client = await SseClient.connect(`${replica.baseUrl}/snmp/traps${query}`, headers);
  clients.push(client);
  return client;
}

function newTag(): string {
  return `r${process.pid}-${++tags}-`;
}

/** Waits until the client has `count` events of the tag, and a moment more, to see that no more come. */
async function settle(client: SseClient, tag: string, count: number): Promise<TrapEvent[]> {
  await client.until(() => tagged(client, tag).length >= count, 15_000, `${count} events tagged ${tag}`);
  await sleep(300);
  return tagged(client, tag);
}

const ids = (events: TrapEvent[]) => events.map((event) => event.id);

/** A flat [key, value, …] reply as a Map. */
function flatInfo(reply: unknown): Map<string, unknown> {
  const list = reply as unknown[];
  return new Map(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i] as string, list[2 * i + 1]]));
}

describe('one stream for every replica', () => {
  it('/readyz names the bus: redis, up, nothing waiting; so do the metrics', async () => {
    const { status, body } = await readiness(a);
    expect(status).toBe(200);
    expect(body.trapBus).toEqual({ engine: 'redis', state: 'up', backlog: { events: 0, bytes: 0 } });
    // Ready only once the bus reads the stream: a subscriber taken earlier would miss what others append meanwhile.
    const lineOf = (msg: string) => a.service.logs.findIndex((l) => l.includes(`"msg":"${msg}"`));
    expect(lineOf('trap bus: reading the stream')).toBeGreaterThanOrEqual(0);
    expect(lineOf('trap bus: reading the stream')).toBeLessThan(lineOf('http listening'));
    await snmptrapTo(a, `${newTag()}metrics`);
    const metrics = await eventually('an append observed', () => scrape(a.baseUrl), (text) => metricValue(text, 'netprobe_trap_bus_append_seconds_count') >= 1);
    expect(metricValue(metrics, 'netprobe_trap_bus_state', '{engine="redis",state="up"}')).toBe(1);
    expect(metricValue(metrics, 'netprobe_trap_bus_state', '{engine="redis",state="down"}')).toBe(0);
    expect(metricValue(metrics, 'netprobe_trap_bus_backlog_events')).toBe(0);
    expect(metricValue(metrics, 'netprobe_trap_bus_reconnects_total')).toBe(0);
  });

  it('traps sent with snmptrap to A and to B, interleaved, reach a subscriber on each replica: all of them, in the same order, with the same ids', async () => {
    const onA = await subscribe(a);
    const onB = await subscribe(b);
    const onC = await subscribe(c);
    const tag = newTag();
    const sent: string[] = [];
    for (let i = 0; i < 8; i++) {
      const marker = `${tag}${i}`;
      await snmptrapTo(i % 2 === 0 ? a : b, marker);
      sent.push(marker);
    }
    const seenA = await settle(onA, tag, sent.length);
    const seenB = await settle(onB, tag, sent.length);
    const seenC = await settle(onC, tag, sent.length);
    expect(seenA.map(markerOf).sort()).toEqual([...sent].sort());
    expect(seenB).toEqual(seenA);
    expect(seenC).toEqual(seenA);
    expect(ids(seenA)).toEqual([...ids(seenA)].sort(compareIdTexts));
    expect(new Set(ids(seenA)).size).toBe(sent.length);
    // The SSE id is the event's id, the same on every replica.
    const messageIds = (client: SseClient) => client.messages.filter((m) => m.event === 'trap' && m.data.includes(tag)).map((m) => m.id);
    expect(messageIds(onB)).toEqual(ids(seenA));
    for (const client of [onA, onB, onC]) expect(client.messages.some((m) => m.event === 'gap')).toBe(false);
  });

  it('a client that read part of the stream from B resumes on A with Last-Event-ID and gets exactly the rest, then live events', async () => {
    const tag = newTag();
    const first = await subscribe(b);
    for (let i = 0; i < 3; i++) await snmptrapTo(i % 2 === 0 ? a : b, `${tag}${i}`);
    const read = await settle(first, tag, 3);
    first.close();
    // The rest: more than A's window holds (TRAP_BUFFER 5), so A reads the shared stream first.
    for (let i = 3; i < 11; i++) await snmptrapTo(i % 2 === 0 ? a : b, `${tag}${i}`);
    const witness = await subscribe(c, { 'last-event-id': read[2].id });
    const rest = await settle(witness, tag, 8);

    const resumed = await subscribe(a, { 'last-event-id': read[2].id });
    await resumed.until(() => resumed.traps.length >= 8, 15_000, 'the 8 events after the resume id');
    await snmptrapTo(b, `${tag}live`);
    await resumed.until(() => tagged(resumed, `${tag}live`).length === 1, 15_000, 'the live event');
    await sleep(300);
    // Exactly the rest: nothing before the id, no duplicate, no gap; then the live one.
    expect(resumed.traps.map(markerOf)).toEqual([...rest.map(markerOf), `${tag}live`]);
    expect(ids(resumed.traps).slice(0, 8)).toEqual(ids(rest));
    expect(resumed.messages.some((m) => m.event === 'gap')).toBe(false);
  });

  it('/snmp/traps/recent on A lists what the subscriber on B saw last', async () => {
    const tag = newTag();
    const onB = await subscribe(b);
    for (let i = 0; i < 4; i++) await snmptrapTo(i % 2 === 0 ? b : c, `${tag}${i}`);
    const seen = await settle(onB, tag, 4);
    const recent = await json<{ events: TrapEvent[]; lastId: string }>(`${a.baseUrl}/snmp/traps/recent?limit=4`);
    expect(recent.status).toBe(200);
    expect(recent.body.events).toEqual(seen);
    expect(recent.body.lastId).toBe(seen[3].id);
    const since = await json<{ events: TrapEvent[] }>(`${c.baseUrl}/snmp/traps/recent?since=${seen[1].id}`);
    expect(since.body.events).toEqual(seen.slice(2));
  });

  it('retention trimmed below a client id: event: gap first, then the oldest retained event', async () => {
    const tag = newTag();
    const first = await subscribe(a);
    await snmptrapTo(b, `${tag}first`);
    const [seen] = await settle(first, tag, 1);
    first.close();
    // Enough to trim the stream (MAXLEN ~ 20) well past the client's id.
    const added = async () => Number(flatInfo(await redis.command('XINFO', 'STREAM', STREAM)).get('entries-added'));
    const before = await added();
    const flood = Array.from({ length: 3 * MAXLEN }, (_, i) => v2cTrap(`${tag}flood-${i}`));
    await sendAll(flood.slice(0, MAXLEN), a.trapPort);
    await sendAll(flood.slice(MAXLEN), b.trapPort);
    await eventually('the flood appended to the stream', added, (n) => n >= before + flood.length);
    const oldest = (await redis.command('XRANGE', STREAM, '-', '+', 'COUNT', '1')) as [string, string[]][];
    expect(compareIdTexts(oldest[0][0], seen.id)).toBeGreaterThan(0);
    expect(await redis.command('XLEN', STREAM)).toBeLessThan(2 * MAXLEN);

    const resumed = await subscribe(c, { 'last-event-id': seen.id });
    await resumed.until(() => resumed.messages.length >= 2, 15_000, 'a gap and an event');
    expect(resumed.messages[0]).toEqual({ event: 'gap', data: '{"missed":null}', id: undefined });
    expect(resumed.messages[1]).toMatchObject({ event: 'trap', id: oldest[0][0] });
  });
});

describe('duplicate suppression across replicas (TRAP_DEDUP_MS)', () => {
  it('the same notification sent to A and to B is delivered once; the second is counted as suppressed', async () => {
    const onC = await subscribe(c);
    const tag = newTag();
    const suppressed = async () => {
      const [ta, tb] = await Promise.all([scrape(a.baseUrl), scrape(b.baseUrl)]);
      return metricValue(ta, 'netprobe_traps_suppressed_total') + metricValue(tb, 'netprobe_traps_suppressed_total');
    };
    const before = await suppressed();
    await snmptrapTo(a, `${tag}twice`);
    await snmptrapTo(b, `${tag}twice`); // another sysUpTime, same source, trapOid and other varbinds
    await snmptrapTo(b, `${tag}other`);
    await settle(onC, tag, 2);
    expect(tagged(onC, tag).map(markerOf)).toEqual([`${tag}twice`, `${tag}other`]);
    expect(await suppressed()).toBe(before + 1);
  });
});

describe('entries that are not events', () => {
  it('stream entries written by something else are skipped and counted; the next trap still arrives', async () => {
    const onA = await subscribe(a);
    const before = metricValue(await scrape(a.baseUrl), 'netprobe_trap_bus_dropped_total', '{reason="invalidEntry"}');
    await redis.command('XADD', STREAM, '*', 'k', '2c 1.3.6.1 127.0.0.1', 'e', 'not json');
    await redis.command('XADD', STREAM, '*', 'k', 'junk', 'e', '{"x":1}');
    await redis.command('XADD', STREAM, '*', 'e', '{"no":"key"}');
    await redis.command('XADD', STREAM, '*', 'k', '2c 1.3.6.1 127.0.0.1', 'e', '{"line":"break\nhere"}');
    const tag = newTag();
    await snmptrapTo(b, `${tag}after`);
    await settle(onA, tag, 1);
    expect(onA.traps.filter((e) => markerOf(e) === undefined)).toEqual([]);
    const after = metricValue(await scrape(a.baseUrl), 'netprobe_trap_bus_dropped_total', '{reason="invalidEntry"}');
    expect(after - before).toBe(4);
    for (const replica of [a, b, c]) expect(replica.service.child.exitCode).toBeNull();
  });
});
