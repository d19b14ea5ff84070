import { request, type ClientRequest } from 'node:http';

const TRAP_MARK = Buffer.from('event: trap\n');
const GAP_MARK = Buffer.from('event: gap\n');
const SUBSCRIBED_MARK = Buffer.from(': subscribed');

/** One SSE subscriber that only counts events, on raw bytes, so that counting costs the bench little. */
export class SseCounter {
  trapEvents = 0;
  gapEvents = 0;
  private tail = Buffer.alloc(0);
  private req?: ClientRequest;

  /** Connects and resolves once the service has registered the subscription (its first comment). */
  connect(url: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let subscribed = false;
      const timer = setTimeout(() => reject(new Error(`SSE ${url}: no subscription comment after ${timeoutMs} ms`)), timeoutMs);
      const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          reject(new Error(`SSE ${url}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          const carried = this.tail.length;
          const data = carried > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
          if (!subscribed && data.includes(SUBSCRIBED_MARK)) {
            subscribed = true;
            clearTimeout(timer);
            resolve();
          }
          this.trapEvents += occurrences(data, TRAP_MARK, carried);
          this.gapEvents += occurrences(data, GAP_MARK, carried);
          // Carry the end of the chunk over, so a marker split across chunks is still seen.
          this.tail = Buffer.from(data.subarray(Math.max(0, data.length - (TRAP_MARK.length - 1))));
        });
        res.on('error', () => undefined);
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        if (!subscribed) reject(err);
      });
      req.end();
      this.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Counts the markers in data that end after the first `carried` bytes (those were counted with the previous chunk). */
function occurrences(data: Buffer, mark: Buffer, carried: number): number {
  let count = 0;
  for (let i = data.indexOf(mark); i !== -1; i = data.indexOf(mark, i + mark.length)) {
    if (i + mark.length > carried) count++;
  }
  return count;
}
