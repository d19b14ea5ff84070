import { createRouter } from '../../http/openapi.ts';
import type { SnmpService } from '../../snmp/service.ts';
import { snmpBulkHandler, snmpGetHandler, snmpGetNextHandler, snmpSetHandler, snmpWalkHandler } from './snmp.handlers.ts';
import { snmpBulkRoute, snmpGetNextRoute, snmpGetRoute, snmpSetRoute, snmpWalkRoute } from './snmp.routes.ts';

export function snmpRoutes(deps: { snmp: SnmpService }) {
  return createRouter()
    .openapi(snmpGetRoute, snmpGetHandler(deps.snmp))
    .openapi(snmpGetNextRoute, snmpGetNextHandler(deps.snmp))
    .openapi(snmpBulkRoute, snmpBulkHandler(deps.snmp))
    .openapi(snmpWalkRoute, snmpWalkHandler(deps.snmp))
    .openapi(snmpSetRoute, snmpSetHandler(deps.snmp));
}
