import { createParser } from 'eventsource-parser';

/**
 * The console's calls to the API. The bearer token lives in sessionStorage only (gone with the tab), and goes
 * in the Authorization header of each call. Every call goes to this page's own origin.
 */

const TOKEN_KEY = 'netprobe.token';

export function loadToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function saveToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer that was not a success: the problem details when the service sent them. */
export class ApiError extends Error {
  /** @param {number} status @param {any} problem */
  constructor(status, problem) {
    const issues = Array.isArray(problem?.errors) ? problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : '';
    super([problem?.title ?? `HTTP ${status}`, problem?.detail, issues].filter(Boolean).join(' — '));
    this.status = status;
    this.problem = problem;
    /** Seconds to wait before trying again (429, 503), when the service says. */
    this.retryAfter = undefined;
  }
}

function headers(extra = {}) {
  const token = loadToken();
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

async function failure(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = new ApiError(response.status, body);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (retryAfter > 0) error.retryAfter = retryAfter;
  return error;
}

/** GET or POST JSON; resolves with the parsed answer or rejects with an ApiError. */
export async function requestJson(method, path, body, signal) {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** The service's OpenAPI document (open: no token needed). */
export function fetchDocument() {
  return requestJson('GET', '/openapi.json');
}

/**
 * POSTs `body` asking for NDJSON and calls `onLine` with each parsed line as it arrives. Lines that are not
 * JSON are skipped. Resolves when the answer ends.
 */
export async function postNdjson(path, body, onLine, signal) {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json', accept: 'application/x-ndjson' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await failure(response);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) parseLine(line, onLine);
  }
  parseLine(pending, onLine);
}

function parseLine(line, onLine) {
  if (line.trim() === '') return;
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    return;
  }
  onLine(parsed);
}

/**
 * Opens the trap stream once (fetch, since EventSource cannot send a bearer token) and calls `onMessage`
 * with each `{ event, id, data }`. `lastEventId` resumes after that id. Resolves when the stream ends (the
 * caller decides whether to reconnect) and rejects with an ApiError when it is refused.
 * @param {Record<string, string>} query
 * @param {string | undefined} lastEventId
 * @param {(message: { event: string, id: string | undefined, data: any, size: number }) => void} onMessage
 * @param {AbortSignal} signal
 * @param {() => void} onOpen
 */
export async function streamTraps(query, lastEventId, onMessage, signal, onOpen) {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ''));
  const search = params.size > 0 ? `?${params}` : '';
  const response = await fetch(`/snmp/traps${search}`, {
    headers: headers({ accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) throw await failure(response);
  onOpen();
  if (!response.body) return;
  const parser = createParser({
    onEvent(message) {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      onMessage({ event: message.event ?? 'message', id: message.id, data, size: message.data.length });
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

/** Offers `text` as a file download (made in the page: nothing leaves the browser). */
export function download(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
