import dgram from 'node:dgram';
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';
import { trapPortOf } from '../helpers/traps-flood.ts';
import { OIDS, runSnmpTool, sleep } from '../helpers/traps-peers.ts';

/**
 * Events that keep coming reach a subscriber in few writes: the real service, a real HTTP client that
 * counts the chunks it receives, and traps made by snmptrap (captured once, then sent to the service one
 * datagram per millisecond or so, so that each arrives in an event-loop turn of its own). Sent one chunk
 * per event (before the coalescing), the client saw about as many chunks as events.
 */

const TRAPS = 120;
const DISTINCT = 12;

let service: RunningService;
let trapPort: number;

beforeAll(async () => {
  service = await startService({ TRAP_HOST: '127.0.0.1' });
  trapPort = await trapPortOf(service);
});

afterAll(async () => {
  await service?.stop('SIGKILL');
});

/** snmptrap's datagrams, each with its own marker, caught on a loopback socket of ours. */
async function captureFromSnmptrap(markers: string[]): Promise<Map<string, Buffer>> {
  const capture = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', () => resolve()));
  const datagrams = new Map<string, Buffer>();
  capture.on('message', (message) => {
    const marker = markers.find((m) => message.includes(m));
    if (marker) datagrams.set(marker, message);
  });
  try {
    for (const marker of markers) {
      const target = `udp:127.0.0.1:${capture.address().port}`;
      const sent = await runSnmpTool('snmptrap', ['-v2c', '-c', 'public', target, '', OIDS.linkDown, `${OIDS.ifIndex}.2`, 'i', '2', OIDS.marker, 's', marker]);
      expect(sent.code, sent.stderr).toBe(0);
    }
    for (let i = 0; i < 100 && datagrams.size < markers.length; i++) await sleep(20);
    expect(datagrams.size).toBe(markers.length);
    return datagrams;
  } finally {
    capture.close();
  }
}

/** A subscriber on a plain node:http request: each HTTP chunk of the response is one 'data' event. */
async function subscribe(url: string): Promise<{ chunks: Buffer[]; close(): void }> {
  const chunks: Buffer[] = [];
  let response: IncomingMessage | undefined;
  const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } });
  await new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      response = res;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        resolve(); // the first chunk is the ': subscribed' comment
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { chunks, close: () => (response?.destroy(), req.destroy()) };
}

describe('trap stream coalescing', () => {
  it(`${TRAPS} traps arriving one by one, about a millisecond apart, reach a subscriber in far fewer chunks, complete and in order`, async () => {
    const markers = Array.from({ length: DISTINCT }, (_, i) => `coalesce-${i}-${Date.now()}`);
    const datagrams = await captureFromSnmptrap(markers);
    const client = await subscribe(`${service.baseUrl}/snmp/traps`);
    const sender = dgram.createSocket('udp4');
    try {
      const sent: string[] = [];
      for (let i = 0; i < TRAPS; i++) {
        const marker = markers[i % DISTINCT];
        sender.send(datagrams.get(marker)!, trapPort, '127.0.0.1');
        sent.push(marker);
        await sleep(1);
      }
      const received = () => {
        const text = Buffer.concat(client.chunks).toString('utf8');
        return [...text.matchAll(/^event: trap\ndata: (.*)$/gm)].map((m) => (JSON.parse(m[1]) as { varbinds: { value: unknown }[] }).varbinds.at(-1)!.value);
      };
      for (let i = 0; i < 500 && received().length < TRAPS; i++) await sleep(20);
      expect(received()).toEqual(sent);
      const eventChunks = client.chunks.filter((chunk) => chunk.includes('event: trap\n'));
      // One write (one HTTP chunk) per event would give about TRAPS chunks.
      expect(eventChunks.length, `${eventChunks.length} chunks for ${TRAPS} events`).toBeLessThanOrEqual(TRAPS / 2);
    } finally {
      sender.close();
      client.close();
    }
  });
});
