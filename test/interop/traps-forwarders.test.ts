// Webhook forwarders (issue #15), memory mode: the real service process (src/main.ts), traps sent with
// snmptrap, and a webhook receiver in the test (node:http on 127.0.0.1) that checks the signature.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { freeTcpPort } from '../helpers/redis.ts';
import { eventually, json } from '../helpers/replicas.ts';
import { runServiceToExit, startService, type RunningService } from '../helpers/service.ts';
import { metricValue, scrape, trapPortOf, v2cTrap } from '../helpers/traps-flood.ts';
import { sendPaced } from '../helpers/traps-fuzz.ts';
import { markerOf, OIDS, runSnmpTool, SENDER_ENGINE_ID, sleep, TRAP_USER, v3Args } from '../helpers/traps-peers.ts';
import { WebhookReceiver } from '../helpers/webhook.ts';

const SECRET = 'webhook-signing-secret-0123456789';
const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';

interface ForwarderState {
  name: string;
  url: string;
  queue: { events: number; bytes: number; inFlight: number; maxEvents: number; maxBytes: number };
  delivered: number;
  retried: number;
  dropped: number;
  deadLettered: number;
  lastSuccessAt: string | null;
  lastError: { message: string; status?: number } | null;
}

async function forwarders(service: RunningService): Promise<ForwarderState[]> {
  return (await json<{ forwarders: ForwarderState[] }>(`${service.baseUrl}/snmp/traps/forwarders`)).body.forwarders;
}

let tags = 0;
const nextTag = (name: string) => `fw-${process.pid}-${name}-${++tags}`;

