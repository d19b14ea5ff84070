import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';
import { captureSeeds, fuzzDatagrams, kernelDrops, sendPaced } from '../helpers/traps-fuzz.ts';
import { OIDS, SseClient, TRAP_USER, markerOf, runSnmpTool, sleep } from '../helpers/traps-peers.ts';

const FUZZ_COUNT = 10_000;
const FUZZ_SEED = Number(process.env.TRAP_FUZZ_SEED ?? 20261128);

/** The real service process (src/main.ts): trap port from its log, HTTP from the helper. */
async function startTrapService(env: Record<string, string> = {}): Promise<{ service: RunningService; trapPort: number }> {
  const service = await startService({ TRAP_HOST: '::', TRAP_USERS: JSON.stringify([TRAP_USER]), ...env });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = service.logs.find((l) => l.includes('"msg":"trap receiver listening"'));
    const port = line && /"port":(\d+)/.exec(line);
    if (port) return { service, trapPort: Number(port[1]) };
    if (Date.now() > deadline) {
      await service.stop('SIGKILL');
      throw new Error(`no trap receiver log line; stderr: ${service.stderr.join('')}`);
    }
    await sleep(20);
  }
}

describe('the service process under garbage', () => {
  let running: { service: RunningService; trapPort: number } | undefined;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    running = await startTrapService({ LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await running?.service.stop('SIGKILL');
  });

  it(`${FUZZ_COUNT} random and mutated datagrams: counted, the process keeps running, the next valid trap is delivered`, async () => {
    const { service, trapPort } = running!;
    const datagrams = fuzzDatagrams(await captureSeeds(), FUZZ_COUNT, FUZZ_SEED);

    // Every datagram is dropped (logged at debug with its reason), answered with a v3 Report by the
    // library, becomes an event, or is dropped by the kernel before the service reads it (possible on a
    // loaded host: the child also writes 10 000 debug lines to a pipe). Batches wait for the service to
    // catch up, so that nearly all of them reach the parser.
    const handled = () => service.logs.filter((l) => /"msg":"trap (dropped|datagram answered with a report)"/.test(l)).length;
    const received = async () => {
      const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
      return [...metrics.matchAll(/^netprobe_traps_received_total\{version="[^"]+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const accounted = async () => handled() + (await received()) + kernelDrops(trapPort);
    const settle = async (expected: number) => {
      const deadline = Date.now() + 10_000;
      while ((await accounted()) < expected && Date.now() < deadline) await sleep(50);
    };
    const BATCH = 500;
    for (let sent = 0; sent < FUZZ_COUNT; sent += BATCH) {
      await sendPaced(datagrams.slice(sent, sent + BATCH), trapPort);
      await settle(sent + BATCH);
    }
    expect(service.child.exitCode, `seed ${FUZZ_SEED}: ${service.stderr.join('')}`).toBeNull();
    expect(await accounted(), `seed ${FUZZ_SEED}`).toBe(FUZZ_COUNT);
    expect(kernelDrops(trapPort), 'most datagrams reach the parser').toBeLessThan(FUZZ_COUNT / 10);
    const reasons = new Set(service.logs.filter((l) => l.includes('"msg":"trap dropped"')).map((l) => /"reason":"(\w+)"/.exec(l)?.[1]));
    expect(reasons).toContain('malformed');

    const ready = (await (await fetch(`${service.baseUrl}/readyz`)).json()) as { subsystems: Record<string, { state: string }> };
    expect(ready.subsystems.traps.state).toBe('up');

    const client = await SseClient.connect(`${service.baseUrl}/snmp/traps`);
    clients.push(client);
    const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', 'after-fuzz']);
    expect(sent.code, sent.stderr).toBe(0);
    const event = await client.trap((e) => markerOf(e) === 'after-fuzz');
    expect(event).toMatchObject({ version: '2c', trapName: 'IF-MIB::linkDown' });
    expect(service.stderr.join('')).toBe('');
  });
});

describe('ids across restarts (memory mode)', () => {
  it('a client resuming with an id from the previous run gets event: gap, then the new run\'s events; no id repeats', async () => {
    const first = await startTrapService();
    let oldIds: string[];
    try {
      const client = await SseClient.connect(`${first.service.baseUrl}/snmp/traps`);
      for (const n of [1, 2, 3]) await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${first.trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', `run1-${n}`]);
      await client.until(() => client.traps.length === 3, 10_000, 'three traps');
      oldIds = client.traps.map((e) => e.id);
      client.close();
    } finally {
      await first.service.stop('SIGKILL');
    }
    const second = await startTrapService();
    try {
      for (const n of [1, 2]) await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${second.trapPort}`, '', OIDS.linkDown, OIDS.marker, 's', `run2-${n}`]);
      const resumed = await SseClient.connect(`${second.service.baseUrl}/snmp/traps`, { 'last-event-id': oldIds[2] });
      await resumed.until(() => resumed.traps.length === 2, 10_000, 'the two traps of the new run');
      expect(resumed.messages[0]).toEqual({ event: 'gap', data: '{"missed":null}', id: undefined });
      expect(resumed.traps.map(markerOf)).toEqual(['run2-1', 'run2-2']);
      for (const id of resumed.traps.map((e) => e.id)) expect(oldIds).not.toContain(id);
      resumed.close();
    } finally {
      await second.service.stop('SIGKILL');
    }
  }, 90_000);
});

describe('shutdown', () => {
  it('SIGTERM ends open SSE streams with a final comment and the process exits 0', async () => {
    const { service, trapPort } = await startTrapService();
    try {
      const client = await SseClient.connect(`${service.baseUrl}/snmp/traps`);
      await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${trapPort}`, '', OIDS.linkDown]);
      await client.trap((e) => e.trapOid === OIDS.linkDown);
      const exitCode = await service.stop('SIGTERM');
      await client.done;
      expect(client.comments).toContain('server shutting down');
      expect(exitCode).toBe(0);
    } finally {
      await service.stop('SIGKILL');
    }
  });

  it('TRAP_ENABLED=false: no trap listener, readiness "disabled", the stream answers 503', async () => {
    const service = await startService({ TRAP_ENABLED: 'false' });
    try {
      const ready = (await (await fetch(`${service.baseUrl}/readyz`)).json()) as { ready: boolean; subsystems: Record<string, { state: string }> };
      expect(ready.subsystems.traps.state).toBe('disabled');
      const response = await fetch(`${service.baseUrl}/snmp/traps`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ type: '/problems/traps-unavailable' });
    } finally {
      await service.stop('SIGKILL');
    }
  });
});
