import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { AdapterError } from '../../errors.ts';
import { adapterErrorToProblem } from '../../http/errors.ts';
import { problem } from '../../http/problem.ts';
import { clientSignal } from '../../http/client-signal.ts';
import type { AppEnv } from '../../http/types.ts';
import type { SnmpWalkRequest } from '../../schemas/snmp.ts';
import type { SnmpService, WalkSummary } from '../../snmp/service.ts';
import type { VarbindJson } from '../../snmp/varbind.ts';
import type { SnmpBulkRoute, SnmpGetNextRoute, SnmpGetRoute, SnmpSetRoute, SnmpWalkRoute } from './snmp.routes.ts';

const NDJSON = 'application/x-ndjson';

export function snmpGetHandler(snmp: SnmpService, record: RecordOutcome = noRecord): RouteHandler<SnmpGetRoute, AppEnv> {
  return async (c) => c.json(await counted(record, 'get', () => snmp.get(c.req.valid('json'), { signal: clientSignal(c) })), 200);
}

export function snmpGetNextHandler(snmp: SnmpService, record: RecordOutcome = noRecord): RouteHandler<SnmpGetNextRoute, AppEnv> {
  return async (c) => c.json(await counted(record, 'getnext', () => snmp.getNext(c.req.valid('json'), { signal: clientSignal(c) })), 200);
}

export function snmpBulkHandler(snmp: SnmpService, record: RecordOutcome = noRecord): RouteHandler<SnmpBulkRoute, AppEnv> {
  return async (c) => c.json(await counted(record, 'bulk', () => snmp.bulk(c.req.valid('json'), { signal: clientSignal(c) })), 200);
}

export function snmpSetHandler(snmp: SnmpService, record: RecordOutcome = noRecord): RouteHandler<SnmpSetRoute, AppEnv> {
  return async (c) => c.json(await counted(record, 'set', () => snmp.set(c.req.valid('json'), { signal: clientSignal(c) })), 200);
}

export function snmpWalkHandler(snmp: SnmpService, record: RecordOutcome = noRecord): RouteHandler<SnmpWalkRoute, AppEnv> {
  return async (c) => {
    const request = c.req.valid('json');
    if (wantsNdjson(c.req.header('accept'))) return streamWalk(c, snmp, request, record) as never;

    return counted(record, 'walk', async () => {
      const walk = snmp.walkBatches(request, { signal: clientSignal(c), buffered: true });
      const varbinds: VarbindJson[] = [];
      let step = await walk.next();
      while (!step.done) {
        for (const vb of step.value) varbinds.push(vb);
        step = await walk.next();
      }
      const { elapsedMs, ...summary } = step.value;
      return c.json({ varbinds, elapsedMs, ...summary }, 200);
    });
  };
}

/** Counts an SNMP operation by its outcome: `ok`, or the adapter error code in lower case. */
export type RecordOutcome = (operation: string, outcome: string) => void;

const noRecord: RecordOutcome = () => {};

function outcomeOf(err: unknown): string {
  return err instanceof AdapterError ? err.code.toLowerCase() : 'error';
}

async function counted<T>(record: RecordOutcome, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    record(operation, 'ok');
    return result;
  } catch (err) {
    record(operation, outcomeOf(err));
    throw err;
  }
}

/**
 * Streams a walk as NDJSON. The first varbind is awaited before the response starts, so an error that
 * happens before it (timeout, auth, unknown name) still answers problem+json with its status.
 */
async function streamWalk(c: Context<AppEnv>, snmp: SnmpService, request: SnmpWalkRequest, record: RecordOutcome): Promise<Response> {
  const cancel = new AbortController();
  const clientGone = clientSignal(c);
  const onClientGone = () => cancel.abort();
  clientGone.addEventListener('abort', onClientGone, { once: true });
  const walk = snmp.walkBatches(request, { signal: cancel.signal });
  let first: IteratorResult<VarbindJson[], WalkSummary>;
  try {
    first = await walk.next();
  } catch (err) {
    clientGone.removeEventListener('abort', onClientGone);
    record('walk', outcomeOf(err));
    throw err;
  }

  c.header('content-type', NDJSON);
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
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
      record('walk', 'ok');
    } catch (err) {
      record('walk', cancel.signal.aborted ? 'cancelled' : outcomeOf(err));
      if (cancel.signal.aborted) return;
      if (!(err instanceof AdapterError)) c.get('logger')?.error({ err, reqId: c.get('requestId') }, 'walk failed mid-stream');
      const body = err instanceof AdapterError ? adapterErrorToProblem(err) : problem(500, 'internal', 'Internal server error');
      await out.write(`${JSON.stringify({ error: body })}\n`);
    } finally {
      clientGone.removeEventListener('abort', onClientGone);
      await walk.return(undefined as never).catch(() => {});
    }
  });
}

function wantsNdjson(accept: string | undefined): boolean {
  return accept !== undefined && accept.toLowerCase().split(',').some((part) => part.trim().startsWith(NDJSON));
}
