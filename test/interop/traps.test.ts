import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compareIdTexts } from '../../src/events/stream-id.ts';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import {
  OIDS,
  SENDER_ENGINE_ID,
  SseClient,
  TRAP_USER,
  markerOf,
  runSnmpTool,
  sleep,
  startTrapStack,
  v3Args,
  type TrapStack,
} from '../helpers/traps-peers.ts';

const DES_USER = { name: 'desuser', level: 'authPriv', authProtocol: 'md5', authKey: 'des-auth-pass-1', privProtocol: 'des', privKey: 'des-priv-pass-1' } as const;

/** Time allowed after an event for a duplicate (e.g. a re-sent inform) to show up. */
const SETTLE_MS = 400;

let stack: TrapStack;
const clients: SseClient[] = [];
let markerCount = 0;

beforeAll(async () => {
  stack = await startTrapStack({ users: [{ ...TRAP_USER }, { ...DES_USER }] });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await stack?.close();
});

async function subscribe(query = '', headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.connect(`${stack.baseUrl}/snmp/traps${query}`, headers);
  clients.push(client);
  return client;
}

function newMarker(): string {
  return `m${process.pid}-${++markerCount}`;
}

const target = (host = '127.0.0.1') => (host.includes(':') ? `udp6:[${host}]:${stack.trapPort}` : `127.0.0.1:${stack.trapPort}`);

/** Waits for the event carrying `marker`, then checks that it stays the only one. */
async function exactlyOne(client: SseClient, marker: string): Promise<TrapEvent> {
  const event = await client.trap((e) => markerOf(e) === marker);
  await sleep(SETTLE_MS);
  expect(client.traps.filter((e) => markerOf(e) === marker)).toHaveLength(1);
  return event;
}

