import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLIENT_TYPES_PATH, clientTypes } from './client-types.ts';
import { OPENAPI_PATH } from './openapi-document.ts';

const root = new URL('../', import.meta.url);
const target = fileURLToPath(new URL(CLIENT_TYPES_PATH, root));
writeFileSync(target, await clientTypes(readFileSync(new URL(OPENAPI_PATH, root), 'utf8')));
console.log(`wrote ${target}`);
