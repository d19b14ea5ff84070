import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';
import { MibListResponseSchema, MibModuleParamsSchema, MibUploadResponseSchema, TranslateQuerySchema, TranslateResponseSchema } from '../../snmp/schemas.ts';


export const listMibs = defineRoute('read', {
  method: 'get',
  path: '/snmp/mibs',
  tags: ['mibs'],
  summary: 'The loaded MIB modules',
  description:
    'Every loaded module with where it came from (bundled: the standard set shipped with the service; dir: SNMP_MIB_DIRS; uploaded: POST /snmp/mibs) and how many objects it defines, and the files or modules that could not be loaded, with the reason.',
  responses: { 200: jsonContent(MibListResponseSchema, 'The modules'), ...problemResponses(401, 403, 429) },
});

export const uploadMibs = defineRoute('write', {
  method: 'post',
  path: '/snmp/mibs',
  tags: ['mibs'],
  summary: 'Load MIB modules without a restart',
  description:
    "One module as the raw body (`curl --data-binary @ACME-MIB.txt -H 'content-type: text/plain'`; `Content-Disposition: attachment; filename=…` names it in errors), or several as multipart form files. They are parsed and checked together: any syntax error, IMPORTS of a module that is not loaded (bundled, SNMP_MIB_DIRS, uploaded before, or in the same upload), or an object whose OID does not resolve refuses the whole upload with 422 and `mibErrors: [{file, line, module?, message, missingImports?}]`. A module of the same name as a loaded one replaces it. Loaded modules are kept in MIB_STORE_DIR, and loaded again at start. The body is bounded by BODY_LIMIT_BYTES, the uploaded modules by SNMP_MIB_UPLOAD_MAX_MODULES.",
  request: {
    body: {
      required: true,
      content: {
        'text/plain': { schema: { type: 'string', description: 'The text of one MIB file' } },
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } }, description: 'MIB files as form files (any field name)' },
        },
      },
    },
  },
  responses: { 200: jsonContent(MibUploadResponseSchema, 'The modules now loaded'), ...problemResponses(401, 403, 413, 415, 422, 429) },
});

export const deleteMib = defineRoute('write', {
  method: 'delete',
  path: '/snmp/mibs/{module}',
  tags: ['mibs'],
  summary: 'Remove an uploaded MIB module',
  description:
    'Unloads an uploaded module and deletes it from MIB_STORE_DIR. 404 when no module has the name; 409 for a bundled or SNMP_MIB_DIRS module, or one that other loaded modules import (delete those first). When the upload had replaced a bundled module, the bundled one is back.',
  request: { params: MibModuleParamsSchema },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404, 409, 429) },
});

export const translate = defineRoute('read', {
  method: 'get',
  path: '/snmp/translate',
  tags: ['mibs'],
  summary: 'Translate between MIB names and OIDs (like snmptranslate)',
  description:
    'Give `name` (IF-MIB::ifOperStatus.2, ifOperStatus, sysName.0) or `oid` (1.3.6.1.2.1.2.2.1.8.2): the answer has the OID, the name with its instance, the syntax (with its textual conventions, DISPLAY-HINT, enums and sizes), access, status, units, description, and for table entries the INDEX or AUGMENTS. An OID no loaded MIB knows any prefix of is 404; an unknown name is 400.',
  request: { query: TranslateQuerySchema },
  responses: { 200: jsonContent(TranslateResponseSchema, 'What the MIB says'), ...problemResponses(401, 403, 404, 429) },
});
