import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface UdpRelay {
  port: number;
  /** Datagrams clients sent through the relay (SNMP requests: round trips). */
  requests: number;
  reset(): void;
  close(): void;
}

/**
 * A UDP relay on 127.0.0.1 in front of an agent on 127.0.0.1: every client datagram goes to the agent from a
 * socket of its own per client, every answer back. It counts requests, so a test can compare round trips.
 */
export async function startUdpRelay(agentPort: number): Promise<UdpRelay> {
  const front = createSocket('udp4');
  const backs = new Map<string, Socket>();
  const relay: UdpRelay = {
    port: 0,
    requests: 0,
    reset() {
      relay.requests = 0;
    },
    close() {
      front.close();
      for (const back of backs.values()) back.close();
      backs.clear();
    },
  };
  front.on('message', (message: Buffer, client: RemoteInfo) => {
    relay.requests++;
    const key = `${client.address}:${client.port}`;
    let back = backs.get(key);
    if (!back) {
      back = createSocket('udp4');
      back.on('message', (answer) => front.send(answer, client.port, client.address));
      back.on('error', () => undefined);
      backs.set(key, back);
    }
    back.send(message, agentPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  relay.port = front.address().port;
  return relay;
}
