import type { RouteHandler } from '@hono/zod-openapi';
import type { DhcpClient } from '../../dhcp/client.ts';
import type { AppEnv } from '../../http/types.ts';
import type { discover } from './dhcp.routes.ts';

export function discoverHandler(dhcp: DhcpClient): RouteHandler<typeof discover, AppEnv> {
  return async (c) => {
    const result = await dhcp.discover(c.req.valid('json'), c.req.raw.signal);
    return c.json(result, 200);
  };
}
