import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareIdTexts } from '../../src/events/stream-id.ts';
import { OIDS, SseClient, markerOf, startTrapStack, type TrapStack } from '../helpers/traps-peers.ts';

const TRAPS = 1000;
const SUBSCRIBERS = 10;

let stack: TrapStack;
const clients: SseClient[] = [];

beforeAll(async () => {
  stack = await startTrapStack({ host: '127.0.0.1' });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await stack?.close();
});

/**
 * Sends `count` v2c traps from one net-snmp session as fast as it can queue them: they all reach the
 * kernel before the receiver reads one. The receiver asks for a 4 MiB receive buffer, which holds them;
 * where the kernel grants less (net.core.rmem_max below ~2 MiB), the burst is paced in chunks of 100
 * so that the test measures the service, not the host's limit.
 */
async function burst(port: number, count: number, tag: string, receiveBufferBytes: number): Promise<void> {
  const chunk = receiveBufferBytes >= 2 * 1024 * 1024 ? count : 100;
  const session = snmp.createSession('127.0.0.1', 'public', { version: snmp.Version2c, trapPort: port });
  session.on('error', () => {});
  try {
    const sends: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % chunk === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const varbinds = [{ oid: OIDS.marker, type: snmp.ObjectType.OctetString, value: `${tag}-${i}` }];
      sends.push(new Promise((resolve, reject) => session.trap(OIDS.linkDown, varbinds, (err: Error | null) => (err ? reject(err) : resolve()))));
    }
    await Promise.all(sends);
  } finally {
    session.close();
  }
}

describe('burst', () => {
  it(`${TRAPS} traps sent in a burst reach each of ${SUBSCRIBERS} SSE subscribers, all of them, in order`, async () => {
    for (let i = 0; i < SUBSCRIBERS; i++) clients.push(await SseClient.connect(`${stack.baseUrl}/snmp/traps`));
    const tag = `burst${process.pid}`;
    await burst(stack.trapPort, TRAPS, tag, stack.deps.traps.receiver.receiveBufferBytes() ?? 0);

    const expected = Array.from({ length: TRAPS }, (_, i) => `${tag}-${i}`);
    const received = () => stack.deps.traps.receiver.stats().received['2c'];
    await Promise.all(clients.map((client) => client.until(() => client.traps.length >= TRAPS, 30_000, `${TRAPS} traps (receiver got ${received()})`)));
    for (const client of clients) {
      expect(client.traps.map(markerOf)).toEqual(expected);
      expect(client.messages.some((m) => m.event === 'gap')).toBe(false);
      const ids = client.traps.map((e) => e.id);
      expect(ids.every((id, i) => i === 0 || compareIdTexts(id, ids[i - 1]) > 0)).toBe(true);
      expect(ids).toEqual(clients[0].traps.map((e) => e.id));
    }
    expect(received()).toBe(TRAPS);
  }, 60_000);
});
