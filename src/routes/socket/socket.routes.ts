import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';
import { ProbeResponseSchema, probeRequestSchemas, type ProbeLimits } from '../../probe/schemas.ts';

/** The probe operation, its request schema bounded by the server's limits. */
export function socketRouteDefinitions(limits: ProbeLimits) {
  const { ProbeRequestSchema } = probeRequestSchemas(limits);
  const probe = defineRoute('read', {
    method: 'post',
    path: '/socket/probe',
    tags: ['socket'],
    summary: 'Probe TCP, TLS or UDP ports: state, phase timings, send/expect, certificates; one target or a batch',
    description:
      'What `nc`, `openssl s_client` and `nmap` answer, as JSON. A failed probe (closed port, timeout, untrusted certificate, no match) is a 200 result with `ok: false`, `state` and `error.code`; only an invalid request is an HTTP error.',
    request: {
      body: { content: { 'application/json': { schema: ProbeRequestSchema } }, required: true },
    },
    responses: {
      200: jsonContent(ProbeResponseSchema, 'One ProbeResult for `host`, or a ProbeBatchResult for `targets`'),
      ...problemResponses(401, 403, 413, 415, 429),
    },
  });
  return { probe };
}

export type SocketRoutes = ReturnType<typeof socketRouteDefinitions>;
