// The ceiling for scenario snmp-get: the same GETs made directly with net-snmp in one process,
// `concurrency` requests always in flight on one session, for `durationMs`. Prints one JSON line.
// Usage: node --import tsx bench/peers/direct-get.ts <host> <port> <oid> <concurrency> <durationMs>
import snmp from 'net-snmp';

const [host, port, oid, concurrencyArg, durationArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg);

const session = snmp.createSession(host, 'public', { port: Number(port), version: snmp.Version2c, timeout: 2000, retries: 1, idBitsSize: 32 });
session.on('error', (err: Error) => process.stderr.write(`session error: ${err.message}\n`));

const latencies: number[] = [];
let failures = 0;
const started = performance.now();
const deadline = started + durationMs;

function getOnce(): Promise<void> {
  const sent = performance.now();
  return new Promise((resolve) => {
    session.get([oid], (err: Error | null) => {
      if (err) failures++;
      else latencies.push(performance.now() - sent);
      resolve();
    });
  });
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) await getOnce();
}

await Promise.all(Array.from({ length: concurrency }, worker));
const elapsedMs = performance.now() - started;
session.close();
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? Number.NaN;
process.stdout.write(`${JSON.stringify({ requests: latencies.length, failures, elapsedMs, p50Ms: at(50), p99Ms: at(99) })}\n`);
