import { startService, type RunningService } from './service.ts';
import { trapPortOf } from './traps-flood.ts';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { markerOf, OIDS, runSnmpTool, type SseClient } from './traps-peers.ts';

/** One service process of a scaled-out deployment: its HTTP base URL and its trap port. */
export interface Replica {
  name: string;
  service: RunningService;
  baseUrl: string;
  trapPort: number;
}

/**
 * Starts the real service (src/main.ts) with TRAP_BUS=redis on its own ephemeral HTTP and trap ports,
 * and waits until its bus is connected (unless `waitForBus` is false: Redis may be down on purpose).
 */
export async function startReplica(name: string, redisUrl: string, env: Record<string, string> = {}, waitForBus = true): Promise<Replica> {
  const service = await startService({ TRAP_BUS: 'redis', REDIS_URL: redisUrl, TRAP_HOST: '127.0.0.1', ...env }, 45_000);
  try {
    const replica = { name, service, baseUrl: service.baseUrl, trapPort: await trapPortOf(service) };
    if (waitForBus) await eventually(`${name}: the trap bus up`, () => readiness(replica), (r) => r.body.trapBus.state === 'up');
    return replica;
  } catch (err) {
    await service.stop('SIGKILL');
    throw err;
  }
}

/** snmptrap -v2c to a replica, with a marker varbind; fails the test when snmptrap does. */
export async function snmptrapTo(replica: Replica, marker: string, trapOid = OIDS.linkDown): Promise<void> {
  const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${replica.trapPort}`, '', trapOid, OIDS.marker, 's', marker]);
  if (sent.code !== 0) throw new Error(`snmptrap to ${replica.name} failed: ${sent.stderr}`);
}

export async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

export interface Readiness {
  ready: boolean;
  subsystems: Record<string, { state: string; detail?: string }>;
  trapBus: { engine: string; state: string; detail?: string; backlog: { events: number; bytes: number } };
}

export function readiness(replica: Replica): Promise<{ status: number; body: Readiness }> {
  return json<Readiness>(`${replica.baseUrl}/readyz`);
}

/** Polls until `check` holds, or throws after timeoutMs saying what it waited for. */
export async function eventually<T>(what: string, read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** The trap events a client got whose marker starts with `tag`. */
export function tagged(client: SseClient, tag: string): TrapEvent[] {
  return client.traps.filter((event) => markerOf(event)?.startsWith(tag));
}
