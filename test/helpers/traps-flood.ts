import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import type { RunningService } from './service.ts';
import { OIDS } from './traps-peers.ts';

/**
 * Tools for flooding the trap receiver: raw SNMPv2c trap datagrams of any size (built here, so that
 * thousands of them cost nothing to make), SSE subscribers that only tally what they get (a reader that
 * parsed every large event would measure itself), and the service process's memory and descriptors.
 */

/** BER: tag, definite length, content. */
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else if (length < 0x100) header = [tag, 0x81, length];
  else if (length < 0x10000) header = [tag, 0x82, length >> 8, length & 0xff];
  else header = [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  return Buffer.concat([Buffer.from(header), content]);
}

function integer(tag: number, value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0] & 0x80) bytes.unshift(0); // stays positive
  return tlv(tag, Buffer.from(bytes));
}

function oid(text: string): Buffer {
  const arcs = text.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const base128 = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) base128.unshift((rest & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const varbind = (name: string, value: Buffer) => tlv(0x30, Buffer.concat([oid(name), value]));

/** A private subtree for the filler varbinds of large traps. */
export const FILLER_OID = '1.3.6.1.4.1.99999.2';

/**
 * Filler varbinds: `integers` are FILLER_OID.<i> = i (about 19 bytes each on the wire, 110 of JSON);
 * `nulls` are 1.3 = Null (7 bytes on the wire, 60 of JSON: the most JSON per datagram byte).
 */
export type Filler = 'integers' | 'nulls';

const NULL_VARBIND = Buffer.from([0x30, 0x05, 0x06, 0x01, 0x2b, 0x05, 0x00]);

/** An SNMPv2c linkDown trap carrying `marker` (a string, varbind 3, so a reader finds it early in the event's JSON) and `filler` varbinds. */
export function v2cTrap(marker: string, filler = 0, kind: Filler = 'integers', requestId = 1): Buffer {
  const varbinds = [
    varbind('1.3.6.1.2.1.1.3.0', integer(0x43, 4242)),
    varbind('1.3.6.1.6.3.1.1.4.1.0', oid(OIDS.linkDown)),
    varbind(OIDS.marker, tlv(0x04, Buffer.from(marker))),
  ];
  for (let i = 0; i < filler; i++) varbinds.push(kind === 'nulls' ? NULL_VARBIND : varbind(`${FILLER_OID}.${i}`, integer(0x02, i)));
  return v2cMessage(varbinds, requestId);
}

function v2cMessage(varbinds: Buffer[], requestId: number): Buffer {
  const pdu = tlv(0xa7, Buffer.concat([integer(0x02, requestId), integer(0x02, 0), integer(0x02, 0), tlv(0x30, Buffer.concat(varbinds))]));
  return tlv(0x30, Buffer.concat([integer(0x02, 1), tlv(0x04, Buffer.from('public')), pdu]));
}

/** A v2c trap with `count` random bytes as an OctetString value: JSON of about twice that (hex). */
export function v2cTrapWithBlob(marker: string, count: number, random: () => number): Buffer {
  const blob = Buffer.from(Array.from({ length: count }, () => Math.floor(random() * 256)));
  return v2cMessage(
    [
      varbind('1.3.6.1.2.1.1.3.0', integer(0x43, 4242)),
      varbind('1.3.6.1.6.3.1.1.4.1.0', oid(OIDS.linkDown)),
      varbind(OIDS.marker, tlv(0x04, Buffer.from(marker))),
      varbind(`${FILLER_OID}.0`, tlv(0x04, blob)),
    ],
    1,
  );
}

/** Sends datagrams one after another, each once the kernel has taken the previous one. */
export async function sendAll(datagrams: Buffer[], port: number, host = '127.0.0.1'): Promise<void> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  try {
    for (const datagram of datagrams) await new Promise<void>((resolve) => socket.send(datagram, port, host, () => resolve()));
  } finally {
    socket.close();
  }
}

/** Open file descriptors of a process (Linux). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** A metric's value from a Prometheus text page (the first sample of that name, any labels). */
export function metricValue(text: string, name: string, labels = ''): number {
  const escaped = `${name}${labels}`.replace(/[{}"]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

export async function scrape(baseUrl: string): Promise<string> {
  return (await fetch(`${baseUrl}/metrics`)).text();
}

/** Polls until `read()` returns `expected`, or timeoutMs; resolves with the last value read. */
export async function pollUntil<T>(read: () => Promise<T> | T, expected: T, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value === expected || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The marker varbind's value in an event's JSON. */
const MARKER_VALUE = new RegExp(`"oid":"${OIDS.marker.replaceAll('.', '\\.')}"[^}]*"value":"([^"]*)"`);

export interface TalliedGap {
  /** The id of the last trap before the gap ('' before any). */
  afterId: string;
  missed: number | null;
}

/**
 * An SSE subscriber over node:http that keeps, per trap, only its id and marker, and the gaps. It can
 * stop reading (pause): node then stops reading the socket, the kernel buffers fill, and the service
 * sees a client that takes nothing more.
 */
export class SseTally {
  /** Trap ids and markers in the order received (a long run may empty them once checked). */
  readonly ids: string[] = [];
  readonly markers: string[] = [];
  readonly gaps: TalliedGap[] = [];
  /** The id of the last trap received ('' before any). */
  lastId = '';
  traps = 0;
  bytes = 0;
  ended = false;
  private res: IncomingMessage | undefined;
  private tail = '';
  private current: { id?: string; event?: string } = {};
  private readonly waiters = new Set<() => void>();

  /** Connects and resolves once the service has subscribed it (its first comment). */
  static async connect(url: string, timeoutMs = 10_000): Promise<SseTally> {
    const tally = new SseTally();
    await tally.open(url, timeoutMs);
    return tally;
  }

  pause(): void {
    this.res?.pause();
  }

  resume(): void {
    this.res?.resume();
  }

  close(): void {
    this.res?.destroy();
  }

  /** Resolves once `condition` holds; rejects after timeoutMs with `what` and the tally so far. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.traps} traps, last id ${this.lastId}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * What is wrong with the sequence of ids, or undefined: each id follows the previous one in
   * `reference` (every id, in order, as a client that missed nothing got them), or follows a gap that
   * counts exactly the ids skipped. Ids are compared by equality only.
   */
  sequenceProblem(reference: readonly string[]): string | undefined {
    const index = new Map(reference.map((id, i) => [id, i]));
    const gapAfter = new Map(this.gaps.map((gap) => [gap.afterId, gap.missed]));
    let previous: { id: string; at: number } | undefined;
    for (const id of this.ids) {
      const at = index.get(id);
      if (at === undefined) return `id ${id} is not one of the reference's`;
      if (previous && at !== previous.at + 1) {
        const missed = gapAfter.get(previous.id);
        if (missed !== at - previous.at - 1) return `id ${id} after ${previous.id} with ${missed === undefined ? 'no gap event' : `a gap of ${missed}`}`;
      }
      previous = { id, at };
    }
    return undefined;
  }

  private async open(url: string, timeoutMs: number): Promise<void> {
    const res = await eventStreamResponse(url);
    this.res = res;
    res.setEncoding('latin1'); // ids and markers are ASCII; a byte per character keeps counting cheap
    res.on('data', (text: string) => {
      this.bytes += text.length;
      this.consume(text);
    });
    res.on('close', () => {
      this.ended = true;
      this.notify();
    });
    res.on('error', () => {});
    try {
      await this.until(() => this.bytes > 0, timeoutMs, `the first comment of ${url}`);
    } catch (err) {
      res.destroy();
      throw err;
    }
  }

  private consume(text: string): void {
    const lines = (this.tail + text).split('\n');
    this.tail = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    this.notify();
  }

  private line(line: string): void {
    if (line === '') {
      this.current = {};
    } else if (line.startsWith('id: ')) {
      this.current.id = line.slice(4);
    } else if (line.startsWith('event: ')) {
      this.current.event = line.slice(7);
    } else if (line.startsWith('data: ') && this.current.event === 'gap') {
      this.gaps.push({ afterId: this.lastId, missed: (JSON.parse(line.slice(6)) as { missed: number | null }).missed });
    } else if (line.startsWith('data: ') && this.current.event === 'trap') {
      this.lastId = this.current.id ?? '';
      this.traps++;
      this.ids.push(this.lastId);
      const marker = MARKER_VALUE.exec(line.slice(0, 2_000));
      this.markers.push(marker?.[1] ?? '');
    }
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** GET with `accept: text/event-stream` on a connection of its own; rejects unless the answer is 200. */
function eventStreamResponse(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } });
    req.on('response', (res) => {
      if (res.statusCode === 200) return resolve(res);
      res.resume();
      reject(new Error(`SSE ${url}: HTTP ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The trap port the service logged at start (TRAP_PORT=0 gives an ephemeral one). */
export async function trapPortOf(service: RunningService, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = service.logs.find((l) => l.includes('"msg":"trap receiver listening"'));
    const port = line && /"port":(\d+)/.exec(line);
    if (port) return Number(port[1]);
    if (Date.now() > deadline) throw new Error(`no trap receiver log line; stderr: ${service.stderr.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
