import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface UdpRelay {
  /** The relay's port on 127.0.0.1: send here instead of to the agent. */
  port: number;
  /** Requests forwarded whose answer has not come back yet. */
  outstanding: number;
  /** The most requests that were outstanding at once since the last reset. */
  maxOutstanding: number;
  /** Requests forwarded since the last reset. */
  requests: number;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A UDP relay on 127.0.0.1 in front of an agent on loopback: each client gets its own upstream socket, so the
 * answers find their way back. It counts the requests in flight at the agent (datagrams forwarded minus
 * answers), and can hold every datagram `delayMs` each way, a link slower than loopback.
 */
export async function startUdpRelay(agent: { host: string; port: number }, { delayMs = 0 } = {}): Promise<UdpRelay> {
  const front = createSocket('udp4');
  const upstreams = new Map<string, Socket>();
  const later = (send: () => void) => (delayMs > 0 ? setTimeout(send, delayMs) : send());
  const relay: UdpRelay = {
    port: 0,
    outstanding: 0,
    maxOutstanding: 0,
    requests: 0,
    reset() {
      relay.maxOutstanding = relay.outstanding;
      relay.requests = 0;
    },
    async stop() {
      for (const socket of upstreams.values()) socket.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
  const upstreamFor = (client: RemoteInfo): Socket => {
    const key = `${client.address}:${client.port}`;
    let upstream = upstreams.get(key);
    if (!upstream) {
      const socket = createSocket('udp4');
      socket.on('message', (answer) => {
        relay.outstanding = Math.max(0, relay.outstanding - 1);
        later(() => front.send(answer, client.port, client.address));
      });
      socket.on('error', () => undefined);
      upstreams.set(key, (upstream = socket));
    }
    return upstream;
  };
  front.on('message', (request, client) => {
    const upstream = upstreamFor(client);
    later(() => {
      relay.requests++;
      relay.outstanding++;
      relay.maxOutstanding = Math.max(relay.maxOutstanding, relay.outstanding);
      upstream.send(request, agent.port, agent.host);
    });
  });
  front.on('error', () => undefined);
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  relay.port = front.address().port;
  return relay;
}
