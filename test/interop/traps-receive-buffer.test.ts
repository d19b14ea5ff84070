import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';

const RMEM_MAX = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
/** Well beyond the kernel's cap for unprivileged sockets, so that only SO_RCVBUFFORCE can grant it. */
const ASKED = Math.max(32 * 1024 * 1024, RMEM_MAX * 2);
const WITHOUT_NET_ADMIN = ['setpriv', '--bounding-set=-net_admin', '--inh-caps=-net_admin', '--'];

function listeningLine(service: RunningService): { receiveBufferBytes: number } {
  const line = service.logs.find((l) => l.includes('"msg":"trap receiver listening"'));
  if (!line) throw new Error(`no "trap receiver listening" line:\n${service.logs.join('\n')}`);
  return JSON.parse(line) as { receiveBufferBytes: number };
}

async function until<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the trap socket\'s receive buffer (TRAP_RECEIVE_BUFFER_BYTES)', () => {
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it.runIf(process.getuid?.() === 0)('goes beyond net.core.rmem_max with CAP_NET_ADMIN (SO_RCVBUFFORCE), as asked', async () => {
    service = await startService({ TRAP_RECEIVE_BUFFER_BYTES: String(ASKED) });
    const line = await until(() => (service!.logs.some((l) => l.includes('trap receiver listening')) ? listeningLine(service!) : undefined));
    // The kernel reports twice the size set (its bookkeeping).
    expect(line.receiveBufferBytes).toBe(ASKED * 2);
    expect(service.logs.join('\n')).not.toContain('smaller than TRAP_RECEIVE_BUFFER_BYTES');
  });

  it.runIf(process.getuid?.() === 0)('without CAP_NET_ADMIN, stays at the cap and says so', async () => {
    service = await startService({ TRAP_RECEIVE_BUFFER_BYTES: String(ASKED), LOG_LEVEL: 'info' }, 15_000, WITHOUT_NET_ADMIN);
    const line = await until(() => (service!.logs.some((l) => l.includes('trap receiver listening')) ? listeningLine(service!) : undefined));
    expect(line.receiveBufferBytes).toBe(RMEM_MAX * 2);
    const warning = service.logs.find((l) => l.includes('smaller than TRAP_RECEIVE_BUFFER_BYTES'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', askedBytes: ASKED, grantedBytes: RMEM_MAX * 2, error: 'EPERM' });
  });
});
