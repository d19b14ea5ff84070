/**
 * Regenerates test/fixtures/dhcp/*.hex: real dnsmasq replies captured by netprobe's own client inside a
 * throw-away lab (network namespaces; nothing touches this machine's interfaces).
 *   node --import tsx test/helpers/dhcp-capture-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DhcpLab } from './dhcp-lab.ts';
import { LAB_DNSMASQ_OPTIONS } from './dhcp-scenarios.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'dhcp');

async function capture(): Promise<void> {
  mkdirSync(FIXTURES, { recursive: true });
  const lab = new DhcpLab();
  try {
    const client = lab.namespace('c');
    const server = lab.namespace('s');
    lab.veth(client, 'c0', server, 's0');
    lab.ip(server, 'addr', 'add', '10.77.1.1/24', 'dev', 's0');
    lab.ip(client, 'addr', 'add', '10.77.1.2/24', 'dev', 'c0');
    lab.ip(server, 'route', 'add', '10.77.4.0/24', 'via', '10.77.1.2');
    lab.ip(client, 'addr', 'add', '10.77.4.1/24', 'dev', 'c0');
    await lab.startDnsmasq(server, 's0', [...LAB_DNSMASQ_OPTIONS, '--dhcp-range=10.77.4.100,10.77.4.150,255.255.255.0,20m']);

    const broadcast = await lab.runService(client, ['c0', 'lo'], { interface: 'c0', mac: '02:00:00:00:00:01', timeoutMs: 800, request: true }, { capture: true });
    const [offer, ack] = (broadcast.rawPackets ?? []).filter((p) => p.from === '10.77.1.1');
    writeFileSync(join(FIXTURES, 'dnsmasq-offer-broadcast.hex'), `${offer.hex}\n`);
    writeFileSync(join(FIXTURES, 'dnsmasq-ack-broadcast.hex'), `${ack.hex}\n`);

    const relay = await lab.runService(
      client,
      ['c0', 'lo'],
      { mode: 'relay', server: '10.77.1.1', relayAddress: '10.77.4.1', circuitId: 'port-7', remoteId: 'sw1', mac: '02:00:00:00:00:02', timeoutMs: 800 },
      { capture: true },
    );
    writeFileSync(join(FIXTURES, 'dnsmasq-offer-relay-option82.hex'), `${relay.rawPackets?.[0].hex}\n`);
  } finally {
    await lab.destroy();
  }
}

await capture();
