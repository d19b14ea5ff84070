import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { notificationToEvent, type LibraryNotification } from '../../src/snmp/trap-decode.ts';
import { TrapOidNames } from '../../src/snmp/trap-names.ts';
import { testMib } from '../helpers/deps.ts';
import { libraryReceive } from '../helpers/net-snmp-codec.ts';
import { OIDS, SseClient, markerOf, runSnmpTool, sleep, startTrapStack, type TrapStack } from '../helpers/traps-peers.ts';

/**
 * v1 and v2c traps from real snmptrap, through the real service (UDP receiver, bus, SSE): they are taken by
 * netprobe's own decoder (the receiver's decodedBy counter and its metric say so), and the events are the
 * ones net-snmp's Receiver gives for the same datagrams (captured from the same snmptrap command, with the
 * same explicit uptime, and handed to the library as the receiver used to).
 */

let stack: TrapStack;
let listed: TrapStack;

beforeAll(async () => {
  stack = await startTrapStack({ includeCommunity: true });
  listed = await startTrapStack({ communities: ['netprobe-ok'] });
});

afterAll(async () => {
  await stack?.close();
  await listed?.close();
});

/** Varbinds of every type snmptrap can send (BITS and the 64-bit and floating types travel as OCTET STRING / Opaque). */
const VARBINDS = [
  ['1.3.6.1.4.1.99999.2.1', 'i', '-5'],
  ['1.3.6.1.4.1.99999.2.2', 'u', '4000000000'],
  ['1.3.6.1.4.1.99999.2.3', 'c', '123456'],
  ['1.3.6.1.4.1.99999.2.4', 't', '98765'],
  ['1.3.6.1.4.1.99999.2.5', 'a', '192.0.2.9'],
  ['1.3.6.1.4.1.99999.2.6', 'o', '1.3.6.1.4.1.8072.3.2.10'],
  ['1.3.6.1.4.1.99999.2.7', 'x', 'de ad be ef 00'],
  ['1.3.6.1.4.1.99999.2.8', 'd', '1.2.3.4'],
  ['1.3.6.1.4.1.99999.2.9', 'n', ''],
  ['1.3.6.1.4.1.99999.2.10', 'b', '1 3 9'],
  ['1.3.6.1.4.1.99999.2.11', 'U', '18446744073709551615'],
  ['1.3.6.1.4.1.99999.2.12', 'I', '-42'],
  ['1.3.6.1.4.1.99999.2.13', 'F', '1.5'],
  ['1.3.6.1.4.1.99999.2.14', 'D', '-2.25'],
  ['1.3.6.1.4.1.99999.2.15', 's', 'héllo wörld'],
].flat();

let markers = 0;
const newMarker = () => `own-${process.pid}-${++markers}`;

/** The datagram snmptrap sends for these arguments, caught on a loopback socket of this test. */
async function capture(args: string[]): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  const got = new Promise<Buffer>((resolve) => socket.once('message', resolve));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    const sent = await runSnmpTool('snmptrap', [...args.slice(0, 3), `127.0.0.1:${socket.address().port}`, ...args.slice(3)]);
    expect(sent.code, sent.stderr).toBe(0);
    return await got;
  } finally {
    socket.close();
  }
}

/** What the library path made of `datagram`: its Receiver's pdu, turned into an event as the receiver does. */
function libraryEvent(datagram: Buffer, like: TrapEvent): unknown {
  const received = libraryReceive(datagram);
  if ('error' in received) throw received.error;
  const decoded = notificationToEvent(received.pdu as unknown as LibraryNotification, {
    mib: new TrapOidNames(testMib(stack.deps.config.snmp.mibDirs)),
    source: like.source,
    receivedAt: new Date(like.receivedAt),
    includeCommunity: true,
  });
  if (!decoded.ok) throw new Error(decoded.reason);
  return JSON.parse(JSON.stringify({ id: like.id, ...decoded.event }));
}

async function decodedByNetprobe(target: TrapStack): Promise<number> {
  const text = await (await fetch(`${target.baseUrl}/metrics`)).text();
  return Number(/^netprobe_trap_datagrams_decoded_total\{decoder="netprobe"\} (\d+)/m.exec(text)?.[1]);
}

