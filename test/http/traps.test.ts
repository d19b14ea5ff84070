import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Config, DeepPartial } from '../../src/config.ts';
import type { AppendOutcome } from '../../src/events/bus-engine.ts';
import type { TrapBus, TrapEvent } from '../../src/events/trap-event.ts';
import { testDeps } from '../helpers/app.ts';
import { SseClient, sleep } from '../helpers/traps-peers.ts';

function trapApp(traps: DeepPartial<Config['traps']> = {}) {
  const deps = testDeps({ traps: { port: 0, ...traps } });
  return { app: createApp(deps), deps, bus: deps.traps.bus };
}

function fields(overrides: Partial<TrapEvent> = {}): Omit<TrapEvent, 'id'> {
  return {
    receivedAt: '2026-01-01T00:00:00.000Z',
    source: { address: '192.0.2.10', port: 50000 },
    version: '2c',
    pduType: 'trapV2',
    trapOid: '1.3.6.1.6.3.1.1.5.3',
    trapName: 'IF-MIB::linkDown',
    uptime: 100,
    varbinds: [],
    ...overrides,
  };
}

/** The id the event got. */
function idOf(outcome: AppendOutcome): string {
  if (outcome.status !== 'published') throw new Error(`not published: ${JSON.stringify(outcome)}`);
  return outcome.id;
}

/** Publishes `count` events; returns their ids, in order. */
function publishIds(bus: TrapBus, count: number, overrides: Partial<TrapEvent> = {}): string[] {
  return Array.from({ length: count }, () => idOf(bus.publish(fields(overrides))));
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as { type: string; status: number; detail?: string; errors?: { path: string }[] };
}

describe('GET /snmp/traps: validation', () => {
  it.each([
    ['source=example.com', 'query.source'],
    ['source=192.0.2.0/33', 'query.source'],
    ['version=2', 'query.version'],
    ['since=-1', 'query.since'],
    ['since=abc', 'query.since'],
    ['trapOid=not%20an%20oid', 'query.trapOid'],
  ])('?%s → 400 validation problem', async (query, path) => {
    const { app } = trapApp();
    const response = await app.request(`/snmp/traps?${query}`);
    expect(response.status).toBe(400);
    const body = await problemOf(response);
    expect(body.type).toBe('/problems/validation');
    expect(body.errors?.map((e) => e.path)).toContain(path);
  });

  it('a Last-Event-ID that is not an id → 400', async () => {
    const { app } = trapApp();
    const response = await app.request('/snmp/traps', { headers: { 'last-event-id': 'abc' } });
    expect(response.status).toBe(400);
  });

  it('an unknown MIB name in trapOid → 400 invalid-request', async () => {
    const { app } = trapApp();
    const response = await app.request('/snmp/traps/recent?trapOid=NO-SUCH-MIB::thing');
    expect(response.status).toBe(400);
    const body = await problemOf(response);
    expect(body.type).toBe('/problems/invalid-request');
    expect(body.detail).toMatch(/NO-SUCH-MIB::thing/);
  });

  it('recent: limit out of range → 400', async () => {
    const { app } = trapApp();
    expect((await app.request('/snmp/traps/recent?limit=0')).status).toBe(400);
    expect((await app.request('/snmp/traps/recent?limit=10001')).status).toBe(400);
  });

  it('traps disabled → 503 traps-unavailable', async () => {
    const { app } = trapApp({ enabled: false });
    for (const path of ['/snmp/traps', '/snmp/traps/recent']) {
      const response = await app.request(path);
      expect(response.status).toBe(503);
      expect((await problemOf(response)).type).toBe('/problems/traps-unavailable');
    }
  });
});

