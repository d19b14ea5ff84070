import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { testDeps } from '../helpers/app.ts';

/**
 * Bad bodies, one field wrong at a time: every one answers 400 problem+json, never 500, and no packet is
 * sent (the target is TEST-NET-1 on a closed port: a request that got through would time out instead).
 */

const deps = testDeps();
const app = createApp(deps);

const BASE = { host: '127.0.0.1', port: 16161, timeoutMs: 10, retries: 0 }; // loopback: a case that wrongly passed would send nowhere else
const V3_PRIV = { name: 'u', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-pass-1', privProtocol: 'aes', privKey: 'priv-pass-1' };

async function post(path: string, body: unknown, contentType = 'application/json') {
  const res = await app.request(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: contentType ? { 'content-type': contentType } : {},
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

const targetCases: [string, Record<string, unknown>][] = [
  ['host missing', { host: undefined }],
  ['host empty', { host: '' }],
  ['host not a name', { host: 'not a host!' }],
  ['host a number', { host: 42 }],
  ['port 0', { port: 0 }],
  ['port too big', { port: 70000 }],
  ['port a string', { port: '161' }],
  ['port fractional', { port: 161.5 }],
  ['version unknown', { version: '2' }],
  ['version a number', { version: 3 }],
  ['community empty', { community: '' }],
  ['community not a string', { community: ['public'] }],
  ['v3 without user', { version: '3' }],
  ['user not an object', { version: '3', user: 'admin' }],
  ['user name missing', { version: '3', user: { level: 'noAuthNoPriv' } }],
  ['user level unknown', { version: '3', user: { name: 'u', level: 'authAndPriv' } }],
  ['authNoPriv without authKey', { version: '3', user: { name: 'u', level: 'authNoPriv', authProtocol: 'sha' } }],
  ['authNoPriv without authProtocol', { version: '3', user: { name: 'u', level: 'authNoPriv', authKey: 'auth-pass-1' } }],
  ['authProtocol unknown', { version: '3', user: { ...V3_PRIV, authProtocol: 'sha3' } }],
  ['authKey too short', { version: '3', user: { ...V3_PRIV, authKey: 'short' } }],
  ['authPriv without privKey', { version: '3', user: { ...V3_PRIV, privKey: undefined } }],
  ['authPriv without privProtocol', { version: '3', user: { ...V3_PRIV, privProtocol: undefined } }],
  ['privProtocol unknown', { version: '3', user: { ...V3_PRIV, privProtocol: '3des' } }],
  ['privKey too short', { version: '3', user: { ...V3_PRIV, privKey: 'x' } }],
  ['user with an unknown field', { version: '3', user: { ...V3_PRIV, password: 'x' } }],
  ['context not a string', { context: 5 }],
  ['timeoutMs zero', { timeoutMs: 0 }],
  ['timeoutMs huge', { timeoutMs: 10_000_000 }],
  ['retries negative', { retries: -1 }],
  ['retries too many', { retries: 100 }],
  ['unknown top-level field', { oidz: ['1.3'] }],
];

const operations: [string, Record<string, unknown>][] = [
  ['/snmp/get', { oids: ['sysName.0'] }],
  ['/snmp/getnext', { oids: ['sysName'] }],
  ['/snmp/bulk', { oids: ['ifTable'] }],
  ['/snmp/walk', { oid: 'system' }],
  ['/snmp/set', { varbinds: [{ oid: 'sysContact.0', type: 'OctetString', value: 'x' }] }],
];

describe.each(operations)('%s: target and credential fields wrong in turn', (path, operationFields) => {
  it.each(targetCases)('%s → 400', async (_label, override) => {
    const res = await post(path, { ...BASE, ...operationFields, ...override });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.type).toMatch(/^\/problems\/(validation|invalid-request)$/);
  });
});

const operationCases: [string, string, Record<string, unknown>][] = [
  ['/snmp/get', 'oids missing', {}],
  ['/snmp/get', 'oids empty', { oids: [] }],
  ['/snmp/get', 'oids too many', { oids: Array.from({ length: 129 }, () => 'sysName.0') }],
  ['/snmp/get', 'oids not an array', { oids: 'sysName.0' }],
  ['/snmp/get', 'oid with spaces', { oids: ['sys Name.0'] }],
  ['/snmp/get', 'oid empty', { oids: [''] }],
  ['/snmp/get', 'oid a number', { oids: [1.3] }],
  ['/snmp/get', 'unknown MIB name', { oids: ['NOPE-MIB::nothing.0'] }],
  ['/snmp/get', 'unknown bare name', { oids: ['frobnicator.0'] }],
  ['/snmp/get', 'numeric oid with a huge arc', { oids: ['1.3.6.1.99999999999'] }],
  ['/snmp/get', 'numeric oid with a bad first arc', { oids: ['7.1.2'] }],
  ['/snmp/getnext', 'oids empty', { oids: [] }],
  ['/snmp/bulk', 'version 1', { oids: ['ifTable'], version: '1' }],
  ['/snmp/bulk', 'nonRepeaters negative', { oids: ['ifTable'], nonRepeaters: -1 }],
  ['/snmp/bulk', 'nonRepeaters above the oid count', { oids: ['ifTable'], nonRepeaters: 2 }],
  ['/snmp/bulk', 'maxRepetitions zero', { oids: ['ifTable'], maxRepetitions: 0 }],
  ['/snmp/bulk', 'maxRepetitions a string', { oids: ['ifTable'], maxRepetitions: '10' }],
  ['/snmp/walk', 'oid missing', {}],
  ['/snmp/walk', 'oid an array', { oid: ['system'] }],
  ['/snmp/walk', 'oid unknown name', { oid: 'NOPE-MIB::nothing' }],
  ['/snmp/walk', 'maxVarbinds zero', { oid: 'system', maxVarbinds: 0 }],
  ['/snmp/walk', 'maxRepetitions zero', { oid: 'system', maxRepetitions: 0 }],
  ['/snmp/set', 'varbinds missing', {}],
  ['/snmp/set', 'varbinds empty', { varbinds: [] }],
  ['/snmp/set', 'varbind without type, of an OID no MIB describes', { varbinds: [{ oid: '1.3.6.1.4.1.99999.1.0', value: 'x' }] }],
  ['/snmp/set', 'varbind without type, value not fitting the SYNTAX', { varbinds: [{ oid: 'sysContact.0', value: 5 }] }],
  ['/snmp/set', 'varbind type unknown', { varbinds: [{ oid: 'sysContact.0', type: 'String', value: 'x' }] }],
  ['/snmp/set', 'varbind type NoSuchObject', { varbinds: [{ oid: 'sysContact.0', type: 'NoSuchObject', value: null }] }],
  ['/snmp/set', 'varbind without value', { varbinds: [{ oid: 'sysContact.0', type: 'OctetString' }] }],
  ['/snmp/set', 'varbind unknown MIB name', { varbinds: [{ oid: 'NOPE-MIB::x.0', type: 'Integer', value: 1 }] }],
  ['/snmp/set', 'Integer above 2^31-1', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Integer', value: 2 ** 31 }] }],
  ['/snmp/set', 'Integer below -2^31', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Integer', value: -(2 ** 31) - 1 }] }],
  ['/snmp/set', 'Integer fractional', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Integer', value: 1.5 }] }],
  ['/snmp/set', 'Integer as a string', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Integer', value: '1' }] }],
  ['/snmp/set', 'Counter32 negative', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Counter32', value: -1 }] }],
  ['/snmp/set', 'Gauge32 above 2^32-1', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Gauge32', value: 2 ** 32 }] }],
  ['/snmp/set', 'Unsigned32 above 2^32-1', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Unsigned32', value: 2 ** 32 }] }],
  ['/snmp/set', 'TimeTicks a string', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'TimeTicks', value: '100' }] }],
  ['/snmp/set', 'Counter64 above 2^64-1', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Counter64', value: '18446744073709551616' }] }],
  ['/snmp/set', 'Counter64 as a number', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Counter64', value: 5 }] }],
  ['/snmp/set', 'Counter64 negative', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Counter64', value: '-1' }] }],
  ['/snmp/set', 'OctetString a number', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: 5 }] }],
  ['/snmp/set', 'OctetString odd hex', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: { hex: 'abc' } }] }],
  ['/snmp/set', 'OctetString non-hex', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: { hex: 'zz' } }] }],
  ['/snmp/set', 'Opaque as text', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Opaque', value: 'text' }] }],
  ['/snmp/set', 'ObjectIdentifier not an OID', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'ObjectIdentifier', value: 'hello world' }] }],
  ['/snmp/set', 'ObjectIdentifier unknown name', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'ObjectIdentifier', value: 'NOPE-MIB::x' }] }],
  ['/snmp/set', 'IpAddress IPv6', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'IpAddress', value: '::1' }] }],
  ['/snmp/set', 'IpAddress out of range', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'IpAddress', value: '256.1.1.1' }] }],
  ['/snmp/set', 'varbind with an unknown field', { varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'Integer', value: 1, extra: true }] }],
];

