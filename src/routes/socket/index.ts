import type { Config } from '../../config.ts';
import type { Metrics } from '../../http/metrics.ts';
import { createRouter } from '../../http/openapi.ts';
import type { ProbeService } from '../../probe/index.ts';
import { socketProbeHandler } from './socket.handlers.ts';
import { socketProbeRoute } from './socket.routes.ts';

export function socketRoutes(deps: { config: Config; probes: ProbeService; metrics: Metrics }) {
  const limits = deps.config.probe;
  return createRouter().openapi(socketProbeRoute(limits), socketProbeHandler(deps.probes, limits, deps.metrics));
}
