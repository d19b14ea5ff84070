// A v3 sender without keys cannot grow the library's key cache without bound (issue #15 review): net-snmp
// localizes and caches the user's keys for every engine ID a datagram names.
import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_KEY_CACHE_MAX } from '../../src/snmp/usm.ts';
import { sendPaced } from '../helpers/traps-fuzz.ts';
import { OIDS, runSnmpTool, SENDER_ENGINE_ID, startTrapStack, TRAP_USER, v3Args, type TrapStack } from '../helpers/traps-peers.ts';

let stack: TrapStack;

beforeAll(async () => {
  stack = await startTrapStack({ users: [TRAP_USER] });
});

afterAll(async () => {
  await stack?.close();
});

/** One v3 authPriv trap as snmptrap sends it, captured on a socket of the test. */
async function captureV3Trap(): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const captured = new Promise<Buffer>((resolve) => socket.once('message', (message) => resolve(message)));
  await runSnmpTool('snmptrap', [...v3Args(), '-e', SENDER_ENGINE_ID, `127.0.0.1:${socket.address().port}`, '', OIDS.linkDown]);
  const datagram = await captured;
  socket.close();
  return datagram;
}

describe('the key cache of the library', () => {
  it('2000 datagrams naming a configured user and 2000 engine IDs: every one refused, the cache stays bounded', async () => {
    const original = await captureV3Trap();
    const engine = Buffer.from(SENDER_ENGINE_ID.slice(2), 'hex');
    const at = original.indexOf(engine);
    expect(at).toBeGreaterThan(0);
    const datagrams = Array.from({ length: 2_000 }, (_, i) => {
      const forged = Buffer.from(original);
      forged.writeUInt32BE(0xa0000000 + i, at + engine.length - 4);
      return forged;
    });
    await sendPaced(datagrams, stack.trapPort, '127.0.0.1', 50, 20);
    const deadline = Date.now() + 30_000;
    while (stack.deps.traps.receiver.stats().dropped.authFailed < 1_900 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(stack.deps.traps.receiver.stats().dropped.authFailed).toBeGreaterThanOrEqual(1_900);
    // Two keys per datagram (privacy, then authentication), forgotten past the bound.
    expect(Object.keys(snmp.Authentication.authToKeyCache).length).toBeLessThanOrEqual(LIBRARY_KEY_CACHE_MAX + 2 * 128);
  }, 60_000);
});
