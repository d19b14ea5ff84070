import type { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import type { AppEnv } from '../http/types.ts';
import { consoleRoutes } from './console/index.ts';
import { dhcpRoutes } from './dhcp/index.ts';
import { docsRoutes } from './docs/index.ts';
import { healthRoutes } from './health/index.ts';
import { metricsRoutes } from './metrics/index.ts';
import { mibsRoutes } from './mibs/index.ts';
import { snmpRoutes } from './snmp/index.ts';
import { socketRoutes } from './socket/index.ts';
import { trapsRoutes } from './traps/index.ts';

/** An area's routes: its routes/<area>/index.ts, given what the app is built from. */
export type AreaRoutes = (deps: AppDeps) => Hono<AppEnv>;

/** Every area, in the order the document lists them. */
export const AREAS: readonly AreaRoutes[] = [healthRoutes, snmpRoutes, mibsRoutes, trapsRoutes, dhcpRoutes, socketRoutes, docsRoutes, consoleRoutes, metricsRoutes];
