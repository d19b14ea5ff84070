import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { OIDS, SENDER_ENGINE_ID, TRAP_USER, runSnmpTool, v3Args } from './traps-peers.ts';

/**
 * Real notification datagrams to mutate: what snmptrap and snmpinform send (v1, v2c, inform, v3
 * noAuth and authPriv, and the v3 engine-discovery request snmpinform starts with), captured on a
 * loopback socket.
 */
export async function captureSeeds(): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const seeds: Buffer[] = [];
  socket.on('message', (message) => seeds.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const to = `127.0.0.1:${socket.address().port}`;
  try {
    await Promise.all([
      runSnmpTool('snmptrap', ['-v1', '-c', 'public', to, '1.3.6.1.4.1.8072', '192.0.2.1', '6', '1', '', OIDS.marker, 's', 'seed']),
      runSnmpTool('snmptrap', ['-v2c', '-c', 'public', to, '', OIDS.linkDown, `${OIDS.ifIndex}.1`, 'i', '1', OIDS.marker, 's', 'seed']),
      runSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '1', '-r', '0', to, '', OIDS.linkUp, `${OIDS.ifIndex}.1`, 'i', '1']),
      runSnmpTool('snmptrap', ['-v3', '-u', 'nobody', '-l', 'noAuthNoPriv', '-e', SENDER_ENGINE_ID, to, '', OIDS.linkDown]),
      runSnmpTool('snmptrap', [...v3Args(TRAP_USER), '-e', SENDER_ENGINE_ID, to, '', OIDS.linkDown, OIDS.marker, 's', 'seed']),
      runSnmpTool('snmpinform', [...v3Args(TRAP_USER), '-t', '1', '-r', '0', to, '', OIDS.linkUp]),
    ]);
  } finally {
    socket.close();
  }
  if (seeds.length < 5) throw new Error(`captured only ${seeds.length} seed datagrams`);
  return seeds;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` datagrams: a quarter random bytes, the rest real datagrams with flipped bytes, truncation,
 * inserted or deleted bytes, BER length bytes set to extremes, or garbage appended.
 */
export function fuzzDatagrams(seeds: Buffer[], count: number, seed: number): Buffer[] {
  const random = prng(seed);
  const int = (max: number) => Math.floor(random() * max);
  const randomBytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const base = Buffer.from(seeds[int(seeds.length)]);
    switch (i % 8) {
      case 0:
      case 1:
        out.push(randomBytes(int(1500)));
        break;
      case 2:
      case 3: {
        for (let flips = 1 + int(8); flips > 0; flips--) base[int(base.length)] = int(256);
        out.push(base);
        break;
      }
      case 4:
        out.push(base.subarray(0, int(base.length)));
        break;
      case 5: {
        const at = int(base.length);
        out.push(random() < 0.5 ? Buffer.concat([base.subarray(0, at), randomBytes(1 + int(4)), base.subarray(at)]) : Buffer.concat([base.subarray(0, at), base.subarray(at + 1 + int(4))]));
        break;
      }
      case 6: {
        // a length-looking byte (right after a tag) set to an extreme: 0x00, 0x7f, 0x80 (indefinite), 0x84 0xff…
        const at = 1 + int(base.length - 1);
        base[at] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff][int(6)];
        out.push(base);
        break;
      }
      default:
        out.push(Buffer.concat([base, randomBytes(1 + int(64))]));
    }
  }
  return out;
}

/** Sends datagrams paced in small batches, so that the kernel's receive buffer does not drop them. */
export async function sendPaced(datagrams: Buffer[], port: number, host = '127.0.0.1', batch = 100, pauseMs = 5): Promise<void> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', () => {}); // inform acknowledgements and reports for the valid ones
  socket.on('error', () => {});
  try {
    for (let i = 0; i < datagrams.length; i += batch) {
      await Promise.all(
        datagrams.slice(i, i + batch).map((d) => new Promise<void>((resolve) => socket.send(d, port, host, () => resolve()))),
      );
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    socket.close();
  }
}

/**
 * Datagrams the kernel dropped for the UDP socket bound to `port` (its receive buffer was full), from
 * /proc/net/udp and udp6 (Linux). Lets a test account for every datagram it sent.
 */
export function kernelDrops(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns[1]?.endsWith(hexPort)) drops += Number(columns.at(-1));
    }
  }
  return drops;
}
