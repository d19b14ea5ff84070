import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { discoverHandler } from './dhcp.handlers.ts';
import { discover } from './dhcp.routes.ts';

export function dhcpRoutes({ dhcp }: AppDeps) {
  return createRouter().openapi(discover, discoverHandler(dhcp));
}
