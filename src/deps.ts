import type { AppDeps } from './app.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { Readiness } from './readiness.ts';

/** Builds the real adapters. No I/O here either: listeners are started by main.ts. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  return {
    config,
    logger,
    readiness: new Readiness(),
  };
}
