/**
 * Runs inside a lab network namespace (started by DhcpLab.runService via `ip netns exec`): starts the
 * netprobe service on 127.0.0.1 of that namespace, sends it one POST /dhcp/discover over HTTP, prints
 * `{ status, body, elapsedMs }` as one JSON line, and exits.
 *
 * Safety first: before anything is opened it checks that this process is in the namespace it was
 * given (a lab namespace `np-…`), that this is not the namespace of the test runner, and that the only
 * interfaces are the expected ones (lo and the lab veth). Otherwise it exits without sending.
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.ts';
import { defaultConfig } from '../../src/config.ts';
import { createDhcpClient } from '../../src/dhcp/client.ts';
import { buildDeps } from '../../src/deps.ts';
import { dhcpMetrics } from '../../src/dhcp/metrics.ts';
import { testFoundations } from './deps.ts';

interface Job {
  namespace: string;
  expectedInterfaces: string[];
  parentNetns: string;
  body: unknown;
  config?: Record<string, unknown>;
  /** Hold this UDP port first, without SO_REUSEADDR, like a running DHCP client (68) or server/relay (67) would. */
  occupy?: { address: string; port: number };
  /** Also return every raw datagram the probe socket received (for fixtures). */
  capture?: boolean;
  /** Send this many identical requests at once (default 1); all answers are returned in `all`. */
  parallel?: number;
}

function refuse(reason: string): never {
  process.stderr.write(`dhcp-ns-child: refusing to run: ${reason}\n`);
  process.exit(3);
}

function assertInsideLabNamespace(job: Job): void {
  if (!/^np-\d+-[0-9a-f]+-/.test(job.namespace)) refuse(`${job.namespace} is not a lab namespace name`);
  const current = execFileSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' }).trim().split(/\s+/);
  if (!current.includes(job.namespace)) refuse(`this process is in namespace "${current.join(' ')}", not ${job.namespace}`);
  if (readlinkSync('/proc/self/ns/net') === job.parentNetns) refuse('this process shares the test runner\'s network namespace');
  const interfaces = readdirSync('/sys/class/net').sort();
  const expected = [...job.expectedInterfaces].sort();
  if (interfaces.join(',') !== expected.join(',')) refuse(`interfaces are [${interfaces}] but [${expected}] were expected`);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  assertInsideLabNamespace(job);

  if (job.occupy) {
    const { address, port } = job.occupy;
    const holder = createSocket({ type: 'udp4' });
    await new Promise<void>((resolve) => holder.bind({ port, address, exclusive: true }, resolve));
  }

  const config = defaultConfig({ log: { level: 'silent' }, ...(job.config ?? {}) });
  const foundations = testFoundations(config);
  const deps = buildDeps(config, foundations);
  const rawPackets: { from: string; hex: string }[] = [];
  if (job.capture) {
    const onRawPacket = (packet: Buffer, from: RemoteInfo) => rawPackets.push({ from: from.address, hex: packet.toString('hex') });
    deps.dhcp = createDhcpClient(config.dhcp, { resolver: foundations.resolver, metrics: dhcpMetrics(foundations.metrics), onRawPacket });
  }
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  const started = performance.now();
  const all = await Promise.all(
    Array.from({ length: job.parallel ?? 1 }, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/dhcp/discover`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job.body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    }),
  );
  const elapsedMs = performance.now() - started;
  server.close();
  const result = { ...all[0], elapsedMs, ...(all.length > 1 ? { all } : {}), ...(job.capture ? { rawPackets } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`dhcp-ns-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
