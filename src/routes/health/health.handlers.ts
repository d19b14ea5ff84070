import type { AppRouteHandler } from '../../http/types.ts';
import type { Readiness } from '../../readiness.ts';
import type { healthz, readyz } from './health.routes.ts';

export function healthzHandler(): AppRouteHandler<typeof healthz> {
  return (c) => c.json({ status: 'ok' as const }, 200);
}

/** 200 when every subsystem is up (or disabled), else 503; `warnings` for what an operator should fix. */
export function readyzHandler(readiness: Readiness, warnings: string[]): AppRouteHandler<typeof readyz> {
  return (c) => {
    const report = readiness.report();
    const body = warnings.length > 0 ? { ...report, warnings } : report;
    return report.ready ? c.json(body, 200) : c.json(body, 503);
  };
}
