import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { snmpRequestSchemas } from '../../src/snmp/schemas.ts';
import { jsonRequest, testApp } from '../helpers/app.ts';

/** What the CLI forgives, the API forgives; what it refuses, it explains (issue #16, item 2). */

const { app } = testApp();
const schemas = snmpRequestSchemas(defaultConfig().snmp);

async function post(path: string, body: unknown) {
  const res = await app.request(jsonRequest(path, body));
  return { status: res.status, body: (await res.json()) as any };
}

describe('spellings the CLI accepts', () => {
  it.each([
    ['SHA-256', 'sha256'],
    ['sha512', 'sha512'],
    ['SHA', 'sha'],
    ['SHA1', 'sha'],
    ['Md5', 'md5'],
  ])('authProtocol %s → %s', (given, canonical) => {
    const user = { name: 'ops', level: 'authNoPriv', authProtocol: given, authKey: 'auth-pass-1' };
    expect(schemas.get.parse({ host: '127.0.0.1', version: '3', user, oids: ['1.3.6.1.2.1.1.5.0'] }).user?.authProtocol).toBe(canonical);
  });

  it.each([
    ['AES', 'aes'],
    ['AES-128', 'aes'],
    ['AES-256', 'aes256b'],
    ['AES-256-C', 'aes256r'],
    ['des', 'des'],
  ])('privProtocol %s → %s', (given, canonical) => {
    const user = { name: 'ops', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-pass-1', privProtocol: given, privKey: 'priv-pass-1' };
    expect(schemas.get.parse({ host: '127.0.0.1', version: '3', user, oids: ['1.3.6.1.2.1.1.5.0'] }).user?.privProtocol).toBe(canonical);
  });

  it('version as a number: 1, 2 (2c) and 3', () => {
    const base = { host: '127.0.0.1', oids: ['1.3.6.1.2.1.1.5.0'] };
    expect(schemas.get.parse({ ...base, version: 1 }).version).toBe('1');
    expect(schemas.get.parse({ ...base, version: 2 }).version).toBe('2c');
    const user = { name: 'ops' };
    expect(schemas.get.parse({ ...base, version: 3, user }).version).toBe('3');
  });

  it('a SET takes back what a GET gave: { value, encoding: "hex" }', () => {
    const parsed = schemas.set.parse({
      host: '127.0.0.1',
      varbinds: [{ oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: 'deadbeef', encoding: 'hex' }],
    });
    expect(parsed.varbinds[0].value).toEqual({ hex: 'deadbeef' });
  });
});

describe('refusals that explain', () => {
  it('a port written into host: the hint to use port', async () => {
    const res = await post('/snmp/get', { host: '127.0.0.1:1161', oids: ['sysName.0'] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.host', message: 'give the port on its own: { "host": "127.0.0.1", "port": 1161 }' }]);
  });

  it('300.1.1.1 is refused as an address, not looked up as a name', async () => {
    const res = await post('/socket/probe', { host: '300.1.1.1', port: 80 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({ path: 'body.host', message: '300.1.1.1 is not an IPv4 address (four numbers from 0 to 255)' });
  });

  it('bounds say what would be valid, once, with the tighter bound', async () => {
    const res = await post('/socket/probe', { host: '127.0.0.1', port: 1e20 });
    expect(res.status).toBe(400);
    const messages = res.body.errors.filter((e: { path: string }) => e.path === 'body.port').map((e: { message: string }) => e.message);
    expect(messages.join(' | ')).not.toMatch(/9007199254740991|Too big|Invalid input/);
  });

  it('a union names its alternatives', async () => {
    const res = await post('/socket/probe', { host: '127.0.0.1', port: 80, send: 5 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.send', message: 'must be a string or an object' }]);
  });

  it('a query number that is not a number says so', async () => {
    const res = await app.request('/snmp/traps/recent?limit=abc');
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ path: 'query.limit', message: expect.stringMatching(/^must be a number/) });
  });

  it('unknown query parameters are refused, as unknown body fields are', async () => {
    const res = await app.request('/snmp/traps/recent?limit=5&sorce=127.0.0.1');
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ path: 'query', message: expect.stringMatching(/unknown field: sorce/) });
  });

  it('malformed JSON says where', async () => {
    const res = await app.request(jsonRequest('/snmp/get', '{\n  "host": "127.0.0.1",\n  "oids": ["sysName.0"],\n}'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).detail).toMatch(/at line 4, column 1 \(character \d+\)/);
  });
});
