import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppEnv } from './types.ts';

/**
 * One registry per app instance (not prom-client's global one), so tests can build many apps.
 * Adapters never see this: routes record outcomes, and counters kept by adapters are read at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'netprobe_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'netprobe_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and method (time to the response headers)',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly snmpRequests = new Counter({
    name: 'netprobe_snmp_requests_total',
    help: 'SNMP operations by operation and outcome (ok, or the error code: timeout, auth, agent_error, ...)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly probeOutcomes = new Counter({
    name: 'netprobe_probes_total',
    help: 'Socket probes by protocol and resulting state',
    labelNames: ['protocol', 'state'] as const,
    registers: [this.registry],
  });

  readonly dhcpOffers = new Counter({
    name: 'netprobe_dhcp_offers_total',
    help: 'DHCP offers received, by whether the server was expected',
    labelNames: ['expected'] as const,
    registers: [this.registry],
  });

  readonly dhcpProbes = new Counter({
    name: 'netprobe_dhcp_discovers_total',
    help: 'DHCP discover runs by mode and outcome',
    labelNames: ['mode', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Registers a gauge or counter whose value is read from elsewhere at scrape time. */
  observe(
    name: string,
    help: string,
    labelNames: string[],
    read: () => { labels: Record<string, string>; value: number }[],
    type: 'counter' | 'gauge' = 'counter',
  ): void {
    const collect = function (this: Gauge<string> | Counter<string>) {
      this.reset();
      for (const { labels, value } of read()) {
        if (this instanceof Gauge) this.set(labels, value);
        else this.inc(labels, value);
      }
    };
    if (type === 'gauge') new Gauge({ name, help, labelNames, registers: [this.registry], collect });
    else new Counter({ name, help, labelNames, registers: [this.registry], collect });
  }

  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const end = this.httpDuration.startTimer();
      await next();
      // routePath is the matched pattern (`/snmp/get`), never the raw path, so label cardinality stays bounded.
      const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
      const route = handler?.path ?? 'unmatched';
      end({ route, method: c.req.method });
      this.httpRequests.inc({ route, method: c.req.method, status: String(c.res.status) });
    };
  }
}
