// WORKERS > 1 (issue #17): the real service (src/main.ts) as a cluster primary with two HTTP workers,
// traps sent with snmptrap, SNMP against a real snmpd, the trap bus in memory and through a real redis-server.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually } from '../helpers/replicas.ts';
import { startService, type RunningService } from '../helpers/service.ts';
import { startSnmpd, type Snmpd } from '../helpers/snmpd.ts';
import { metricValue, trapPortOf } from '../helpers/traps-flood.ts';
import { markerOf, OIDS, runSnmpTool, SseClient, sleep } from '../helpers/traps-peers.ts';

const clients: SseClient[] = [];
let requests = 0;

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** The worker (cluster id) that logged the request with this x-request-id. */
async function workerOf(service: RunningService, reqId: string): Promise<number> {
  let worker: number | undefined;
  await eventually(`the request log line of ${reqId}`, () => {
    const line = service.logs.find((l) => l.includes(`"reqId":"${reqId}"`));
    worker = line === undefined ? undefined : Number(/"worker":(\d+)/.exec(line)?.[1]);
    return worker;
  }, (w) => w !== undefined && w > 0);
  return worker!;
}

/** A request over a connection of its own (so that the cluster hands it to the next worker); returns who answered. */
function once(service: RunningService, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; worker: Promise<number> }> {
  const reqId = `req-${process.pid}-${++requests}`;
  return new Promise((resolve, reject) => {
    const req = request(`${service.baseUrl}${path}`, { method: init.method ?? 'GET', agent: false, headers: { 'x-request-id': reqId, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, worker: workerOf(service, reqId) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Opens trap streams until two distinct workers serve one each. */
async function onEachWorker(service: RunningService, headers: Record<string, string> = {}): Promise<Map<number, SseClient>> {
  const byWorker = new Map<number, SseClient>();
  for (let i = 0; i < 12 && byWorker.size < 2; i++) {
    const reqId = `sse-${process.pid}-${++requests}`;
    const client = await SseClient.connect(`${service.baseUrl}/snmp/traps`, { 'x-request-id': reqId, ...headers });
    clients.push(client);
    const worker = await workerOf(service, reqId);
    if (byWorker.has(worker)) client.close();
    else byWorker.set(worker, client);
  }
  expect(byWorker.size, 'trap streams served by two distinct workers').toBe(2);
  return byWorker;
}

async function snmptrap(trapPort: number, marker: string): Promise<void> {
  const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', marker]);
  if (sent.code !== 0) throw new Error(`snmptrap failed: ${sent.stderr}`);
}

function tagged(client: SseClient, tag: string): TrapEvent[] {
  return client.traps.filter((event) => markerOf(event)?.startsWith(tag));
}

async function received(client: SseClient, tag: string, count: number): Promise<TrapEvent[]> {
  await client.until(() => tagged(client, tag).length >= count, 15_000, `${count} events tagged ${tag}`);
  await sleep(200);
  return tagged(client, tag);
}

const gaps = (client: SseClient) => client.messages.filter((m) => m.event === 'gap');

/** Traps sent to the primary reach streams on both workers alike; a resume on either worker replays what follows. */
async function trapsReachEveryWorker(service: RunningService, trapPort: number, tag: string): Promise<void> {
  const streams = [...(await onEachWorker(service)).values()];
  for (let i = 1; i <= 3; i++) await snmptrap(trapPort, `${tag}${i}`);
  const [first, second] = await Promise.all(streams.map((client) => received(client, tag, 3)));
  expect(first.map(markerOf)).toEqual([`${tag}1`, `${tag}2`, `${tag}3`]);
  expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
  expect(second.map(markerOf)).toEqual(first.map(markerOf));

  // Resume after the first event, on each worker: the second and the third, no gap, no duplicate.
  const resumed = await onEachWorker(service, { 'last-event-id': first[0].id });
  for (const [worker, client] of resumed) {
    const replayed = await received(client, tag, 2);
    expect(replayed.map((e) => e.id), `worker ${worker}`).toEqual([first[1].id, first[2].id]);
    expect(gaps(client), `worker ${worker}`).toEqual([]);
  }
}

/** The pids of the workers that logged "HTTP worker serving". */
function workerPids(service: RunningService): number[] {
  return service.logs.filter((l) => l.includes('"msg":"HTTP worker serving"')).map((l) => Number(/"pid":(\d+)/.exec(l)![1]));
}

/** Waits (up to 20 s) until both workers logged that they serve: /readyz answers from the first one ready. */
async function untilBothWorkersServe(service: RunningService): Promise<void> {
  for (let i = 0; i < 200 && new Set(workerPids(service)).size < 2; i++) await sleep(100);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WORKERS=2, TRAP_BUS=memory', () => {
  let service: RunningService;
  let trapPort: number;
  let snmpd: Snmpd;

  beforeAll(async () => {
    snmpd = await startSnmpd();
    service = await startService({ WORKERS: '2' }, 45_000);
    trapPort = await trapPortOf(service);
  }, 60_000);

  afterAll(async () => {
    await service?.stop('SIGKILL');
    for (const pid of service ? workerPids(service) : []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await snmpd?.stop();
  });

  it('one primary receives the traps; two workers serve HTTP', async () => {
    // /readyz answered from the first worker ready; the second may still be loading its MIBs.
    await untilBothWorkersServe(service);
    expect(service.logs.filter((l) => l.includes('"msg":"trap receiver listening"'))).toHaveLength(1);
    expect(new Set(workerPids(service)).size).toBe(2);
    expect(workerPids(service)).not.toContain(service.child.pid);
  }, 30_000);

  it('traps reach subscribers on both workers with the same ids in the same order; Last-Event-ID resumes on either', async () => {
    await trapsReachEveryWorker(service, trapPort, `m${process.pid}-a-`);
  }, 60_000);

  it('/snmp/get against snmpd answers on every worker; /readyz on a worker reports the primary\'s receiver', async () => {
    const answered = new Set<number>();
    for (let i = 0; i < 12 && answered.size < 2; i++) {
      const res = await once(service, '/snmp/get', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ host: snmpd.host, port: snmpd.port, community: 'public', oids: ['1.3.6.1.2.1.1.3.0'] }),
      });
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body).varbinds[0].type).toBe('TimeTicks');
      answered.add(await res.worker);
    }
    expect(answered.size).toBe(2);
    const ready = await once(service, '/readyz');
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, subsystems: { traps: { state: 'up' }, http: { state: 'up' } } });
  }, 60_000);

  it('/metrics on any worker counts every process: the subscribers of both workers, the traps the primary received', async () => {
    await onEachWorker(service);
    const { body } = await once(service, '/metrics');
    expect(metricValue(body, 'netprobe_trap_subscribers')).toBe(2);
    expect(metricValue(body, 'netprobe_traps_received_total', '{version="2c"}')).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('a MIB module uploaded through one worker is known to the other (and names the traps the primary receives)', async () => {
    const module = `WORKERS-TEST-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;
workersTest OBJECT IDENTIFIER ::= { enterprises 99998 }
workersTestValue OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "A test object."
    ::= { workersTest 1 }
END
`;
    const uploaded = await once(service, '/snmp/mibs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: module });
    expect(uploaded.status, uploaded.body).toBe(200);
    const uploader = await uploaded.worker;
    const answered = new Set<number>();
    for (let i = 0; i < 12 && answered.size < 2; i++) {
      const res = await eventually('the module translated', () => once(service, '/snmp/translate?name=WORKERS-TEST-MIB::workersTestValue.0'), (r) => r.status === 200);
      expect(JSON.parse(res.body)).toMatchObject({ oid: '1.3.6.1.4.1.99998.1.0' });
      answered.add(await res.worker);
    }
    expect([...answered]).toContain(uploader);
    expect(answered.size).toBe(2);
    const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', '1.3.6.1.4.1.99998.1', OIDS.marker, 's', `m${process.pid}-mib`]);
    expect(sent.code, sent.stderr).toBe(0);
    const recent = await eventually('the trap listed', async () => (JSON.parse((await once(service, '/snmp/traps/recent?limit=1')).body) as { events: TrapEvent[] }).events, (events) => events.length > 0 && markerOf(events[0]) === `m${process.pid}-mib`);
    expect(recent[0].trapName).toBe('WORKERS-TEST-MIB::workersTestValue');
  }, 60_000);

  it('a worker that dies is forked again, and the new one holds the bus window', async () => {
    const tag = `m${process.pid}-k-`;
    await snmptrap(trapPort, `${tag}1`);
    const [victim] = workerPids(service);
    process.kill(victim, 'SIGKILL');
    await eventually('the restart logged', () => service.logs.some((l) => l.includes('"msg":"HTTP worker exited unexpectedly: forking another"')), Boolean, 15_000);
    await eventually('a third worker serving', () => workerPids(service).length, (n) => n === 3, 30_000);
    const newWorker = Number(/"worker":(\d+)/.exec(service.logs.filter((l) => l.includes('"msg":"HTTP worker serving"')).at(-1)!)![1]);
    let found = false;
    for (let i = 0; i < 12 && !found; i++) {
      const res = await once(service, '/snmp/traps/recent?limit=100');
      if ((await res.worker) !== newWorker) continue;
      found = true;
      const events = (JSON.parse(res.body) as { events: TrapEvent[] }).events;
      expect(events.map(markerOf)).toContain(`${tag}1`);
    }
    expect(found, 'the new worker answered').toBe(true);
    await trapsReachEveryWorker(service, trapPort, `m${process.pid}-r-`);
  }, 90_000);

  it('SIGTERM stops the workers (their trap streams end) then the primary: exit 0, no process left', async () => {
    const streams = [...(await onEachWorker(service)).values()];
    const pids = workerPids(service).filter(alive);
    expect(pids).toHaveLength(2);
    expect(await service.stop('SIGTERM')).toBe(0);
    await Promise.all(streams.map((client) => client.done));
    for (const pid of pids) expect(alive(pid), `worker ${pid}`).toBe(false);
    expect(service.logs.filter((l) => l.includes('"msg":"stopped"'))).toHaveLength(3);
  }, 60_000);
});

describe('WORKERS=2, TRAP_BUS=redis', () => {
  let redis: RedisServer;
  let service: RunningService;

  beforeAll(async () => {
    redis = await startRedis();
    service = await startService({ WORKERS: '2', TRAP_BUS: 'redis', REDIS_URL: redis.url, TRAP_STREAM: `netprobe:workers:${process.pid}` }, 45_000);
    await eventually('the bus up on the workers', () => once(service, '/readyz'), (r) => JSON.parse(r.body).trapBus?.state === 'up');
  }, 60_000);

  afterAll(async () => {
    await service?.stop('SIGKILL');
    for (const pid of service ? workerPids(service) : []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await redis?.stop();
  });

  it('each worker serves only once its bus reads the stream (a subscriber taken earlier would miss what the primary appends meanwhile)', async () => {
    await untilBothWorkersServe(service);
    const workers = service.logs.filter((l) => l.includes('"msg":"HTTP worker serving"')).map((l) => /"worker":(\d+)/.exec(l)![1]);
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      const lineOf = (msg: string) => service.logs.findIndex((l) => l.includes(`"worker":${worker},`) && l.includes(`"msg":"${msg}"`));
      expect(lineOf('trap bus: reading the stream'), `worker ${worker}`).toBeGreaterThanOrEqual(0);
      expect(lineOf('trap bus: reading the stream'), `worker ${worker}`).toBeLessThan(lineOf('HTTP worker serving'));
    }
  }, 30_000);

  it('traps reach subscribers on both workers through the stream, same ids, same order; Last-Event-ID resumes on either', async () => {
    await trapsReachEveryWorker(service, await trapPortOf(service), `m${process.pid}-redis-`);
  }, 60_000);

  it('SIGTERM: exit 0, no process left', async () => {
    const pids = workerPids(service).filter(alive);
    expect(await service.stop('SIGTERM')).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 30_000);
});
