import { z } from '@hono/zod-openapi';
import type { Access } from '../../http/access.ts';
import { defineRoute, problemResponses, ProblemSchema } from '../../http/openapi.ts';
import {
  snmpRequestSchemas,
  SnmpTableResponseSchema,
  SnmpVarbindsResponseSchema,
  SnmpWalkResponseSchema,
  TableRowSchema,
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

const MANY_DESCRIPTION =
  'Many agents: give `targets` instead of `host` (the other fields are every target\'s defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`.';

const snmpErrors = () => problemResponses(401, 403, 413, 415, 422, 429, 502, 503, 504);

const TargetSchema = z.object({ host: z.string(), port: z.number().int() });

/** The answer to a many-target request: one result per target, the single-target body or its problem. */
function manyTargetsSchema<const S extends z.ZodObject>(single: S, id: string) {
  const index = z.number().int().optional().meta({ description: 'NDJSON only: the position in `targets`' });
  const ok = single.extend({ target: TargetSchema, ok: z.literal(true), index });
  const failed = z.object({ target: TargetSchema, ok: z.literal(false), index, error: ProblemSchema });
  return z
    .object({
      results: z.array(z.union([ok, failed])).meta({ description: 'In the order of `targets`' }),
      elapsedMs: z.number(),
    })
    .meta({ id, description: 'The answer to a request with `targets`' });
}

/**
 * A POST operation of the SNMP area, for one agent or many: its 200 is the single-target body or the
 * many-target results, and with `line` also NDJSON.
 */
function snmpOperation<const B extends z.ZodType, const S extends z.ZodObject>(
  access: Access,
  path: string,
  body: B,
  answers: { json: S; manyId: string; line?: z.ZodType },
  text: { summary: string; description: string; ok: string },
) {
  const json = { 'application/json': { schema: z.union([answers.json, manyTargetsSchema(answers.json, answers.manyId)]) } };
  return defineRoute(access, {
    method: 'post',
    path,
    tags: ['snmp'],
    summary: text.summary,
    description: `${text.description} ${TARGET_DESCRIPTION} ${MANY_DESCRIPTION} ${ERRORS_DESCRIPTION}`,
    request: { body: { content: { 'application/json': { schema: body } }, required: true } },
    responses: {
      200: { description: text.ok, content: answers.line ? { ...json, 'application/x-ndjson': { schema: answers.line } } : json },
      ...snmpErrors(),
    },
  });
}

const WALK_ANSWERS = { json: SnmpWalkResponseSchema, line: VarbindJsonSchema.meta({ description: 'One Varbind per line, then one summary or error line' }), manyId: 'SnmpWalkManyResponse' };
const WALK_TEXT = {
  summary: 'SNMP walk of a subtree (like snmpbulkwalk / snmpwalk)',
  description: `GETBULK on v2c/v3, GETNEXT on v1. Stops at the end of the subtree, on endOfMibView, on a non-increasing OID (reported in \`stopReason\` and \`nonIncreasingOid\`, never looped) and after maxVarbinds (\`truncated: true\`). A JSON walk reserves its maxVarbinds in the server's walk buffer before it starts; when the buffer (SNMP_WALK_BUFFER_VARBINDS) or the walk slots (SNMP_MAX_WALKS) are taken it answers 503 with Retry-After: stream with NDJSON, which buffers nothing, or lower maxVarbinds. With \`Accept: application/x-ndjson\` the varbinds stream one JSON object per line as they arrive (written 16 K characters at a time, and at most 20 ms after the reply that brought them); the last line is \`{"summary": {truncated, stopReason, nonIncreasingOid?, elapsedMs}}\`, or \`{"error": <problem>}\` when the walk failed after the first varbind (errors before it answer problem+json with their status). With targets, each walk is collected whole (JSON), at most SNMP_MAX_WALKS at once.`,
  ok: 'The subtree',
};

const TABLE_ANSWERS = { json: SnmpTableResponseSchema, line: TableRowSchema.meta({ description: 'The table description, one row per line, then one summary or error line' }), manyId: 'SnmpTableManyResponse' };
const TABLE_TEXT = {
  summary: 'SNMP table with decoded indexes (like snmptable)',
  description: `Reads a table row by row: every column walked together with GETBULK (maxRepetitions rows per round trip; GETNEXT on v1), so it costs no more round trips than snmptable. Each row has its instance suffix (\`index\`), the INDEX objects decoded from it (\`indexValues\`: integers, IpAddress, fixed and variable-length strings, OBJECT IDENTIFIER, the IMPLIED last index, InetAddressType + InetAddress), and one value per column (\`values\`, null when the agent returned no cell), with the MIB's names for enumerated values (\`enum\`), OBJECT IDENTIFIER values (\`valueName\`) and textual conventions (\`display\`) beside. \`augment\` joins tables that AUGMENT this one or share its INDEX (IF-MIB::ifXTable). A table no loaded MIB describes is read by number: rows keyed by the raw suffix, columns by sub-identifier. A JSON table reserves maxRows × columns in the walk buffer, like a JSON walk. With \`Accept: application/x-ndjson\`: first \`{table, index, columns}\`, then one row per line as the rows complete, then \`{"summary": {truncated, elapsedMs}}\` (or \`{"error": <problem>}\`).`,
  ok: 'The table',
};

/** The SNMP operations, their request schemas bounded by the server's limits. */
export function snmpRouteDefinitions(limits: SnmpRequestLimits) {
  const requests = snmpRequestSchemas(limits);

  const get = snmpOperation('read', '/snmp/get', requests.get, { json: SnmpVarbindsResponseSchema, manyId: 'SnmpGetManyResponse' }, {
    summary: 'SNMP GET (like snmpget)',
    description: 'Reads the given instances. A missing instance is a varbind with type NoSuchObject or NoSuchInstance, not an error (v2c/v3).',
    ok: 'The varbinds, in request order',
  });

  const getNext = snmpOperation('read', '/snmp/getnext', requests.get, { json: SnmpVarbindsResponseSchema, manyId: 'SnmpGetNextManyResponse' }, {
    summary: 'SNMP GETNEXT (like snmpgetnext)',
    description: 'Reads the instance after each given OID.',
    ok: 'The next varbind for each OID',
  });

  const bulk = snmpOperation('read', '/snmp/bulk', requests.bulk, { json: SnmpVarbindsResponseSchema, manyId: 'SnmpBulkManyResponse' }, {
    summary: 'SNMP GETBULK (like snmpbulkget); v2c and v3 only',
    description:
      "The first nonRepeaters OIDs get one GETNEXT each; the others up to maxRepetitions successors, in the agent's order (row by row). A tooBig answer is retried with fewer repetitions.",
    ok: 'The varbinds, in the order the agent sent them',
  });

  const walk = snmpOperation('read', '/snmp/walk', requests.walk, WALK_ANSWERS, WALK_TEXT);
  const table = snmpOperation('read', '/snmp/table', requests.table, TABLE_ANSWERS, TABLE_TEXT);

  const set = snmpOperation('write', '/snmp/set', requests.set, { json: SnmpVarbindsResponseSchema, manyId: 'SnmpSetManyResponse' }, {
    summary: 'SNMP SET (like snmpset); needs the write scope',
    description:
      "Each value is checked against its type before anything is sent. The agent's refusal (notWritable, wrongType, readOnly, …) is a 422 with `snmp: { status, index, oid }`.",
    ok: 'The varbinds as the agent confirmed them',
  });

  return { get, getNext, bulk, walk, table, set };
}

export type SnmpRoutes = ReturnType<typeof snmpRouteDefinitions>;
