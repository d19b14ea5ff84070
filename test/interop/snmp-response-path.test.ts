import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentSocket } from '../../src/snmp/agent-socket.ts';
import type { SnmpTarget } from '../../src/snmp/schemas.ts';
import { SnmpSession } from '../../src/snmp/session.ts';
import { TYPE_TAGS, type WireVarbind } from '../../src/snmp/varbind.ts';
import { COMMUNITY_RO, startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';

/**
 * The request path's own Response decoder (response-decode.ts) against a real snmpd: replies are decoded by it,
 * not by net-snmp, and every operation gives what net-snmp's path gives for the same requests (results, and
 * errors from error-status). The library's path is had by making the socket skip the decoder. Its requests
 * are encoded by request-encode.ts (byte for byte the library's encoding: test/unit/snmp-request-encode.test.ts).
 */

let snmpd: Snmpd;
const sessions: SnmpSession[] = [];

beforeAll(async () => {
  snmpd = await startSnmpd([TEST_USERS.noAuth]);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) s.close();
});
afterAll(async () => {
  await snmpd?.stop();
});

function session(version: '1' | '2c' | '3', community = COMMUNITY_RO): SnmpSession {
  const target = { host: snmpd.host, port: snmpd.port, version, community, context: '', timeoutMs: 2000, retries: 0 } as SnmpTarget;
  if (version === '3') Object.assign(target, { user: { name: TEST_USERS.noAuth.name, level: 'noAuthNoPriv' } });
  const created = new SnmpSession({ target, address: snmpd.host, family: 4, backwardsGetNexts: true });
  sessions.push(created);
  return created;
}

const STABLE = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.4.0', '1.3.6.1.2.1.1.99.0', '1.3.6.1.2.1.1.9.1.2.1'];

/** A varbind with its value's kind instead of a value that moves between two reads (counters, uptime). */
const shape = (vb: WireVarbind) => ({ oid: vb.oid, type: vb.type, kind: Buffer.isBuffer(vb.value) ? 'buffer' : typeof vb.value });

async function outcome<T>(run: () => Promise<T>): Promise<T | { error: string; message: string }> {
  try {
    return await run();
  } catch (err) {
    return { error: (err as { code?: string }).code ?? 'thrown', message: (err as Error).message };
  }
}

/** The same operations on a fresh session; returns their outcomes and how many replies the decoder took. */
async function operations(version: '1' | '2c') {
  const s = session(version);
  const rw = session(version, 'private');
  const results = {
    get: await outcome(() => s.get(STABLE)),
    getNext: await outcome(async () => (await s.getNext(STABLE)).map((vb) => (vb.type === TYPE_TAGS.TimeTicks ? shape(vb) : vb))),
    bulk: version === '1' ? null : await outcome(async () => (await s.getBulk(['1.3.6.1.2.1.1.1', '1.3.6.1'], 1, 25)).flat().map(shape)),
    end: await outcome(() => s.getNext(['1.3.6.1.9.9.9.9.9.9'])),
    set: await outcome(() => rw.set([{ oid: '1.3.6.1.2.1.1.1.0', type: TYPE_TAGS.OctetString, value: Buffer.from('read-only') }])),
  };
  return { results, decoded: (s.socketStats?.decoded ?? 0) + (rw.socketStats?.decoded ?? 0), encoded: { reads: s.requestsEncoded, sets: rw.requestsEncoded } };
}

describe('the Response decoder on the request path', () => {
  it.each(['1', '2c'] as const)('v%s: decodes every reply itself, and every outcome is the library path\'s', async (version) => {
    const ours = await operations(version);
    vi.spyOn(AgentSocket.prototype as unknown as { deliverDecoded(b: Buffer): boolean }, 'deliverDecoded').mockReturnValue(false);
    const library = await operations(version);
    expect(library.decoded).toBe(0);
    expect(ours.decoded).toBe(version === '1' ? 4 : 5);
    expect(ours.results).toStrictEqual(library.results);
    // The outcomes cover values, exceptions and error-status.
    const { get, end, set } = ours.results;
    if (version === '1') expect(get).toMatchObject({ error: expect.any(String) });
    else expect((get as WireVarbind[]).map((vb) => vb.type)).toEqual([TYPE_TAGS.OctetString, TYPE_TAGS.ObjectIdentifier, TYPE_TAGS.OctetString, TYPE_TAGS.NoSuchObject, TYPE_TAGS.ObjectIdentifier]);
    expect(version === '1' ? end : (end as WireVarbind[])[0].type).toEqual(version === '1' ? expect.objectContaining({ error: expect.any(String) }) : TYPE_TAGS.EndOfMibView);
    expect(set).toMatchObject({ error: expect.any(String) });
  });

  it('leaves v3 to the library', async () => {
    const s = session('3');
    expect(await s.get(['1.3.6.1.2.1.1.1.0'])).toHaveLength(1);
    expect(s.socketStats?.decoded).toBe(0);
    expect(s.requestsEncoded).toBe(0);
  });
});

describe('the request encoder on the request path', () => {
  it.each(['1', '2c'] as const)('v%s: encodes every get, getnext and getbulk itself (request-encode.ts), sets stay with the library', async (version) => {
    const { results, encoded } = await operations(version);
    expect(encoded).toEqual({ reads: version === '1' ? 3 : 4, sets: 0 });
    // snmpd answered each of them (the first test holds the answers to the library's).
    expect(results.getNext).toHaveLength(STABLE.length);
    if (version === '2c') expect(results.get).toHaveLength(STABLE.length);
  });
});
