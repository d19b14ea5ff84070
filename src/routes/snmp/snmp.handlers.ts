import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { AdapterError } from '../../errors.ts';
import { BatchedWriter } from '../../http/batched-writer.ts';
import { clientSignal } from '../../http/client-signal.ts';
import { adapterErrorToProblem } from '../../http/errors.ts';
import { problem, type Problem } from '../../http/problem.ts';
import type { AppEnv, AppRouteHandler } from '../../http/types.ts';
import type { OneTarget, SnmpTableRequest, SnmpWalkRequest } from '../../snmp/schemas.ts';
import type { TablePlan } from '../../snmp/table.ts';
import { expandTargets, type ManyTargetsRequest, type SnmpService, type TargetOutcome } from '../../snmp/service.ts';
import { elapsedMs } from '../../time.ts';
import type { SnmpRoutes } from './snmp.routes.ts';

const NDJSON = 'application/x-ndjson';
/** NDJSON lines go out 16 K characters at a time, or 20 ms after the first waiting line (batched-writer.ts). */
const NDJSON_BATCHES = { maxChars: 16 * 1024, maxDelayMs: 20 };

type Run<R extends ManyTargetsRequest, T> = (one: OneTarget<R>, signal: AbortSignal | undefined) => Promise<T>;

/** The result of one target as the API gives it: the single-target body, or the problem object of its error. */
function targetResult<T extends object>(outcome: TargetOutcome<T>) {
  return outcome.ok
    ? { target: outcome.target, ok: true as const, ...outcome.result }
    : { target: outcome.target, ok: false as const, error: adapterErrorToProblem(outcome.error) };
}

/**
 * One agent (`host`): the operation's body. Many (`targets`): `{ results, elapsedMs }` in input order, or with
 * Accept: application/x-ndjson one line per target as it completes (with its `index`), then a summary line.
 */
async function oneOrMany<R extends ManyTargetsRequest, T extends object>(
  c: Context<AppEnv>,
  snmp: SnmpService,
  request: R,
  run: Run<R, T>,
  { walks = false, streamOne }: { walks?: boolean; streamOne?: (one: OneTarget<R>) => Promise<Response> } = {},
): Promise<{ response?: Response; single?: T; many?: { results: ReturnType<typeof targetResult<T>>[]; elapsedMs: number } }> {
  if (request.targets === undefined && streamOne && wantsNdjson(c.req.header('accept'))) return { response: await streamOne(expandTargets(request)[0]) };
  const signal = clientSignal(c);
  if (request.targets === undefined) return { single: await run(expandTargets(request)[0], signal) };
  if (wantsNdjson(c.req.header('accept'))) return { response: streamTargets(c, snmp, request, run, walks) };
  const started = performance.now();
  const outcomes = await snmp.forEachTarget(request, run, { signal, walks });
  return { many: { results: outcomes.map(targetResult), elapsedMs: elapsedMs(started) } };
}

function streamTargets<R extends ManyTargetsRequest, T extends object>(c: Context<AppEnv>, snmp: SnmpService, request: R, run: Run<R, T>, walks: boolean): Response {
  expandTargets(request); // invalid targets answer 400 before the stream starts
  const started = performance.now();
  const { cancel, release } = cancellation(c);
  ndjsonHeaders(c);
  return stream(c, async (out) => {
    out.onAbort(() => cancel.abort());
    let ok = 0;
    let failed = 0;
    try {
      await snmp.forEachTarget(request, run, {
        signal: cancel.signal,
        walks,
        onResult: async (outcome) => {
          if (outcome.ok) ok++;
          else failed++;
          await out.write(`${JSON.stringify({ index: outcome.index, ...targetResult(outcome) })}\n`);
        },
      });
      await out.write(`${JSON.stringify({ summary: { targets: ok + failed, ok, failed, elapsedMs: elapsedMs(started) } })}\n`);
    } catch (err) {
      if (!cancel.signal.aborted) await out.write(`${JSON.stringify({ error: streamError(c, err, 'many-target request failed mid-stream') })}\n`);
    } finally {
      release();
    }
  });
}

