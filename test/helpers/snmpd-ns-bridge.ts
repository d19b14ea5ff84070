/**
 * Runs inside a lab network namespace (started by startIsolatedSnmpd via `ip netns exec`): the inner half of
 * a UDP bridge to the snmpd of that namespace. The outer half (in the test process) owns a UDP port on
 * 127.0.0.1; datagrams travel between the two over a Unix socket (a file, not a network: no interface is
 * created anywhere). Frames are `u16 client id, u16 length, payload`; each client id gets its own UDP socket
 * here, so the agent sees one source port per client, as it would directly.
 *
 * It also holds two TCP connections to the agent's TCP transport, so the namespace's tcpConnTable has
 * established rows beside the listener, and says so with an empty frame of id 0xffff.
 *
 * argv: <unix socket path> <agent port on 127.0.0.1 of this namespace>
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';

const [socketPath, portText] = process.argv.slice(2);
const agentPort = Number(portText);
const link = connect(socketPath);
const clients = new Map<number, Socket>();

function client(id: number): Socket {
  let socket = clients.get(id);
  if (!socket) {
    socket = createSocket('udp4');
    socket.on('message', (answer) => {
      const header = Buffer.alloc(4);
      header.writeUInt16BE(id, 0);
      header.writeUInt16BE(answer.length, 2);
      link.write(Buffer.concat([header, answer]));
    });
    socket.on('error', () => undefined);
    clients.set(id, socket);
  }
  return socket;
}

let pending = Buffer.alloc(0);
link.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt16BE(2)) {
    const id = pending.readUInt16BE(0);
    const payload = pending.subarray(4, 4 + pending.readUInt16BE(2));
    pending = pending.subarray(4 + payload.length);
    client(id).send(payload, agentPort, '127.0.0.1');
  }
});
link.on('close', () => process.exit(0));
link.on('error', () => process.exit(1));

let held = 0;

/** The agent may still be starting: try again until its TCP transport takes the connection. */
function hold(attempt = 0): void {
  const socket = connect(agentPort, '127.0.0.1', () => {
    // An empty frame with id 0xffff (no client has it): both connections are up.
    if (++held === 2) link.write(Buffer.from([0xff, 0xff, 0, 0]));
  });
  socket.on('error', () => {
    if (attempt < 300) setTimeout(() => hold(attempt + 1), 100);
  });
}
hold();
hold();
