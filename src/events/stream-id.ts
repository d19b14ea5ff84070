/**
 * Event ids, in the shape of Redis stream ids: `<ms>-<seq>`. Clients treat them as opaque strings; the
 * bus compares them by (ms, seq). In memory mode `ms` is the time this process started and `seq` counts
 * its events from 1, so ids never repeat across restarts and an id from an earlier run is recognised;
 * in Redis mode they are the stream's own ids, the same on every replica.
 */
export interface StreamId {
  ms: number;
  seq: number;
}

/** What clients may send back (Last-Event-ID, since): `<ms>-<seq>`, or `<ms>` alone (seq 0). */
export const STREAM_ID_PATTERN = /^(\d{1,15})(?:-(\d{1,15}))?$/;

/** The smallest id: every event comes after it. */
export const ZERO_ID: StreamId = { ms: 0, seq: 0 };

export function parseStreamId(text: string): StreamId | undefined {
  const match = STREAM_ID_PATTERN.exec(text);
  if (!match) return undefined;
  return { ms: Number(match[1]), seq: match[2] === undefined ? 0 : Number(match[2]) };
}

export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** Negative, zero or positive as a is before, equal to or after b. */
export function compareStreamIds(a: StreamId, b: StreamId): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.seq - b.seq;
}

/** Compares two id texts; an id that does not parse sorts before every other. */
export function compareIdTexts(a: string, b: string): number {
  return compareStreamIds(parseStreamId(a) ?? { ms: -1, seq: -1 }, parseStreamId(b) ?? { ms: -1, seq: -1 });
}