describe('GET /snmp/traps/recent', () => {
  it('returns the buffered events, newest last, limited and filtered', async () => {
    const { app, bus } = trapApp();
    const id1 = idOf(bus.publish(fields({ trapOid: '1.3.6.1.6.3.1.1.5.3' })));
    const id2 = idOf(bus.publish(fields({ trapOid: '1.3.6.1.6.3.1.1.5.4', source: { address: '2001:db8::7', port: 1 } })));
    const id3 = idOf(bus.publish(fields({ trapOid: '1.3.6.1.4.1.8072.2.3.0.1', version: '1' })));

    const all = (await (await app.request('/snmp/traps/recent')).json()) as { events: TrapEvent[]; lastId: string };
    expect(all.events.map((e) => e.id)).toEqual([id1, id2, id3]);
    expect(all.lastId).toBe(id3);
    const last = (await (await app.request('/snmp/traps/recent?limit=2')).json()) as { events: TrapEvent[] };
    expect(last.events.map((e) => e.id)).toEqual([id2, id3]);
    const linkUp = (await (await app.request('/snmp/traps/recent?trapOid=IF-MIB::linkUp')).json()) as { events: TrapEvent[] };
    expect(linkUp.events.map((e) => e.id)).toEqual([id2]);
    const standard = (await (await app.request('/snmp/traps/recent?trapOid=1.3.6.1.6.3.1.1.5')).json()) as { events: TrapEvent[] };
    expect(standard.events.map((e) => e.id)).toEqual([id1, id2]);
    const v6 = (await (await app.request(`/snmp/traps/recent?source=${encodeURIComponent('2001:db8::/32')}`)).json()) as { events: TrapEvent[] };
    expect(v6.events.map((e) => e.id)).toEqual([id2]);
    const v1 = (await (await app.request('/snmp/traps/recent?version=1')).json()) as { events: TrapEvent[] };
    expect(v1.events.map((e) => e.id)).toEqual([id3]);
  });

  it('since: the events after it, oldest first, with the count the buffer lost', async () => {
    const { app, bus } = trapApp({ bufferSize: 5 });
    const all = publishIds(bus, 12);
    const page = (await (await app.request(`/snmp/traps/recent?since=${all[8]}`)).json()) as { events: TrapEvent[]; missed?: number };
    expect(page.events.map((e) => e.id)).toEqual(all.slice(9));
    expect(page).not.toHaveProperty('missed');
    const old = (await (await app.request(`/snmp/traps/recent?since=${all[1]}&limit=2`)).json()) as { events: TrapEvent[]; missed?: number };
    expect(old).toMatchObject({ missed: 5, lastId: all[11] });
    expect(old.events.map((e) => e.id)).toEqual(all.slice(7, 9));
  });
});

