// Sends one pre-encoded trap datagram `count` times at `rate` per second, from its own process,
// paced in 1 ms ticks. Prints one JSON line: { sent, elapsedMs }.
// Usage: node --import tsx bench/peers/trap-blaster.ts <host> <port> <hexDatagram> <rate> <count>
import { createSocket } from 'node:dgram';

const [host, portArg, hex, rateArg, countArg] = process.argv.slice(2);
const port = Number(portArg);
const datagram = Buffer.from(hex, 'hex');
const rate = Number(rateArg);
const count = Number(countArg);

// Not connected: an ICMP port-unreachable must not turn into an error on later sends.
const socket = createSocket('udp4');
socket.on('error', (err) => process.stderr.write(`send error: ${err.message}\n`));
socket.bind(0, () => {
  let sent = 0;
  let acknowledged = 0;
  const started = performance.now();
  const finish = () => {
    const elapsedMs = performance.now() - started;
    socket.close();
    process.stdout.write(`${JSON.stringify({ sent, elapsedMs })}\n`);
  };
  const onSent = () => {
    acknowledged++;
    if (acknowledged === count) finish();
  };
  const tick = () => {
    const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (sent < due) {
      socket.send(datagram, port, host, onSent);
      sent++;
    }
    if (sent < count) setTimeout(tick, 1);
  };
  tick();
});
