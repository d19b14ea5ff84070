import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { buildDeps, targetPolicy } from '../../src/deps.ts';
import type { DhcpClient } from '../../src/dhcp/client.ts';
import { AdapterError } from '../../src/errors.ts';
import { OPENAPI_DOCUMENT_CONFIG } from '../../src/http/openapi.ts';
import { TargetResolver } from '../../src/net/resolve.ts';
import { defaultConfig } from '../../src/config.ts';
import { testFoundations } from '../helpers/deps.ts';
import { arbitraryFor, type JsonSchema } from '../helpers/json-schema-arbitrary.ts';
import { closedPort } from '../helpers/probe-peers.ts';

/**
 * Property-based fuzz of every POST body (issue #11, standing campaign): bodies generated from each route's
 * request schema in the OpenAPI document, then mutated. Whatever arrives, the answer is 2xx JSON or a
 * problem+json with a status the route documents, never a 500.
 *
 * Safety: the real SNMP and probe adapters run, but nothing leaves loopback. Every name "resolves" to
 * 127.0.0.1 without DNS, every port is rewritten to one closed port, the policy allows only that port on
 * 127.0.0.1 and ::1 (any other literal is refused before a packet is sent), timeouts are at most 50 ms with
 * no retries, and DHCP is a fake (the real client binds interfaces).
 */

const SEED = 110_511;
const RUNS_PER_ROUTE = 250;
const SAFE_TIMEOUT_MS = 50;

interface FuzzRequest {
  kind: string;
  contentType?: string;
  body: string;
}

interface Operation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}

let app: App;
let closed: number;
let routes: { path: string; schema: JsonSchema; statuses: Set<number> }[];
let components: Record<string, JsonSchema>;

const fakeDhcp: DhcpClient = {
  async discover(input) {
    if (input.mode === 'relay') throw new AdapterError('TIMEOUT', 'dhcp', 'no answer (fake client)');
    return {
      mode: 'broadcast',
      xid: '0000abcd',
      mac: '02:00:00:00:00:01',
      interface: input.interface ?? 'eth9',
      timeoutMs: SAFE_TIMEOUT_MS,
      offers: [],
      servers: [],
      unexpectedServers: [],
      malformedReplies: 0,
      durationMs: 1,
    };
  },
};

beforeAll(async () => {
  closed = await closedPort('tcp');
  const config = defaultConfig({ policy: { allow: [`127.0.0.1/32@${closed}`, `::1/128@${closed}`] }, traps: { enabled: false } });
  // Every area resolves through this one resolver: names never reach DNS, whatever the generator makes up.
  const resolver = new TargetResolver(targetPolicy(config, []), async () => [{ address: '127.0.0.1', family: 4 }]);
  const deps = buildDeps(config, { ...testFoundations(config), resolver });
  deps.dhcp = fakeDhcp;
  app = createApp(deps);

  const document = app.getOpenAPI31Document(OPENAPI_DOCUMENT_CONFIG) as unknown as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  components = document.components.schemas;
  routes = Object.entries(document.paths).flatMap(([path, operations]) => {
    const post = operations.post;
    const schema = post?.requestBody?.content['application/json']?.schema;
    const statuses = new Set(Object.keys(post?.responses ?? {}).map(Number));
    return post && schema ? [{ path, schema, statuses }] : [];
  });
});

/** Keeps a generated body harmless: short timeouts, no retries, the closed port. */
function harmless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(harmless);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'number' && key === 'timeoutMs') copy[key] = Math.min(field, SAFE_TIMEOUT_MS);
    else if (typeof field === 'number' && key === 'retries') copy[key] = 0;
    else if (typeof field === 'number' && key === 'port') copy[key] = closed;
    else copy[key] = harmless(field);
  }
  return copy;
}

