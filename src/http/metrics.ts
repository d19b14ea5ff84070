import { matchedRoutes } from 'hono/route';
import type { MetricsRegistrar } from '../metrics.ts';
import type { AnsweredRequestHook } from './request-frame.ts';

/**
 * The HTTP area's metrics, recorded by the request frame (src/http/request-frame.ts) once the response is
 * known: requests by route pattern, method and status, and their latency.
 */
export function httpMetrics(metrics: MetricsRegistrar): AnsweredRequestHook {
  const requests = metrics.counter({
    name: 'netprobe_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labels: ['route', 'method', 'status'],
  });
  const duration = metrics.histogram({
    name: 'netprobe_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and method (time to the response headers)',
    labels: ['route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  return (c, startedMs) => {
    // The matched pattern (`/snmp/get`), never the raw path, so label cardinality stays bounded.
    const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? 'unmatched';
    const method = c.req.method;
    duration.observe({ route, method }, (performance.now() - startedMs) / 1000);
    requests.inc({ route, method, status: String(c.res.status) });
  };
}
