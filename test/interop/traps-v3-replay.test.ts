// SNMPv3 replay protection on the trap port (issue #15, RFC 3414 §3.2 step 7): the real service process,
// traps sent with snmptrap / snmpinform, captured by a UDP relay in the test and replayed byte for byte.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../src/events/trap-event.ts';
import { peekV3Security, PDU_TAGS } from '../../src/snmp/reply.ts';
import { json } from '../helpers/replicas.ts';
import { startService, type RunningService } from '../helpers/service.ts';
import { metricValue, scrape, sendAll, trapPortOf } from '../helpers/traps-flood.ts';
import { markerOf, OIDS, runSnmpTool, sleep, TRAP_USER, v3Args } from '../helpers/traps-peers.ts';

/** A UDP relay between a sender and the service: records what the sender sent and what the service answered. */
class UdpRelay {
  readonly fromSender: Buffer[] = [];
  readonly fromService: Buffer[] = [];
  private readonly socket = dgram.createSocket('udp4');
  private sender: dgram.RemoteInfo | undefined;
  port = 0;

  private readonly servicePort: number;

  constructor(servicePort: number) {
    this.servicePort = servicePort;
  }

  async start(): Promise<void> {
    this.socket.on('message', (message, rinfo) => {
      if (rinfo.port === this.servicePort) {
        this.fromService.push(message);
        if (this.sender) this.socket.send(message, this.sender.port, this.sender.address);
      } else {
        this.sender = rinfo;
        this.fromSender.push(message);
        this.socket.send(message, this.servicePort, '127.0.0.1');
      }
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
  }

  close(): void {
    this.socket.close();
  }
}

describe('v3 replay protection (RFC 3414 §3.2 step 7)', () => {
  let service: RunningService;
  let trapPort: number;
  let relay: UdpRelay;
  /** A sender engine of this test only: the receiver's notion of its time starts with this test. */
  const engineId = `0x80001f8880${randomBytes(8).toString('hex')}`;
  const tag = `replay-${process.pid}`;

  const trap = (port: number, boots: number, time: number, marker: string) =>
    runSnmpTool('snmptrap', [...v3Args(), '-e', engineId, '-Z', `${boots},${time}`, `127.0.0.1:${port}`, '', OIDS.linkDown, OIDS.marker, 's', marker]);
  const events = async (marker: string) => {
    const recent = await json<{ events: TrapEvent[] }>(`${service.baseUrl}/snmp/traps/recent?limit=1000`);
    return recent.body.events.filter((event) => markerOf(event) === marker);
  };
  const dropped = async (reason: string) => metricValue(await scrape(service.baseUrl), 'netprobe_traps_dropped_total', `{reason="${reason}"}`);
  const waitFor = async (marker: string, count = 1) => {
    const deadline = Date.now() + 10_000;
    while ((await events(marker)).length < count) {
      if (Date.now() > deadline) throw new Error(`no event ${marker}`);
      await sleep(50);
    }
  };

  beforeAll(async () => {
    service = await startService({ TRAP_USERS: JSON.stringify([TRAP_USER]) });
    trapPort = await trapPortOf(service);
    relay = new UdpRelay(trapPort);
    await relay.start();
  }, 60_000);

  afterAll(async () => {
    relay?.close();
    await service?.stop('SIGKILL');
  });

  it('a captured authPriv trap replayed after the engine time moved on 200 s: no second event, notInTimeWindow counted; a fresh trap still arrives', async () => {
    // Captured on its way (engine time 1000).
    expect((await trap(relay.port, 1, 1000, `${tag}-captured`)).code).toBe(0);
    await waitFor(`${tag}-captured`);
    const captured = relay.fromSender.at(-1)!;
    expect(peekV3Security(captured)).toMatchObject({ engineBoots: 1, engineTime: 1000, flags: 3 });

    // The sender's engine time moves on (200 s later, as snmptrap -Z tells it): the receiver follows.
    expect((await trap(trapPort, 1, 1200, `${tag}-later`)).code).toBe(0);
    await waitFor(`${tag}-later`);

    const before = await dropped('notInTimeWindow');
    await sendAll([captured], trapPort);
    await sleep(500);
    expect(await events(`${tag}-captured`)).toHaveLength(1);
    expect(await dropped('notInTimeWindow')).toBe(before + 1);

    expect((await trap(trapPort, 1, 1201, `${tag}-fresh`)).code).toBe(0);
    await waitFor(`${tag}-fresh`);
  });

  it('an exact copy within the window is dropped as a duplicate', async () => {
    expect((await trap(relay.port, 1, 1300, `${tag}-copied`)).code).toBe(0);
    await waitFor(`${tag}-copied`);
    const before = await dropped('duplicate');
    await sendAll([relay.fromSender.at(-1)!], trapPort);
    await sleep(500);
    expect(await events(`${tag}-copied`)).toHaveLength(1);
    expect(await dropped('duplicate')).toBe(before + 1);
  });

  it('a message whose time was forged (bad digest) does not move the clock: the next genuine trap still arrives', async () => {
    expect((await trap(relay.port, 1, 1400, `${tag}-original`)).code).toBe(0);
    await waitFor(`${tag}-original`);
    const forged = Buffer.from(relay.fromSender.at(-1)!);
    const engine = Buffer.from(engineId.slice(2), 'hex');
    // engineBoots 1, engineTime 1400 (0x0578) right after the engine ID: make the time 32767.
    const at = forged.indexOf(Buffer.concat([engine, Buffer.from([0x02, 0x01, 0x01, 0x02, 0x02, 0x05, 0x78])]));
    expect(at).toBeGreaterThan(0);
    forged.writeUInt16BE(0x7fff, at + engine.length + 5);
    const authFailed = await dropped('authFailed');
    await sendAll([forged], trapPort);
    await sleep(300);
    expect(await dropped('authFailed')).toBe(authFailed + 1);
    expect((await trap(trapPort, 1, 1401, `${tag}-genuine`)).code).toBe(0);
    await waitFor(`${tag}-genuine`);
  });

  it('informs: one outside the window gets a notInTimeWindow Report (not a Response) and no event; the sender resynchronizes from it and is acknowledged once', async () => {
    const acknowledged = await runSnmpTool('snmpinform', [...v3Args(), `127.0.0.1:${trapPort}`, '', OIDS.linkUp, OIDS.marker, 's', `${tag}-inform`]);
    expect(acknowledged.code, acknowledged.stderr).toBe(0);
    await waitFor(`${tag}-inform`);

    const line = service.logs.find((l) => l.includes('"msg":"trap receiver listening"'))!;
    const receiverEngine = /"engineId":"([0-9a-f]+)"/.exec(line)![1];
    // Told our engine ID, snmpinform skips discovery and sends with engine boots 0 and time 0: outside the
    // window of our engine (boots 1).
    relay.fromSender.length = 0;
    relay.fromService.length = 0;
    const before = await dropped('notInTimeWindow');
    const stale = await runSnmpTool('snmpinform', [...v3Args(), '-e', `0x${receiverEngine}`, '-r', '1', '-t', '3', `127.0.0.1:${relay.port}`, '', OIDS.linkUp, OIDS.marker, 's', `${tag}-resync`]);
    expect(stale.code, stale.stderr).toBe(0);
    expect(await dropped('notInTimeWindow')).toBe(before + 1);

    const [first, second] = relay.fromSender.map((datagram) => peekV3Security(datagram)!);
    expect(first).toMatchObject({ engineBoots: 0, engineTime: 0 });
    const report = relay.fromService[0];
    const reportHeader = peekV3Security(report)!;
    expect(reportHeader.engineId.toString('hex')).toBe(receiverEngine);
    expect(reportHeader).toMatchObject({ msgId: first.msgId, flags: 0, engineBoots: 1 }); // in the clear, as net-snmp's discovery Reports are
    expect(report.includes(Buffer.from([PDU_TAGS.report]))).toBe(true);
    // usmStatsNotInTimeWindows.0 = 1.3.6.1.6.3.15.1.1.2.0
    expect(report.includes(Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03, 0x0f, 0x01, 0x01, 0x02, 0x00]))).toBe(true);
    // Then the same inform with our boots and time: answered with a Response (authPriv), one event.
    expect(second).toMatchObject({ engineBoots: 1, engineTime: reportHeader.engineTime });
    expect(peekV3Security(relay.fromService[1])!.flags & 0x03).toBe(0x03);
    await waitFor(`${tag}-resync`);
    expect(await events(`${tag}-resync`)).toHaveLength(1);

    // The stale datagram replayed: a Report again, still no second event.
    await sendAll([relay.fromSender[0]], relay.port);
    await sleep(500);
    expect(await dropped('notInTimeWindow')).toBe(before + 2);
    expect(await events(`${tag}-resync`)).toHaveLength(1);
  });
});
