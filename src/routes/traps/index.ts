import { createRouter } from '../../http/openapi.ts';
import { trapRecentHandler, trapStreamHandler, type TrapRouteDeps } from './traps.handlers.ts';
import { trapRecentRoute, trapStreamRoute } from './traps.routes.ts';

export function trapsRoutes(deps: TrapRouteDeps) {
  return createRouter().openapi(trapStreamRoute, trapStreamHandler(deps)).openapi(trapRecentRoute, trapRecentHandler(deps));
}