describe('webhook forwarders, memory mode', () => {
  const receiver = new WebhookReceiver(SECRET);
  const originReceiver = new WebhookReceiver();
  let service: RunningService;
  let trapPort: number;

  const snmptrap = async (args: string[]) => {
    const sent = await runSnmpTool('snmptrap', args);
    expect(sent.code, sent.stderr).toBe(0);
  };
  const v2c = (marker: string, extra: string[] = []) => snmptrap(['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', marker, ...extra]);
  const mine = (tag: string) => (event: TrapEvent) => markerOf(event)?.startsWith(tag) ?? false;

  beforeAll(async () => {
    await Promise.all([receiver.start(), originReceiver.start()]);
    const dir = mkdtempSync(join(tmpdir(), 'netprobe-fw-'));
    writeFileSync(join(dir, 'token'), 'Bearer hook-token-from-a-file\n');
    const config = [
      {
        name: 'all',
        url: `${receiver.url}?token=in-the-query`,
        secret: { env: 'HOOK_SECRET' },
        headers: { Authorization: { file: join(dir, 'token') }, 'X-Team': 'netops' },
        retry: { initialMs: 100, maxMs: 3000 },
      },
      { name: 'origin', url: originReceiver.url, filter: { origin: '192.0.2.7' } },
    ];
    service = await startService({ TRAP_FORWARDERS: JSON.stringify(config), HOOK_SECRET: SECRET, TRAP_USERS: JSON.stringify([TRAP_USER]) });
    trapPort = await trapPortOf(service);
  }, 60_000);

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await Promise.all([receiver.stop(), originReceiver.stop()]);
  });

  it('snmptrap v1, v2c and v3 arrive as the SSE event JSON, in order, signed, with the event id as Idempotency-Key and the configured headers', async () => {
    const tag = nextTag('versions');
    await snmptrap(['-v1', '-c', 'public', `127.0.0.1:${trapPort}`, '1.3.6.1.4.1.8072.2.3', '127.0.0.1', '6', '17', '', OIDS.marker, 's', `${tag}-v1`]);
    await v2c(`${tag}-v2c`);
    await snmptrap([...v3Args(), '-e', SENDER_ENGINE_ID, `127.0.0.1:${trapPort}`, '', OIDS.linkUp, OIDS.marker, 's', `${tag}-v3`]);
    await receiver.until(() => receiver.delivered().filter(mine(tag)).length === 3, 10_000, 'three deliveries');

    const requests = receiver.requests.filter((r) => r.events.some(mine(tag)));
    expect(requests.map((r) => markerOf(r.events[0]))).toEqual([`${tag}-v1`, `${tag}-v2c`, `${tag}-v3`]);
    expect(requests.map((r) => r.events[0].version)).toEqual(['1', '2c', '3']);
    for (const request of requests) {
      expect(request.signatureValid).toBe(true);
      // One event per request (batch.maxEvents 1): the object itself, as the SSE data: line carries it.
      expect(JSON.parse(request.body)).toMatchObject({ id: request.events[0].id, trapOid: expect.any(String) });
      expect(request.headers['idempotency-key']).toBe(request.events[0].id);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe('Bearer hook-token-from-a-file');
      expect(request.headers['x-team']).toBe('netops');
    }
    // The same JSON /snmp/traps/recent lists.
    const recent = await json<{ events: TrapEvent[] }>(`${service.baseUrl}/snmp/traps/recent?limit=3`);
    expect(recent.body.events.map((e) => JSON.stringify(e))).toEqual(requests.map((r) => r.body));
  });

  it('the receiver answers 503 three times (Retry-After in seconds, then as an HTTP date), then 200: the event arrives once, after the retries', async () => {
    const tag = nextTag('retry');
    const before = (await forwarders(service)).find((f) => f.name === 'all')!;
    receiver.responder = (request) => {
      if (!request.events.some(mine(tag))) return { status: 200 };
      const attempt = receiver.requests.filter((r) => r.events.some(mine(tag))).length;
      if (attempt === 1) return { status: 503, headers: { 'retry-after': '1' } };
      if (attempt === 2) return { status: 503, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } };
      if (attempt === 3) return { status: 503 };
      return { status: 200 };
    };
    try {
      await v2c(tag);
      await receiver.until(() => receiver.delivered().some(mine(tag)), 20_000, 'the delivery after three 503');
      await sleep(500);
      const attempts = receiver.requests.filter((r) => r.events.some(mine(tag)));
      expect(attempts.map((r) => r.answered)).toEqual([503, 503, 503, 200]);
      expect(new Set(attempts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(receiver.delivered().filter(mine(tag))).toHaveLength(1);
      const after = (await forwarders(service)).find((f) => f.name === 'all')!;
      expect(after.retried - before.retried).toBe(3);
      expect(after.delivered - before.delivered).toBe(1);
      expect(after.lastError).toMatchObject({ status: 503 });
    } finally {
      receiver.responder = () => ({ status: 200 });
    }
  }, 30_000);

  it('the receiver is down for 10 s: the events queued meanwhile arrive, in order, once it is back', async () => {
    const tag = nextTag('down');
    await receiver.stop();
    for (let i = 0; i < 5; i++) await v2c(`${tag}-${i}`);
    await sleep(10_000);
    const state = (await forwarders(service)).find((f) => f.name === 'all')!;
    expect(state.queue.events + state.queue.inFlight).toBe(5);
    expect(state.lastError?.message).toMatch(/ECONNREFUSED/);
    await receiver.start();
    await receiver.until(() => receiver.delivered().filter(mine(tag)).length === 5, 15_000, 'the five queued events');
    expect(receiver.delivered().filter(mine(tag)).map(markerOf)).toEqual([0, 1, 2, 3, 4].map((i) => `${tag}-${i}`));
  }, 40_000);

  it('snmpTrapAddress.0 gives origin.address; the origin filter of a forwarder and of /snmp/traps/recent matches it', async () => {
    const tag = nextTag('origin');
    await v2c(`${tag}-plain`);
    await v2c(`${tag}-relayed`, [SNMP_TRAP_ADDRESS_0, 'a', '192.0.2.7']);
    await receiver.until(() => receiver.delivered().filter(mine(tag)).length === 2, 10_000, 'both events on the unfiltered forwarder');
    await originReceiver.until(() => originReceiver.delivered().some(mine(tag)), 10_000, 'the relayed event on the origin forwarder');

    const relayed = receiver.delivered().find(mine(`${tag}-relayed`))!;
    expect(relayed.origin).toEqual({ address: '192.0.2.7' });
    expect(relayed.source.address).toBe('127.0.0.1');
    expect(receiver.delivered().find(mine(`${tag}-plain`))!.origin).toBeUndefined();
    await sleep(300);
    expect(originReceiver.delivered().filter(mine(tag)).map(markerOf)).toEqual([`${tag}-relayed`]);

    const recent = await json<{ events: TrapEvent[] }>(`${service.baseUrl}/snmp/traps/recent?origin=192.0.2.0/24&limit=100`);
    expect(recent.body.events.filter(mine(tag)).map(markerOf)).toEqual([`${tag}-relayed`]);
    const bySource = await json<{ events: TrapEvent[] }>(`${service.baseUrl}/snmp/traps/recent?source=192.0.2.7&limit=100`);
    expect(bySource.body.events.filter(mine(tag))).toEqual([]);
  });

  it('GET /snmp/traps/forwarders shows each forwarder without secrets; the metrics have the same numbers', async () => {
    const response = await fetch(`${service.baseUrl}/snmp/traps/forwarders`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const secret of [SECRET, 'hook-token-from-a-file', 'in-the-query', 'netops']) expect(text).not.toContain(secret);
    const [all, origin] = (JSON.parse(text) as { forwarders: ForwarderState[] }).forwarders;
    expect(all).toMatchObject({ name: 'all', url: `${receiver.url}?…`, signed: true, engine: 'memory', dropped: 0, deadLettered: 0 });
    expect(all.lastSuccessAt).not.toBeNull();
    expect(origin).toMatchObject({ name: 'origin', signed: false, filter: { origin: '192.0.2.7' } });
    const metrics = await scrape(service.baseUrl);
    expect(metricValue(metrics, 'netprobe_trap_forwarder_delivered_total', '{forwarder="all"}')).toBe(all.delivered);
    expect(metricValue(metrics, 'netprobe_trap_forwarder_retries_total', '{forwarder="all"}')).toBe(all.retried);
    expect(metricValue(metrics, 'netprobe_trap_forwarder_delivered_total', '{forwarder="origin"}')).toBe(origin.delivered);
  });

  it('a 4xx other than 408/429 is dead-lettered, not retried', async () => {
    const tag = nextTag('refused');
    const before = (await forwarders(service)).find((f) => f.name === 'all')!;
    receiver.responder = (request) => (request.events.some(mine(tag)) ? { status: 422 } : { status: 200 });
    try {
      await v2c(tag);
      await eventually('the dead letter', () => forwarders(service), (list) => list.find((f) => f.name === 'all')!.deadLettered === before.deadLettered + 1);
      await sleep(500);
      expect(receiver.requests.filter((r) => r.events.some(mine(tag)))).toHaveLength(1);
    } finally {
      receiver.responder = () => ({ status: 200 });
    }
  });
});

