import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { probeHandler } from './socket.handlers.ts';
import { socketRouteDefinitions } from './socket.routes.ts';

export function socketRoutes({ config, probes }: AppDeps) {
  const routes = socketRouteDefinitions(config.probe);
  return createRouter().openapi(routes.probe, probeHandler(probes));
}
