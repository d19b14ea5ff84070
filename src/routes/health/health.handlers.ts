import type { BusStatus } from '../../events/schemas.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { Readiness } from '../../readiness.ts';
import type { healthz, readyz } from './health.routes.ts';

export function healthzHandler(): AppRouteHandler<typeof healthz> {
  return (c) => c.json({ status: 'ok' as const }, 200);
}

/**
 * 200 when every subsystem is up (or disabled), else 503; `warnings` for what an operator should fix.
 * The trap bus is reported beside them and never makes the answer 503: a replica that cannot reach
 * Redis still receives traps (they wait in its backlog) and must stay in the UDP Service.
 */
export function readyzHandler(readiness: Readiness, trapBus: () => BusStatus, warnings: string[]): AppRouteHandler<typeof readyz> {
  return (c) => {
    const report = { ...readiness.report(), trapBus: trapBus() };
    const body = warnings.length > 0 ? { ...report, warnings } : report;
    return report.ready ? c.json(body, 200) : c.json(body, 503);
  };
}
