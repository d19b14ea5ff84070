import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { bulkHandler, getHandler, getNextHandler, setHandler, tableHandler, walkHandler } from './snmp.handlers.ts';
import { snmpRouteDefinitions } from './snmp.routes.ts';

export function snmpRoutes({ config, snmp }: AppDeps) {
  const routes = snmpRouteDefinitions(config.snmp);
  return createRouter()
    .openapi(routes.get, getHandler(snmp))
    .openapi(routes.getNext, getNextHandler(snmp))
    .openapi(routes.bulk, bulkHandler(snmp))
    .openapi(routes.walk, walkHandler(snmp))
    .openapi(routes.table, tableHandler(snmp))
    .openapi(routes.set, setHandler(snmp));
}
