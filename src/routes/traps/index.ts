import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { trapForwardersHandler, trapRecentHandler, trapStreamHandler } from './traps.handlers.ts';
import { trapForwardersRoute, trapRecentRoute, trapStreamRoute } from './traps.routes.ts';

export function trapsRoutes({ traps, forwarders }: AppDeps) {
  return createRouter()
    .openapi(trapStreamRoute, trapStreamHandler(traps))
    .openapi(trapRecentRoute, trapRecentHandler(traps))
    .openapi(trapForwardersRoute, trapForwardersHandler(forwarders));
}
