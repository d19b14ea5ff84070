import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { AccessControl } from './access.ts';
import type { Principal } from './auth.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal?: Principal;
    /** The problem type of an error answer, for the request's log line. */
    problemType?: string;
    accessControl: AccessControl;
  };
}

/** A route's handler, typed from its definition (request schemas in, declared responses out). */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
