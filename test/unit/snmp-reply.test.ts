import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { findImpossibleVarbind, findUndecodableVarbind, peekReply, PDU_TAGS, type ValueReader } from '../../src/snmp/reply.ts';
import { counter64ToDecimal, TYPE_TAGS, varbindToJson } from '../../src/snmp/varbind.ts';
import { MibResolver } from '../../src/snmp/mib.ts';
import { encodeResponse, encodeV1Trap, encodeV3Response, PDU, type FakeRequest } from '../helpers/snmp-fake-agent.ts';

const readValue = (snmp as unknown as { ObjectParser: { readVarbindValue: ValueReader } }).ObjectParser.readVarbindValue;
const request: FakeRequest = { version: 1, community: 'public', pduType: PDU.get, requestId: 12345, nonRepeaters: 0, maxRepetitions: 0, oids: ['1.3.6.1.2.1.1.5.0'], peerPort: 0 };
const ok = { oid: '1.3.6.1.2.1.1.5.0', type: 4, value: 'router1' };

describe('peekReply', () => {
  it('reads version, PDU tag and request id of a v2c reply', () => {
    expect(peekReply(encodeResponse(request, { varbinds: [ok] }))).toEqual({ version: 1, pduTag: PDU_TAGS.response, requestId: 12345 });
    expect(peekReply(encodeResponse(request, { varbinds: [ok] }, PDU.report))).toMatchObject({ pduTag: PDU_TAGS.report, requestId: 12345 });
  });

  it('reads the msgID of a v3 message, and has no request id for a v1 Trap-PDU', () => {
    expect(peekReply(encodeV3Response(777, [ok]))).toEqual({ version: 3, requestId: 777 });
    expect(peekReply(encodeV1Trap(request))).toEqual({ version: 0, pduTag: PDU_TAGS.trapV1 });
  });

  it('flags truncated or padded datagrams, and never throws on garbage', () => {
    const valid = encodeResponse(request, { varbinds: [ok] });
    expect(peekReply(valid.subarray(0, valid.length - 3))?.framingError).toMatch(/declares/);
    expect(peekReply(Buffer.concat([valid, Buffer.from([0])]))?.framingError).toMatch(/declares/);
    for (const garbage of [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from('not BER'), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])]) {
      expect(() => peekReply(garbage)).not.toThrow();
    }
  });
});

describe('findUndecodableVarbind', () => {
  it('names the first varbind the library cannot decode', () => {
    const reply = encodeResponse(request, { varbinds: [ok, { oid: '1.3.6.1.2.1.4.20.1.1.1', type: 0x40, value: Buffer.alloc(5) }] });
    expect(findUndecodableVarbind(reply, readValue)).toMatchObject({ index: 2, oid: '1.3.6.1.2.1.4.20.1.1.1', type: 0x40 });
  });

  it('is undefined when every varbind decodes', () => {
    expect(findUndecodableVarbind(encodeResponse(request, { varbinds: [ok, ok] }), readValue)).toBeUndefined();
  });
});

describe('findImpossibleVarbind and the JSON of impossible values', () => {
  it('flags an empty OID value and a Counter64 wider than 64 bits', () => {
    expect(findImpossibleVarbind([ok, { oid: '1.3.6.1.4.1.1', type: 6, value: '0.NaN' }])).toMatchObject({ index: 2 });
    expect(findImpossibleVarbind([[ok, { oid: '1.3.6.1.4.1.1', type: 0x46, value: Buffer.alloc(10, 1) }]])).toMatchObject({ index: 2 });
    expect(findImpossibleVarbind([{ oid: '1.3.6.1.4.1.1', type: 0x46, value: Buffer.from('00ffffffffffffffff', 'hex') }])).toBeUndefined();
  });

  it('renders them as null in trap events rather than as nonsense', () => {
    const mib = MibResolver.create({ mibDirs: [] });
    expect(varbindToJson({ oid: '1.3.6.1.4.1.1', type: TYPE_TAGS.ObjectIdentifier, value: '0.NaN' }, mib).value).toBeNull();
    expect(counter64ToDecimal(Buffer.alloc(40, 0xff))).toBeNull();
    expect(counter64ToDecimal(Buffer.from('00ffffffffffffffff', 'hex'))).toBe('18446744073709551615');
  });
});

