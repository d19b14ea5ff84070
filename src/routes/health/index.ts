import { createRouter } from '../../http/openapi.ts';
import type { Readiness } from '../../readiness.ts';
import { healthz, readyz } from './health.routes.ts';

export function healthRoutes(readiness: Readiness, warnings: () => string[] = () => []) {
  return createRouter()
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, (c) => {
      const report = readiness.report();
      const extra = warnings();
      const body = extra.length ? { ...report, warnings: extra } : report;
      return report.ready ? c.json(body, 200) : c.json(body, 503);
    });
}