describe('a forwarder whose receiver never answers: the queue is bounded', () => {
  let service: RunningService;
  let trapPort: number;
  const QUEUE = 1_000;

  beforeAll(async () => {
    const closedPort = await freeTcpPort();
    const config = [{ name: 'stuck', url: `http://127.0.0.1:${closedPort}/never`, queue: { maxEvents: QUEUE, maxBytes: 4 * 1024 * 1024 }, retry: { initialMs: 200, maxMs: 1000 } }];
    service = await startService({
      TRAP_FORWARDERS: JSON.stringify(config),
      // The bus's own window small, and the heap capped: events retained anywhere beyond the bounds would
      // exhaust it within the flood (60 000 events of about 2.7 KB of JSON each).
      TRAP_BUFFER: '1000',
      TRAP_BUFFER_BYTES: String(4 * 1024 * 1024),
      NODE_OPTIONS: '--max-old-space-size=96',
    });
    trapPort = await trapPortOf(service);
  }, 60_000);

  afterAll(async () => {
    await service?.stop('SIGKILL');
  });

  it('beyond the bound events are dropped and counted, and the process stays flat in memory', async () => {
    const ROUND = 20_000;
    const rss: number[] = [];
    let sent = 0;
    for (let round = 0; round < 3; round++) {
      await sendPaced(Array.from({ length: ROUND }, (_, i) => v2cTrap(`flood-${round}-${i}`, 20)), trapPort);
      sent += ROUND;
      // Every datagram the service read is an event: wait until the counters stop moving.
      let last = -1;
      for (;;) {
        const metrics = await scrape(service.baseUrl);
        const received = metricValue(metrics, 'netprobe_traps_received_total', '{version="2c"}');
        if (received === last) break;
        last = received;
        await sleep(300);
      }
      const page = await scrape(service.baseUrl);
      rss.push(metricValue(page, 'process_resident_memory_bytes'));
    }
    const metrics = await scrape(service.baseUrl);
    const received = metricValue(metrics, 'netprobe_traps_received_total', '{version="2c"}');
    const dropped = metricValue(metrics, 'netprobe_trap_forwarder_dropped_total', '{forwarder="stuck"}');
    const [state] = await forwarders(service);
    // The kernel may drop datagrams of the flood on a loaded host: what counts is what the service read.
    expect(received).toBeGreaterThan(QUEUE * 10);
    expect(state.queue.events).toBeLessThanOrEqual(QUEUE);
    // Everything received is queued, being retried, or dropped.
    expect(state.queue.events + state.queue.inFlight + dropped).toBe(received);
    expect(state.dropped).toBe(dropped);
    expect(dropped).toBeGreaterThanOrEqual(received - QUEUE - 1);
    // Flat: after the first round the window and the queue are full; two more rounds add nothing that stays.
    console.info(`forwarder overflow: RSS after each round of ${ROUND} traps: ${rss.map((b) => `${(b / 2 ** 20).toFixed(1)} MiB`).join(', ')}; sent ${sent}, received ${received}, dropped ${dropped}`);
    expect(service.child.exitCode).toBeNull();
    expect(rss[2] - rss[0]).toBeLessThan(40 * 2 ** 20);
    expect(Math.max(...rss)).toBeLessThan(250 * 2 ** 20);
  }, 120_000);
});

