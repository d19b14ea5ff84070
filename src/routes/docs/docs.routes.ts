import { z } from '@hono/zod-openapi';
import { defineRoute } from '../../http/openapi.ts';

/**
 * Swagger UI and the OpenAPI document: open to everyone (so the Authorize button can be used), and hidden
 * from the document they serve.
 */

const hidden = { hide: true, tags: ['docs'] };

export const docsPage = defineRoute('open', {
  ...hidden,
  method: 'get',
  path: '/docs',
  responses: { 200: { description: 'Swagger UI', content: { 'text/html': { schema: z.string() } } } },
});

export const docsSlash = defineRoute('open', {
  ...hidden,
  method: 'get',
  path: '/docs/',
  responses: { 301: { description: 'To /docs' } },
});

export const docsInit = defineRoute('open', {
  ...hidden,
  method: 'get',
  path: '/docs/init.js',
  responses: { 200: { description: 'Swagger UI start-up script', content: { 'text/javascript': { schema: z.string() } } } },
});

export const docsAsset = defineRoute('open', {
  ...hidden,
  method: 'get',
  path: '/docs/assets/{file}',
  request: { params: z.object({ file: z.string() }) },
  responses: { 200: { description: 'A Swagger UI asset from the swagger-ui-dist package' }, 404: { description: 'No such asset' } },
});

export const openApiDocument = defineRoute('open', {
  ...hidden,
  method: 'get',
  path: '/openapi.json',
  responses: { 200: { description: 'This OpenAPI 3.1 document', content: { 'application/json': { schema: z.object({}).catchall(z.unknown()) } } } },
});
