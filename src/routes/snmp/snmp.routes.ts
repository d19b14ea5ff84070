import type { z } from '@hono/zod-openapi';
import type { Access } from '../../http/access.ts';
import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';
import {
  snmpRequestSchemas,
  SnmpVarbindsResponseSchema,
  SnmpWalkResponseSchema,
  VarbindJsonSchema,
  type SnmpRequestLimits,
} from '../../snmp/schemas.ts';

const ERRORS_DESCRIPTION = [
  'Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1);',
  '`/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId);',
  '`/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`;',
  '`/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve;',
  '`/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.',
].join(' ');

const TARGET_DESCRIPTION =
  'OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed.';

const snmpErrors = () => problemResponses(401, 403, 413, 415, 422, 429, 502, 503, 504);

/** A POST operation on the SNMP area whose answer is the varbinds. */
function varbindsOperation<const B extends z.ZodType>(access: Access, path: string, body: B, text: { summary: string; description: string; ok: string }) {
  return defineRoute(access, {
    method: 'post',
    path,
    tags: ['snmp'],
    summary: text.summary,
    description: `${text.description} ${TARGET_DESCRIPTION} ${ERRORS_DESCRIPTION}`,
    request: { body: { content: { 'application/json': { schema: body } }, required: true } },
    responses: { 200: jsonContent(SnmpVarbindsResponseSchema, text.ok), ...snmpErrors() },
  });
}

/** The SNMP operations, their request schemas bounded by the server's limits. */
export function snmpRouteDefinitions(limits: SnmpRequestLimits) {
  const requests = snmpRequestSchemas(limits);

  const get = varbindsOperation('read', '/snmp/get', requests.get, {
    summary: 'SNMP GET (like snmpget)',
    description: 'Reads the given instances. A missing instance is a varbind with type NoSuchObject or NoSuchInstance, not an error (v2c/v3).',
    ok: 'The varbinds, in request order',
  });

  const getNext = varbindsOperation('read', '/snmp/getnext', requests.get, {
    summary: 'SNMP GETNEXT (like snmpgetnext)',
    description: 'Reads the instance after each given OID.',
    ok: 'The next varbind for each OID',
  });

  const bulk = varbindsOperation('read', '/snmp/bulk', requests.bulk, {
    summary: 'SNMP GETBULK (like snmpbulkget); v2c and v3 only',
    description:
      "The first nonRepeaters OIDs get one GETNEXT each; the others up to maxRepetitions successors, in the agent's order (row by row). A tooBig answer is retried with fewer repetitions.",
    ok: 'The varbinds, in the order the agent sent them',
  });

  const walk = defineRoute('read', {
    method: 'post',
    path: '/snmp/walk',
    tags: ['snmp'],
    summary: 'SNMP walk of a subtree (like snmpbulkwalk / snmpwalk)',
    description: `GETBULK on v2c/v3, GETNEXT on v1. Stops at the end of the subtree, on endOfMibView, on a non-increasing OID (reported in \`stopReason\` and \`nonIncreasingOid\`, never looped) and after maxVarbinds (\`truncated: true\`). A JSON walk reserves its maxVarbinds in the server's walk buffer before it starts; when the buffer (SNMP_WALK_BUFFER_VARBINDS) or the walk slots (SNMP_MAX_WALKS) are taken it answers 503 with Retry-After: stream with NDJSON, which buffers nothing, or lower maxVarbinds. With \`Accept: application/x-ndjson\` the varbinds stream one JSON object per line as they arrive; the last line is \`{"summary": {truncated, stopReason, nonIncreasingOid?, elapsedMs}}\`, or \`{"error": <problem>}\` when the walk failed after the first varbind (errors before it answer problem+json with their status). ${TARGET_DESCRIPTION} ${ERRORS_DESCRIPTION}`,
    request: { body: { content: { 'application/json': { schema: requests.walk } }, required: true } },
    responses: {
      200: {
        description: 'The subtree',
        content: {
          'application/json': { schema: SnmpWalkResponseSchema },
          'application/x-ndjson': {
            schema: VarbindJsonSchema.meta({ description: 'One Varbind per line, then one summary or error line' }),
          },
        },
      },
      ...snmpErrors(),
    },
  });

  const set = varbindsOperation('write', '/snmp/set', requests.set, {
    summary: 'SNMP SET (like snmpset); needs the write scope',
    description:
      "Each value is checked against its type before anything is sent. The agent's refusal (notWritable, wrongType, readOnly, …) is a 422 with `snmp: { status, index, oid }`.",
    ok: 'The varbinds as the agent confirmed them',
  });

  return { get, getNext, bulk, walk, set };
}

export type SnmpRoutes = ReturnType<typeof snmpRouteDefinitions>;
