import { z, type RouteConfig } from '@hono/zod-openapi';
import { defineRoute } from '../../http/openapi.ts';

/**
 * The browser console: a page and its static files, open to everyone (the page asks for a token and sends
 * it with each API call it makes) and hidden from the document.
 */

/** A GET route of the console, hidden from the document, open to everyone. */
function consoleGet<const P extends string, const R extends RouteConfig['request'], const S extends RouteConfig['responses']>(
  path: P,
  request: R,
  responses: S,
) {
  return defineRoute('open', { hide: true, tags: ['console'], method: 'get', path, request, responses });
}

const FILE_NAME = z.string().max(128);

export const consolePage = consoleGet('/console', {}, { 200: { description: 'The console', content: { 'text/html': { schema: z.string() } } } });

export const consoleSlash = consoleGet('/console/', {}, { 301: { description: 'To /console' } });

export const consoleFile = consoleGet(
  '/console/app/{file}',
  { params: z.object({ file: FILE_NAME }) },
  { 200: { description: "A file of the console's own (console/ in the project)" }, 404: { description: 'No such file' } },
);

export const consoleVendorFile = consoleGet(
  '/console/vendor/{package}/{file}',
  { params: z.object({ package: FILE_NAME, file: FILE_NAME }) },
  { 200: { description: 'A file from an npm package the console uses' }, 404: { description: 'No such file' } },
);
