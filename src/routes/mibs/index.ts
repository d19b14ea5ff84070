import type { AppDeps } from '../../deps.ts';
import { createRouter } from '../../http/openapi.ts';
import { deleteMibHandler, listMibsHandler, translateHandler, uploadMibsHandler } from './mibs.handlers.ts';
import { deleteMib, listMibs, translate, uploadMibs } from './mibs.routes.ts';

export function mibsRoutes({ snmp }: AppDeps) {
  return createRouter()
    .openapi(listMibs, listMibsHandler(snmp.mib))
    .openapi(uploadMibs, uploadMibsHandler(snmp.mib))
    .openapi(deleteMib, deleteMibHandler(snmp.mib))
    .openapi(translate, translateHandler(snmp.mib));
}
