import type { RouteHandler } from '@hono/zod-openapi';
import type { DhcpClient } from '../../dhcp/client.ts';
import { AdapterError } from '../../errors.ts';
import type { Metrics } from '../../http/metrics.ts';
import { clientSignal } from '../../http/client-signal.ts';
import type { AppEnv } from '../../http/types.ts';
import type { discover } from './dhcp.routes.ts';

export function discoverHandler(dhcp: DhcpClient, metrics?: Metrics): RouteHandler<typeof discover, AppEnv> {
  return async (c) => {
    const request = c.req.valid('json');
    const mode = request.mode ?? 'broadcast';
    try {
      const result = await dhcp.discover(request, clientSignal(c));
      metrics?.dhcpProbes.inc({ mode, outcome: result.offers.length > 0 ? 'offers' : 'no_offer' });
      const unexpected = new Set(result.unexpectedServers);
      for (const offer of result.offers) metrics?.dhcpOffers.inc({ expected: String(!unexpected.has(offer.serverId ?? '')) });
      return c.json(result, 200);
    } catch (err) {
      metrics?.dhcpProbes.inc({ mode, outcome: err instanceof AdapterError ? err.code.toLowerCase() : 'error' });
      throw err;
    }
  };
}
