import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_REQUESTED_OPTIONS, DEFAULT_TIMEOUT_MS } from '../../dhcp/client.ts';
import { OPTION_TABLE, type DhcpOptions, type KindValues } from '../../dhcp/packet.ts';
import { jsonContent, problemResponses } from '../../http/openapi.ts';

const MAC_PATTERN = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const HEX_PATTERN = /^([0-9a-fA-F]{2})*$/;
const ipv4 = () => z.ipv4();

export const DhcpDiscoverRequestSchema = z
  .object({
    mode: z.enum(['broadcast', 'relay']).default('broadcast').openapi({ description: 'broadcast on an interface, or unicast to a server as a relay agent' }),
    interface: z
      .string()
      .min(1)
      .max(15)
      .regex(/^[^/\s]+$/, 'must be an interface name')
      .optional()
      .openapi({ description: 'broadcast mode: the interface to probe (default: DHCP_INTERFACE). It needs no IPv4 address.', example: 'eth0' }),
    server: z.string().min(1).max(253).optional().openapi({ description: 'relay mode: the DHCP server (IPv4 address or name)', example: '10.0.0.1' }),
    relayAddress: ipv4().optional().openapi({ description: 'relay mode: giaddr, a local address where replies arrive on port 67 (default: the local address toward the server)' }),
    circuitId: z.string().min(1).max(100).optional().openapi({ description: 'relay mode: option 82 sub-option 1, as text' }),
    remoteId: z.string().min(1).max(100).optional().openapi({ description: 'relay mode: option 82 sub-option 2, as text' }),
    mac: z.string().regex(MAC_PATTERN, 'must be a MAC address like 02:00:00:aa:bb:cc').optional().openapi({
      description: 'chaddr (default: DHCP_MAC, else a random locally administered MAC)',
    }),
    clientId: z.string().min(1).max(255).optional().openapi({
      description: 'option 61: colon-separated hex bytes (type byte first, e.g. 01:02:00:00:aa:bb:cc) or text sent with type 0; default 01 + chaddr',
    }),
    hostname: z.string().min(1).max(255).optional().openapi({ description: 'option 12' }),
    vendorClass: z.string().min(1).max(255).optional().openapi({ description: 'option 60' }),
    requestedOptions: z
      .array(z.int().min(1).max(254))
      .min(1)
      .max(254)
      .optional()
      .openapi({ description: `option 55 (default ${DEFAULT_REQUESTED_OPTIONS.join(', ')})` }),
    extraOptions: z
      .array(
        z.object({
          code: z.int().min(1).max(254),
          hex: z.string().max(2048).regex(HEX_PATTERN, 'must be an even number of hex digits'),
        }),
      )
      .max(32)
      .optional()
      .openapi({ description: 'more options to send (they replace a built-in option of the same code)' }),
    timeoutMs: z.int().min(100).max(30_000).default(DEFAULT_TIMEOUT_MS).openapi({ description: 'window in which offers are collected; also the wait for ACK/NAK' }),
    request: z.boolean().default(false).openapi({ description: 'run the full DORA with the first (or preferServer) offer' }),
    preferServer: ipv4().optional().openapi({ description: 'with request: the server id whose offer to request' }),
    release: z.boolean().default(true).openapi({ description: 'with request: send DHCPRELEASE after the ACK so no lease is left behind' }),
    expectedServers: z.array(ipv4()).max(64).optional().openapi({ description: 'server ids that are allowed; offers from others are reported in unexpectedServers' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.mode === 'relay' && !body.server) ctx.addIssue({ code: 'custom', path: ['server'], message: 'relay mode needs server' });
    if (body.mode === 'broadcast') {
      for (const field of ['server', 'relayAddress', 'circuitId', 'remoteId'] as const) {
        if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only allowed in relay mode' });
      }
    }
  })
  .openapi('DhcpDiscoverRequest');

const ClasslessRouteSchema = z.object({ destination: z.string(), router: z.string() }).openapi('DhcpClasslessRoute');
const RelayAgentInformationSchema = z
  .object({
    circuitId: z.string().optional(),
    remoteId: z.string().optional(),
    subOptions: z.array(z.object({ code: z.int(), hex: z.string() })),
  })
  .openapi('DhcpRelayAgentInformation');

const KIND_SCHEMAS: { [K in keyof KindValues]: z.ZodType } = {
  ip: z.string(),
  ips: z.array(z.string()),
  ipPairs: z.array(z.array(z.string())),
  u8: z.int(),
  u16: z.int(),
  u16s: z.array(z.int()),
  u32: z.int(),
  i32: z.int(),
  bool: z.boolean(),
  string: z.string(),
  hex: z.string().openapi({ description: 'hex bytes' }),
  u8s: z.array(z.int()),
  messageType: z.string(),
  clientId: z.object({ type: z.int(), value: z.string() }),
  userClass: z.array(z.string()),
  clientFqdn: z.object({ flags: z.int(), rcode1: z.int(), rcode2: z.int(), domainName: z.string() }),
  relayAgent: RelayAgentInformationSchema,
  domainSearch: z.array(z.string()),
  classlessRoutes: z.array(ClasslessRouteSchema),
  staticRoutes: z.array(z.object({ destination: z.string(), router: z.string() })),
};

/** Built from the codec's option table, so the document and the decoder cannot drift apart. */
export const DhcpOptionsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(OPTION_TABLE).map(([code, spec]) => [
        spec.name,
        KIND_SCHEMAS[spec.kind].optional().openapi({ description: `option ${code}` }),
      ]),
    ),
  )
  .openapi('DhcpOptions', { description: 'Decoded options; every option, named or not, is also in rawOptions' }) as unknown as z.ZodType<DhcpOptions>;