export function getHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['get']> {
  return async (c) => {
    const answer = await oneOrMany(c, snmp, c.req.valid('json'), (one, signal) => snmp.get(one, { signal }));
    if (answer.response) return answer.response as never;
    return c.json(answer.single ?? answer.many!, 200);
  };
}

export function getNextHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['getNext']> {
  return async (c) => {
    const answer = await oneOrMany(c, snmp, c.req.valid('json'), (one, signal) => snmp.getNext(one, { signal }));
    if (answer.response) return answer.response as never;
    return c.json(answer.single ?? answer.many!, 200);
  };
}

export function bulkHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['bulk']> {
  return async (c) => {
    const answer = await oneOrMany(c, snmp, c.req.valid('json'), (one, signal) => snmp.bulk(one, { signal }));
    if (answer.response) return answer.response as never;
    return c.json(answer.single ?? answer.many!, 200);
  };
}

export function setHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['set']> {
  return async (c) => c.json(await snmp.set(c.req.valid('json'), { signal: clientSignal(c), actor: c.get('principal')?.name }), 200);
}

/** One JSON document (the walk is collected first, within the walk buffer), or NDJSON as the agent answers. */
export function walkHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['walk']> {
  const collected = streamedHandler(snmp, (one, signal) => snmp.walkCollected(one, { signal }), streamWalk);
  return (async (c: Parameters<typeof collected>[0]) => {
    const request = c.req.valid('json');
    if (request.targets !== undefined || wantsNdjson(c.req.header('accept'))) return collected(c);
    const body = await walkAsJson(snmp, expandTargets(request)[0], clientSignal(c));
    return c.body(body, 200, { 'content-type': 'application/json' });
  }) as never;
}

/**
 * One agent's walk as its JSON body, the same bytes as c.json() of walkCollected, serialized and encoded reply
 * by reply while the agent works on the next one: at the end the parts are only copied into one buffer, so
 * the answer goes out as soon as the last reply came.
 */
async function walkAsJson(snmp: SnmpService, request: OneTarget<SnmpWalkRequest>, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  const walk = snmp.walkBatches(request, { signal, buffered: true });
  const parts: Buffer[] = [Buffer.from('{"varbinds":[')];
  let separator = '';
  let step = await walk.next();
  while (!step.done) {
    if (step.value.length > 0) {
      parts.push(Buffer.from(separator + JSON.stringify(step.value).slice(1, -1)));
      separator = ',';
    }
    step = await walk.next();
  }
  parts.push(Buffer.from(`],${JSON.stringify(step.value).slice(1)}`));
  return Buffer.concat(parts);
}

/** The table in one JSON document, or NDJSON: the table's description, then one row per line, then a summary. */
export function tableHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['table']> {
  return streamedHandler(snmp, (one, signal) => snmp.tableCollected(one, { signal }), streamTable) as never;
}

/** A walk or a table: collected (JSON, one agent or many), or streamed as NDJSON for one agent. */
function streamedHandler<R extends ManyTargetsRequest, T extends object>(
  snmp: SnmpService,
  collect: Run<R, T>,
  streamOne: (c: Context<AppEnv>, snmp: SnmpService, one: OneTarget<R>) => Promise<Response>,
) {
  return async (c: Context<AppEnv, string, { in: { json: unknown }; out: { json: R } }>): Promise<Response> => {
    const answer = await oneOrMany(c, snmp, c.req.valid('json'), collect, { walks: true, streamOne: (one) => streamOne(c, snmp, one) });
    return answer.response ?? c.json(answer.single ?? answer.many!, 200);
  };
}

/** Streams a walk as NDJSON: one varbind per line, then the summary. */
function streamWalk(c: Context<AppEnv>, snmp: SnmpService, request: OneTarget<SnmpWalkRequest>): Promise<Response> {
  return streamNdjson(c, async (signal) => snmp.walkBatches(request, { signal }), { what: 'walk', summary: (summary) => summary });
}

