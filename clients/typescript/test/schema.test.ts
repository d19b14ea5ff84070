import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_PATH, clientTypes } from '../../../scripts/client-types.ts';
import { OPENAPI_PATH } from '../../../scripts/openapi-document.ts';

const root = new URL('../../../', import.meta.url);

describe('the typed client', () => {
  it('has types generated from the committed document (run `npm run openapi` after changing routes)', async () => {
    const regenerated = await clientTypes(readFileSync(new URL(OPENAPI_PATH, root), 'utf8'));
    expect(readFileSync(new URL(CLIENT_TYPES_PATH, root), 'utf8')).toBe(regenerated);
  });
});