const HOSTS = ['127.0.0.1', '::1', '[::1]', '0.0.0.0', '::', 'localhost', 'agent.example', '192.0.2.1', '2001:db8::1', '169.254.169.254'];
const OIDS = ['1.3.6.1.2.1.1.5.0', 'SNMPv2-MIB::sysName.0', 'IF-MIB::ifDescr', '1.3.6.1', '1.3.6.1.4.1.99999.1', 'sysUpTime.0', '0.0', '2.999.1'];
const oid = fc.constantFrom(...OIDS);
/** Values the schema cannot describe (see ConvertOptions.hints); `port` is rewritten by harmless() anyway. */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  host: fc.constantFrom(...HOSTS),
  server: fc.constantFrom(...HOSTS),
  oid,
  oids: fc.array(oid, { minLength: 1, maxLength: 3 }),
  table: fc.constantFrom('IF-MIB::ifTable', 'ifXEntry', 'TCP-MIB::tcpConnTable', '1.3.6.1.4.1.99999.1', 'sysName', 'NOPE-MIB::x'),
  columns: fc.option(fc.constantFrom(['ifDescr'], ['ifDescr', 'ifOperStatus'], ['nope']), { nil: undefined }),
  augment: fc.option(fc.constantFrom(['IF-MIB::ifXTable'], ['TCP-MIB::tcpConnTable']), { nil: undefined }),
  expect: fc.constantFrom('^220 ', '^(a+)+$', '(?P<code>\\d{3})', 'x'),
  expectFlags: fc.constantFrom(undefined, 'i', 'ms'),
  credentials: fc.constant(undefined),
  user: fc.constant(undefined),
  version: fc.constantFrom('1', '2c'),
  varbinds: fc.array(
    fc.constantFrom(
      { oid: OIDS[0], type: 'OctetString', value: 'router1' },
      { oid: OIDS[0], type: 'Integer', value: -5 },
      { oid: OIDS[0], type: 'IpAddress', value: '192.0.2.1' },
      { oid: OIDS[0], type: 'Counter64', value: '18446744073709551615' },
      { oid: OIDS[0], type: 'ObjectIdentifier', value: OIDS[1] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  targets: fc.option(fc.array(fc.record({ host: fc.constantFrom(...HOSTS) }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  concurrency: fc.constant(undefined),
  tls: fc.constantFrom(undefined, { insecure: true }, { servername: 'probe.test', alpn: ['h2'] }),
};

const ODD_STRINGS = ['', ' ', '\u0000', '\ud800', '\u202e', '../../etc/passwd', '%00', '${7*7}', '__proto__', 'constructor', '0.0.0.0', '::', '1.3.6.1.2.1.1.5.0', 'x'.repeat(70_000)];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 0.5, -0, 4294967296];
const ODD_VALUES: unknown[] = [null, true, [], {}, [[]], { a: 1 }, ...ODD_STRINGS, ...HUGE_NUMBERS];
const INVALID_JSON = ['', '{', '{"a":1,}', '\ufeff{}', "{'a':1}", '[1,2', 'nul', '{"a":1}{"b":2}', '1e999999', 'NaN', '{"a":"\\x41"}', '"\\ud800"'];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx', 'application/problem+json', ''];

/** Replaces, removes or adds one key somewhere in the body. */
function mutateKey(body: unknown, pick: number, change: 'replace' | 'remove' | 'add', value: unknown): unknown {
  const objects: Record<string, unknown>[] = [];
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') {
      objects.push(node as Record<string, unknown>);
      Object.values(node).forEach(collect);
    }
  };
  const copy = structuredClone(body);
  collect(copy);
  const target = objects[pick % Math.max(objects.length, 1)];
  if (!target) return value;
  const keys = Object.keys(target);
  const key = keys[pick % Math.max(keys.length, 1)];
  if (change === 'add' || key === undefined) target[`extra${pick % 7}`] = value;
  else if (change === 'remove') delete target[key];
  else target[key] = value;
  return copy;
}

function deeplyNested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function requests(schema: JsonSchema): fc.Arbitrary<FuzzRequest> {
  const valid = arbitraryFor(schema, { components, hints: HINTS }).map(harmless);
  const json = (kind: string) => (body: unknown): FuzzRequest => ({ kind, contentType: 'application/json', body: JSON.stringify(harmless(body)) ?? '' });
  const change = fc.constantFrom('replace' as const, 'remove' as const, 'add' as const);
  return fc.oneof(
    { weight: 5, arbitrary: valid.map(json('valid')) },
    { weight: 3, arbitrary: fc.tuple(valid, fc.nat(), change, fc.constantFrom(...ODD_VALUES)).map(([b, pick, how, value]) => json(`${how}-key`)(mutateKey(b, pick, how, value))) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([b, pick, value]) => json('random-value')(mutateKey(b, pick, 'replace', value))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('random-json')) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => ({ kind: 'deep', contentType: 'application/json', body: deeplyNested(depth, kind) })) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...INVALID_JSON), fc.string()).map((body) => ({ kind: 'invalid-json', contentType: 'application/json', body })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...CONTENT_TYPES)).map(([b, contentType]) => ({ kind: 'content-type', contentType: contentType || undefined, body: JSON.stringify(b) ?? '' })) },
  );
}

async function send(path: string, request: FuzzRequest): Promise<Response> {
  const headers: Record<string, string> = request.contentType ? { 'content-type': request.contentType } : {};
  return app.request(new Request(`http://localhost${path}`, { method: 'POST', headers, body: request.body }));
}

describe('fuzzing every POST body', () => {
  it('finds the POST routes in the document', () => {
    const paths = routes.map((route) => route.path);
    expect(paths).toEqual(expect.arrayContaining(['/dhcp/discover', '/snmp/bulk', '/snmp/get', '/snmp/getnext', '/snmp/set', '/snmp/table', '/snmp/walk', '/socket/probe']));
  });

  it('answers 2xx JSON or a documented problem+json, never 500', { timeout: 60_000 }, async () => {
    const seen: Record<string, Record<string, number>> = {};
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(requests(route.schema), async (request) => {
          const response = await send(route.path, request);
          const contentType = response.headers.get('content-type') ?? '';
          const text = await response.text();
          const where = `${route.path} ${request.kind} → ${response.status} ${contentType} ${text.slice(0, 300)}`;
          expect(response.status, where).not.toBe(500);
          if (response.status < 300) {
            expect(contentType, where).toMatch(/^application\/json/);
          } else {
            expect(route.statuses.has(response.status), `undocumented status: ${where}`).toBe(true);
            expect(contentType, where).toMatch(/^application\/problem\+json/);
            expect(JSON.parse(text), where).toMatchObject({ status: response.status, type: expect.stringMatching(/^\/problems\//) });
          }
          const counts = (seen[route.path] ??= {});
          counts[response.status] = (counts[response.status] ?? 0) + 1;
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE },
      );
    }
    // The generator reaches past validation on every route: some bodies are valid and run the adapters.
    for (const route of routes) {
      const beyondValidation = Object.keys(seen[route.path]).filter((status) => !['400', '413', '415'].includes(status));
      expect(beyondValidation.length, `${route.path}: ${JSON.stringify(seen[route.path])}`).toBeGreaterThan(0);
    }
  });
});
