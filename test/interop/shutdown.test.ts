import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../helpers/service.ts';
import { startSnmpd, type Snmpd } from '../helpers/snmpd.ts';
import { SseClient } from '../helpers/traps-peers.ts';

let agent: Snmpd;

beforeAll(async () => {
  agent = await startSnmpd();
});
afterAll(async () => {
  await agent?.stop();
});

describe('graceful shutdown', () => {
  it('SIGTERM during an open SSE stream and an in-flight walk: the walk completes, the stream ends cleanly, exit 0', { timeout: 90_000 }, async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '60000' });
    try {
      const stream = await SseClient.connect(`${service.baseUrl}/snmp/traps`);
      const response = await fetch(`${service.baseUrl}/snmp/walk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ host: agent.host, port: agent.port, oid: '1.3.6.1.2.1', maxVarbinds: 100000, maxRepetitions: 5 }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = await reader.read(); // the walk is streaming: it is in flight now
      expect(first.done).toBe(false);
      const exitCode = service.stop('SIGTERM');

      let text = new TextDecoder().decode(first.value);
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      const lines = text.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.length).toBeGreaterThan(500);
      expect(lines.at(-1)).toMatchObject({ summary: { truncated: false } });
      await stream.done;
      expect(stream.comments).toContain('server shutting down');
      expect(await exitCode).toBe(0);
      // New connections are refused once shutdown began.
      await expect(fetch(`${service.baseUrl}/healthz`)).rejects.toThrow();
    } finally {
      await service.stop('SIGKILL');
    }
  });

  it('clients hammering across SIGTERM get a full response (200/400/503) or a refused connection, never a reset; exit 0', { timeout: 60_000 }, async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '10000' });
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });
    const outcomes = new Map<string, number>();
    const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    const giveUpAt = performance.now() + 15_000;
    // Each client sends requests back to back, waits as told by a 503's Retry-After, and stops when refused.
    const client = async (send: () => Promise<string>) => {
      for (let outcome = ''; outcome !== 'ECONNREFUSED' && performance.now() < giveUpAt; ) {
        outcome = await send();
        count(outcome);
        if (outcome === '503') await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    const newConnection = (i: number) => () => (i % 2 ? send(service.port, 'GET', '/healthz') : send(service.port, 'POST', '/snmp/get', '{"oids":[]}'));
    const clients = [
      ...Array.from({ length: 16 }, (_, i) => client(newConnection(i))),
      ...Array.from({ length: 8 }, () => client(() => send(service.port, 'GET', '/healthz', undefined, keepAlive))),
    ];
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exitCode = service.stop('SIGTERM');
      await Promise.all(clients);
      expect(await exitCode).toBe(0);
      const seen = Object.fromEntries(outcomes);
      expect(Object.keys(seen).sort()).toEqual(expect.arrayContaining(['200', 'ECONNREFUSED']));
      for (const outcome of Object.keys(seen)) expect(['200', '400', '503', 'ECONNREFUSED'], JSON.stringify(seen)).toContain(outcome);
    } finally {
      keepAlive.destroy();
      await service.stop('SIGKILL');
    }
  });
});

/** One request; resolves with the status code of a complete response, or the error code. */
function send(port: number, method: string, path: string, body?: string, agent: Agent | false = false): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end(body);
  });
}
