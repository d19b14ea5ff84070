import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { testDeps } from '../helpers/app.ts';
import { orderedTree, startFakeAgent, type FakeAgent } from '../helpers/snmp-fake-agent.ts';

/**
 * Issue #11 finding 11: JSON walks buffer their whole answer, so concurrent large ones exhausted memory.
 * A scripted agent on 127.0.0.1 whose answers wait behind a gate keeps walks in flight as long as needed.
 */

const ROOT = '1.3.6.1.4.1.99999';
const BUFFER = 1000;
const TREE = orderedTree(ROOT, BUFFER);
let agent: FakeAgent;
let app: App;
let openGate: () => void;

beforeAll(async () => {
  agent = await startFakeAgent(TREE);
  app = createApp(testDeps({ snmp: { walkBufferVarbinds: BUFFER, maxWalks: 3 } }));
});
afterAll(async () => {
  openGate?.();
  await agent?.stop();
});
beforeEach(() => {
  openGate?.();
  agent.requests.length = 0;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  agent.setHandler(async (request) => {
    await gate;
    return TREE(request);
  });
});

function walk(maxVarbinds: number, init: { ndjson?: boolean; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Response> {
  const body = { host: '127.0.0.1', port: agent.port, oid: ROOT, maxVarbinds, maxRepetitions: 50, timeoutMs: init.timeoutMs ?? 3000, retries: 0 };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.ndjson) headers.accept = 'application/x-ndjson';
  return Promise.resolve(app.request(new Request('http://localhost/snmp/walk', { method: 'POST', headers, body: JSON.stringify(body), signal: init.signal })));
}

async function agentHasSeen(requests: number): Promise<void> {
  for (let waited = 0; agent.requests.length < requests; waited += 5) {
    if (waited > 3000) throw new Error(`the agent saw ${agent.requests.length} requests, expected ${requests}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function expectUnavailable(response: Response, detail: RegExp): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('2');
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { type: string; detail: string };
  expect(problem.type).toBe('/problems/snmp-unavailable');
  expect(problem.detail).toMatch(detail);
}

describe('the walk budget', () => {
  it('a second large JSON walk gets 503 + Retry-After while an NDJSON walk still runs; the budget is back afterwards', async () => {
    const first = walk(800);
    await agentHasSeen(1);

    await expectUnavailable(await walk(800), /does not fit in the walk buffer now \(200 of 1000 free\).*NDJSON/);
    expect(agent.requests).toHaveLength(1); // refused before anything was sent

    const streamed = walk(800, { ndjson: true });
    await agentHasSeen(2); // admitted: its first GETBULK is out
    openGate();

    const json = (await (await first).json()) as { varbinds: unknown[]; truncated: boolean };
    expect(json.varbinds).toHaveLength(800);
    const lines = (await (await streamed).text()).trimEnd().split('\n');
    expect(lines).toHaveLength(801);
    expect(JSON.parse(lines[800])).toMatchObject({ summary: { truncated: true } });

    expect((await walk(BUFFER)).status).toBe(200); // the whole buffer is free again
  });

  it('at most SNMP_MAX_WALKS walks of any kind run at once', async () => {
    const running = [walk(10, { ndjson: true }), walk(10, { ndjson: true }), walk(10)];
    await agentHasSeen(3);
    await expectUnavailable(await walk(10, { ndjson: true }), /3 walks are in progress/);
    openGate();
    expect((await Promise.all(running)).map((response) => response.status)).toEqual([200, 200, 200]);
    expect((await walk(10)).status).toBe(200);
  });

  it('the budget is released after an error', async () => {
    agent.setHandler(() => null); // never answers
    const failed = await walk(BUFFER, { timeoutMs: 200 });
    expect(failed.status).toBe(504);
    agent.setHandler(TREE);
    expect((await walk(BUFFER)).status).toBe(200);
  });

  it('the budget is released after the client goes away', async () => {
    const client = new AbortController();
    const abandoned = walk(BUFFER, { signal: client.signal });
    await agentHasSeen(1);
    client.abort();
    await abandoned.catch(() => undefined);
    openGate();
    expect((await walk(BUFFER)).status).toBe(200);
  });

  it('a JSON walk larger than the whole buffer is a 400 that points to NDJSON', async () => {
    const response = await walk(BUFFER + 1);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/larger than this server's walk buffer.*NDJSON/);
  });
});
