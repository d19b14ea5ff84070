import { describe, expect, it } from 'vitest';
import { decodeIndex, suffixArcs, type IndexPart } from '../../src/snmp/table-index.ts';

const arcs = (text: string) => suffixArcs(text)!;
const bytes = (s: string) => [...Buffer.from(s)];

describe('decodeIndex: instance suffix → INDEX values (RFC 2578 §7.7)', () => {
  it('integers, and IpAddress as four sub-identifiers (tcpConnTable)', () => {
    const parts: IndexPart[] = [
      { name: 'tcpConnLocalAddress', encoding: 'ipAddress', implied: false },
      { name: 'tcpConnLocalPort', encoding: 'integer', implied: false },
      { name: 'tcpConnRemAddress', encoding: 'ipAddress', implied: false },
      { name: 'tcpConnRemPort', encoding: 'integer', implied: false },
    ];
    expect(decodeIndex(arcs('127.0.0.1.22.10.1.2.3.51234'), parts)).toEqual({
      tcpConnLocalAddress: '127.0.0.1',
      tcpConnLocalPort: 22,
      tcpConnRemAddress: '10.1.2.3',
      tcpConnRemPort: 51234,
    });
  });

  it('a variable-length string is length-prefixed; IMPLIED takes the rest without one', () => {
    const token: IndexPart[] = [{ name: 'nsExtendToken', encoding: 'octets', implied: false }];
    expect(decodeIndex([5, ...bytes('hello')], token)).toEqual({ nsExtendToken: 'hello' });
    const implied: IndexPart[] = [{ name: 'snmpTargetAddrName', encoding: 'octets', implied: true }];
    expect(decodeIndex(bytes('trap-sink'), implied)).toEqual({ snmpTargetAddrName: 'trap-sink' });
    const both: IndexPart[] = [
      { name: 'vacmGroupName', encoding: 'octets', implied: false },
      { name: 'vacmAccessContextPrefix', encoding: 'octets', implied: false },
      { name: 'vacmAccessSecurityModel', encoding: 'integer', implied: false },
    ];
    expect(decodeIndex([2, ...bytes('ro'), 0, 3], both)).toEqual({ vacmGroupName: 'ro', vacmAccessContextPrefix: '', vacmAccessSecurityModel: 3 });
  });

  it('binary strings as hex, or as their DISPLAY-HINT; a fixed SIZE takes no length (MacAddress)', () => {
    const engine: IndexPart[] = [
      { name: 'usmUserEngineID', encoding: 'octets', implied: false },
      { name: 'usmUserName', encoding: 'octets', implied: false },
    ];
    expect(decodeIndex([3, 0x80, 0, 0x1f, 4, ...bytes('user')], engine)).toEqual({ usmUserEngineID: '80001f', usmUserName: 'user' });
    const fdb: IndexPart[] = [{ name: 'dot1dTpFdbAddress', encoding: 'fixedOctets', implied: false, size: 6, displayHint: '1x:' }];
    expect(decodeIndex([0, 0x1b, 0x21, 0x3a, 0x4f, 0xff], fdb)).toEqual({ dot1dTpFdbAddress: '00:1b:21:3a:4f:ff' });
  });

  it('OBJECT IDENTIFIER length-prefixed, or IMPLIED', () => {
    expect(decodeIndex([3, 1, 3, 6, 7], [{ name: 'o', encoding: 'oid', implied: false }, { name: 'n', encoding: 'integer', implied: false }])).toEqual({ o: '1.3.6', n: 7 });
    expect(decodeIndex([1, 3, 6, 1], [{ name: 'o', encoding: 'oid', implied: true }])).toEqual({ o: '1.3.6.1' });
  });

  it('InetAddressType + InetAddress: the address read by its type (RFC 4001)', () => {
    const parts: IndexPart[] = [
      { name: 'type', encoding: 'integer', implied: false },
      { name: 'address', encoding: 'octets', implied: false, inetTypePart: 0 },
      { name: 'port', encoding: 'integer', implied: false },
    ];
    expect(decodeIndex([1, 4, 127, 0, 0, 1, 22], parts)).toEqual({ type: 1, address: '127.0.0.1', port: 22 });
    expect(decodeIndex([2, 16, ...Array(15).fill(0), 1, 443], parts)).toEqual({ type: 2, address: '::1', port: 443 });
    expect(decodeIndex([3, 8, 169, 254, 0, 1, 0, 0, 0, 3, 80], parts)).toEqual({ type: 3, address: '169.254.0.1%3', port: 80 });
    expect(decodeIndex([16, 3, ...bytes('abc'), 53], parts)).toEqual({ type: 16, address: 'abc', port: 53 });
    // A length that does not fit the type: the bytes, not a wrong address.
    expect(decodeIndex([1, 2, 1, 2, 9], parts)).toEqual({ type: 1, address: '0102', port: 9 });
  });

  it('SMIv1 NetworkAddress: a 1, then four sub-identifiers', () => {
    expect(decodeIndex([1, 10, 0, 0, 1], [{ name: 'a', encoding: 'networkAddress', implied: false }])).toEqual({ a: '10.0.0.1' });
  });

  it('undefined for a suffix that does not fit: short, long, or a byte out of range', () => {
    const token: IndexPart[] = [{ name: 't', encoding: 'octets', implied: false }];
    expect(decodeIndex([5, 104, 105], token)).toBeUndefined();
    expect(decodeIndex([1, 104, 105], token)).toBeUndefined();
    expect(decodeIndex([1, 256], token)).toBeUndefined();
    expect(decodeIndex([127, 0, 0], [{ name: 'ip', encoding: 'ipAddress', implied: false }])).toBeUndefined();
    expect(decodeIndex([], [{ name: 'i', encoding: 'integer', implied: false }])).toBeUndefined();
    expect(decodeIndex([4_000_000_000], [{ name: 'i', encoding: 'integer', implied: false }])).toEqual({ i: 4_000_000_000 });
  });

  it('suffixArcs refuses what is not dotted decimal', () => {
    expect(suffixArcs('')).toEqual([]);
    expect(suffixArcs('1.2.3')).toEqual([1, 2, 3]);
    expect(suffixArcs('1.x')).toBeUndefined();
  });
});
