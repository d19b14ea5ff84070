// Webhook forwarders with TRAP_BUS=redis (issue #15): a real redis-server, two real service processes
// sharing one consumer group per forwarder, snmptrap, and a webhook receiver in the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json, snmptrapTo, startReplica, type Replica } from '../helpers/replicas.ts';
import { markerOf, sleep } from '../helpers/traps-peers.ts';
import { WebhookReceiver } from '../helpers/webhook.ts';

const SECRET = 'redis-mode-signing-secret-0123';
const STREAM = `netprobe:test:forwarders:${process.pid}`;
const GROUP = 'netprobe:forwarder:hook';
const CLAIM_IDLE_MS = 2_000;

interface ForwarderState {
  name: string;
  engine: string;
  queue: { events: number; inFlight: number };
  delivered: number;
}

const state = async (replica: Replica) => (await json<{ forwarders: ForwarderState[] }>(`${replica.baseUrl}/snmp/traps/forwarders`)).body.forwarders[0];

describe('forwarders with TRAP_BUS=redis and two replicas', () => {
  const receiver = new WebhookReceiver(SECRET);
  let redis: RedisServer;
  let a: Replica;
  let b: Replica;
  const mine = (tag: string) => (event: TrapEvent) => markerOf(event)?.startsWith(tag) ?? false;

  beforeAll(async () => {
    await receiver.start();
    redis = await startRedis();
    const env = {
      TRAP_STREAM: STREAM,
      HOOK_SECRET: SECRET,
      TRAP_FORWARDERS: JSON.stringify([
        { name: 'hook', url: receiver.url, secret: { env: 'HOOK_SECRET' }, claimIdleMs: CLAIM_IDLE_MS, timeoutMs: 120_000, retry: { initialMs: 100, maxMs: 1000 } },
      ]),
    };
    [a, b] = await Promise.all([startReplica('A', redis.url, env), startReplica('B', redis.url, env)]);
    // The consumer group exists (created at the stream's end by the first replica): events from now on are forwarded.
    await eventually('the consumer group', () => redis.command('XINFO', 'GROUPS', STREAM).catch(() => []), (groups) => JSON.stringify(groups).includes(GROUP));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].map((replica) => replica?.service.stop('SIGKILL')));
    await redis?.stop();
    await receiver.stop();
  });

  it('traps received by either replica reach the webhook once each, signed, shared between the replicas', async () => {
    const tag = `redis-once-${process.pid}`;
    for (let i = 0; i < 10; i++) await snmptrapTo(i % 2 === 0 ? a : b, `${tag}-${i}`);
    await receiver.until(() => receiver.delivered().filter(mine(tag)).length === 10, 15_000, 'ten deliveries');
    await sleep(1_000);
    const requests = receiver.requests.filter((r) => r.events.some(mine(tag)));
    expect(requests).toHaveLength(10);
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(10);
    expect(requests.every((r) => r.signatureValid)).toBe(true);
    for (const request of requests) expect(request.headers['idempotency-key']).toBe(request.events[0].id);
    const [stateA, stateB] = await Promise.all([state(a), state(b)]);
    expect(stateA.engine).toBe('redis');
    expect(stateA.delivered + stateB.delivered).toBeGreaterThanOrEqual(10);
  });

  it('the replica delivering an event is killed while the receiver delays its answer: the other replica claims it and it is acknowledged once', async () => {
    const tag = `redis-kill-${process.pid}`;
    // The first request for this event is never answered in time: the replica sending it dies meanwhile.
    receiver.responder = (request) => {
      const first = receiver.requests.findIndex((r) => r.events.some(mine(tag))) === receiver.requests.indexOf(request);
      return request.events.some(mine(tag)) && first ? { status: 200, delayMs: 60_000 } : { status: 200 };
    };
    await snmptrapTo(a, `${tag}-0`);
    await receiver.until(() => receiver.requests.some((r) => r.events.some(mine(tag))), 10_000, 'the first request');
    const [stateA, stateB] = await Promise.all([state(a), state(b)]);
    const [holder, survivor] = stateA.queue.inFlight > 0 ? [a, b] : [b, a];
    expect((holder === a ? stateA : stateB).queue.inFlight).toBe(1);
    // While the holder lives it renews its claim: a slow receiver does not make the other replica send it too.
    await sleep(CLAIM_IDLE_MS * 2.5);
    expect(receiver.requests.filter((r) => r.events.some(mine(tag)))).toHaveLength(1);
    await holder.service.stop('SIGKILL');

    // After claimIdleMs the survivor claims the pending entry and delivers it again.
    await receiver.until(() => receiver.delivered().some(mine(tag)), 20_000, 'the redelivery by the surviving replica');
    const attempts = receiver.requests.filter((r) => r.events.some(mine(tag)));
    expect(attempts).toHaveLength(2);
    expect(attempts[0].answered).toBeUndefined();
    expect(attempts[1].answered).toBe(200);
    expect(attempts[1].headers['idempotency-key']).toBe(attempts[0].headers['idempotency-key']);
    expect(receiver.delivered().filter(mine(tag))).toHaveLength(1);

    // And the survivor goes on alone: new events once each, nothing left pending in the group.
    for (let i = 1; i <= 3; i++) await snmptrapTo(survivor, `${tag}-${i}`);
    await receiver.until(() => receiver.delivered().filter(mine(tag)).length === 4, 15_000, 'the next three events');
    await sleep(CLAIM_IDLE_MS);
    expect(receiver.delivered().filter(mine(tag)).map(markerOf)).toEqual([0, 1, 2, 3].map((i) => `${tag}-${i}`));
    expect(receiver.requests.filter((r) => r.events.some(mine(tag)))).toHaveLength(5);
    const pending = (await redis.command('XPENDING', STREAM, GROUP)) as unknown[];
    expect(pending[0]).toBe(0);
  }, 60_000);
});
