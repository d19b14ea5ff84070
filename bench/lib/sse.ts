import { request, type ClientRequest } from 'node:http';

const FRAME_END = Buffer.from('\n\n');
const TRAP_LINE = Buffer.from('event: trap\n');
const GAP_LINE = Buffer.from('event: gap\n');
const SUBSCRIBED_LINE = Buffer.from(': subscribed');
/** The first bytes of a frame kept to tell what it is: an id line and the event line after it fit. */
const HEAD_BYTES = 96;
const NEWLINE = 0x0a;

/**
 * Counts the frames of an SSE stream on raw bytes, so that counting costs the bench little: it looks for
 * the blank line that ends each frame (one search per frame), and reads only a frame's first bytes: a trap
 * event (an `event: trap` line, first or after the `id:` line), a gap, or the `: subscribed` comment.
 */
export class SseFrameCounter {
  trapEvents = 0;
  gapEvents = 0;
  subscribed = false;
  private readonly head = Buffer.alloc(HEAD_BYTES);
  private headLength = 0;
  /** The bytes so far ended with a newline: the next chunk may begin with the one that ends the frame. */
  private endedWithNewline = false;

  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    let position = 0;
    if (this.endedWithNewline && chunk[0] === NEWLINE) {
      this.endFrame();
      position = 1;
    }
    this.endedWithNewline = false;
    while (position < chunk.length) {
      const end = chunk.indexOf(FRAME_END, position);
      if (end === -1) {
        this.keepHead(chunk, position, chunk.length);
        this.endedWithNewline = chunk[chunk.length - 1] === NEWLINE;
        return;
      }
      this.keepHead(chunk, position, end + 1);
      this.endFrame();
      position = end + FRAME_END.length;
    }
  }

  private keepHead(chunk: Buffer, from: number, to: number): void {
    const room = HEAD_BYTES - this.headLength;
    if (room <= 0 || from >= to) return;
    const copied = chunk.copy(this.head, this.headLength, from, Math.min(to, from + room));
    this.headLength += copied;
  }

  private endFrame(): void {
    if (this.startsWith(0, TRAP_LINE) || this.startsWith(this.afterFirstLine(), TRAP_LINE)) this.trapEvents++;
    else if (this.startsWith(0, GAP_LINE)) this.gapEvents++;
    else if (this.startsWith(0, SUBSCRIBED_LINE)) this.subscribed = true;
    this.headLength = 0;
  }

  private afterFirstLine(): number {
    for (let i = 0; i < this.headLength; i++) if (this.head[i] === NEWLINE) return i + 1;
    return this.headLength;
  }

  private startsWith(offset: number, line: Buffer): boolean {
    if (offset + line.length > this.headLength) return false;
    for (let i = 0; i < line.length; i++) if (this.head[offset + i] !== line[i]) return false;
    return true;
  }
}

/** One SSE subscriber that only counts events (SseFrameCounter). */
export class SseCounter {
  private readonly frames = new SseFrameCounter();
  private req?: ClientRequest;

  get trapEvents(): number {
    return this.frames.trapEvents;
  }

  get gapEvents(): number {
    return this.frames.gapEvents;
  }

  /** Connects and resolves once the service has registered the subscription (its first comment). */
  connect(url: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SSE ${url}: no subscription comment after ${timeoutMs} ms`)), timeoutMs);
      const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          reject(new Error(`SSE ${url}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          this.frames.feed(chunk);
          if (this.frames.subscribed) {
            clearTimeout(timer);
            resolve();
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        if (!this.frames.subscribed) reject(err);
      });
      req.end();
      this.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
  }
}
