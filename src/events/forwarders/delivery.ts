import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './schemas.ts';

/**
 * One webhook request: POST a body to a forwarder's URL, on a connection to exactly the address the
 * target policy allowed, with every part bounded (connect time, the whole exchange, the answer's bytes).
 * Pure helpers (signature, backoff, Retry-After, what a status means) are exported for tests.
 */

/** Where a host name led, once checked by the target policy (TargetResolver). Throws when it is refused or does not resolve. */
export type CheckedLookup = (host: string, port: number) => Promise<{ address: string; family: 4 | 6 }>;

export type DeliveryResult =
  /** 2xx: delivered. */
  | { kind: 'ok'; status: number }
  /** Try again (network error, timeout, 408, 429, 5xx); Retry-After when the receiver sent one. */
  | { kind: 'retry'; status?: number; retryAfterMs?: number; error: string }
  /** The receiver refused it for good (4xx other than 408 and 429, 3xx): dead-letter. */
  | { kind: 'reject'; status: number; error: string };

/** What of an answer's body is kept for lastError, and read at most before the connection is dropped. */
const ERROR_BODY_CHARS = 200;
const MAX_ANSWER_BYTES = 64 * 1024;

/** `sha256=<hex>`: HMAC-SHA256 with the forwarder's secret over `<timestamp>.<body>`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Exponential backoff with full jitter: a random delay in [0, min(maxMs, initialMs · 2^(attempt−1))). */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After as seconds or an HTTP date → milliseconds from now (0 or more), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What an HTTP status means for a delivery. */
export function outcomeOf(status: number): DeliveryResult['kind'] {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'reject';
}

export interface WebhookRequest {
  url: URL;
  body: string;
  /** The id (one event) or `<first>..<last>` (a batch). */
  idempotencyKey: string;
  headers: Record<string, string>;
  secret: string | undefined;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/** POSTs to one forwarder's URL; keeps its connection alive between requests (one at a time). */
export class WebhookClient {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly lookup: CheckedLookup;

  constructor(url: URL, lookup: CheckedLookup) {
    this.url = url;
    this.lookup = lookup;
    const options = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: 60_000 };
    this.agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }

  get port(): number {
    return Number(this.url.port) || (this.url.protocol === 'https:' ? 443 : 80);
  }

  /** The host without IPv6 brackets. */
  get host(): string {
    return this.url.hostname.replace(/^\[(.*)\]$/, '$1');
  }

  async post(request: WebhookRequest, signal: AbortSignal): Promise<DeliveryResult> {
    let target: { address: string; family: 4 | 6 };
    try {
      target = await this.lookup(this.host, this.port);
    } catch (err) {
      return { kind: 'retry', error: errorText(err) };
    }
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      ...request.headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(request.body)),
      [IDEMPOTENCY_HEADER]: request.idempotencyKey,
      'user-agent': 'netprobe',
    };
    if (request.secret !== undefined) {
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signature(request.secret, timestamp, request.body);
    }
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise<DeliveryResult>((resolve) => {
      let settled = false;
      const finish = (result: DeliveryResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(whole);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      // Connect to the address the policy checked, never to what a second lookup would give; the Host
      // header and TLS server name stay the URL's.
      const req = transport.request({
        host: target.address,
        family: target.family,
        port: this.port,
        path: `${this.url.pathname}${this.url.search}`,
        method: 'POST',
        headers: { host: this.url.host, ...headers },
        agent: this.agent,
        ...(this.url.protocol === 'https:' && isIP(this.host) === 0 ? { servername: this.host } : {}),
      });
      const fail = (message: string) => {
        req.destroy();
        finish({ kind: 'retry', error: message });
      };
      const whole = setTimeout(() => fail(`no complete answer within ${request.timeoutMs} ms`), request.timeoutMs);
      const onAbort = () => fail('shutting down');
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => fail(`could not connect within ${request.connectTimeoutMs} ms`), request.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.on('error', (err) => finish({ kind: 'retry', error: errorText(err) }));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        let kept = '';
        let read = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          read += chunk.length;
          if (kept.length < ERROR_BODY_CHARS) kept += chunk.slice(0, ERROR_BODY_CHARS - kept.length);
          // Enough: the rest is not read (the connection is dropped rather than drained without end).
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        const done = () => {
          const kind = outcomeOf(status);
          if (kind === 'ok') return finish({ kind, status });
          const error = `HTTP ${status}${kept.trim() === '' ? '' : `: ${kept.trim().replace(/\s+/g, ' ')}`}`;
          if (kind === 'reject') return finish({ kind, status, error });
          const after = retryAfterMs(header(res.headers['retry-after']));
          finish(after === undefined ? { kind, status, error } : { kind, status, error, retryAfterMs: after });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      req.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
