import { createRouter } from '../../http/openapi.ts';
import { docsAssetHandler, docsInitHandler, docsPageHandler, docsSlashHandler } from './docs.handlers.ts';
import { docsAsset, docsInit, docsPage, docsSlash } from './docs.routes.ts';

export function docsRoutes() {
  return createRouter()
    .openapi(docsPage, docsPageHandler())
    .openapi(docsSlash, docsSlashHandler())
    .openapi(docsInit, docsInitHandler())
    .openapi(docsAsset, docsAssetHandler());
}
