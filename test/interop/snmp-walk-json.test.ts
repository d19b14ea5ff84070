import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { testDeps } from '../helpers/app.ts';
import { closedPort } from '../helpers/probe-peers.ts';
import { COMMUNITY_RO, startSnmpd, type Snmpd } from '../helpers/snmpd.ts';

/**
 * A one-agent JSON walk is serialized reply by reply (walkAsJson in snmp.handlers.ts), not by c.json() at the
 * end: against a real snmpd, its body is still exactly what JSON.stringify makes of the answer, and holds the
 * varbinds the NDJSON walk streams (the same OIDs, names and types), whatever ends the walk.
 */

let agent: Snmpd;
let app: App;

beforeAll(async () => {
  agent = await startSnmpd();
  app = createApp(testDeps());
});

afterAll(async () => {
  await agent?.stop();
});

async function walk(body: Record<string, unknown>, accept = 'application/json') {
  const res = await app.request(
    new Request('http://localhost/snmp/walk', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ host: agent.host, port: agent.port, community: COMMUNITY_RO, ...body }),
    }),
  );
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function ndjsonWalk(body: Record<string, unknown>) {
  const { text } = await walk(body, 'application/x-ndjson');
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const summary = lines.pop()!.summary as Record<string, unknown>;
  return { varbinds: lines, summary };
}

const withoutElapsed = ({ elapsedMs: _elapsed, ...rest }: Record<string, unknown>) => rest;

describe('POST /snmp/walk as one JSON document, serialized as the replies come', () => {
  it.each([
    // Not the whole tree: its TCP and process tables move with whatever else runs on the machine.
    ['SNMP framework MIBs (engine, USM users, VACM), many replies', { oid: '1.3.6.1.6.3', maxRepetitions: 10, maxVarbinds: 100_000 }],
    ['a walk cut at maxVarbinds', { oid: '1.3.6.1.2.1', maxRepetitions: 7, maxVarbinds: 30 }],
    ['a subtree that is an instance (sysName.0)', { oid: 'SNMPv2-MIB::sysName.0' }],
    ['an empty subtree', { oid: '1.3.6.1.2.1.1.9.1.999' }],
  ])('%s: the bytes of JSON.stringify, the varbinds of the NDJSON walk', async (_what, request) => {
    const { status, type, text } = await walk(request);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(text).toBe(JSON.stringify(body));
    expect(Object.keys(body).slice(0, 2)).toEqual(['varbinds', 'truncated']);
    // The agent's counters (its own SNMP statistics among them) move between two walks: names and types do not.
    const streamed = await ndjsonWalk(request);
    const shape = (varbinds: unknown) => (varbinds as Record<string, unknown>[]).map(({ oid, name, type }) => ({ oid, name, type }));
    expect(shape(body.varbinds)).toEqual(shape(streamed.varbinds));
    expect(withoutElapsed({ ...body, varbinds: [] })).toEqual(withoutElapsed({ varbinds: [], ...streamed.summary }));
    expect(typeof body.elapsedMs).toBe('number');
    if ('maxVarbinds' in request && request.maxVarbinds === 100_000) expect((body.varbinds as unknown[]).length).toBeGreaterThan(100);
  });

  it('a failure before any varbind is still problem+json with its status', async () => {
    const res = await app.request(
      new Request('http://localhost/snmp/walk', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ host: '127.0.0.1', port: await closedPort('udp'), community: COMMUNITY_RO, oid: '1.3.6.1', timeoutMs: 300, retries: 0 }),
      }),
    );
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.status).toBeGreaterThanOrEqual(500);
  });
});
