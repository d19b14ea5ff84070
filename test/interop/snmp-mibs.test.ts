import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { jsonRequest, testDeps } from '../helpers/app.ts';
import { startService, type RunningService } from '../helpers/service.ts';
import { COMMUNITY_RO, startSnmpd, TEST_USERS, type Snmpd } from '../helpers/snmpd.ts';

/** MIBs over the API: upload (raw and multipart), errors with file, line and missing imports, translate, delete, restarts. */

const ACME_MIB = `ACME-MIB DEFINITIONS ::= BEGIN
IMPORTS
    MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI
    DisplayString FROM SNMPv2-TC
    system FROM SNMPv2-MIB;

acme MODULE-IDENTITY
    LAST-UPDATED "202601010000Z"
    ORGANIZATION "ACME"
    CONTACT-INFO "noc@example.net"
    DESCRIPTION "Test module."
    ::= { enterprises 99999 }

acmeWidgets OBJECT-TYPE
    SYNTAX      INTEGER { none(0), few(1), many(2) }
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "How many widgets."
    ::= { acme 1 }

-- The agent's own sysName, under a name of this module.
acmeAgentName OBJECT-TYPE
    SYNTAX      DisplayString
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "The agent's name."
    ::= { system 5 }
END
`;

const ACME_CHILD_MIB = `ACME-CHILD-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Counter32 FROM SNMPv2-SMI acme FROM ACME-MIB;
acmeGadgets OBJECT-TYPE
    SYNTAX Counter32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Gadgets."
    ::= { acme 2 }
END
`;

let snmpd: Snmpd;
const dirs: string[] = [];

function storeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-mib-store-'));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  snmpd = await startSnmpd([TEST_USERS.noAuth]);
});

