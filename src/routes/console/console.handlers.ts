import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { contentTypeOf, fileServer, htmlPage, packageDir } from '../../http/static-files.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import { PROJECT_ROOT } from '../../paths.ts';
import type { consoleFile, consolePage, consoleSlash, consoleVendorFile } from './console.routes.ts';

/**
 * The console is plain ES modules, served as they are: its own from console/ in the project, preact, htm,
 * uPlot and eventsource-parser from their npm packages. No build step and no CDN: `npm ci && npm start`
 * serves it, and it works offline.
 */

/** console/ at the project's root (from src/routes/console or dist/routes/console alike). */
const CONSOLE_DIR = join(PROJECT_ROOT, 'console');

interface VendorFile {
  package: string;
  /** Path inside the package. */
  file: string;
  /** The bare specifier the console imports it by (the page's import map), for modules. */
  specifier?: string;
}

/** The npm files the console loads, served at /console/vendor/<package>/<file name>. */
const VENDOR_FILES: readonly VendorFile[] = [
  { package: 'preact', file: 'dist/preact.mjs', specifier: 'preact' },
  { package: 'preact', file: 'hooks/dist/hooks.mjs', specifier: 'preact/hooks' },
  { package: 'htm', file: 'dist/htm.mjs', specifier: 'htm' },
  { package: 'uplot', file: 'dist/uPlot.esm.js', specifier: 'uplot' },
  { package: 'uplot', file: 'dist/uPlot.min.css' },
  { package: 'eventsource-parser', file: 'dist/index.js', specifier: 'eventsource-parser' },
];

const vendorUrl = (vendor: VendorFile) => `/console/vendor/${vendor.package}/${basename(vendor.file)}`;

const IMPORT_MAP = JSON.stringify({
  imports: Object.fromEntries(VENDOR_FILES.flatMap((vendor) => (vendor.specifier ? [[vendor.specifier, vendorUrl(vendor)]] : []))),
});

/**
 * The page may run only its own scripts and the import map (by its hash), and talk only to this origin:
 * what the console shows comes from this service alone.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONSOLE_HTML = htmlPage(
  'netprobe console',
  [
    '<link rel="icon" href="/console/app/icon.svg" type="image/svg+xml">',
    ...VENDOR_FILES.filter((vendor) => vendor.file.endsWith('.css')).map((vendor) => `<link rel="stylesheet" href="${vendorUrl(vendor)}">`),
    '<link rel="stylesheet" href="/console/app/console.css">',
    `<script type="importmap">${IMPORT_MAP}</script>`,
    '<script type="module" src="/console/app/main.js"></script>',
  ],
  [
    '<div id="app"><p class="boot">Loading the console…</p></div>',
    '<noscript><p>The netprobe console needs JavaScript. The API is described at <a href="/docs">/docs</a>.</p></noscript>',
  ],
);

const NOSNIFF = { 'x-content-type-options': 'nosniff' };

export function consolePageHandler(): AppRouteHandler<typeof consolePage> {
  return (c) => c.html(CONSOLE_HTML, 200, { 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache', ...NOSNIFF });
}

export function consoleSlashHandler(): AppRouteHandler<typeof consoleSlash> {
  return (c) => c.redirect('/console', 301);
}

/** The console's own files: what console/ holds with a known content type, listed once. */
export function consoleFileHandler(): AppRouteHandler<typeof consoleFile> {
  const serve = fileServer(
    () =>
      new Map(
        readdirSync(CONSOLE_DIR)
          .filter((name) => !name.startsWith('.') && contentTypeOf(name) !== undefined)
          .map((name) => [name, join(CONSOLE_DIR, name)]),
      ),
    { 'cache-control': 'no-cache', ...NOSNIFF },
  );
  return (c) => serve(c, c.req.valid('param').file) as never;
}

export function consoleVendorFileHandler(): AppRouteHandler<typeof consoleVendorFile> {
  const serve = fileServer(
    () => new Map(VENDOR_FILES.map((vendor) => [`${vendor.package}/${basename(vendor.file)}`, join(packageDir(vendor.package), vendor.file)])),
    { 'cache-control': 'public, max-age=86400', ...NOSNIFF },
  );
  return (c) => {
    const { package: name, file } = c.req.valid('param');
    return serve(c, `${name}/${file}`) as never;
  };
}
