import type { DhcpClient } from '../../dhcp/client.ts';
import type { Metrics } from '../../http/metrics.ts';
import { createRouter } from '../../http/openapi.ts';
import { discoverHandler } from './dhcp.handlers.ts';
import { discover } from './dhcp.routes.ts';

export function dhcpRoutes(deps: { dhcp: DhcpClient; metrics?: Metrics }) {
  return createRouter().openapi(discover, discoverHandler(deps.dhcp, deps.metrics));
}
