/**
 * POST /dhcp/discover against real dnsmasq servers, each in its own network namespace. The service runs
 * in a child process inside a client namespace whose only interfaces are lo and one veth into the lab;
 * nothing is sent from, or created in, the test runner's namespace (see test/helpers/dhcp-lab.ts).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhcpLab, leftoverNamespaces, waitFor, type DnsmasqHandle } from '../helpers/dhcp-lab.ts';
import { LAB_DNSMASQ_OPTIONS } from '../helpers/dhcp-scenarios.ts';

function labSupported(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('dnsmasq', ['--version'], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const CLIENT_INTERFACES = ['c0', 'lo'];

describe.skipIf(!labSupported())('DHCP discovery against dnsmasq in network namespaces', () => {
  let lab: DhcpLab;
  let broadcastClient: string;
  let broadcastServer: DnsmasqHandle;
  let segmentClient: string;
  let relayClient: string;
  let relayServer: DnsmasqHandle;
  let emptyClient: string;
  let pingingClient: string;

  beforeAll(async () => {
    lab = new DhcpLab();

    // One server on a point-to-point segment; the client's c0 has no IPv4 address.
    broadcastClient = lab.namespace('bc');
    const broadcastServerNs = lab.namespace('bs');
    lab.veth(broadcastClient, 'c0', broadcastServerNs, 's0');
    lab.ip(broadcastServerNs, 'addr', 'add', '10.77.1.1/24', 'dev', 's0');

    // Two servers and a client on one bridge (the bridge lives in its own namespace).
    segmentClient = lab.namespace('mc');
    const bridgeNs = lab.namespace('br');
    const serverA = lab.namespace('m1');
    const serverB = lab.namespace('m2');
    lab.veth(segmentClient, 'c0', bridgeNs, 'p0');
    lab.veth(serverA, 's0', bridgeNs, 'p1');
    lab.veth(serverB, 's0', bridgeNs, 'p2');
    lab.bridge(bridgeNs, 'br0', ['p0', 'p1', 'p2']);
    lab.ip(serverA, 'addr', 'add', '10.77.2.1/24', 'dev', 's0');
    lab.ip(serverB, 'addr', 'add', '10.77.2.2/24', 'dev', 's0');

    // A relay: the client namespace owns 10.77.3.2 (toward the server) and 10.77.4.1 (a "client subnet").
    relayClient = lab.namespace('rc');
    const relayServerNs = lab.namespace('rs');
    lab.veth(relayClient, 'c0', relayServerNs, 's0');
    lab.ip(relayClient, 'addr', 'add', '10.77.3.2/24', 'dev', 'c0');
    lab.ip(relayClient, 'addr', 'add', '10.77.4.1/24', 'dev', 'c0');
    lab.ip(relayServerNs, 'addr', 'add', '10.77.3.1/24', 'dev', 's0');
    lab.ip(relayServerNs, 'route', 'add', '10.77.4.0/24', 'via', '10.77.3.2');

    // dnsmasq as it ships: it pings an address before offering it to a new client.
    pingingClient = lab.namespace('pc');
    const pingingServer = lab.namespace('ps');
    lab.veth(pingingClient, 'c0', pingingServer, 's0');
    lab.ip(pingingServer, 'addr', 'add', '10.77.5.1/24', 'dev', 's0');
    await lab.startDnsmasq(pingingServer, 's0', ['--dhcp-range=10.77.5.100,10.77.5.150,255.255.255.0,5m']);

    // A segment with no DHCP server at all.
    emptyClient = lab.namespace('ec');
    const emptyPeer = lab.namespace('es');
    lab.veth(emptyClient, 'c0', emptyPeer, 's0');

    [broadcastServer, , , relayServer] = await Promise.all([
      lab.startDnsmasq(broadcastServerNs, 's0', LAB_DNSMASQ_OPTIONS),
      lab.startDnsmasq(serverA, 's0', ['--no-ping', '--dhcp-range=10.77.2.100,10.77.2.149,255.255.255.0,5m']),
      lab.startDnsmasq(serverB, 's0', ['--no-ping', '--dhcp-range=10.77.2.150,10.77.2.199,255.255.255.0,5m']),
      lab.startDnsmasq(relayServerNs, 's0', [
        '--no-ping',
        '--dhcp-range=10.77.3.100,10.77.3.150,255.255.255.0,10m',
        '--dhcp-range=set:far,10.77.4.100,10.77.4.150,255.255.255.0,20m',
        '--dhcp-option=tag:far,option:router,10.77.4.1',
      ]),
    ]);
  });

  afterAll(async () => {
    const prefix = lab?.prefix;
    await lab?.destroy();
    if (prefix) expect(leftoverNamespaces(prefix)).toEqual([]);
  });

  it('the default timeoutMs catches the first offer of a dnsmasq that pings before offering (about 3 s)', async () => {
    const { status, body } = await lab.runService(pingingClient, CLIENT_INTERFACES, { interface: 'c0' });
    expect(status).toBe(200);
    expect(body.timeoutMs).toBe(5000);
    expect(body.offers.map((offer: { serverId: string }) => offer.serverId)).toEqual(['10.77.5.1']);
  });

  it('broadcast on an interface without IPv4: the offer carries the options dnsmasq was configured with', async () => {
    expect(lab.ip(broadcastClient, '-4', 'addr', 'show', 'dev', 'c0').trim()).toBe('');
    const { status, body } = await lab.runService(broadcastClient, CLIENT_INTERFACES, { interface: 'c0', timeoutMs: 1500 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'broadcast', interface: 'c0', servers: ['10.77.1.1'], unexpectedServers: [] });
    expect(body.mac).toMatch(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/); // random, locally administered
    expect(body.offers).toHaveLength(1);
    const [offer] = body.offers;
    expect(offer).toMatchObject({ messageType: 'OFFER', serverId: '10.77.1.1', sourceAddress: '10.77.1.1' });
    expect(offer.yiaddr).toMatch(/^10\.77\.1\.1([0-4]\d|50)$/);
    expect(offer.latencyMs).toBeGreaterThan(0);
    expect(offer.latencyMs).toBeLessThan(1500);
    expect(offer.options).toMatchObject({
      router: ['10.77.1.1'],
      dnsServers: ['10.77.1.53', '10.77.1.54'],
      leaseTime: 600,
      domainName: 'lab.example',
      domainSearch: ['lab.example', 'corp.lab.example'],
      classlessStaticRoutes: [{ destination: '10.99.0.0/16', router: '10.77.1.254' }],
      ntpServers: ['10.77.1.123'],
      tftpServerAddresses: ['10.77.1.69'],
      subnetMask: '255.255.255.0',
    });
    expect(offer.rawOptions.map((o: { code: number }) => o.code)).toEqual(expect.arrayContaining([3, 6, 15, 51, 119, 121, 150]));
  });

  it('broadcast DORA: ACK, then the broadcast RELEASE removes the lease from dnsmasq', async () => {
    const mac = '02:77:00:00:01:01';
    const { status, body } = await lab.runService(broadcastClient, CLIENT_INTERFACES, { interface: 'c0', mac, timeoutMs: 1000, request: true });
    expect(status).toBe(200);
    expect(body.ack).toMatchObject({ messageType: 'ACK', serverId: '10.77.1.1', yiaddr: body.offers[0].yiaddr });
    expect(body.ack.latencyMs).toBeGreaterThan(0);
    expect(body.released).toBe(true);
    await waitFor(() => !lab.leases(broadcastServer).includes(mac), 3_000, `lease for ${mac} still present`);
    expect(broadcastServer.log()).toContain(`DHCPRELEASE(s0) ${body.ack.yiaddr} ${mac}`);
  });

  it('concurrent probes on one interface each get only their own offer (xid and chaddr matching)', async () => {
    const { all } = await lab.runService(broadcastClient, CLIENT_INTERFACES, { interface: 'c0', timeoutMs: 1500 }, { parallel: 3 });
    expect(all).toHaveLength(3);
    const macs = new Set(all!.map((r) => r.body.mac));
    const xids = new Set(all!.map((r) => r.body.xid));
    expect(macs.size).toBe(3);
    expect(xids.size).toBe(3);
    for (const { status, body } of all!) {
      expect(status).toBe(200);
      expect(body.offers).toHaveLength(1);
    }
    expect(new Set(all!.map((r) => r.body.offers[0].yiaddr)).size).toBe(3);
  });

  it('two servers on one segment: both offer, the one not expected is reported', async () => {
    const { status, body } = await lab.runService(segmentClient, CLIENT_INTERFACES, {
      interface: 'c0',
      timeoutMs: 1500,
      expectedServers: ['10.77.2.1'],
    });
    expect(status).toBe(200);
    expect(body.offers).toHaveLength(2);
    expect([...body.servers].sort()).toEqual(['10.77.2.1', '10.77.2.2']);
    expect(body.unexpectedServers).toEqual(['10.77.2.2']);
  });

  it('relay mode: giaddr selects the range, option 82 is echoed, REQUEST gets an ACK and RELEASE removes the lease', async () => {
    const mac = '02:77:00:00:03:01';
    const common = { mode: 'relay', server: '10.77.3.1', relayAddress: '10.77.4.1', mac, timeoutMs: 1000 };

    const kept = await lab.runService(relayClient, CLIENT_INTERFACES, { ...common, circuitId: 'port-7', remoteId: 'sw1', request: true, release: false });
    expect(kept.status).toBe(200);
    const [offer] = kept.body.offers;
    expect(offer).toMatchObject({ serverId: '10.77.3.1', giaddr: '10.77.4.1' });
    expect(offer.yiaddr).toMatch(/^10\.77\.4\./);
    expect(offer.options).toMatchObject({ leaseTime: 1200, router: ['10.77.4.1'], relayAgentInformation: { circuitId: 'port-7', remoteId: 'sw1' } });
    expect(kept.body.ack).toMatchObject({ messageType: 'ACK', yiaddr: offer.yiaddr });
    expect(kept.body.released).toBeUndefined();
    await waitFor(() => lab.leases(relayServer).includes(mac), 3_000, `no lease for ${mac} after the ACK`);

    const released = await lab.runService(relayClient, CLIENT_INTERFACES, { ...common, request: true });
    expect(released.body.ack).toMatchObject({ messageType: 'ACK', yiaddr: offer.yiaddr });
    expect(released.body.released).toBe(true);
    await waitFor(() => !lab.leases(relayServer).includes(mac), 3_000, `lease for ${mac} still present after RELEASE`);
  });

  it('relay mode without relayAddress uses the local address toward the server as giaddr', async () => {
    const { status, body } = await lab.runService(relayClient, CLIENT_INTERFACES, { mode: 'relay', server: '10.77.3.1', timeoutMs: 1000 });
    expect(status).toBe(200);
    expect(body.relayAddress).toBe('10.77.3.2');
    expect(body.offers[0].yiaddr).toMatch(/^10\.77\.3\./);
    expect(body.offers[0].giaddr).toBe('10.77.3.2');
  });

  it('no server on the segment: 200 with no offers after about timeoutMs', async () => {
    const timeoutMs = 1000;
    const config = { dhcp: { interface: 'c0', mac: '02:77:00:00:0e:01' } }; // DHCP_INTERFACE and DHCP_MAC
    const { status, body } = await lab.runService(emptyClient, CLIENT_INTERFACES, { timeoutMs, request: true }, { config });
    expect(status).toBe(200);
    expect(body).toMatchObject({ interface: 'c0', mac: '02:77:00:00:0e:01', offers: [], servers: [], unexpectedServers: [] });
    expect(body.ack).toBeUndefined();
    expect(body.durationMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(body.durationMs).toBeLessThan(timeoutMs + 1000);
  });

  it('port 68 held by another DHCP client: 503 that says so', async () => {
    const { status, body } = await lab.runService(emptyClient, CLIENT_INTERFACES, { interface: 'c0', timeoutMs: 500 }, { occupy: { address: '0.0.0.0', port: 68 } });
    expect(status).toBe(503);
    expect(body).toMatchObject({ type: '/problems/dhcp-unavailable' });
    expect(body.detail).toMatch(/port 68 on c0 is already in use/);
  });

  it('relay port 67 held by another process: 503 that says so', async () => {
    const body = { mode: 'relay', server: '10.77.3.1', relayAddress: '10.77.4.1', timeoutMs: 500 };
    const result = await lab.runService(relayClient, CLIENT_INTERFACES, body, { occupy: { address: '10.77.4.1', port: 67 } });
    expect(result.status).toBe(503);
    expect(result.body.detail).toMatch(/port 67 on 10\.77\.4\.1 is already in use/);
  });

  it('without CAP_NET_RAW and CAP_NET_BIND_SERVICE: 503 that names the missing capability', async () => {
    const { status, body } = await lab.runService(emptyClient, CLIENT_INTERFACES, { interface: 'c0', timeoutMs: 500 }, { withoutNetCapabilities: true });
    expect(status).toBe(503);
    expect(body.type).toBe('/problems/dhcp-unavailable');
    expect(body.detail).toMatch(/EPERM|EACCES/);
    expect(body.detail).toContain('NET_RAW');
    expect(body.detail).toContain('hostNetwork');
  });

  it('unknown interface inside the namespace: 400 listing the interfaces, including ones without addresses', async () => {
    const { status, body } = await lab.runService(emptyClient, CLIENT_INTERFACES, { interface: 'eth7' });
    expect(status).toBe(400);
    expect(body.interfaces).toEqual(['c0', 'lo']);
  });
});
