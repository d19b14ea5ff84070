import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.ts';
import { defaultConfig, type Config, type DeepPartial } from '../../src/config.ts';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { createLogger } from '../../src/logger.ts';
import type { AppDeps } from '../../src/deps.ts';
import { depsFor } from './deps.ts';

/** A v3 user known to the receiver in the interop tests (authPriv, SHA/AES). */
export const TRAP_USER = {
  name: 'trapuser',
  level: 'authPriv',
  authProtocol: 'sha',
  authKey: 'trap-auth-pass-1',
  privProtocol: 'aes',
  privKey: 'trap-priv-pass-1',
} as const;

/** snmptrap's own engine ID for v3 traps (the sender of a trap is the authoritative engine). */
export const SENDER_ENGINE_ID = '0x80001f8880c0ffee0001';

export const OIDS = {
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
  /** A private OID carrying a per-test marker string, to pick a test's own events out of the stream. */
  marker: '1.3.6.1.4.1.99999.1.1',
};

export interface TrapStack {
  baseUrl: string;
  trapPort: number;
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * The real trap receiver (UDP, ephemeral port, dual-stack '::' unless told otherwise) and the real HTTP
 * app on 127.0.0.1, in this process.
 */
export async function startTrapStack(traps: DeepPartial<Config['traps']> = {}): Promise<TrapStack> {
  const config = defaultConfig({ traps: { host: '::', port: 0, heartbeatMs: 60_000, ...traps } });
  const deps = depsFor(config, createLogger('silent'));
  const bound = await deps.traps.receiver.start();
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  try {
    if (!server.listening) await once(server, 'listening');
  } catch (err) {
    await deps.traps.receiver.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    trapPort: bound.port,
    deps,
    async close() {
      deps.traps.bus.close();
      await deps.traps.receiver.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs snmptrap / snmpinform (Debian's `snmp` package) without blocking the event loop: the receiver is in this process. */
export function runSnmpTool(tool: 'snmptrap' | 'snmpinform', args: string[], timeoutMs = 20_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(tool, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function v3Args(user: { name: string; authKey: string; privKey: string } = TRAP_USER): string[] {
  return ['-v3', '-u', user.name, '-l', 'authPriv', '-a', 'SHA', '-A', user.authKey, '-x', 'AES', '-X', user.privKey];
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** A server-sent-events client over a real HTTP connection (fetch), keeping every message and comment. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  private readonly listeners = new Set<() => void>();
  private ended = false;
  readonly done: Promise<void>;

  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  readonly response: Response;
  private readonly abort?: AbortController;
  private constructor(
    response: Response,
    abort?: AbortController,
  ) {
    this.response = response;
    this.abort = abort;
    this.done = this.read().finally(() => {
      this.ended = true;
      this.notify();
    });
  }

  /** Reads a stream response already in hand (e.g. from app.request()). */
  static async fromResponse(response: Response): Promise<SseClient> {
    const client = new SseClient(response);
    await client.until(() => client.comments.length > 0, 5_000, 'the first comment');
    return client;
  }

  /** Connects and waits for the stream's first comment, after which the subscription is live. */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.status !== 200) throw new Error(`SSE connect failed: ${response.status} ${await response.text()}`);
    const client = new SseClient(response, abort);
    await client.until(() => client.comments.length > 0, 5_000, 'the first comment');
    return client;
  }

  /** The trap events received so far, parsed once each. */
  readonly traps: TrapEvent[] = [];

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resolves once `condition` holds; rejects after timeoutMs, saying what it waited for. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.messages.length} messages`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Waits for a trap event matching the predicate and returns it. */
  async trap(predicate: (event: TrapEvent) => boolean, timeoutMs = 10_000): Promise<TrapEvent> {
    await this.until(() => this.traps.some(predicate), timeoutMs, 'a matching trap');
    return this.traps.find(predicate)!;
  }

  close(): void {
    this.abort?.abort();
    this.reader?.cancel().catch(() => {});
  }

  private async read(): Promise<void> {
    const reader = (this.reader = this.response.body!.getReader());
    const decoder = new TextDecoder();
    let buffered = '';
    let current: Partial<SseMessage> & { dataLines?: string[] } = {};
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            if (current.dataLines) {
              const message = { id: current.id, event: current.event, data: current.dataLines.join('\n') };
              this.messages.push(message);
              if (message.event === 'trap') this.traps.push(JSON.parse(message.data) as TrapEvent);
            }
            current = {};
          } else if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') (current.dataLines ??= []).push(value);
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
        }
        this.notify();
      }
    } catch {
      // aborted by close(), or the server went away
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export function markerOf(event: TrapEvent): string | undefined {
  const value = event.varbinds.find((vb) => vb.oid === OIDS.marker)?.value;
  return typeof value === 'string' ? value : undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
