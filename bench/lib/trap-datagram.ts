import { createSocket } from 'node:dgram';
import snmp from 'net-snmp';

/** IF-MIB::linkDown with the usual ifIndex, ifDescr, ifAdminStatus, ifOperStatus. */
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';

/**
 * Encodes one SNMPv2c trap with net-snmp by sending it to a local capture socket: the benchmark
 * then replays these exact bytes at high rates (encoding is the library's job, not ours).
 */
export async function encodeTrapV2c(community = 'public'): Promise<Buffer> {
  const capture = createSocket('udp4');
  await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', () => resolve()));
  const received = new Promise<Buffer>((resolve) => capture.once('message', (msg) => resolve(msg)));
  const session = snmp.createSession('127.0.0.1', community, { trapPort: capture.address().port, version: snmp.Version2c });
  session.on('error', () => undefined);
  const varbinds = [
    { oid: '1.3.6.1.2.1.2.2.1.1.2', type: snmp.ObjectType.Integer, value: 2 },
    { oid: '1.3.6.1.2.1.2.2.1.2.2', type: snmp.ObjectType.OctetString, value: 'GigabitEthernet0/2' },
    { oid: '1.3.6.1.2.1.2.2.1.7.2', type: snmp.ObjectType.Integer, value: 1 },
    { oid: '1.3.6.1.2.1.2.2.1.8.2', type: snmp.ObjectType.Integer, value: 2 },
  ];
  session.trap(LINK_DOWN, varbinds, (err: Error | null) => {
    if (err) capture.emit('error', err);
  });
  try {
    return await received;
  } finally {
    session.close();
    capture.close();
  }
}
