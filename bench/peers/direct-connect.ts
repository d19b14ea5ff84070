// The ceiling for scenario probe-batch: the same TCP connects made with node:net directly, `concurrency`
// in flight, in one process, no HTTP and no result records. Prints one JSON line: { ms, open }.
// Usage: node --import tsx bench/peers/direct-connect.ts <concurrency> <port,port,...> <targets> <rounds>
import { connect } from 'node:net';

const [concurrencyArg, portList, targetsArg, roundsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const ports = portList.split(',').map(Number);
const targets = Number(targetsArg);
const rounds = Number(roundsArg);

function connectOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function batch(): Promise<{ ms: number; open: number }> {
  const started = performance.now();
  let next = 0;
  let open = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < targets) {
        const index = next++;
        if (await connectOnce(ports[index % ports.length])) open++;
      }
    }),
  );
  return { ms: performance.now() - started, open };
}

// Warm-up rounds first, as the service gets; the last round is the one reported.
let last = { ms: 0, open: 0 };
for (let i = 0; i < rounds; i++) last = await batch();
process.stdout.write(`${JSON.stringify(last)}\n`);
