import { clientSignal } from '../../http/client-signal.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { ProbeService } from '../../probe/index.ts';
import type { SocketRoutes } from './socket.routes.ts';

/** The client's going away aborts the probes in flight, which release their sockets. */
export function probeHandler(probes: ProbeService): AppRouteHandler<SocketRoutes['probe']> {
  return async (c) => c.json(await probes.run(c.req.valid('json'), clientSignal(c)), 200);
}
