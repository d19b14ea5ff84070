import { createRouter } from '../../http/openapi.ts';
import { consoleFileHandler, consolePageHandler, consoleSlashHandler, consoleVendorFileHandler } from './console.handlers.ts';
import { consoleFile, consolePage, consoleSlash, consoleVendorFile } from './console.routes.ts';

/** The browser console (GET /console): static files only, so it adds nothing to the API's requests. */
export function consoleRoutes() {
  const router = createRouter();
  // The page, then the files it loads.
  router.openapi(consolePage, consolePageHandler()).openapi(consoleSlash, consoleSlashHandler());
  router.openapi(consoleFile, consoleFileHandler()).openapi(consoleVendorFile, consoleVendorFileHandler());
  return router;
}
