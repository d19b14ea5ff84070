import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { DhcpClient } from '../../src/dhcp/client.ts';
import { OPENAPI_DOCUMENT_CONFIG } from '../../src/http/openapi.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';

/**
 * The examples in the document run as they stand (issue #16, item 1): Swagger UI's Try it out sends exactly
 * them, so each must validate against its own schema, aim at loopback, and get past validation.
 */

interface Operation {
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: { name: string; in: string; example?: unknown; schema?: { example?: unknown } }[];
  description?: string;
}

const fakeDhcp: DhcpClient = {
  discover: async (input) => ({
    mode: input.mode,
    xid: '00000001',
    mac: '02:00:00:00:00:01',
    timeoutMs: input.timeoutMs,
    offers: [],
    servers: [],
    unexpectedServers: [],
    malformedReplies: 0,
    durationMs: 1,
  }),
};

const deps = testDeps();
const app = createApp({ ...deps, dhcp: fakeDhcp });
const doc = app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

function resolve(schema: Record<string, unknown>): Record<string, unknown> {
  const ref = schema.$ref as string | undefined;
  return ref ? doc.components.schemas[ref.split('/').pop()!] : schema;
}

const bodies = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, op]) => {
    const schema = op.requestBody?.content['application/json']?.schema;
    return schema ? [{ path, method, schema, resolved: resolve(schema) }] : [];
  }),
);

describe('request examples', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  it('every operation with a body has an example of the whole body', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(7);
    for (const { path, resolved } of bodies) expect(resolved.example, path).toBeDefined();
  });

  it.each(bodies.map((b) => [b.path, b] as const))('%s: its example validates against its own schema and aims at loopback', (_path, body) => {
    const validate = ajv.compile({ ...body.resolved, components: doc.components });
    const valid = validate(body.resolved.example);
    expect(valid, JSON.stringify(validate.errors)).toBe(true);
    const example = body.resolved.example as Record<string, unknown>;
    for (const key of ['host', 'server', 'relayAddress']) if (example[key] !== undefined) expect(example[key], key).toMatch(/^127\./);
  });

  it.each(bodies.map((b) => [b.path, b] as const))('%s: its example, sent as it stands, gets past validation', async (path, body) => {
    const res = await app.request(jsonRequest(path, body.resolved.example));
    expect(res.status, await res.clone().text()).not.toBe(400);
  });
});

describe('query parameters and streams', () => {
  it('no filter parameter is pre-filled (an example would narrow what Try it out shows)', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const param of item.get?.parameters ?? []) {
        if (param.in !== 'query') continue;
        expect(param.example ?? param.schema?.example, `${path} ?${param.name}`).toBeUndefined();
      }
    }
  });

  it('the SSE operation says that Try it out cannot show a stream, and gives the curl line', () => {
    expect(doc.paths['/snmp/traps'].get.description).toMatch(/Swagger UI cannot show a stream/);
    expect(doc.paths['/snmp/traps'].get.description).toMatch(/curl -N/);
  });
});
