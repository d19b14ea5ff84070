import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { AdapterError } from '../../errors.ts';
import { clientSignal } from '../../http/client-signal.ts';
import { adapterErrorToProblem } from '../../http/errors.ts';
import { problem, type Problem } from '../../http/problem.ts';
import type { AppEnv, AppRouteHandler } from '../../http/types.ts';
import type { OneTarget, SnmpTableRequest, SnmpWalkRequest, TableRow, VarbindJson, WalkSummary } from '../../snmp/schemas.ts';
import { expandTargets, type ManyTargetsRequest, type SnmpService, type TargetOutcome } from '../../snmp/service.ts';
import { elapsedMs } from '../../time.ts';
import type { SnmpRoutes } from './snmp.routes.ts';

const NDJSON = 'application/x-ndjson';

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
async function oneOrMany<R extends ManyTargetsRequest, T extends object>(c: Context<AppEnv>, snmp: SnmpService, request: R, run: Run<R, T>, walks = false) {
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
  return async (c) => c.json(await snmp.set(c.req.valid('json'), { signal: clientSignal(c) }), 200);
}

/** One JSON document (the walk is collected first, within the walk buffer), or NDJSON as the agent answers. */
export function walkHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['walk']> {
  return async (c) => {
    const request = c.req.valid('json');
    if (request.targets === undefined && wantsNdjson(c.req.header('accept'))) return streamWalk(c, snmp, expandTargets(request)[0]) as never;
    const answer = await oneOrMany(c, snmp, request, (one, signal) => snmp.walkCollected(one, { signal }), true);
    if (answer.response) return answer.response as never;
    if (answer.single) {
      const { varbinds, elapsedMs: ms, ...summary } = answer.single;
      return c.json({ varbinds, elapsedMs: ms, ...summary }, 200);
    }
    return c.json(answer.many!, 200);
  };
}

/** The table in one JSON document, or NDJSON: the table's description, then one row per line, then a summary. */
export function tableHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['table']> {
  return async (c) => {
    const request = c.req.valid('json');
    if (request.targets === undefined && wantsNdjson(c.req.header('accept'))) return streamTable(c, snmp, expandTargets(request)[0]) as never;
    const answer = await oneOrMany(c, snmp, request, (one, signal) => snmp.tableCollected(one, { signal }), true);
    if (answer.response) return answer.response as never;
    return c.json(answer.single ?? answer.many!, 200);
  };
}

/**
 * Streams a walk as NDJSON. The first varbind is awaited before the response starts, so an error that
 * happens before it (timeout, auth, unknown name) still answers problem+json with its status.
 */
async function streamWalk(c: Context<AppEnv>, snmp: SnmpService, request: OneTarget<SnmpWalkRequest>): Promise<Response> {
  const { cancel, release } = cancellation(c);
  const walk = snmp.walkBatches(request, { signal: cancel.signal });
  let first: IteratorResult<VarbindJson[], WalkSummary>;
  try {
    first = await walk.next();
  } catch (err) {
    release();
    throw err;
  }
  ndjsonHeaders(c);
  return stream(c, async (out) => {
    out.onAbort(() => cancel.abort());
    try {
      let step = first;
      while (!step.done) {
        // One write per agent reply, not per varbind: each write is a trip through the web stream.
        await out.write(step.value.map((vb) => `${JSON.stringify(vb)}\n`).join(''));
        if (cancel.signal.aborted) return;
        step = await walk.next();
      }
      await out.write(`${JSON.stringify({ summary: step.value })}\n`);
    } catch (err) {
      if (cancel.signal.aborted) return;
      await out.write(`${JSON.stringify({ error: streamError(c, err, 'walk failed mid-stream') })}\n`);
    } finally {
      release();
      await walk.return(undefined as never).catch(() => {});
    }
  });
}

/** Streams a table as NDJSON; like a walk, errors before the first rows answer problem+json. */
async function streamTable(c: Context<AppEnv>, snmp: SnmpService, request: OneTarget<SnmpTableRequest>): Promise<Response> {
  const started = performance.now();
  const { cancel, release } = cancellation(c);
  let first: IteratorResult<TableRow[], { truncated: boolean }>;
  let table: Awaited<ReturnType<SnmpService['table']>>;
  try {
    table = await snmp.table(request, { signal: cancel.signal });
    first = await table.rows.next();
  } catch (err) {
    release();
    throw err;
  }
  const { plan, rows } = table;
  ndjsonHeaders(c);
  return stream(c, async (out) => {
    out.onAbort(() => cancel.abort());
    try {
      let step = first;
      let header = false;
      while (!step.done) {
        // A table the MIBs do not describe learns its columns while walking: describe it with the first rows.
        const head = header ? '' : `${JSON.stringify({ table: plan.table, index: plan.index, columns: plan.columns })}\n`;
        header = true;
        await out.write(head + step.value.map((row) => `${JSON.stringify(row)}\n`).join(''));
        if (cancel.signal.aborted) return;
        step = await rows.next();
      }
      if (!header) await out.write(`${JSON.stringify({ table: plan.table, index: plan.index, columns: plan.columns })}\n`);
      await out.write(`${JSON.stringify({ summary: { truncated: step.value.truncated, elapsedMs: elapsedMs(started) } })}\n`);
    } catch (err) {
      if (cancel.signal.aborted) return;
      await out.write(`${JSON.stringify({ error: streamError(c, err, 'table failed mid-stream') })}\n`);
    } finally {
      release();
      await rows.return(undefined as never).catch(() => {});
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
