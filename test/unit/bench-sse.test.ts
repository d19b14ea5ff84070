import { describe, expect, it } from 'vitest';
import { SseFrameCounter } from '../../bench/lib/sse.ts';

const trap = (n: number) => `id: 1700000000000-${n}\nevent: trap\ndata: {"id":"1700000000000-${n}","varbinds":[{"value":"event: trap\\n"}]}\n\n`;
const stream = `: subscribed\n\n${trap(1)}event: gap\ndata: {"missed":3}\n\n${trap(2)}: heartbeat\n\n${trap(3)}`;

describe("the bench's SSE counter (counting on raw bytes)", () => {
  it('counts trap events and gaps, and sees the subscription, however the stream is cut into chunks', () => {
    const bytes = Buffer.from(stream);
    for (let size = 1; size <= bytes.length; size++) {
      const counter = new SseFrameCounter();
      for (let at = 0; at < bytes.length; at += size) counter.feed(bytes.subarray(at, at + size));
      expect({ size, traps: counter.trapEvents, gaps: counter.gapEvents, subscribed: counter.subscribed }).toEqual({ size, traps: 3, gaps: 1, subscribed: true });
    }
  });

  it('counts nothing for a frame that is not over yet, nor text that only looks like an event line', () => {
    const counter = new SseFrameCounter();
    counter.feed(Buffer.from(`data: {"text":"event: trap"}\n\n${trap(1).slice(0, -1)}`));
    expect(counter.trapEvents).toBe(0);
    counter.feed(Buffer.from('\n'));
    expect(counter.trapEvents).toBe(1);
  });
});
