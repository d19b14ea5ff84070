import type { BusItem } from './trap-bus.ts';

/**
 * Events that keep coming go to a subscriber at most every COALESCE_MS (more often only when a chunk
 * is full): one chunk, one write and one wake-up for all of them, rather than one per event. An event
 * after a quiet spell goes at once (after the rest of its event-loop turn).
 */
const COALESCE_MS = 5;

/** An event's frame: ID_PREFIX, its id, EVENT_AND_DATA, its JSON, FRAME_END. */
const ID_PREFIX = 'id: ';
const EVENT_AND_DATA_TEXT = '\nevent: trap\ndata: ';
const FRAME_END_TEXT = '\n\n';
const ID_LINE = Buffer.from(ID_PREFIX, 'latin1');
const EVENT_AND_DATA = Buffer.from(EVENT_AND_DATA_TEXT, 'latin1');
const FRAME_END = Buffer.from(FRAME_END_TEXT, 'latin1');
const EVENT_FRAME_OVERHEAD = ID_LINE.length + EVENT_AND_DATA.length + FRAME_END.length;

/**
 * The SSE wire form of bus items (`id:`, `event:` and `data:` lines), shared by every subscriber of one
 * bus (ids are unique within a bus, not across buses):
 * - a chunk is written in one buffer of its exact size, each event's lines in place (an event's JSON,
 *   ASCII in practice, is a copy of its bytes);
 * - a chunk is made once for the subscribers that take the same events: the last chunk is kept, and a
 *   subscriber whose items are the same events gets the same buffer;
 * - subscribers waiting to coalesce wake together (one timer, one setImmediate), so that those in step
 *   take the same events.
 * JSON never contains a raw line break, so each event is one `data:` line.
 */
export class SseFrames {
  private last: { ids: string[]; chunk: Buffer } | undefined;
  private tick: Promise<void> | undefined;
  private immediate: Promise<void> | undefined;

  /** The items of one chunk, as the bytes to send. */
  chunk(items: readonly BusItem<unknown>[]): Buffer {
    const last = this.last;
    if (last !== undefined && sameEvents(items, last.ids)) return last.chunk;
    const ids: string[] = [];
    const gaps: (string | undefined)[] = [];
    let length = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.kind === 'event') {
        ids.push(item.id);
        length += EVENT_FRAME_OVERHEAD + item.id.length + item.size;
      } else {
        gaps[i] = `event: gap\ndata: ${JSON.stringify({ missed: item.missed })}\n\n`;
        length += gaps[i]!.length;
      }
    }
    const chunk = Buffer.allocUnsafe(length);
    let offset = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.kind === 'gap') {
        offset += chunk.write(gaps[i]!, offset, 'latin1');
        continue;
      }
      chunk.set(ID_LINE, offset);
      offset += ID_LINE.length;
      offset += chunk.write(item.id, offset, 'latin1');
      chunk.set(EVENT_AND_DATA, offset);
      offset += EVENT_AND_DATA.length;
      // Pure ASCII (its UTF-8 size is its length) is the same bytes in Latin-1, copied without encoding.
      const written = chunk.write(item.json, offset, item.size === item.json.length ? 'latin1' : 'utf8');
      // An entry whose size is not its JSON's: never send a truncated frame, nor bytes the buffer held before.
      if (written !== item.size) return encodedOneByOne(items, gaps);
      offset += written;
      chunk.set(FRAME_END, offset);
      offset += FRAME_END.length;
    }
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
}

/** The chunk made without trusting the entries' sizes (what chunk() falls back to). */
function encodedOneByOne(items: readonly BusItem<unknown>[], gaps: readonly (string | undefined)[]): Buffer {
  const frames = items.map((item, i) => (item.kind === 'gap' ? gaps[i]! : `${ID_PREFIX}${item.id}${EVENT_AND_DATA_TEXT}${item.json}${FRAME_END_TEXT}`));
  return Buffer.from(frames.join(''), 'utf8');
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