describe('GET /snmp/traps: the stream', () => {
  it('sends trap events with id, event and one-line JSON data', async () => {
    const { app, bus } = trapApp();
    const response = await app.request('/snmp/traps');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const client = await SseClient.fromResponse(response);
    const published = fields({ varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'line1\nline2' }] });
    const id = idOf(bus.publish(published));
    await client.until(() => client.messages.length === 1, 2_000, 'one message');
    expect(client.messages[0]).toEqual({ id, event: 'trap', data: JSON.stringify({ id, ...published }) });
    client.close();
  });

  it('starts with a gap event when the resume id is older than the buffer', async () => {
    const { app, bus } = trapApp({ bufferSize: 5 });
    const all = publishIds(bus, 12);
    const client = await SseClient.fromResponse(await app.request('/snmp/traps', { headers: { 'last-event-id': all[0] } }));
    await client.until(() => client.messages.length === 6, 2_000, 'gap + 5 events');
    expect(client.messages[0]).toEqual({ event: 'gap', data: '{"missed":6}', id: undefined });
    expect(client.messages.slice(1).map((m) => m.id)).toEqual(all.slice(7));
    client.close();
  });

  it('Last-Event-ID wins over ?since=', async () => {
    const { app, bus } = trapApp();
    const all = publishIds(bus, 5);
    const client = await SseClient.fromResponse(await app.request(`/snmp/traps?since=${all[0]}`, { headers: { 'last-event-id': all[2] } }));
    await client.until(() => client.messages.length === 2, 2_000, 'two events');
    expect(client.messages.map((m) => m.id)).toEqual(all.slice(3));
    client.close();
  });

  it('a slow client is not disconnected: it catches up from the buffer, all events in order', async () => {
    const { app, bus } = trapApp({ subscriberQueue: 2, bufferSize: 100 });
    const response = await app.request('/snmp/traps');
    const reader = response.body!.getReader();
    await reader.read(); // the first comment: subscribed
    const all = publishIds(bus, 30); // nobody reads meanwhile
    await sleep(20);
    let text = '';
    const decoder = new TextDecoder();
    while ((text.match(/^id: /gm) ?? []).length < 30) text += decoder.decode((await reader.read()).value, { stream: true });
    const ids = [...text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(all);
    expect(text).not.toContain('event: gap');
    await reader.cancel();
  });

  it('sends a heartbeat comment when idle', async () => {
    const { app } = trapApp({ heartbeatMs: 30 });
    const client = await SseClient.fromResponse(await app.request('/snmp/traps'));
    await client.until(() => client.comments.includes('heartbeat'), 2_000, 'a heartbeat');
    client.close();
  });

  it('refuses subscribers past maxSubscribers with 503, and frees the slot when a client goes away', async () => {
    const { app, bus } = trapApp({ maxSubscribers: 1 });
    const first = await SseClient.fromResponse(await app.request('/snmp/traps'));
    const refused = await app.request('/snmp/traps');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    const body = await problemOf(refused);
    expect(body.type).toBe('/problems/traps-unavailable');
    expect(body).not.toHaveProperty('retryAfterSeconds');
    first.close();
    await first.done;
    for (let i = 0; i < 50 && bus.subscriberCount > 0; i++) await sleep(10);
    expect(bus.subscriberCount).toBe(0);
    const again = await app.request('/snmp/traps');
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });

  it('HEAD answers the stream headers and subscribes nothing (hono would drop the body, never releasing it)', async () => {
    const { app, bus } = trapApp();
    for (let i = 0; i < 20; i++) {
      const response = await app.request('/snmp/traps', { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(response.body).toBeNull();
    }
    expect(bus.subscriberCount).toBe(0);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/^netprobe_trap_subscribers 0$/m);
  });

  it('the subscriber gauge is read from the bus: it counts open streams and returns to 0 when they end', async () => {
    const { app } = trapApp();
    const gauge = async () => Number(/^netprobe_trap_subscribers (\d+)$/m.exec(await (await app.request('/metrics')).text())?.[1]);
    const clients = [await SseClient.fromResponse(await app.request('/snmp/traps')), await SseClient.fromResponse(await app.request('/snmp/traps'))];
    expect(await gauge()).toBe(2);
    for (const client of clients) client.close();
    for (let i = 0; i < 50 && (await gauge()) > 0; i++) await sleep(10);
    expect(await gauge()).toBe(0);
  });

  it('a client catching up gets its backlog in chunks of at most 64 KiB of events, all of them, in order', async () => {
    const { app, bus } = trapApp({ subscriberQueue: 1000, bufferSize: 1000 });
    const response = await app.request('/snmp/traps');
    const reader = response.body!.getReader();
    await reader.read(); // the first comment: subscribed
    const bulky = [{ oid: '1.3.6.1.4.1.99999.1.1', type: 'OctetString' as const, value: 'x'.repeat(10_000) }];
    const all = publishIds(bus, 60, { varbinds: bulky }); // ~600 KB, nobody reads meanwhile
    const chunks: number[] = [];
    let text = '';
    const decoder = new TextDecoder();
    while ((text.match(/^id: /gm) ?? []).length < 60) {
      const { value } = await reader.read();
      chunks.push(value!.length);
      text += decoder.decode(value, { stream: true });
    }
    expect([...text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1])).toEqual(all);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(64 * 1024 + 60 * 40); // plus the SSE framing of each event
    expect(chunks.length).toBeGreaterThanOrEqual(10);
    await reader.cancel();
    for (let i = 0; i < 50 && bus.subscriberCount > 0; i++) await sleep(10);
    expect(bus.subscriberCount).toBe(0);
  });

  it('ends the stream with a final comment when the bus closes (shutdown)', async () => {
    const { app, bus } = trapApp();
    const client = await SseClient.fromResponse(await app.request('/snmp/traps'));
    bus.close();
    await client.done;
    expect(client.comments.at(-1)).toBe('server shutting down');
  });
});

describe('OpenAPI', () => {
  it('documents the SSE route with its event schema component and its parameters', async () => {
    const { app } = trapApp();
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, { content: Record<string, { schema: unknown }> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const stream = doc.paths['/snmp/traps'].get;
    expect(stream.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['header:last-event-id', 'query:origin', 'query:since', 'query:source', 'query:trapOid', 'query:version'].sort(),
    );
    expect(stream.responses['200'].content['text/event-stream'].schema).toEqual({ $ref: '#/components/schemas/TrapStreamMessage' });
    expect(Object.keys(stream.responses)).toEqual(expect.arrayContaining(['400', '503']));
    expect(doc.components.schemas).toHaveProperty('TrapEvent');
    expect(doc.components.schemas).toHaveProperty('TrapGap');
    expect(JSON.stringify(doc.components.schemas.TrapStreamMessage)).toContain('#/components/schemas/TrapEvent');
    expect(doc.paths['/snmp/traps/recent'].get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'since', 'source', 'trapOid', 'version']));
  });
});
