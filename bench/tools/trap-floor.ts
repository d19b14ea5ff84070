/**
 * What a trap costs before netprobe delivers it: `npx node bench/tools/trap-floor.ts [rounds]`. Drains 60 000
 * v2c traps sent at once (as the traps scenario's sustained row does) into two bare receivers on the service's
 * runtime, each a plain `node:dgram` socket with the service's 32 MiB receive buffer:
 * - `count`: counts the datagrams, nothing else (what Node's UDP receive costs);
 * - `decode`: also decodes each with the service's decoder, builds its event and serializes it
 *   (decodeTrap, notificationToEvent with the MIB names, JSON.stringify), then drops it.
 * Reports each one's drain rate and CPU per datagram, to set beside trap-drain.ts (the whole service with
 * subscribers). The rate is timed from the start of the sender's process, as in the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { runNodeHelper } from '../lib/children.ts';
import { processCpuSeconds, udpReceiveBufferErrors } from '../lib/proc.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { encodeTrapV2c } from '../lib/trap-datagram.ts';

const RECEIVER = '--receiver';
const COUNT = 60_000;
/** As fast as the sender goes: the receiver alone sets the pace. */
const SEND_RATE = 200_000;

interface Progress {
  received: number;
  /** When the last datagram arrived (ms since the epoch). */
  lastAt: number;
}

if (process.argv[2] === RECEIVER) await receive(process.argv[3] === 'decode');
else await drive(Number(process.argv[2] ?? 3));

async function receive(decode: boolean): Promise<void> {
  const { sizeReceiveBuffer } = await import('../../src/net/receive-buffer.ts');
  const toJson = decode ? await eventSerializer() : undefined;
  const socket = dgram.createSocket('udp4');
  const progress: Progress = { received: 0, lastAt: 0 };
  socket.on('message', (datagram, rinfo) => {
    progress.received++;
    progress.lastAt = performance.timeOrigin + performance.now();
    toJson?.(datagram, rinfo);
  });
  socket.bind(0, '127.0.0.1', () => {
    sizeReceiveBuffer(socket, 32 * 1024 * 1024);
    process.send!({ port: socket.address().port });
  });
  process.on('message', () => process.send!(progress));
  process.on('disconnect', () => socket.close());
}

/** The service's path from datagram to event JSON, without the bus or any delivery. */
async function eventSerializer(): Promise<(datagram: Buffer, rinfo: dgram.RemoteInfo) => string | undefined> {
  const { MibResolver } = await import('../../src/snmp/mib.ts');
  const { decodeTrap } = await import('../../src/snmp/response-decode.ts');
  const { notificationToEvent, trapNotification } = await import('../../src/snmp/trap-decode.ts');
  const { TrapOidNames } = await import('../../src/snmp/trap-names.ts');
  const names = new TrapOidNames(MibResolver.create({ mibDirs: [], maxUploadedModules: 1 }));
  return (datagram, rinfo) => {
    const decoded = notificationToEvent(trapNotification(decodeTrap(datagram)), {
      mib: names,
      source: { address: rinfo.address, port: rinfo.port },
      receivedAt: new Date(),
      includeCommunity: false,
    });
    return decoded.ok ? JSON.stringify(decoded.event) : undefined;
  };
}

async function drive(rounds: number): Promise<void> {
  const registry = new ProcessRegistry();
  const uninstall = installCleanup(registry);
  const datagram = (await encodeTrapV2c()).toString('hex');
  try {
    for (const mode of ['count', 'decode']) {
      for (let round = 0; round < rounds; round++) {
        const receiver = fork(new URL(import.meta.url).pathname, [RECEIVER, mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        try {
          const { port } = await reply<{ port: number }>(receiver);
          await runNodeHelper(registry, 'bench/peers/trap-blaster.ts', ['127.0.0.1', String(port), datagram, '2000', '2000']); // warm-up
          const before = await settled(receiver);
          const cpuBefore = processCpuSeconds(receiver.pid!);
          const dropsBefore = udpReceiveBufferErrors();
          const startedAt = performance.timeOrigin + performance.now();
          await runNodeHelper(registry, 'bench/peers/trap-blaster.ts', ['127.0.0.1', String(port), datagram, String(SEND_RATE), String(COUNT)]);
          const after = await settled(receiver);
          const received = after.received - before.received;
          const seconds = (after.lastAt - startedAt) / 1000;
          const cpu = processCpuSeconds(receiver.pid!) - cpuBefore;
          console.log(
            `${mode.padEnd(6)} ${received} of ${COUNT} in ${seconds.toFixed(2)} s = ${Math.round(received / seconds)}/s; kernel drops ${udpReceiveBufferErrors() - dropsBefore}; CPU ${((cpu / received) * 1e6).toFixed(1)} µs per datagram`,
          );
        } finally {
          receiver.kill();
        }
      }
    }
  } finally {
    await registry.stopAll();
    uninstall();
  }
}

function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as T)));
}

/** The receiver's progress once nothing more has arrived for 300 ms. */
async function settled(receiver: ChildProcess): Promise<Progress> {
  const ask = () => {
    const answer = reply<Progress>(receiver);
    receiver.send('progress');
    return answer;
  };
  let progress = await ask();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await ask();
    if (next.received === progress.received) return next;
    progress = next;
  }
}
