import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectTcp, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type SecureVersion, type TLSSocket } from 'node:tls';

/** Local peers for the probe tests. Every peer listens on loopback, on an ephemeral port, and has a close(). */

export interface Peer {
  port: number;
  close(): Promise<void>;
}

export interface TcpPeer extends Peer {
  /** Connections currently open at the listener. */
  open: number;
  accepted: number;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function tcpPeer(host: string, onConnection: (socket: Socket) => void): Promise<TcpPeer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    peer.accepted++;
    peer.open++;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      peer.open--;
    });
    onConnection(socket);
  });
  const peer: TcpPeer = {
    port: 0,
    open: 0,
    accepted: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return listen(server, host).then((port) => {
    peer.port = port;
    return peer;
  });
}

/** Says `banner` (if any) on connect, then answers each line with `echo:<line>`. */
export function lineServer(host = '127.0.0.1', banner?: string): Promise<TcpPeer> {
  return tcpPeer(host, (socket) => {
    if (banner) socket.write(banner);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        socket.write(`echo:${pending.slice(0, newline)}\n`);
        pending = pending.slice(newline + 1);
      }
    });
  });
}

/**
 * Accepts, reads and discards, and never says a word. (It must read: a socket with unread data never
 * sees the client's FIN, and the listener side would then hold the connection open forever.)
 */
export function silentTcpServer(host = '127.0.0.1'): Promise<TcpPeer> {
  return tcpPeer(host, (socket) => socket.resume());
}

/** Accepts, then resets the connection as soon as anything arrives. */
export function resettingServer(host = '127.0.0.1'): Promise<TcpPeer> {
  return tcpPeer(host, (socket) => socket.once('data', () => socket.resetAndDestroy()));
}

/**
 * Answers each request line with `pong:<line>` after `delayMs`, and counts requests in flight (received,
 * not yet answered). A probe closes only after its answer, so in-flight requests bound the probes talking
 * to the listener at once: `maxInFlight` must never exceed the batch concurrency.
 */
export async function countingServer(host = '127.0.0.1', delayMs = 5) {
  const stats = { inFlight: 0, maxInFlight: 0 };
  const peer = await tcpPeer(host, (socket) => {
    socket.once('data', (chunk) => {
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      setTimeout(() => {
        stats.inFlight--;
        if (!socket.destroyed) socket.write(`pong:${chunk.toString('utf8')}`);
      }, delayMs);
    });
  });
  return Object.assign(peer, { stats });
}

/** A port on `host` where nothing listens (TCP or UDP): bound, noted, released. */
export async function closedPort(kind: 'tcp' | 'udp', host = '127.0.0.1'): Promise<number> {
  if (kind === 'tcp') {
    const server = createServer();
    const port = await listen(server, host);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface UdpPeer extends Peer {
  received: number;
}

function udpPeer(host: string, onMessage: (socket: DgramSocket, message: Buffer, from: { address: string; port: number }) => void): Promise<UdpPeer> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const peer: UdpPeer = {
    port: 0,
    received: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (message, from) => {
    peer.received++;
    onMessage(socket, message, from);
  });
  return new Promise((resolve) =>
    socket.bind(0, host, () => {
      peer.port = socket.address().port;
      resolve(peer);
    }),
  );
}

/** Sends every datagram back prefixed with `echo:`. */
export function udpEchoServer(host = '127.0.0.1'): Promise<UdpPeer> {
  return udpPeer(host, (socket, message, from) => socket.send(Buffer.concat([Buffer.from('echo:'), message]), from.port, from.address));
}

/** Receives and never answers. */
export function silentUdpServer(host = '127.0.0.1'): Promise<UdpPeer> {
  return udpPeer(host, () => undefined);
}

/** Open file descriptors of this process, after letting pending closes settle. */
export async function openFdCount(settleMs = 200): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return readdirSync('/proc/self/fd').length;
}

/* ------------------------------------------------------------------ TLS peers */

export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  cleanup(): void;
}

/** A self-signed certificate for probe.test and 127.0.0.1, valid for `days`, made by openssl in a temp dir. */
export function selfSignedCertificate(days = 30): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-probe-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days),
      '-subj', '/CN=probe.test', '-addext', 'subjectAltName=DNS:probe.test,IP:127.0.0.1',
      '-keyout', keyFile, '-out', certFile,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl req failed: ${made.stderr}`);
  }
  return {
    dir,
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface OpenSslServer extends Peer {
  /** Everything s_server printed so far (with -trace: the SNI name and the client's ALPN list). */
  output(): string;
}

/**
 * `openssl s_server` on 127.0.0.1 with ALPN h2,http/1.1, echoing lines reversed (-rev), tracing the
 * handshake so a test can read what SNI and ALPN reached it. Output goes to a file in the cert's dir.
 * (No -servername/-cert2: switching to the second context would drop the ALPN callback.)
 */
export async function openSslServer(cert: TestCertificate): Promise<OpenSslServer> {
  const port = await closedPort('tcp');
  const outFile = join(cert.dir, `s_server-${port}.log`);
  const out = openSync(outFile, 'w');
  const child: ChildProcess = spawn(
    'openssl',
    [
      's_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certFile, '-key', cert.keyFile,
      '-alpn', 'h2,http/1.1',
      '-rev', '-trace',
    ],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out);
  // Belt and braces: never leave s_server behind, even if the test run dies before afterAll.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const output = () => readFileSync(outFile, 'utf8');
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  const started = Date.now();
  while (!output().includes('ACCEPT')) {
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      await close();
      throw new Error(`openssl s_server did not start: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, output, close };
}

export interface NodeTlsPeer extends Peer {
  /** SNI and ALPN offered by each client, in order. */
  seen: { servername: string | false; alpn: string | false }[];
}

/** A Node TLS server that records the SNI and ALPN it saw and writes them back as a JSON line. */
export async function nodeTlsServer(cert: TestCertificate, host = '127.0.0.1', options: { maxVersion?: SecureVersion } = {}): Promise<NodeTlsPeer> {
  const sockets = new Set<TLSSocket>();
  const seen: NodeTlsPeer['seen'] = [];
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem, ALPNProtocols: ['h2', 'http/1.1'], ...options }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const entry = { servername: socket.servername ?? false, alpn: socket.alpnProtocol ?? false };
    seen.push(entry);
    socket.write(`${JSON.stringify(entry)}\n`);
  });
  server.on('tlsClientError', () => undefined);
  const port = await new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
  return {
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A listener whose accept queue is full, so the kernel drops further SYNs: a connect there hangs like
 * one to a firewalled port, on loopback. Node always accepts, so a tiny Python process holds the
 * never-accepting socket (listen backlog 0); `fill` connections occupy the queue.
 */
export async function saturatedListener(): Promise<Peer> {
  const child = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const fillers: Socket[] = [];
  // Fill the queue until a connect no longer completes quickly.
  for (let i = 0; i < 8; i++) {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) break;
  }
  return {
    port,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
