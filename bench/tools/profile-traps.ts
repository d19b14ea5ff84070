/**
 * Profiles trap ingest: `node --import tsx bench/tools/profile-traps.ts [rate] [seconds]`.
 * 10 SSE subscribers, v2c traps blasted at `rate` per second from a separate process; prints what
 * each subscriber got and the top functions by self time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeHelper } from '../lib/children.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { SseCounter } from '../lib/sse.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';
import { printProfile } from './profile-summary.ts';

const rate = Number(process.argv[2] ?? 20_000);
const seconds = Number(process.argv[3] ?? 2);
const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
const dir = mkdtempSync(join(tmpdir(), 'netprobe-prof-'));
try {
  const netprobe = await startNetprobe(registry, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const subscribers: SseCounter[] = [];
  for (let i = 0; i < 10; i++) {
    const subscriber = new SseCounter();
    await subscriber.connect(`${netprobe.baseUrl}/snmp/traps`);
    subscribers.push(subscriber);
  }
  const datagram = (await encodeTrapV2c()).toString('hex');
  const sent = await runNodeHelper<{ sent: number; elapsedMs: number }>(registry, 'bench/peers/trap-blaster.ts', [
    '127.0.0.1',
    String(netprobe.trapPort),
    datagram,
    String(rate),
    String(rate * seconds),
  ]);
  await new Promise((r) => setTimeout(r, 1000));
  console.log(JSON.stringify({ sent, received: subscribers.map((s) => s.trapEvents) }));
  for (const s of subscribers) s.close();
  netprobe.child.kill('SIGINT');
  await new Promise((r) => netprobe.child.once('exit', r));
} finally {
  await registry.stopAll();
  uninstall();
}
printProfile(dir);
