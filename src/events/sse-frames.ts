import type { BusItem } from './trap-bus.ts';

/**
 * Frames kept for other subscribers, at most (and their bytes): every live subscriber takes an event
 * within a few milliseconds of the first (a small frame shares an 8 KiB pool slab: 8 MiB at worst).
 */
const FRAMES_MAX = 1_024;
const FRAMES_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Events that keep coming go to a subscriber at most every COALESCE_MS (more often only when a chunk
 * is full): one chunk, one write and one wake-up for all of them, rather than one per event. An event
 * after a quiet spell goes at once (after the rest of its event-loop turn).
 */
const COALESCE_MS = 5;

/**
 * The SSE wire form of bus items (`id:`, `event:` and `data:` lines), shared by every subscriber of one
 * bus (ids are unique within a bus, not across buses):
 * - an event's frame is encoded once: the newest frames are kept by event id (at most FRAMES_MAX and
 *   FRAMES_MAX_BYTES, the oldest forgotten first), so the other subscribers copy its bytes rather than
 *   encode its JSON again;
 * - a chunk is made once for the subscribers that take the same events: the last chunk is kept, and a
 *   subscriber whose items are the same events gets the same buffer;
 * - subscribers waiting to coalesce wake together (one timer, one setImmediate), so that those in step
 *   take the same events.
 * JSON never contains a raw line break, so each event is one `data:` line.
 */
export class SseFrames {
  private readonly frames = new Map<string, Buffer>();
  /** Ids and sizes of the frames kept, oldest first from `oldest` on (a ring: finding the front of a Map that is deleted from is slow). */
  private readonly ids = new Array<string>(FRAMES_MAX);
  private readonly sizes = new Uint32Array(FRAMES_MAX);
  private oldest = 0;
  private bytes = 0;
  private last: { ids: string[]; chunk: Buffer } | undefined;
  private tick: Promise<void> | undefined;
  private immediate: Promise<void> | undefined;

  /** The items of one chunk, as the bytes to send. */
  chunk(items: readonly BusItem<unknown>[]): Buffer {
    const last = this.last;
    if (last !== undefined && sameEvents(items, last.ids)) return last.chunk;
    if (items.length === 1) return this.frame(items[0]);
    const parts = new Array<Buffer>(items.length);
    const ids: string[] = [];
    let length = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.kind === 'event') ids.push(item.id);
      parts[i] = this.frame(item);
      length += parts[i].length;
    }
    const chunk = Buffer.concat(parts, length);
    this.last = ids.length === items.length ? { ids, chunk } : undefined;
    return chunk;
  }

  /**
   * Resolves when a subscriber that made its last chunk at `sentAt` (performance.now()) may make the next:
   * COALESCE_MS after it at most, or after this event-loop turn when that is already past. Every subscriber
   * waiting resumes at the same moment.
   */
  paced(sentAt: number): Promise<void> {
    if (performance.now() - sentAt < COALESCE_MS) {
      return (this.tick ??= new Promise<void>((resolve) =>
        setTimeout(() => {
          this.tick = undefined;
          resolve();
        }, COALESCE_MS),
      ));
    }
    return (this.immediate ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.immediate = undefined;
        resolve();
      }),
    ));
  }

  private frame(item: BusItem<unknown>): Buffer {
    if (item.kind === 'gap') return Buffer.from(`event: gap\ndata: ${JSON.stringify({ missed: item.missed })}\n\n`, 'latin1');
    const known = this.frames.get(item.id);
    if (known !== undefined) return known;
    const frame = Buffer.from(`id: ${item.id}\nevent: trap\ndata: ${item.json}\n\n`, 'utf8');
    if (frame.length <= FRAMES_MAX_BYTES / 16) this.keep(item.id, frame);
    return frame;
  }

  private keep(id: string, frame: Buffer): void {
    if (this.frames.size === FRAMES_MAX) this.forgetOldest();
    const slot = (this.oldest + this.frames.size) % FRAMES_MAX;
    this.ids[slot] = id;
    this.sizes[slot] = frame.length;
    this.frames.set(id, frame);
    this.bytes += frame.length;
    while (this.bytes > FRAMES_MAX_BYTES) this.forgetOldest();
  }

  private forgetOldest(): void {
    this.frames.delete(this.ids[this.oldest]);
    this.bytes -= this.sizes[this.oldest];
    this.oldest = (this.oldest + 1) % FRAMES_MAX;
  }
}

/** Whether items are events with exactly these ids, in this order. */
function sameEvents(items: readonly BusItem<unknown>[], ids: readonly string[]): boolean {
  if (items.length !== ids.length) return false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'event' || item.id !== ids[i]) return false;
  }
  return true;
}