afterAll(async () => {
  await snmpd?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function upload(text: string, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/snmp/mibs', { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: text });
}

describe('MIBs over the API (in process, with MIB_STORE_DIR)', () => {
  const store = storeDir();
  const app = createApp(testDeps({ snmp: { mibStoreDir: store } }));

  it('a valid module resolves by name right after the upload, in translate and in get', async () => {
    const before = await app.request('/snmp/translate?name=ACME-MIB::acmeWidgets.0');
    expect(before.status).toBe(400);

    const res = await app.request(upload(ACME_MIB));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ loaded: [{ name: 'ACME-MIB', source: 'uploaded', file: 'body', objects: 3 }] });
    expect(readdirSync(store)).toEqual(['ACME-MIB.txt']);

    const translated = await app.request('/snmp/translate?name=ACME-MIB::acmeWidgets.0');
    expect(await translated.json()).toMatchObject({
      oid: '1.3.6.1.4.1.99999.1.0',
      name: 'ACME-MIB::acmeWidgets.0',
      instance: '0',
      syntax: { name: 'INTEGER', enums: { none: 0, few: 1, many: 2 } },
      access: 'read-only',
      description: 'How many widgets.',
    });
    const back = await app.request('/snmp/translate?oid=1.3.6.1.4.1.99999.1.0');
    expect(await back.json()).toMatchObject({ name: 'ACME-MIB::acmeWidgets.0' });

    const get = await app.request(jsonRequest('/snmp/get', { host: '127.0.0.1', port: snmpd.port, community: COMMUNITY_RO, oids: ['ACME-MIB::acmeAgentName.0'] }));
    expect(get.status).toBe(200);
    expect(((await get.json()) as { varbinds: { value: unknown }[] }).varbinds[0].value).toBe('netprobe-test-agent');

    const list = (await (await app.request('/snmp/mibs')).json()) as { modules: { name: string; source: string }[] };
    expect(list.modules.find((m) => m.name === 'ACME-MIB')).toMatchObject({ source: 'uploaded' });
    expect(list.modules.find((m) => m.name === 'IF-MIB')).toMatchObject({ source: 'bundled' });
  });

  it('several modules as multipart form files, one importing the other', async () => {
    const form = new FormData();
    form.append('file', new File([ACME_CHILD_MIB], 'ACME-CHILD-MIB.txt'));
    form.append('file', new File([ACME_MIB.replace('acmeWidgets', 'acmeWidgetCount')], 'ACME-MIB.txt'));
    const res = await app.request(new Request('http://localhost/snmp/mibs', { method: 'POST', body: form }));
    expect(res.status).toBe(200);
    const { loaded } = (await res.json()) as { loaded: { name: string; file: string }[] };
    expect(loaded.map((m) => [m.name, m.file]).sort()).toEqual([
      ['ACME-CHILD-MIB', 'ACME-CHILD-MIB.txt'],
      ['ACME-MIB', 'ACME-MIB.txt'],
    ]);
    expect(((await (await app.request('/snmp/translate?name=acmeGadgets')).json()) as { oid: string }).oid).toBe('1.3.6.1.4.1.99999.2');
    // The new ACME-MIB replaced the first one.
    expect((await app.request('/snmp/translate?name=ACME-MIB::acmeWidgetCount')).status).toBe(200);
    expect((await app.request('/snmp/translate?name=ACME-MIB::acmeWidgets')).status).toBe(400);
  });

  it('a missing IMPORTS module: 422 naming the file, the line and every missing module', async () => {
    const text = `BAD-IMPORTS-MIB DEFINITIONS ::= BEGIN
IMPORTS
    OBJECT-TYPE FROM SNMPv2-SMI
    fooRoot FROM NOPE-MIB
    barType FROM ALSO-NOPE-MIB;
x OBJECT IDENTIFIER ::= { fooRoot 1 }
END
`;
    const res = await app.request(upload(text, { 'content-disposition': 'attachment; filename="BAD-IMPORTS-MIB.txt"' }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { type: string; detail: string; mibErrors: { file: string; line: number; missingImports: string[] }[] };
    expect(body.type).toBe('/problems/snmp-unprocessable');
    expect(body.mibErrors).toEqual([
      expect.objectContaining({ file: 'BAD-IMPORTS-MIB.txt', line: 4, module: 'BAD-IMPORTS-MIB', missingImports: ['NOPE-MIB', 'ALSO-NOPE-MIB'] }),
    ]);
    expect(body.detail).toMatch(/BAD-IMPORTS-MIB\.txt line 4: .*NOPE-MIB, ALSO-NOPE-MIB/);
    expect((await app.request('/snmp/translate?name=BAD-IMPORTS-MIB::x')).status).toBe(400);
  });

  it('a syntax error: 422 with its line', async () => {
    const text = `BROKEN-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;
broken OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "no closing brace"
    ::= { enterprises 5
END
`;
    const res = await app.request(upload(text));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { mibErrors: { line: number; message: string }[] };
    expect(body.mibErrors[0].line).toBe(9);
    expect(body.mibErrors[0].message).toMatch(/OID value.*"END"/);
  });

  it('an OID under an unknown parent: 422 with the line of the definition', async () => {
    const text = 'ORPHAN-MIB DEFINITIONS ::= BEGIN\n\norphan OBJECT IDENTIFIER ::= { nowhere 5 }\nEND\n';
    const res = await app.request(upload(text));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { mibErrors: { line: number; message: string }[] }).mibErrors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/under nowhere/) });
  });

  it('whatever is uploaded, the answer is a problem and the service goes on', async () => {
    const hostile = [
      '',
      '\u0000\u0001\u0002',
      'X DEFINITIONS ::= BEGIN ' + 'a ::= SEQUENCE OF '.repeat(5_000) + 'INTEGER END',
      'X DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= {' + ' b'.repeat(10_000) + ' } END',
      'X DEFINITIONS ::= BEGIN "unterminated',
      'X DEFINITIONS ::= BEGIN ' + Array.from({ length: 2_000 }, (_, i) => `n${i} OBJECT IDENTIFIER ::= { n${i + 1} 1 }`).join('\n') + ' END',
      'X DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= { b 1 } b OBJECT IDENTIFIER ::= { a 1 } END',
      '{'.repeat(100_000),
    ];
    for (const text of hostile) {
      const res = await app.request(upload(text));
      expect([400, 422], text.slice(0, 60)).toContain(res.status);
    }
    expect((await app.request('/snmp/translate?name=IF-MIB::ifDescr')).status).toBe(200);
  });

  it('DELETE removes an uploaded module; bundled ones and imported ones are refused with 409, unknown with 404', async () => {
    expect((await app.request('/snmp/mibs/IF-MIB', { method: 'DELETE' })).status).toBe(409);
    expect((await app.request('/snmp/mibs/NOPE-MIB', { method: 'DELETE' })).status).toBe(404);
    const imported = await app.request('/snmp/mibs/ACME-MIB', { method: 'DELETE' });
    expect(imported.status).toBe(409);
    expect(((await imported.json()) as { detail: string }).detail).toMatch(/imported by ACME-CHILD-MIB/);
    expect((await app.request('/snmp/mibs/ACME-CHILD-MIB', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/snmp/mibs/ACME-MIB', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/snmp/translate?name=acmeGadgets')).status).toBe(400);
    expect(readdirSync(store)).toEqual([]);
  });
});

describe('uploaded MIBs across restarts of the real service', () => {
  let service: RunningService | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('a module uploaded before a restart is loaded again at start; a deleted one is not', async () => {
    const store = storeDir();
    service = await startService({ MIB_STORE_DIR: store });
    const res = await fetch(`${service.baseUrl}/snmp/mibs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: ACME_MIB });
    expect(res.status).toBe(200);
    // A bad upload does not take the process down.
    expect((await fetch(`${service.baseUrl}/snmp/mibs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{'.repeat(50_000) })).status).toBe(422);
    expect(await service.stop()).toBe(0);

    service = await startService({ MIB_STORE_DIR: store });
    const translated = await fetch(`${service.baseUrl}/snmp/translate?name=ACME-MIB::acmeWidgets.0`);
    expect(await translated.json()).toMatchObject({ oid: '1.3.6.1.4.1.99999.1.0' });
    const list = (await (await fetch(`${service.baseUrl}/snmp/mibs`)).json()) as { modules: { name: string; source: string }[] };
    expect(list.modules.find((m) => m.name === 'ACME-MIB')).toMatchObject({ source: 'uploaded' });
    expect((await fetch(`${service.baseUrl}/snmp/mibs/ACME-MIB`, { method: 'DELETE' })).status).toBe(204);
    expect(await service.stop()).toBe(0);

    service = await startService({ MIB_STORE_DIR: store });
    expect((await fetch(`${service.baseUrl}/snmp/translate?name=ACME-MIB::acmeWidgets.0`)).status).toBe(400);
    expect(existsSync(join(store, 'ACME-MIB.txt'))).toBe(false);
  });
});
