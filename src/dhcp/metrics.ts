import { outcomeOf } from '../errors.ts';
import type { MetricsRegistrar } from '../metrics.ts';
import type { DhcpDiscoverResult } from './schemas.ts';

/** The DHCP area's metrics: discover runs by mode and outcome, offers by whether their server was expected. */
export function dhcpMetrics(metrics: MetricsRegistrar) {
  const discovers = metrics.counter({ name: 'netprobe_dhcp_discovers_total', help: 'DHCP discover runs by mode and outcome', labels: ['mode', 'outcome'] });
  const offers = metrics.counter({ name: 'netprobe_dhcp_offers_total', help: 'DHCP offers received, by whether the server was expected', labels: ['expected'] });
  return {
    recordResult(result: DhcpDiscoverResult): void {
      discovers.inc({ mode: result.mode, outcome: result.offers.length > 0 ? 'offers' : 'no_offer' });
      const unexpected = new Set(result.unexpectedServers);
      for (const offer of result.offers) offers.inc({ expected: String(!unexpected.has(offer.serverId ?? '')) });
    },
    recordFailure(mode: DhcpDiscoverResult['mode'], err: unknown): void {
      discovers.inc({ mode, outcome: outcomeOf(err) });
    },
  };
}

export type DhcpMetrics = ReturnType<typeof dhcpMetrics>;
