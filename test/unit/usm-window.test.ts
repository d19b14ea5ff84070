import { describe, expect, it } from 'vitest';
import { encodeUsmReport, USM_STATS_NOT_IN_TIME_WINDOWS } from '../../src/snmp/usm-report.ts';
import { peekV3Security, PDU_TAGS } from '../../src/snmp/reply.ts';
import { UsmTimeWindows } from '../../src/snmp/usm-window.ts';

const engine = Buffer.from('80001f8880c0ffee0001', 'hex');
const digest = (n: number) => Buffer.alloc(12, n);

describe('UsmTimeWindows (RFC 3414 §3.2 step 7)', () => {
  it('7b: believes a new engine, follows its clock with ours, and refuses what is older than 150 s or from an older boot', () => {
    let now = 0;
    const windows = new UsmTimeWindows({ now: () => now });
    expect(windows.checkRemote(engine, { boots: 1, time: 1000 }, 1, digest(1))).toBe('accept');
    now = 100_000; // 100 s later: our notion of its time is 1100
    expect(windows.checkRemote(engine, { boots: 1, time: 951 }, 2, digest(2))).toBe('accept');
    expect(windows.checkRemote(engine, { boots: 1, time: 949 }, 3, digest(3))).toBe('notInTimeWindow');
    expect(windows.checkRemote(engine, { boots: 0, time: 99_999 }, 4, digest(4))).toBe('notInTimeWindow');
    // A newer time moves the notion on: 1200 - 150 is the new floor.
    expect(windows.checkRemote(engine, { boots: 1, time: 1200 }, 5, digest(5))).toBe('accept');
    expect(windows.checkRemote(engine, { boots: 1, time: 1049 }, 6, digest(6))).toBe('notInTimeWindow');
    // A new boot resets the time.
    expect(windows.checkRemote(engine, { boots: 2, time: 5 }, 7, digest(7))).toBe('accept');
    expect(windows.checkRemote(engine, { boots: 1, time: 1300 }, 8, digest(8))).toBe('notInTimeWindow');
  });

  it('an exact copy (engine, msgID, digest) within the window is a duplicate; another engine is another notion', () => {
    const windows = new UsmTimeWindows({ now: () => 0 });
    expect(windows.checkRemote(engine, { boots: 1, time: 10 }, 7, digest(1))).toBe('accept');
    expect(windows.checkRemote(engine, { boots: 1, time: 10 }, 7, digest(1))).toBe('duplicate');
    expect(windows.checkRemote(engine, { boots: 1, time: 10 }, 7, digest(2))).toBe('accept');
    expect(windows.checkRemote(Buffer.from('8000000001', 'hex'), { boots: 1, time: 10 }, 7, digest(1))).toBe('accept');
  });

  it('is bounded: at most maxEngines notions, the least recently updated forgotten first', () => {
    const windows = new UsmTimeWindows({ now: () => 0, maxEngines: 3, maxRecent: 10 });
    for (let i = 0; i < 100; i++) windows.checkRemote(Buffer.from([0x80, i]), { boots: 1, time: 10 }, i, digest(i));
    expect(windows.engineCount).toBe(3);
  });

  it('7a: a message to our engine must carry our boots and a time within 150 s of ours', () => {
    const windows = new UsmTimeWindows({ now: () => 0 });
    const ours = { boots: 0, time: 500 };
    expect(windows.checkLocal(engine, { boots: 0, time: 650 }, ours, 1, digest(1))).toBe('accept');
    expect(windows.checkLocal(engine, { boots: 0, time: 650 }, ours, 1, digest(1))).toBe('duplicate');
    expect(windows.checkLocal(engine, { boots: 0, time: 349 }, ours, 2, digest(2))).toBe('notInTimeWindow');
    expect(windows.checkLocal(engine, { boots: 1, time: 500 }, ours, 3, digest(3))).toBe('notInTimeWindow');
  });
});

describe('encodeUsmReport', () => {
  it('encodes a noAuthNoPriv Report that reads back with our engine, boots, time and message id', () => {
    const report = encodeUsmReport({ msgId: 4242, requestId: 17, engineId: engine, engineBoots: 3, engineTime: 777, oid: USM_STATS_NOT_IN_TIME_WINDOWS, count: 2 });
    const header = peekV3Security(report)!;
    expect(header).toMatchObject({ msgId: 4242, flags: 0, engineBoots: 3, engineTime: 777, userName: '' });
    expect(header.engineId.equals(engine)).toBe(true);
    expect(report.includes(Buffer.from([PDU_TAGS.report]))).toBe(true);
  });
});