/** Streams a table as NDJSON: its description, one row per line, then the summary. */
function streamTable(c: Context<AppEnv>, snmp: SnmpService, request: OneTarget<SnmpTableRequest>): Promise<Response> {
  const started = performance.now();
  let plan: TablePlan | undefined;
  return streamNdjson(
    c,
    async (signal) => {
      const table = await snmp.table(request, { signal });
      plan = table.plan;
      return table.rows;
    },
    {
      what: 'table',
      // After the first rows: a table the MIBs do not describe learns its columns while walking.
      head: () => JSON.stringify({ table: plan!.table, index: plan!.index, columns: plan!.columns }),
      summary: ({ truncated }) => ({ truncated, elapsedMs: elapsedMs(started) }),
    },
  );
}

/**
 * Streams batches as NDJSON, one item per line. The first batch is awaited before the response starts, so an
 * error that happens before it (timeout, auth, unknown name) still answers problem+json with its status; a
 * later one ends the stream with an `{"error": <problem>}` line.
 */
async function streamNdjson<T, S>(
  c: Context<AppEnv>,
  open: (signal: AbortSignal) => Promise<AsyncGenerator<T[], S>>,
  format: { what: string; head?: () => string; summary: (summary: S) => unknown },
): Promise<Response> {
  const { cancel, release } = cancellation(c);
  let source: AsyncGenerator<T[], S>;
  let first: IteratorResult<T[], S>;
  try {
    source = await open(cancel.signal);
    first = await source.next();
  } catch (err) {
    release();
    throw err;
  }
  ndjsonHeaders(c);
  return stream(c, async (out) => {
    out.onAbort(() => cancel.abort());
    const lines = new BatchedWriter((text) => out.write(text), NDJSON_BATCHES);
    try {
      let step = first;
      let prefix = format.head ? `${format.head()}\n` : '';
      while (!step.done) {
        // The next batch is asked for before this one is written, so the agent's next request leaves while
        // the write goes through the web stream (one batch ahead at most). Caught here so that its failure
        // is not unhandled while the write is awaited; awaiting it below still throws.
        const next = source.next();
        next.catch(() => {});
        await lines.add(prefix + step.value.map((item) => `${JSON.stringify(item)}\n`).join(''));
        prefix = '';
        if (cancel.signal.aborted) return;
        step = await next;
      }
      await lines.add(`${prefix}${JSON.stringify({ summary: format.summary(step.value) })}\n`);
      await lines.flush();
    } catch (err) {
      if (cancel.signal.aborted) return;
      await lines.add(`${JSON.stringify({ error: streamError(c, err, `${format.what} failed mid-stream`) })}\n`);
      await lines.flush();
    } finally {
      lines.discard();
      release();
      await source.return(undefined as never).catch(() => {});
    }
  });
}

function cancellation(c: Context<AppEnv>): { cancel: AbortController; release: () => void } {
  const cancel = new AbortController();
  const clientGone = clientSignal(c);
  const onClientGone = () => cancel.abort();
  clientGone.addEventListener('abort', onClientGone, { once: true });
  return { cancel, release: () => clientGone.removeEventListener('abort', onClientGone) };
}

function ndjsonHeaders(c: Context<AppEnv>): void {
  c.header('content-type', NDJSON);
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
}

function streamError(c: Context<AppEnv>, err: unknown, what: string): Problem {
  if (!(err instanceof AdapterError)) c.get('logger')?.error({ err, reqId: c.get('requestId') }, what);
  return err instanceof AdapterError ? adapterErrorToProblem(err) : problem(500, 'internal', 'Internal server error');
}

function wantsNdjson(accept: string | undefined): boolean {
  return accept !== undefined && accept.toLowerCase().split(',').some((part) => part.trim().startsWith(NDJSON));
}
