import type { DhcpClient } from '../../dhcp/client.ts';
import { clientSignal } from '../../http/client-signal.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { discover } from './dhcp.routes.ts';

export function discoverHandler(dhcp: DhcpClient): AppRouteHandler<typeof discover> {
  return async (c) => c.json(await dhcp.discover(c.req.valid('json'), clientSignal(c)), 200);
}
