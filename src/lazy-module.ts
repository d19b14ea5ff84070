import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * A loader of the package `name` on first use (synchronously, through require: ioredis, koffi, re2js and yaml
 * are CommonJS or ship it), so that a service whose settings never need it does not carry it in memory
 * (test/unit/lazy-libraries.test.ts checks which are left out at start).
 */
export function loadOnFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(name) as T);
}
