// Redis outages under scaled-out replicas (issue #13): a real redis-server killed (SIGKILL) mid-stream
// and started again empty, and Redis down when a replica starts. The replicas are real service processes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort, startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json, readiness, snmptrapTo, startReplica, tagged, type Replica } from '../helpers/replicas.ts';
import { metricValue, scrape } from '../helpers/traps-flood.ts';
import { markerOf, OIDS, runSnmpTool, SseClient, sleep } from '../helpers/traps-peers.ts';

const STREAM = `netprobe:outage:${process.pid}`;

let redis: RedisServer;
let a: Replica;
let b: Replica;
/** A replica with a backlog of 2 events. */
let small: Replica;
const replicas: Replica[] = [];
const clients: SseClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  [a, b, small] = await Promise.all([
    startReplica('A', redis.url, { TRAP_STREAM: STREAM }),
    startReplica('B', redis.url, { TRAP_STREAM: STREAM }),
    startReplica('small', redis.url, { TRAP_STREAM: STREAM, TRAP_BUS_BACKLOG: '2' }),
  ]);
  replicas.push(a, b, small);
}, 120_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.service.stop('SIGKILL')));
  await redis?.stop();
});

async function subscribe(replica: Replica): Promise<SseClient> {
  const client = await SseClient.connect(`${replica.baseUrl}/snmp/traps`);
  clients.push(client);
  return client;
}

const busState = async (replica: Replica) => (await readiness(replica)).body.trapBus;

describe('Redis killed mid-stream', () => {
  it('no crash, /readyz 200 shows the bus down, REST answers, informs are acknowledged; what was received meanwhile is delivered once Redis is back, and new traps reach the other replica', async () => {
    const tag = `outage${process.pid}-`;
    const onA = await subscribe(a);
    const onB = await subscribe(b);
    await snmptrapTo(a, `${tag}before-a`);
    await snmptrapTo(b, `${tag}before-b`);
    for (const client of [onA, onB]) await client.until(() => tagged(client, tag).length === 2, 10_000, 'the two traps before the outage');

    await redis.kill();
    for (const replica of [a, b]) {
      const down = await eventually(`${replica.name}: the bus down`, () => readiness(replica), (r) => r.body.trapBus.state === 'down');
      expect(down.status).toBe(200);
      expect(down.body.ready).toBe(true);
      expect(down.body.trapBus.detail).toBeTruthy();
    }
    // The REST API keeps serving; what needs the shared stream says so.
    expect((await fetch(`${a.baseUrl}/healthz`)).status).toBe(200);
    const probe = await json<{ ok: boolean; state: string }>(`${a.baseUrl}/socket/probe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'tcp', host: '127.0.0.1', port: await freeTcpPort(), timeoutMs: 1000 }),
    });
    expect(probe).toMatchObject({ status: 200, body: { ok: false, state: 'closed' } });
    const recent = await fetch(`${b.baseUrl}/snmp/traps/recent`);
    expect(recent.status).toBe(503);
    expect(recent.headers.get('retry-after')).toBeTruthy();
    expect(await recent.json()).toMatchObject({ type: '/problems/traps-unavailable' });

    // The receivers keep receiving; an inform is acknowledged by the replica that got it.
    await snmptrapTo(a, `${tag}during-a1`);
    await snmptrapTo(b, `${tag}during-b1`);
    const inform = await runSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '2', '-r', '0', `127.0.0.1:${a.trapPort}`, '', OIDS.linkUp, OIDS.marker, 's', `${tag}during-a2`]);
    expect(inform.code, inform.stderr).toBe(0);
    await snmptrapTo(a, `${tag}during-a3`);
    await eventually('3 events waiting on A', () => busState(a), (s) => s.backlog.events === 3);
    await eventually('1 event waiting on B', () => busState(b), (s) => s.backlog.events === 1);
    expect(metricValue(await scrape(a.baseUrl), 'netprobe_trap_bus_backlog_events')).toBe(3);
    await sleep(300);
    expect(tagged(onA, `${tag}during`)).toEqual([]);
    for (const replica of [a, b]) expect(replica.service.child.exitCode).toBeNull();

    await redis.restart();
    for (const replica of [a, b]) await eventually(`${replica.name}: the bus up again`, () => busState(replica), (s) => s.state === 'up' && s.backlog.events === 0, 15_000);
    const during = [`${tag}during-a1`, `${tag}during-a2`, `${tag}during-a3`, `${tag}during-b1`];
    for (const client of [onA, onB]) {
      await client.until(() => tagged(client, `${tag}during`).length === 4, 15_000, 'the traps received during the outage');
      const got = tagged(client, `${tag}during`).map(markerOf);
      expect([...got].sort()).toEqual(during);
      // Each replica's backlog is appended in the order it received them.
      const fromA = got.filter((m) => m!.includes('during-a'));
      expect(fromA).toEqual([`${tag}during-a1`, `${tag}during-a2`, `${tag}during-a3`]);
    }
    expect(tagged(onB, `${tag}during`)).toEqual(tagged(onA, `${tag}during`));

    // After the restart: a trap sent to A reaches the subscriber on B.
    await snmptrapTo(a, `${tag}after`);
    await onB.until(() => tagged(onB, `${tag}after`).length === 1, 10_000, 'the trap sent to A after the restart, on B');
    for (const client of [onA, onB]) {
      expect(client.isEnded).toBe(false);
      expect(client.messages.some((m) => m.event === 'gap')).toBe(false);
    }
    expect(metricValue(await scrape(a.baseUrl), 'netprobe_trap_bus_reconnects_total')).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${b.baseUrl}/snmp/traps/recent`)).status).toBe(200);
  }, 90_000);

  it('beyond TRAP_BUS_BACKLOG, events are dropped and counted (backlogFull); those kept are appended in order', async () => {
    const tag = `bound${process.pid}-`;
    const onA = await subscribe(a);
    const dropped = async () => metricValue(await scrape(small.baseUrl), 'netprobe_trap_bus_dropped_total', '{reason="backlogFull"}');
    const before = await dropped();
    await redis.kill();
    await eventually('the bus down on the small replica', () => busState(small), (s) => s.state === 'down');
    for (let i = 0; i < 5; i++) await snmptrapTo(small, `${tag}${i}`);
    await eventually('3 dropped', dropped, (n) => n === before + 3);
    expect((await busState(small)).backlog.events).toBe(2);
    await redis.restart();
    await onA.until(() => tagged(onA, tag).length === 2, 15_000, 'the two kept events');
    await sleep(300);
    expect(tagged(onA, tag).map(markerOf)).toEqual([`${tag}0`, `${tag}1`]);
  }, 60_000);
});