describe('a forwarder aimed at a denied address', () => {
  it('169.254.169.254 (the cloud metadata address): the service refuses to start and names the rule', async () => {
    const config = [{ name: 'metadata', url: 'http://169.254.169.254/latest/meta-data/' }];
    const { code, stderr } = await runServiceToExit({ TRAP_FORWARDERS: JSON.stringify(config) });
    expect(code).not.toBe(0);
    expect(stderr).toContain('forwarder "metadata"');
    expect(stderr).toContain('refused by the target policy');
    expect(stderr).toContain('default 169.254.0.0/16');
  });

  it('a name resolving to an address TARGET_DENY lists: refused at start with that rule', async () => {
    const config = [{ name: 'local', url: 'http://localhost:9/hook' }];
    const { code, stderr } = await runServiceToExit({ TRAP_FORWARDERS: JSON.stringify(config), TARGET_DENY: '127.0.0.0/8,::1/128' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/forwarder "local".*refused by the target policy \(rule TARGET_DENY (127\.0\.0\.0\/8|::1\/128)\)/);
  });

  it('an invalid TRAP_FORWARDERS is refused at start with a clear message', async () => {
    const notJson = await runServiceToExit({ TRAP_FORWARDERS: '[{name:' });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('TRAP_FORWARDERS: must be a JSON array of forwarders');
    const badUrl = await runServiceToExit({ TRAP_FORWARDERS: JSON.stringify([{ name: 'x', url: 'ftp://127.0.0.1/' }, { name: 'x', url: 'http://127.0.0.1:1/' }]) });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('TRAP_FORWARDERS: 0.url: must be an http:// or https:// URL');
    expect(badUrl.stderr).toContain('TRAP_FORWARDERS: 1.name: forwarder name "x" is used twice');
    const missingSecret = await runServiceToExit({ TRAP_FORWARDERS: JSON.stringify([{ name: 'x', url: 'http://127.0.0.1:1/', secret: { env: 'NOT_SET_ANYWHERE' } }]) });
    expect(missingSecret.code).toBe(2);
    expect(missingSecret.stderr).toContain('traps.forwarders.0.secret: environment variable NOT_SET_ANYWHERE is not set');
  });
});