describe('operation fields wrong in turn', () => {
  it.each(operationCases)('%s: %s → 400', async (path, _label, fields) => {
    const res = await post(path, { ...BASE, ...fields });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
  });

  it('an unknown MIB name is named in the answer', async () => {
    const res = await post('/snmp/get', { ...BASE, oids: ['sysName.0', 'NOPE-MIB::nothing.0'] });
    expect(res.body.detail).toContain('"NOPE-MIB::nothing"');
  });

  it('missing level requirements say which field is needed', async () => {
    const res = await post('/snmp/get', { ...BASE, version: '3', user: { name: 'u', level: 'authPriv' }, oids: ['sysName.0'] });
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.user.authProtocol', 'body.user.authKey', 'body.user.privProtocol', 'body.user.privKey']));
  });
});

describe('malformed requests', () => {
  it.each([
    ['not JSON', '{"host":'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"get"'],
  ])('%s → 400', async (_label, raw) => {
    for (const path of ['/snmp/get', '/snmp/walk', '/snmp/set']) {
      const res = await post(path, raw);
      expect(res.status, path).toBe(400);
    }
  });

  it('no content-type is still validated', async () => {
    const res = await post('/snmp/get', { ...BASE }, '');
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('secrets are not echoed in validation errors', () => {
  it('community and keys stay out of 400 answers', async () => {
    const res = await post('/snmp/get', {
      ...BASE,
      community: 'sekrit-community',
      version: '3',
      user: { name: 'u', level: 'authPriv', authProtocol: 'sha1', authKey: 'sekrit-auth', privProtocol: 'aes', privKey: 'sekrit' },
      oids: ['sysName.0'],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/sekrit/);
  });
});

describe('configured limits', () => {
  it('SNMP_MAX_OIDS lowers the number of oids per request', async () => {
    const limited = createApp(testDeps({ snmp: { maxOids: 2 } }));
    const res = await limited.request(
      new Request('http://localhost/snmp/get', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...BASE, oids: ['sysName.0', 'sysDescr.0', 'sysContact.0'] }),
      }),
    );
    expect(res.status).toBe(400);
  });

  it('SNMP_SET_ENABLED=false refuses set before anything is sent', async () => {
    const readOnly = createApp(testDeps({ snmp: { setEnabled: false } }));
    const res = await readOnly.request(
      new Request('http://localhost/snmp/set', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...BASE, varbinds: [{ oid: 'sysContact.0', type: 'OctetString', value: 'x' }] }),
      }),
    );
    expect(res.status).toBe(503);
  });
});

