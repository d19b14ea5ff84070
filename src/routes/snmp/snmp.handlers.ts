import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { AdapterError } from '../../errors.ts';
import { clientSignal } from '../../http/client-signal.ts';
import { adapterErrorToProblem } from '../../http/errors.ts';
import { problem } from '../../http/problem.ts';
import type { AppEnv, AppRouteHandler } from '../../http/types.ts';
import type { SnmpWalkRequest, VarbindJson, WalkSummary } from '../../snmp/schemas.ts';
import type { SnmpService } from '../../snmp/service.ts';
import type { SnmpRoutes } from './snmp.routes.ts';

const NDJSON = 'application/x-ndjson';

export function getHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['get']> {
  return async (c) => c.json(await snmp.get(c.req.valid('json'), { signal: clientSignal(c) }), 200);
}

export function getNextHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['getNext']> {
  return async (c) => c.json(await snmp.getNext(c.req.valid('json'), { signal: clientSignal(c) }), 200);
}

export function bulkHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['bulk']> {
  return async (c) => c.json(await snmp.bulk(c.req.valid('json'), { signal: clientSignal(c) }), 200);
}

export function setHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['set']> {
  return async (c) => c.json(await snmp.set(c.req.valid('json'), { signal: clientSignal(c), actor: c.get('principal')?.name }), 200);
}

/** One JSON document (the walk is collected first, within the walk buffer), or NDJSON as the agent answers. */
export function walkHandler(snmp: SnmpService): AppRouteHandler<SnmpRoutes['walk']> {
  return async (c) => {
    const request = c.req.valid('json');
    if (wantsNdjson(c.req.header('accept'))) return streamWalk(c, snmp, request) as never;
    const walk = snmp.walkBatches(request, { signal: clientSignal(c), buffered: true });
    const varbinds: VarbindJson[] = [];
    let step = await walk.next();
    while (!step.done) {
      for (const vb of step.value) varbinds.push(vb);
      step = await walk.next();
    }
    const { elapsedMs, ...summary } = step.value;
    return c.json({ varbinds, elapsedMs, ...summary }, 200);
  };
}

/**
 * Streams a walk as NDJSON. The first varbind is awaited before the response starts, so an error that
 * happens before it (timeout, auth, unknown name) still answers problem+json with its status.
 */
async function streamWalk(c: Context<AppEnv>, snmp: SnmpService, request: SnmpWalkRequest): Promise<Response> {
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
    } catch (err) {
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