describe('notifications from net-snmp command-line senders', () => {
  it('snmptrap -v2c: one trapV2 event with trapOid, names and varbind values', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', target(), '', OIDS.linkDown, `${OIDS.ifIndex}.2`, 'i', '2', OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({
      version: '2c',
      pduType: 'trapV2',
      source: { address: '127.0.0.1' },
      trapOid: OIDS.linkDown,
      trapName: 'IF-MIB::linkDown',
    });
    expect(event).not.toHaveProperty('community');
    expect(typeof event.uptime).toBe('number');
    expect(Date.parse(event.receivedAt)).not.toBeNaN();
    expect(event.varbinds.slice(0, 2).map((vb) => vb.name)).toEqual(['SNMPv2-MIB::sysUpTime.0', 'SNMPv2-MIB::snmpTrapOID.0']);
    expect(event.varbinds[1]).toMatchObject({ type: 'ObjectIdentifier', value: OIDS.linkDown, valueName: 'IF-MIB::linkDown' });
    expect(event.varbinds[2]).toEqual({ oid: `${OIDS.ifIndex}.2`, name: 'IF-MIB::ifIndex.2', type: 'Integer', value: 2 });
    expect(event.varbinds[3]).toMatchObject({ name: 'SNMPv2-SMI::enterprises.99999.1.1', type: 'OctetString', value: marker });
  });

  it('snmptrap -v1 (enterprise-specific): trapOid derived as RFC 3584 says, v1 header kept', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmptrap', ['-v1', '-c', 'public', target(), '1.3.6.1.4.1.8072.2.3', '192.0.2.44', '6', '17', '', OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({
      version: '1',
      pduType: 'trap',
      trapOid: '1.3.6.1.4.1.8072.2.3.0.17',
      v1: { enterprise: '1.3.6.1.4.1.8072.2.3', agentAddress: '192.0.2.44', genericTrap: 6, specificTrap: 17 },
    });
    expect(event.varbinds).toEqual([{ oid: OIDS.marker, name: 'SNMPv2-SMI::enterprises.99999.1.1', type: 'OctetString', value: marker }]);
  });

  it('snmptrap -v1 linkDown (generic 2) gets the same trapOid as a v2c linkDown', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmptrap', ['-v1', '-c', 'public', target(), '1.3.6.1.4.1.8072', '192.0.2.44', '2', '0', '', `${OIDS.ifIndex}.7`, 'i', '7', OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({ version: '1', trapOid: OIDS.linkDown, trapName: 'IF-MIB::linkDown', v1: { genericTrap: 2 } });
  });

  it('snmpinform -v2c: acknowledged (exit 0) and one inform event', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '2', '-r', '1', target(), '', OIDS.linkUp, `${OIDS.ifIndex}.3`, 'i', '3', OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({ version: '2c', pduType: 'inform', trapOid: OIDS.linkUp, trapName: 'IF-MIB::linkUp' });
    expect(event.varbinds[2]).toMatchObject({ name: 'IF-MIB::ifIndex.3', value: 3 });
  });

  it('snmptrap -v2c over IPv6 (::1) on the dual-stack socket', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', target('::1'), '', OIDS.linkDown, OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event.source.address).toBe('::1');
    expect(event.version).toBe('2c');
  });

  it('snmptrap -v3 authPriv (SHA/AES, sender engine ID): one event with the user name', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmptrap', [...v3Args(), '-e', SENDER_ENGINE_ID, target(), '', OIDS.linkDown, `${OIDS.ifIndex}.5`, 'i', '5', OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({ version: '3', pduType: 'trapV2', user: TRAP_USER.name, trapOid: OIDS.linkDown, trapName: 'IF-MIB::linkDown' });
    expect(event.varbinds[2]).toMatchObject({ name: 'IF-MIB::ifIndex.5', value: 5 });
  });

  it('snmpinform -v3 authPriv: engine discovery, acknowledged (exit 0), one event', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const sent = await runSnmpTool('snmpinform', [...v3Args(), '-t', '2', '-r', '1', target(), '', OIDS.linkUp, OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({ version: '3', pduType: 'inform', user: TRAP_USER.name, trapOid: OIDS.linkUp });
  });

  it('snmptrap -v3 authPriv with MD5/DES (DES without OpenSSL legacy flags)', async () => {
    const client = await subscribe();
    const marker = newMarker();
    const args = ['-v3', '-u', DES_USER.name, '-l', 'authPriv', '-a', 'MD5', '-A', DES_USER.authKey, '-x', 'DES', '-X', DES_USER.privKey];
    const sent = await runSnmpTool('snmptrap', [...args, '-e', SENDER_ENGINE_ID, target(), '', OIDS.linkUp, OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await exactlyOne(client, marker);
    expect(event).toMatchObject({ version: '3', user: DES_USER.name, trapOid: OIDS.linkUp });
  });
});

describe('refused notifications', () => {
  it('a v3 trap with wrong passwords: no event, authFailed counted', async () => {
    const client = await subscribe();
    const before = stack.deps.traps.receiver.stats().dropped.authFailed;
    const marker = newMarker();
    const wrong = { ...TRAP_USER, authKey: 'wrong-auth-pass', privKey: 'wrong-priv-pass' };
    const sent = await runSnmpTool('snmptrap', [...v3Args(wrong), '-e', SENDER_ENGINE_ID, target(), '', OIDS.linkDown, OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
    await waitForCounter(() => stack.deps.traps.receiver.stats().dropped.authFailed, before + 1);
    await sleep(SETTLE_MS);
    expect(client.traps.filter((e) => markerOf(e) === marker)).toHaveLength(0);
  });

  it('a v3 trap with the right privacy but a wrong authentication password: no event', async () => {
    const client = await subscribe();
    const before = stack.deps.traps.receiver.stats().dropped.authFailed;
    const marker = newMarker();
    const wrong = { ...TRAP_USER, authKey: 'wrong-auth-pass' };
    await runSnmpTool('snmptrap', [...v3Args(wrong), '-e', SENDER_ENGINE_ID, target(), '', OIDS.linkDown, OIDS.marker, 's', marker]);
    await waitForCounter(() => stack.deps.traps.receiver.stats().dropped.authFailed, before + 1);
    await sleep(SETTLE_MS);
    expect(client.traps.filter((e) => markerOf(e) === marker)).toHaveLength(0);
  });

  it('a v3 trap from an unknown user: no event, unknownUser counted', async () => {
    const before = stack.deps.traps.receiver.stats().dropped.unknownUser;
    await runSnmpTool('snmptrap', [...v3Args({ ...TRAP_USER, name: 'nobody' }), '-e', SENDER_ENGINE_ID, target(), '', OIDS.linkDown]);
    await waitForCounter(() => stack.deps.traps.receiver.stats().dropped.unknownUser, before + 1);
  });

  describe('with a community allowlist', () => {
    let listed: TrapStack;
    beforeAll(async () => {
      listed = await startTrapStack({ communities: ['netprobe-ok'] });
    });
    afterAll(async () => {
      await listed?.close();
    });

    it('delivers a listed community and drops (and counts) any other', async () => {
      const client = await SseClient.connect(`${listed.baseUrl}/snmp/traps`);
      clients.push(client);
      const okMarker = newMarker();
      const badMarker = newMarker();
      const to = `127.0.0.1:${listed.trapPort}`;
      expect((await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', to, '', OIDS.linkDown, OIDS.marker, 's', badMarker])).code).toBe(0);
      expect((await runSnmpTool('snmptrap', ['-v1', '-c', 'other', to, '1.3.6.1.4.1.8072', '192.0.2.1', '0', '0', '', OIDS.marker, 's', badMarker])).code).toBe(0);
      expect((await runSnmpTool('snmptrap', ['-v2c', '-c', 'netprobe-ok', to, '', OIDS.linkDown, OIDS.marker, 's', okMarker])).code).toBe(0);
      await client.trap((e) => markerOf(e) === okMarker);
      await waitForCounter(() => listed.deps.traps.receiver.stats().dropped.unknownCommunity, 2);
      await sleep(SETTLE_MS);
      expect(client.traps.filter((e) => markerOf(e) === badMarker)).toHaveLength(0);
      expect(listed.deps.traps.receiver.stats().received['2c']).toBe(1);
    });
  });
});

describe('resume and filters', () => {
  async function sendMarked(trapOid: string, marker: string, host = '127.0.0.1'): Promise<void> {
    const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', target(host), '', trapOid, OIDS.marker, 's', marker]);
    expect(sent.code, sent.stderr).toBe(0);
  }

  it('reconnecting with Last-Event-ID replays exactly the missed events, then live ones', async () => {
    const first = await subscribe();
    const tag = newMarker();
    await sendMarked(OIDS.linkDown, `${tag}-1`);
    await sendMarked(OIDS.linkDown, `${tag}-2`);
    const seen = await first.trap((e) => markerOf(e) === `${tag}-2`);
    first.close();
    for (const n of [3, 4, 5]) await sendMarked(OIDS.linkDown, `${tag}-${n}`);
    await waitForCounter(() => (stack.deps.traps.bus.recent(1)[0]?.json.includes(`"${tag}-5"`) ? 1 : 0), 1);

    const resumed = await subscribe('', { 'last-event-id': String(seen.id) });
    await resumed.trap((e) => markerOf(e) === `${tag}-5`);
    await sendMarked(OIDS.linkDown, `${tag}-6`);
    await resumed.trap((e) => markerOf(e) === `${tag}-6`);
    await sleep(SETTLE_MS);
    const ours = resumed.traps.filter((e) => markerOf(e)?.startsWith(`${tag}-`));
    expect(ours.map(markerOf)).toEqual([3, 4, 5, 6].map((n) => `${tag}-${n}`));
    expect(resumed.traps.every((e) => compareIdTexts(e.id, seen.id) > 0)).toBe(true);
    const ids = resumed.messages.filter((m) => m.event === 'trap').map((m) => m.id!);
    expect(ids).toEqual([...ids].sort(compareIdTexts));
    expect(new Set(ids).size).toBe(ids.length);
    expect(resumed.messages.some((m) => m.event === 'gap')).toBe(false);
  });

  it('filters (trapOid symbolic prefix, source CIDR, version) apply to replayed and live events alike', async () => {
    const tag = newMarker();
    const since = stack.deps.traps.bus.lastId!; // earlier tests of this file received events
    const sinceSeq = stack.deps.traps.bus.lastSeq;
    await sendMarked(OIDS.linkDown, `${tag}-down-v4`);
    await sendMarked(OIDS.linkUp, `${tag}-up-v4`);
    await sendMarked(OIDS.linkUp, `${tag}-up-v6`, '::1');
    await waitForCounter(() => stack.deps.traps.bus.lastSeq - sinceSeq, 3);

    const upV4 = await subscribe(`?since=${since}&trapOid=IF-MIB::linkUp&source=127.0.0.0/8&version=2c`);
    const v6 = await subscribe(`?since=${since}&source=${encodeURIComponent('::1/128')}`);
    const allTraps = await subscribe(`?since=${since}&trapOid=1.3.6.1.6.3.1.1.5`);
    await sendMarked(OIDS.linkDown, `${tag}-down-v4-live`);
    await sendMarked(OIDS.linkUp, `${tag}-up-v4-live`);
    await sendMarked(OIDS.linkUp, `${tag}-up-v6-live`, '::1');

    await upV4.trap((e) => markerOf(e) === `${tag}-up-v4-live`);
    await v6.trap((e) => markerOf(e) === `${tag}-up-v6-live`);
    await allTraps.trap((e) => markerOf(e) === `${tag}-up-v6-live`);
    await sleep(SETTLE_MS);
    const mine = (client: SseClient) => client.traps.map(markerOf).filter((m) => m?.startsWith(`${tag}-`));
    expect(mine(upV4)).toEqual([`${tag}-up-v4`, `${tag}-up-v4-live`]);
    expect(mine(v6)).toEqual([`${tag}-up-v6`, `${tag}-up-v6-live`]);
    expect(mine(allTraps)).toHaveLength(6);
  });
});

describe('connections', () => {
  it('a client that disconnects is unsubscribed (bus and metrics gauge)', async () => {
    const gauge = async () => {
      const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
      return Number(/^netprobe_trap_subscribers (\d+)/m.exec(text)?.[1]);
    };
    // clients of earlier tests were closed in afterEach; the server notices asynchronously
    await waitForCounter(() => (stack.deps.traps.bus.subscriberCount === 0 ? 1 : 0), 1);
    const baseline = 0;
    const client = await subscribe();
    expect(stack.deps.traps.bus.subscriberCount).toBe(baseline + 1);
    expect(await gauge()).toBe(baseline + 1);
    client.close();
    await waitForCounter(() => (stack.deps.traps.bus.subscriberCount === baseline ? 1 : 0), 1);
    expect(await gauge()).toBe(baseline);
  });
});

async function waitForCounter(read: () => number, atLeast: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (read() < atLeast) {
    if (Date.now() > deadline) throw new Error(`counter stayed at ${read()}, expected at least ${atLeast}`);
    await sleep(20);
  }
}
