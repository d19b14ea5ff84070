import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrapEvent } from '../../src/events/trap-event.ts';

/** One request the receiver got, and what it answered (undefined: it never answered, e.g. the sender died). */
export interface WebhookRequest {
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed: one event, or an array of events. */
  events: TrapEvent[];
  /** The signature header is present and verifies with the secret (undefined without a secret). */
  signatureValid: boolean | undefined;
  answered: number | undefined;
}

/** What to answer a request: a status (and headers), after an optional delay. */
export type Responder = (request: WebhookRequest, index: number) => { status: number; headers?: Record<string, string>; delayMs?: number };

/**
 * A webhook receiver as a user would write one: node:http on 127.0.0.1, an ephemeral port, checking the
 * HMAC-SHA256 signature as the README says. stop() closes the port (connections refused) and start()
 * opens it again on the same port.
 */
export class WebhookReceiver {
  readonly requests: WebhookRequest[] = [];
  responder: Responder = () => ({ status: 200 });
  private server: Server | undefined;
  port = 0;

  private readonly secret: string | undefined;

  constructor(secret?: string) {
    this.secret = secret;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/traps`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The events of every request answered 2xx, in order. */
  delivered(): TrapEvent[] {
    return this.requests.filter((r) => r.answered !== undefined && r.answered < 300).flatMap((r) => r.events);
  }

  /** Resolves once `condition` holds, or throws after timeoutMs. */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${this.requests.length} requests`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as TrapEvent | TrapEvent[];
      const request: WebhookRequest = {
        headers: req.headers,
        body,
        events: Array.isArray(parsed) ? parsed : [parsed],
        signatureValid: this.secret === undefined ? undefined : verify(this.secret, req.headers, body),
        answered: undefined,
      };
      const index = this.requests.push(request) - 1;
      const answer = this.responder(request, index);
      const send = () => {
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.status < 300 ? 'ok' : 'not now');
        request.answered = answer.status;
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  }
}

/** How a receiver checks a delivery (the README's snippet): HMAC-SHA256 over `<timestamp>.<body>`, compared in constant time. */
export function verify(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  const timestamp = headers['x-netprobe-timestamp'];
  const signature = headers['x-netprobe-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false; // refuse old deliveries replayed
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
