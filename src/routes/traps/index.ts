import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { trapRecentHandler, trapStreamHandler } from './traps.handlers.ts';
import { trapRecentRoute, trapStreamRoute } from './traps.routes.ts';

export function trapsRoutes({ traps }: AppDeps) {
  return createRouter().openapi(trapStreamRoute, trapStreamHandler(traps)).openapi(trapRecentRoute, trapRecentHandler(traps));
}
