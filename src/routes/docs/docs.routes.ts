import { z, type RouteConfig } from '@hono/zod-openapi';
import { defineRoute } from '../../http/openapi.ts';

/**
 * Swagger UI and the OpenAPI document: open to everyone (so the Authorize button can be used), and hidden
 * from the document they serve.
 */

/** A GET route hidden from the document, open to everyone. */
function hiddenGet<const P extends string, const R extends RouteConfig['responses']>(path: P, responses: R) {
  return defineRoute('open', { hide: true, tags: ['docs'], method: 'get', path, responses });
}

const text = (description: string, type: string) => ({ description, content: { [type]: { schema: z.string() } } });

export const docsPage = hiddenGet('/docs', { 200: text('Swagger UI', 'text/html') });

export const docsSlash = hiddenGet('/docs/', { 301: { description: 'To /docs' } });

export const docsInit = hiddenGet('/docs/init.js', { 200: text('Swagger UI start-up script', 'text/javascript') });

export const docsAsset = defineRoute('open', {
  hide: true,
  tags: ['docs'],
  method: 'get',
  path: '/docs/assets/{file}',
  request: { params: z.object({ file: z.string() }) },
  responses: { 200: { description: 'A Swagger UI asset from the swagger-ui-dist package' }, 404: { description: 'No such asset' } },
});

export const openApiDocument = hiddenGet('/openapi.json', { 200: text('This OpenAPI 3.1 document', 'application/json') });
