import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import type { Context } from 'hono';
import { notFoundProblem } from './errors.ts';
import { problemResponse } from './problem.ts';
import type { AppEnv } from './types.ts';

/**
 * Files served as they are from the project or from npm packages (Swagger UI's assets, the console's): no
 * CDN, so the pages work offline. Only names in the given table are served, so no path from a request
 * ever reaches the file system.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function contentTypeOf(file: string): string | undefined {
  return Object.hasOwn(CONTENT_TYPES, extname(file)) ? CONTENT_TYPES[extname(file)] : undefined;
}

/** The folder of an installed npm package, found as Node would find the package (also when its `exports` hide package.json). */
export function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`package ${name} is not installed`);
}

/** Name → absolute path: which files a route may serve. A Map, so that `constructor` or `__proto__` is never a file. */
export type FileTable = ReadonlyMap<string, string>;

/**
 * Serves `name` from the table (read once, then kept in memory) with its content type, or answers 404
 * problem+json. Answered here: the app-wide notFound would see the matched GET route and say 405.
 */
export function fileServer(table: () => FileTable, headers: Record<string, string> = {}) {
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  let files: FileTable | undefined;
  return async (c: Context<AppEnv>, name: string): Promise<Response> => {
    files ??= table();
    const path = files.get(name);
    const contentType = path === undefined ? undefined : contentTypeOf(path);
    if (path === undefined || contentType === undefined) return problemResponse(c, notFoundProblem(c.req.method, c.req.path));
    let body = cache.get(name);
    if (!body) {
      body = new Uint8Array(await readFile(path));
      cache.set(name, body);
    }
    return c.body(body, 200, { 'content-type': contentType, ...headers });
  };
}

/** A page of ours (Swagger UI, the console): the HTML around its title, head elements and body. */
export function htmlPage(title: string, head: string[], body: string[]): string {
  const indent = (lines: string[]) => lines.map((line) => `  ${line}\n`).join('');
  return `<!doctype html>\n<html lang="en">\n<head>\n${indent(['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${title}</title>`, ...head])}</head>\n<body>\n${indent(body)}</body>\n</html>\n`;
}
