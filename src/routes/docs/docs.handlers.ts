import { join } from 'node:path';
import { fileServer, htmlPage, packageDir } from '../../http/static-files.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { docsAsset, docsInit, docsPage, docsSlash, openApiDocument } from './docs.routes.ts';

/** The Swagger UI assets the page loads, from the swagger-ui-dist package. */
const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png'];

const DOCS_HTML = htmlPage(
  'netprobe API',
  ['<link rel="stylesheet" href="/docs/assets/swagger-ui.css">', '<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">'],
  [
    '<div id="swagger-ui"></div>',
    '<script src="/docs/assets/swagger-ui-bundle.js"></script>',
    '<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>',
    '<script src="/docs/init.js"></script>',
  ],
);

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
  const serve = fileServer(() => {
    const dist = packageDir('swagger-ui-dist');
    return new Map(ASSETS.map((file) => [file, join(dist, file)]));
  }, { 'cache-control': 'public, max-age=86400' });
  return (c) => serve(c, c.req.valid('param').file) as never;
}

/** The document, generated once from the routes the app mounted. */
export function openApiDocumentHandler(generate: () => object): AppRouteHandler<typeof openApiDocument> {
  let document: object | undefined;
  return (c) => c.json((document ??= generate()) as Record<string, unknown>, 200);
}
