import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DhcpDecodeError, OPTION_TABLE, decodeMessage, decodeOptions } from '../../src/dhcp/packet.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'dhcp');
const captures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => Buffer.from(readFileSync(join(FIXTURES, f), 'utf8').trim(), 'hex'));

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, bytes };
}

type Outcome = 'decoded' | 'rejected';

/** Decoding must either succeed (and serialize) or throw DhcpDecodeError; anything else fails the test. */
function decodeOrReject(packet: Buffer): Outcome {
  try {
    const message = decodeMessage(packet);
    const decoded = decodeOptions(message.options);
    JSON.stringify(decoded);
    return 'decoded';
  } catch (err) {
    if (err instanceof DhcpDecodeError) return 'rejected';
    throw new Error(`unexpected ${String(err)} for packet ${packet.toString('hex')}`);
  }
}

function withCookie(r: ReturnType<typeof rng>, optionBytes: Buffer): Buffer {
  const header = r.bytes(240);
  header.writeUInt32BE(0x63825363, 236);
  header[2] = r.int(17);
  return Buffer.concat([header, optionBytes]);
}

describe('DHCP decoder fuzz', () => {
  it('survives random packets', () => {
    const r = rng(1);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 5_000; i++) outcomes[decodeOrReject(r.bytes(r.int(700)))] += 1;
    for (let i = 0; i < 5_000; i++) outcomes[decodeOrReject(withCookie(r, r.bytes(r.int(400))))] += 1;
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.decoded).toBeGreaterThan(0);
  });

  it('survives mutated and truncated dnsmasq captures', () => {
    const r = rng(2);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 10_000; i++) {
      const packet = Buffer.from(captures[i % captures.length]);
      const mutation = i % 4;
      if (mutation === 0) {
        for (let k = 0; k < 1 + r.int(8); k++) packet[r.int(packet.length)] = r.int(256);
      } else if (mutation === 1) {
        for (let k = 0; k < 1 + r.int(4); k++) packet[240 + r.int(packet.length - 240)] = r.int(256);
      } else if (mutation === 2) {
        packet[240 + r.int(Math.max(1, packet.length - 241)) + 1] = 0xff; // an overlong length byte
      } else {
        outcomes[decodeOrReject(packet.subarray(0, r.int(packet.length)))] += 1;
        continue;
      }
      outcomes[decodeOrReject(packet)] += 1;
    }
    expect(outcomes.rejected).toBeGreaterThan(100);
    expect(outcomes.decoded).toBeGreaterThan(100);
  });

  it('survives option overload (52) pointing at garbage in file and sname', () => {
    const r = rng(3);
    for (let i = 0; i < 3_000; i++) {
      const packet = withCookie(r, Buffer.concat([Buffer.from([53, 1, 2, 52, 1, 1 + r.int(3)]), r.bytes(r.int(40)), Buffer.from([255])]));
      decodeOrReject(packet);
    }
  });

  it('never throws from any named option decoder, whatever the bytes', () => {
    const r = rng(4);
    const codes = Object.keys(OPTION_TABLE).map(Number);
    for (let i = 0; i < 20_000; i++) {
      const code = codes[i % codes.length];
      const data = r.bytes(r.int(64));
      const { rawOptions } = decodeOptions([{ code, data }]);
      expect(rawOptions).toHaveLength(1);
    }
  });

  it('terminates on domain-search lists made of compression pointers', () => {
    const r = rng(5);
    for (let i = 0; i < 5_000; i++) {
      const parts = Array.from({ length: 1 + r.int(12) }, () =>
        r.next() < 0.5 ? Buffer.from([0xc0, r.int(40)]) : Buffer.concat([Buffer.from([1 + r.int(3)]), r.bytes(3)]),
      );
      decodeOptions([{ code: 119, data: Buffer.concat(parts).subarray(0, 255) }]);
    }
  });
});