describe('v1/v2c traps decoded by netprobe', () => {
  const cases: [string, (marker: string) => string[]][] = [
    ['v2c', (marker) => ['-v2c', '-c', 'public', '12345', OIDS.linkDown, ...VARBINDS, OIDS.marker, 's', marker]],
    ['v1', (marker) => ['-v1', '-c', 'public', '1.3.6.1.4.1.8072.2.3', '192.0.2.44', '6', '17', '4242', ...VARBINDS, OIDS.marker, 's', marker]],
    ['v1 generic', (marker) => ['-v1', '-c', 'other', '1.3.6.1.4.1.8072', '0.0.0.0', '2', '0', '7', OIDS.marker, 's', marker]],
  ];

  for (const [name, argsFor] of cases) {
    it(`snmptrap ${name}: taken by our decoder, the same event as net-snmp's Receiver gives`, async () => {
      const client = await SseClient.connect(`${stack.baseUrl}/snmp/traps`);
      try {
        const before = stack.deps.traps.receiver.stats().decodedBy;
        const marker = newMarker();
        // snmptrap [version, -c, community] target [uptime-or-v1-header…] varbinds
        const args = argsFor(marker);
        const sent = await runSnmpTool('snmptrap', [...args.slice(0, 3), `127.0.0.1:${stack.trapPort}`, ...args.slice(3)]);
        expect(sent.code, sent.stderr).toBe(0);
        const event = await client.trap((e) => markerOf(e) === marker);
        const after = stack.deps.traps.receiver.stats().decodedBy;
        expect(after.netprobe).toBe(before.netprobe + 1);
        expect(after.library).toBe(before.library);
        expect(await decodedByNetprobe(stack)).toBe(after.netprobe);

        const datagram = await capture(args);
        expect(event).toStrictEqual(libraryEvent(datagram, event));
        expect(event.varbinds.length).toBeGreaterThanOrEqual(name === 'v1 generic' ? 1 : VARBINDS.length / 3);
      } finally {
        client.close();
      }
    });
  }

  it('an inform still goes to the library (which acknowledges it)', async () => {
    const before = stack.deps.traps.receiver.stats().decodedBy;
    const sent = await runSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '2', '-r', '1', `127.0.0.1:${stack.trapPort}`, '', OIDS.linkUp]);
    expect(sent.code, sent.stderr).toBe(0);
    const after = stack.deps.traps.receiver.stats().decodedBy;
    expect(after.library).toBe(before.library + 1);
    expect(after.netprobe).toBe(before.netprobe);
  });

  it('with a community allowlist, our decoder\'s traps are authorized as the library did: listed ones delivered, others dropped as unknownCommunity', async () => {
    const client = await SseClient.connect(`${listed.baseUrl}/snmp/traps`);
    try {
      const to = `127.0.0.1:${listed.trapPort}`;
      const ok = newMarker();
      const refused = newMarker();
      const dropped = listed.deps.traps.receiver.stats().dropped.unknownCommunity;
      for (const args of [
        ['-v2c', '-c', 'public', to, '', OIDS.linkDown, OIDS.marker, 's', refused],
        ['-v1', '-c', 'netprobe-ok2', to, '1.3.6.1.4.1.8072', '192.0.2.1', '0', '0', '', OIDS.marker, 's', refused],
        ['-v1', '-c', '', to, '1.3.6.1.4.1.8072', '192.0.2.1', '0', '0', '', OIDS.marker, 's', refused],
        ['-v1', '-c', 'netprobe-ok', to, '1.3.6.1.4.1.8072', '192.0.2.1', '0', '0', '', OIDS.marker, 's', ok],
      ]) {
        expect((await runSnmpTool('snmptrap', args)).code).toBe(0);
      }
      await client.trap((e) => markerOf(e) === ok);
      await sleep(300);
      expect(listed.deps.traps.receiver.stats().dropped.unknownCommunity).toBe(dropped + 3);
      expect(client.traps.filter((e) => markerOf(e) === refused)).toHaveLength(0);
      expect(listed.deps.traps.receiver.stats().decodedBy.netprobe).toBe(4);
    } finally {
      client.close();
    }
  });
});
