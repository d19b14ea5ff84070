import { createRouter } from '../../http/openapi.ts';
import { consoleFileHandler, consolePageHandler, consoleSlashHandler, consoleVendorFileHandler } from './console.handlers.ts';
import { consoleFile, consolePage, consoleSlash, consoleVendorFile } from './console.routes.ts';

/** The browser console (GET /console): static files only, so it adds nothing to the API's requests. */
export function consoleRoutes() {
  return createRouter()
    .openapi(consolePage, consolePageHandler())
    .openapi(consoleSlash, consoleSlashHandler())
    .openapi(consoleFile, consoleFileHandler())
    .openapi(consoleVendorFile, consoleVendorFileHandler());
}