describe('OpenAPI', () => {
  it('documents the five SNMP operations with their errors and the Varbind component', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as any;
    for (const path of ['/snmp/get', '/snmp/getnext', '/snmp/bulk', '/snmp/walk', '/snmp/set']) {
      const op = doc.paths[path].post;
      expect(op, path).toBeDefined();
      for (const status of ['200', '400', '422', '502', '504']) expect(op.responses[status], `${path} ${status}`).toBeDefined();
    }
    expect(doc.paths['/snmp/walk'].post.responses['200'].content['application/x-ndjson']).toBeDefined();
    expect(doc.components.schemas.Varbind).toBeDefined();
    expect(doc.components.schemas.SnmpWalkRequest).toBeDefined();
  });
});

describe('OIDs that BER would rewrite are refused with 400 naming the field (issue #11 finding 7)', () => {
  // Loopback, closed port: should one get through it would time out on this host rather than leave it.
  const LOCAL = { ...BASE, host: '127.0.0.1' };
  const BAD_OIDS: [string, RegExp][] = [
    ['1.40.1', /"1\.40\.1" is not a valid OID: under 1 the second arc must be at most 39, not 40/],
    ['2.4294967295', /"2\.4294967295" is not a valid OID: under 2 the second arc must be at most 39 here/],
    ['.0.40', /"\.0\.40" is not a valid OID: under 0 the second arc/],
    ['1', /"1" is not a valid OID: an OID has at least two arcs/],
    ['3.6.1', /"3\.6\.1" is not a valid OID: the first arc must be 0, 1 or 2, not 3/],
    ['1.3.6.4294967296', /arc 4294967296 is larger than 4294967295/],
    ['1.3.06.1', /arc 06 has a leading zero/],
    [Array.from({ length: 129 }, () => '1').join('.'), /it has 129 arcs; at most 128 are allowed/],
  ];
  const placements: [string, string, (oid: string) => Record<string, unknown>, string][] = [
    ['get', '/snmp/get', (oid) => ({ oids: ['sysName.0', oid] }), 'body.oids.1'],
    ['getnext', '/snmp/getnext', (oid) => ({ oids: [oid] }), 'body.oids.0'],
    ['bulk', '/snmp/bulk', (oid) => ({ oids: [oid] }), 'body.oids.0'],
    ['walk', '/snmp/walk', (oid) => ({ oid }), 'body.oid'],
    ['set oid', '/snmp/set', (oid) => ({ varbinds: [{ oid, type: 'Integer', value: 1 }] }), 'body.varbinds.0.oid'],
    ['set ObjectIdentifier value', '/snmp/set', (oid) => ({ varbinds: [{ oid: 'sysObjectID.0', type: 'ObjectIdentifier', value: oid }] }), 'body.varbinds.0.value'],
  ];

  describe.each(placements)('%s', (_label, path, fields, field) => {
    it.each(BAD_OIDS)('%s → 400 /problems/validation', async (oid, reason) => {
      const res = await post(path, { ...LOCAL, ...fields(oid) });
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('/problems/validation');
      expect(res.body.errors).toEqual([{ path: field, message: expect.stringMatching(reason) }]);
      expect(res.body.detail).toContain(field);
    });
  });

  it('a MIB name with a numeric suffix that resolves to an invalid OID is 400 naming both', async () => {
    for (const [path, fields] of [
      ['/snmp/get', { oids: ['sysName.01'] }],
      ['/snmp/walk', { oid: 'SNMPv2-MIB::sysName.4294967296' }],
      ['/snmp/set', { varbinds: [{ oid: 'sysContact.00', type: 'OctetString', value: 'x' }] }],
      ['/snmp/set', { varbinds: [{ oid: 'sysObjectID.0', type: 'ObjectIdentifier', value: 'sysName.01' }] }],
    ] as const) {
      const res = await post(path, { ...LOCAL, ...fields });
      expect(res.status, path).toBe(400);
      expect(res.body.type, path).toBe('/problems/invalid-request');
      expect(res.body.detail, path).toMatch(/^"[\w:-]+\.\d+" is 1\.3\.6\.1\.2\.1\.1\.\d+\.\d+, which is not a valid OID: /);
    }
  });

  it('the trapOid filter of the trap stream uses the same check', async () => {
    for (const [trapOid, reason] of BAD_OIDS.slice(0, 3)) {
      const res = await app.request(`/snmp/traps/recent?trapOid=${encodeURIComponent(trapOid)}`);
      expect(res.status, trapOid).toBe(400);
      const body = (await res.json()) as any;
      expect(body.errors, trapOid).toEqual([{ path: 'query.trapOid', message: expect.stringMatching(reason) }]);
    }
    const named = await app.request('/snmp/traps/recent?trapOid=sysName.01');
    expect(named.status).toBe(400);
    expect(((await named.json()) as any).detail).toMatch(/which is not a valid OID: arc 01 has a leading zero/);
  });

  it('valid edge OIDs pass validation (they fail later, for other reasons than their OID)', async () => {
    for (const oid of ['1.39.1', '2.39.1', '0.0', `1.3.6.${2 ** 32 - 1}`]) {
      const res = await post('/snmp/get', { ...LOCAL, oids: [oid] });
      expect(res.status, oid).not.toBe(400);
    }
  });
});