const RawOptionSchema = z
  .object({
    code: z.int(),
    name: z.string(),
    hex: z.string(),
    error: z.string().optional().openapi({ description: 'why a named option could not be decoded' }),
  })
  .openapi('DhcpRawOption');

export const DhcpReplySchema = z
  .object({
    messageType: z.string().nullable(),
    serverId: z.string().nullable().openapi({ description: 'option 54' }),
    sourceAddress: z.string().openapi({ description: 'IP source address of the reply' }),
    yiaddr: z.string(),
    siaddr: z.string(),
    giaddr: z.string(),
    sname: z.string(),
    file: z.string(),
    latencyMs: z.number().openapi({ description: 'from sending DISCOVER (offers) or REQUEST (ACK/NAK) to this reply' }),
    options: DhcpOptionsSchema,
    rawOptions: z.array(RawOptionSchema),
  })
  .openapi('DhcpOffer');

export const DhcpDiscoverResultSchema = z
  .object({
    mode: z.enum(['broadcast', 'relay']),
    xid: z.string().openapi({ description: 'transaction id, 8 hex digits' }),
    mac: z.string(),
    interface: z.string().optional(),
    server: z.string().optional(),
    relayAddress: z.string().optional(),
    timeoutMs: z.int(),
    offers: z.array(DhcpReplySchema),
    servers: z.array(z.string()).openapi({ description: 'distinct server ids that offered' }),
    unexpectedServers: z.array(z.string()).openapi({ description: 'servers not in expectedServers (empty when none were given)' }),
    malformedReplies: z.int().openapi({ description: 'replies for this transaction that could not be decoded and were dropped' }),
    requested: z.object({ serverId: z.string(), address: z.string() }).optional(),
    ack: DhcpReplySchema.optional(),
    nak: DhcpReplySchema.optional(),
    requestTimedOut: z.boolean().optional(),
    released: z.boolean().optional().openapi({ description: 'a DHCPRELEASE was sent for the acknowledged lease' }),
    durationMs: z.number(),
  })
  .openapi('DhcpDiscoverResult');

export const discover = createRoute({
  method: 'post',
  path: '/dhcp/discover',
  tags: ['dhcp'],
  summary: 'Find DHCP servers: DISCOVER (broadcast or relayed), every offer decoded, optional REQUEST/ACK/RELEASE',
  description:
    'Answers 200 even when no server answered (offers: []). Port 67/68 in use or missing privileges answer 503. In broadcast mode the optional DHCPRELEASE is broadcast on the interface with ciaddr and the server id set, because the interface has no address to unicast from; other servers ignore it by its server id.',
  request: { body: { content: { 'application/json': { schema: DhcpDiscoverRequestSchema } }, required: true } },
  responses: {
    200: jsonContent(DhcpDiscoverResultSchema, 'The probe ran; offers may be empty'),
    ...problemResponses(400, 401, 403, 415, 429, 502, 503),
  },
});
