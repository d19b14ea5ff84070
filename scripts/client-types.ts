import openapiTS, { astToString } from 'openapi-typescript';

/** The typed client's types, generated from the committed document by openapi-typescript. */
export const CLIENT_TYPES_PATH = 'clients/typescript/src/schema.ts';

const HEADER = `/**
 * Generated from openapi/openapi.json by openapi-typescript (\`npm run openapi\`). Do not edit:
 * clients/typescript/test/schema.test.ts fails while this file differs from what the document gives.
 */

`;

export async function clientTypes(documentJson: string): Promise<string> {
  // defaultNonNullable off: a field with a default may be left out of a request.
  const ast = await openapiTS(JSON.parse(documentJson), { defaultNonNullable: false });
  return `${HEADER}${astToString(ast)}`;
}
