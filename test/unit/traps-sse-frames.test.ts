import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/events/bus-engine.ts';
import { SseFrames } from '../../src/events/sse-frames.ts';
import type { BusItem } from '../../src/events/trap-bus.ts';

const event = (n: number, body = `{"n":${n}}`): BusItem<object> => makeEntry(`1700000000000-${n}`, {}, body);
const gap = (missed: number | null): BusItem<object> => ({ kind: 'gap', missed });

describe('SseFrames: the SSE wire form, made once for every subscriber in step', () => {
  it('writes id, event and data lines per event, and gaps as event: gap (UTF-8 JSON kept as is)', () => {
    const frames = new SseFrames();
    const chunk = frames.chunk([gap(3), event(1), event(2, '{"text":"café ☕"}'), gap(null)]);
    expect(chunk.toString('utf8')).toBe(
      'event: gap\ndata: {"missed":3}\n\n' +
        'id: 1700000000000-1\nevent: trap\ndata: {"id":"1700000000000-1","n":1}\n\n' +
        'id: 1700000000000-2\nevent: trap\ndata: {"id":"1700000000000-2","text":"café ☕"}\n\n' +
        'event: gap\ndata: {"missed":null}\n\n',
    );
  });

  it('gives subscribers that take the same events the same buffer, and the others their own events', () => {
    const frames = new SseFrames();
    const events = [event(1), event(2), event(3)];
    const first = frames.chunk(events);
    // Another subscriber in step: its own item objects, the same events.
    expect(frames.chunk([event(1), event(2), event(3)])).toBe(first);
    // A filtered subscriber (same first and last, same count would not be enough: the events must be the same).
    const filtered = frames.chunk([event(1), event(3)]);
    expect(filtered.toString()).toBe(`${frameText(1)}${frameText(3)}`);
    expect(frames.chunk([event(1), event(2), event(4)]).toString()).toBe(`${frameText(1)}${frameText(2)}${frameText(4)}`);
    // A lone event is its frame.
    expect(frames.chunk([event(2)]).toString()).toBe(frameText(2));
  });

  it('writes each event in place in one buffer, and never trusts a size that is not the JSON size', () => {
    const frames = new SseFrames();
    const ascii = event(1);
    const utf8 = event(2, '{"text":"café ☕"}');
    expect(frames.chunk([ascii, utf8]).toString('utf8')).toBe(`${frameText(1)}id: 1700000000000-2\nevent: trap\ndata: {"id":"1700000000000-2","text":"café ☕"}\n\n`);
    // Sizes that lie (too large, too small): the same text, no stale bytes, nothing cut.
    for (const size of [ascii.kind === 'event' ? ascii.size + 7 : 0, 3]) {
      const lying = { ...event(3), size } as BusItem<object>;
      expect(new SseFrames().chunk([event(1), lying, event(4)]).toString('utf8')).toBe(`${frameText(1)}${frameText(3)}${frameText(4)}`);
    }
  });
});

function frameText(n: number): string {
  return `id: 1700000000000-${n}\nevent: trap\ndata: {"id":"1700000000000-${n}","n":${n}}\n\n`;
}
