import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import type { AppDeps } from '../../src/deps.ts';
import { defaultConfig, type Config, type DeepPartial } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { depsFor } from './deps.ts';

/** A log sink that keeps every line, so tests can assert what was (not) logged. */
export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream, text: () => lines.join('\n') };
}

export function testDeps(overrides: DeepPartial<Config> = {}, logLevel = 'silent'): AppDeps & { logs: ReturnType<typeof captureLogs> } {
  const logs = captureLogs();
  const deps = depsFor(defaultConfig(overrides), createLogger(logLevel, logs.stream));
  deps.readiness.set('http', 'up');
  return { ...deps, logs };
}

export function testApp(overrides: DeepPartial<Config> = {}) {
  const deps = testDeps(overrides);
  return { app: createApp(deps), deps };
}

export function jsonRequest(path: string, body: unknown, init: RequestInit = {}): Request {
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
