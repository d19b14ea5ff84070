/**
 * Profiles SNMP routes under load: `node --import tsx bench/tools/profile-snmp.ts [get|walk] [seconds]`.
 * Starts snmpd and the service with --cpu-prof, drives it with autocannon (get: 32 connections, one OID;
 * walk: one connection walking 1.3.6.1), and prints the top functions by self time (the .cpuprofile is
 * left in the printed directory for a closer look).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../lib/load.ts';
import { installCleanup, ProcessRegistry } from '../lib/processes.ts';
import { startNetprobe } from '../lib/service.ts';
import { GET_OID } from '../peers/exporters.ts';
import { COMMUNITY, startSnmpd } from '../peers/snmpd.ts';
import { printProfile } from './profile-summary.ts';

const operation = process.argv[2] === 'walk' ? 'walk' : 'get';
const seconds = Number(process.argv[3] ?? 8);
const registry = new ProcessRegistry();
const uninstall = installCleanup(registry);
const dir = mkdtempSync(join(tmpdir(), 'netprobe-prof-'));
try {
  const snmpd = await startSnmpd(registry);
  const netprobe = await startNetprobe(registry, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const result = await load({
    url: `${netprobe.baseUrl}/snmp/${operation}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      operation === 'walk'
        ? { host: snmpd.host, port: snmpd.port, community: COMMUNITY, oid: '1.3.6.1', maxRepetitions: 25 }
        : { host: snmpd.host, port: snmpd.port, community: COMMUNITY, oids: [GET_OID] },
    ),
    connections: operation === 'walk' ? 1 : 32,
    duration: seconds,
  });
  console.log(JSON.stringify(result));
  netprobe.child.kill('SIGINT');
  await new Promise((r) => netprobe.child.once('exit', r));
} finally {
  await registry.stopAll();
  uninstall();
}

printProfile(dir);
