import { createServer, request, Agent, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GracefulShutdown } from '../../src/http/graceful-shutdown.ts';

/** A plain HTTP server on loopback whose `/slow` answers after `slowMs`; everything else at once. */
async function startServer(slowMs = 300): Promise<{ server: Server; port: number; graceful: GracefulShutdown; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((req, res) => {
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (req.url === '/slow') setTimeout(answer, slowMs);
    else answer();
  });
  server.on('connection', () => accepted++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, graceful: new GracefulShutdown(server), accepted: () => accepted };
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function get(port: number, path: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends a raw request on an already connected socket and reads until the server closes it. */
function exchangeRaw(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('end', () => resolve(received));
    socket.write(text);
  });
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('graceful shutdown of an HTTP server', () => {
  it('a connection accepted before the stop whose request comes after it gets 503 + Connection: close, not a reset', async () => {
    const { port, graceful, accepted } = await startServer();
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    while (accepted() === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const stopped = graceful.stop(5000);
    const answer = await exchangeRaw(socket, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(answer).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    expect(answer).toContain('"type":"/problems/shutting-down"');
    expect(await stopped).toBe('drained');
  });

  it('a request in flight finishes with Connection: close; new connections get 503, then, once quiet, are refused', async () => {
    const { port, graceful } = await startServer(600);
    const slow = get(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = graceful.stop(5000);

    expect(await get(port, '/healthz')).toMatchObject({ status: 503, headers: { connection: 'close', 'retry-after': '1' } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // no new connection for a while: the listener closes
    await expect(get(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await slow).toMatchObject({ status: 200, body: 'ok', headers: { connection: 'close' } });
    expect(await stopped).toBe('drained');
  });

  it('the listener closes within a second even when clients keep connecting', async () => {
    const { port, graceful } = await startServer();
    const started = performance.now();
    const stopped = graceful.stop(5000);
    let refused = false;
    while (!refused) {
      const outcome = await get(port, '/healthz').catch((err: NodeJS.ErrnoException) => err.code ?? 'error');
      if (typeof outcome === 'string') refused = outcome === 'ECONNREFUSED';
      else expect(outcome.status).toBe(503);
    }
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await stopped).toBe('drained');
  });

  it('an idle keep-alive connection stays usable: its next request gets 503 + Connection: close', async () => {
    const { port, graceful } = await startServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    expect((await get(port, '/healthz', agent)).headers.connection).toBe('keep-alive');

    const stopped = graceful.stop(5000);
    const answer = await get(port, '/healthz', agent);
    expect(answer).toMatchObject({ status: 503, headers: { connection: 'close', 'retry-after': '1' } });
    expect(JSON.parse(answer.body)).toMatchObject({ status: 503, type: '/problems/shutting-down' });
    expect(await stopped).toBe('drained');
  });

  it('connections still open at the timeout are closed, and stop says so', async () => {
    const { port, graceful } = await startServer();
    const silent = connect(port, '127.0.0.1');
    cleanups.push(() => silent.destroy());
    silent.on('error', () => undefined);
    await new Promise((resolve) => silent.once('connect', resolve));
    const closed = new Promise((resolve) => silent.once('close', resolve));
    expect(await graceful.stop(200)).toBe('timedOut');
    await closed;
  });
});
