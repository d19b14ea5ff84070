import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { notFoundProblem } from '../../http/errors.ts';
import { problemResponse } from '../../http/problem.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { docsAsset, docsInit, docsPage, docsSlash, openApiDocument } from './docs.routes.ts';

/** Asset file name → content type. A Map, so that `constructor` or `__proto__` is not an asset. */
const ASSETS = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['swagger-ui-standalone-preset.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>netprobe API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A separate file rather than an inline script, so a strict Content-Security-Policy can forbid inline scripts.
const INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  persistAuthorization: true,
  validatorUrl: null
});
`;

function swaggerUiDistPath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('swagger-ui-dist/package.json'), '..');
}

export function docsPageHandler(): AppRouteHandler<typeof docsPage> {
  return (c) => c.html(DOCS_HTML);
}

export function docsSlashHandler(): AppRouteHandler<typeof docsSlash> {
  return (c) => c.redirect('/docs', 301);
}

export function docsInitHandler(): AppRouteHandler<typeof docsInit> {
  return (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
}

/** Swagger UI's assets, served from the swagger-ui-dist package: no CDN, works offline. */
export function docsAssetHandler(): AppRouteHandler<typeof docsAsset> {
  const cache = new Map<string, Buffer>();
  let distPath: string | undefined;
  return async (c) => {
    const { file } = c.req.valid('param');
    const contentType = ASSETS.get(file);
    // Answered here: the app-wide notFound would see this GET route match the path and say 405.
    if (!contentType) return problemResponse(c, notFoundProblem(c.req.method, c.req.path)) as never;
    let body = cache.get(file);
    if (!body) {
      distPath ??= swaggerUiDistPath();
      body = await readFile(join(distPath, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': contentType, 'cache-control': 'public, max-age=86400' });
  };
}

/** The document, generated once from the routes the app mounted. */
export function openApiDocumentHandler(generate: () => object): AppRouteHandler<typeof openApiDocument> {
  let document: object | undefined;
  return (c) => c.json((document ??= generate()) as Record<string, unknown>, 200);
}
