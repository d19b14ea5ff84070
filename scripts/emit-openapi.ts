import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument, OPENAPI_PATH } from './openapi-document.ts';

const target = process.argv[2] ?? fileURLToPath(new URL(`../${OPENAPI_PATH}`, import.meta.url));
writeFileSync(target, openApiDocument());
console.log(`wrote ${target}`);