describe('Redis down when a replica starts', () => {
  it('the replica starts and serves; /readyz says the bus is down; traps wait and are appended once Redis comes', async () => {
    const port = await freeTcpPort();
    const httpPort = await freeTcpPort();
    const answers = answersUntilServed(`http://127.0.0.1:${httpPort}/healthz`);
    const late = await startReplica('late', `redis://127.0.0.1:${port}`, { TRAP_STREAM: STREAM, PORT: String(httpPort) }, false);
    replicas.push(late);
    // It serves only once the start has waited for the bus to read the stream (5 s here, Redis being down):
    // a subscriber taken earlier would miss what other replicas append meanwhile. Until then, 503 starting.
    const { starting, firstServedAfterMs } = await answers;
    expect(starting).toBeGreaterThan(0);
    expect(late.service.logs.join('\n')).toContain('going on before the trap bus reads the shared stream');
    expect(firstServedAfterMs).toBeGreaterThanOrEqual(4_000);
    const down = await eventually('the bus down', () => readiness(late), (r) => r.body.trapBus.state === 'down');
    expect(down.status).toBe(200);
    expect(down.body.trapBus.detail).toMatch(/ECONNREFUSED/);
    await snmptrapTo(late, `late${process.pid}`);
    await eventually('one event waiting', () => busState(late), (s) => s.backlog.events === 1);

    const second = await startRedis([], port);
    try {
      await eventually('the bus up', () => busState(late), (s) => s.state === 'up' && s.backlog.events === 0, 15_000);
      const entries = (await second.command('XRANGE', STREAM, '-', '+')) as [string, string[]][];
      expect(entries.map(([, fields]) => fields[fields.indexOf('e') + 1]).join()).toContain(`late${process.pid}`);
      const recent = await json<{ events: { varbinds: { value: unknown }[] }[] }>(`${late.baseUrl}/snmp/traps/recent`);
      expect(JSON.stringify(recent.body.events)).toContain(`late${process.pid}`);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

/**
 * Asks `url` every 20 ms from now until it answers other than 503 starting: how many times it said starting,
 * and how long after the first such answer it first served.
 */
async function answersUntilServed(url: string): Promise<{ starting: number; firstServedAfterMs: number }> {
  let starting = 0;
  let firstStartingAt: number | undefined;
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined); // not listening yet
    if (response) {
      const body = (await response.json()) as { type?: string };
      if (response.status !== 503 || !String(body.type).endsWith('starting')) {
        return { starting, firstServedAfterMs: Date.now() - (firstStartingAt ?? Date.now()) };
      }
      starting++;
      firstStartingAt ??= Date.now();
    }
    await sleep(20);
  }
  throw new Error(`${url} did not serve within 45 s`);
}
