import type { Metrics } from '../../http/metrics.ts';
import { createRouter } from '../../http/openapi.ts';
import type { SnmpService } from '../../snmp/service.ts';
import { snmpBulkHandler, snmpGetHandler, snmpGetNextHandler, snmpSetHandler, snmpWalkHandler } from './snmp.handlers.ts';
import { snmpBulkRoute, snmpGetNextRoute, snmpGetRoute, snmpSetRoute, snmpWalkRoute } from './snmp.routes.ts';

export function snmpRoutes(deps: { snmp: SnmpService; metrics?: Metrics }) {
  const record = (operation: string, outcome: string) => deps.metrics?.snmpRequests.inc({ operation, outcome });
  return createRouter()
    .openapi(snmpGetRoute, snmpGetHandler(deps.snmp, record))
    .openapi(snmpGetNextRoute, snmpGetNextHandler(deps.snmp, record))
    .openapi(snmpBulkRoute, snmpBulkHandler(deps.snmp, record))
    .openapi(snmpWalkRoute, snmpWalkHandler(deps.snmp, record))
    .openapi(snmpSetRoute, snmpSetHandler(deps.snmp, record));
}
