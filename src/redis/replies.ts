/**
 * Readers for Redis replies. A reply is untrusted input like any other (the stream may hold entries
 * written by something else, or the server may not be Redis at all): every shape is checked, and what
 * does not fit is refused, never assumed.
 */

/** One stream entry as XRANGE / XREAD return it: its id and its fields. */
export interface RawStreamEntry {
  id: string;
  fields: Map<string, string>;
}

/** `[[id, [field, value, …]], …]` → entries; undefined when the reply is not that shape. Malformed entries come back with no fields. */
export function streamEntries(reply: unknown): RawStreamEntry[] | undefined {
  if (!Array.isArray(reply)) return undefined;
  const entries: RawStreamEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return undefined;
    entries.push({ id: item[0], fields: fieldMap(item[1]) });
  }
  return entries;
}

/** XREAD's reply for one stream: `[[key, entries]]`, or null when the block timed out. */
export function xreadEntries(reply: unknown): RawStreamEntry[] | undefined {
  if (reply === null) return [];
  if (!Array.isArray(reply) || reply.length !== 1 || !Array.isArray(reply[0])) return undefined;
  return streamEntries(reply[0][1]);
}

/** A flat `[key, value, …]` reply (RESP2 maps, and RESP3 maps in ioredis' legacy mapping) → Map; non-string keys are skipped. */
export function flatMap(reply: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (!Array.isArray(reply)) return map;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    if (typeof reply[i] === 'string') map.set(reply[i] as string, reply[i + 1]);
  }
  return map;
}

function fieldMap(reply: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(reply)) return map;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    if (typeof reply[i] === 'string' && typeof reply[i + 1] === 'string') map.set(reply[i] as string, reply[i + 1] as string);
  }
  return map;
}

/** XINFO STREAM, the part the bus uses. */
export interface StreamInfo {
  /** The id of the newest entry ever added (kept when entries are trimmed or deleted). */
  lastGeneratedId: string;
}

export function streamInfo(reply: unknown): StreamInfo | undefined {
  const lastGeneratedId = flatMap(reply).get('last-generated-id');
  return typeof lastGeneratedId === 'string' ? { lastGeneratedId } : undefined;
}
