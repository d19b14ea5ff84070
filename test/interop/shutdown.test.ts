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
});
