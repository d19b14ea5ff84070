import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.ts';

/** Told to clients that reach a stopping server: try again shortly (elsewhere, or after the restart). */
const RETRY_AFTER_SECONDS = 1;
/** The listener closes once no connection has arrived for this long, or when clients told to retry come back. */
const QUIET_MS = 200;
const MAX_LISTEN_MS = RETRY_AFTER_SECONDS * 1000;

export type StopOutcome = 'drained' | 'timedOut';

/**
 * Stops an HTTP server without resetting a connection. Node's own `close()` (≥ 19) closes idle connections,
 * racing with clients that are sending on them, and closing a listener makes the kernel reset the
 * connections still waiting in its accept queue. So, once stopping: every new request gets 503 with
 * `Connection: close` and `Retry-After`; responses in flight finish, with `Connection: close` when their
 * head is not written yet; idle keep-alive connections end at their keep-alive timeout (or with their next
 * request's 503); the listening socket closes when no connection has arrived for a moment (clients told to
 * retry are away then, so the accept queue is empty), after which new connections are refused.
 */
export class GracefulShutdown {
  private readonly inFlight = new Set<ServerResponse>();
  private lastConnectionAt = 0;
  private stopped?: Promise<StopOutcome>;

  private readonly server: Server;
  constructor(server: Server) {
    this.server = server;
    // Requests must be seen before the application's listener answers them: take its place and call it.
    const handlers = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res, handlers));
    server.on('connection', () => (this.lastConnectionAt = performance.now()));
  }

  get stopping(): boolean {
    return this.stopped !== undefined;
  }

  /** Resolves once the listener is closed and every connection has ended, or at `timeoutMs` when the rest were destroyed. */
  stop(timeoutMs: number): Promise<StopOutcome> {
    this.stopped ??= new Promise<StopOutcome>((resolve) => {
      const startedAt = performance.now();
      let outcome: StopOutcome = 'drained';
      let listening = true;
      let quietCheck: NodeJS.Timeout | undefined;
      const closeListener = () => {
        if (!listening) return;
        listening = false;
        clearTimeout(quietCheck);
        // net.Server's close: stops listening, leaves connections alone, calls back when the last one is gone.
        NetServer.prototype.close.call(this.server, () => {
          clearTimeout(deadline);
          resolve(outcome);
        });
      };
      const closeListenerWhenQuiet = () => {
        const now = performance.now();
        const quietMs = now - Math.max(this.lastConnectionAt, startedAt);
        if (quietMs >= QUIET_MS || now - startedAt >= MAX_LISTEN_MS) return closeListener();
        quietCheck = setTimeout(closeListenerWhenQuiet, QUIET_MS - quietMs);
      };
      const deadline = setTimeout(() => {
        outcome = 'timedOut';
        closeListener();
        this.server.closeAllConnections();
      }, timeoutMs);
      for (const res of this.inFlight) closeAfter(res);
      closeListenerWhenQuiet();
    });
    return this.stopped;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse, handlers: RequestListener[]): void {
    if (this.stopping) return refuse(req, res);
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
    for (const handler of handlers) handler.call(this.server, req, res);
  }
}

/**
 * The connection ends with this response: announced when its head is not written yet; otherwise (a stream
 * such as SSE that started before the stop) the socket is ended once the response is complete, rather than
 * idling until the keep-alive timeout.
 */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) return void res.setHeader('connection', 'close');
  const socket = res.socket; // detached from the response by the time it finishes
  res.once('finish', () => endConnection(socket));
}

/** FIN once everything written is flushed, then let go: HTTP sockets allow half-open, and a client may never close its side. */
function endConnection(socket: Socket | null): void {
  if (!socket) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

function refuse(req: IncomingMessage, res: ServerResponse): void {
  req.resume(); // a request body left unread when the socket closes would make the kernel send a reset
  const body = problem(503, 'shutting-down', 'The service is shutting down', 'Retry the request: another instance, or this one once restarted, will answer it.');
  res.writeHead(503, { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' });
  res.end(JSON.stringify(body));
}
