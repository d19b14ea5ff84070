import { z } from 'zod';
import { DEFAULT_REQUESTED_OPTIONS, DEFAULT_TIMEOUT_MS } from './client.ts';
import { MESSAGE_TYPES, OPTION_TABLE, type DhcpOptions } from './packet.ts';

/**
 * The DHCP area's request and result shapes: zod schemas (documented with .meta for the OpenAPI document)
 * from which the TypeScript types are inferred, and built from the codec's option table so that the
 * document and the decoder cannot drift apart.
 */

const MAC_PATTERN = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const HEX_PATTERN = /^([0-9a-fA-F]{2})*$/;
const ipv4 = () => z.ipv4();

export const DhcpDiscoverRequestSchema = z
  .object({
    mode: z.enum(['broadcast', 'relay']).default('broadcast').meta({ description: 'broadcast on an interface, or unicast to a server as a relay agent' }),
    interface: z
      .string()
      .min(1)
      .max(15)
      .regex(/^[^/\s]+$/, 'must be an interface name')
      .optional()
      .meta({ description: 'broadcast mode: the interface to probe, e.g. eth1 (default: DHCP_INTERFACE). It needs no IPv4 address.' }),
    server: z.string().min(1).max(253).optional().meta({ description: 'relay mode: the DHCP server (IPv4 address or name)' }),
    relayAddress: ipv4().optional().meta({ description: 'relay mode: giaddr, a local address where replies arrive on port 67 (default: the local address toward the server)' }),
    circuitId: z.string().min(1).max(100).optional().meta({ description: 'relay mode: option 82 sub-option 1, as text' }),
    remoteId: z.string().min(1).max(100).optional().meta({ description: 'relay mode: option 82 sub-option 2, as text' }),
    mac: z.string().regex(MAC_PATTERN, 'must be a MAC address like 02:00:00:aa:bb:cc').optional().meta({
      description: 'chaddr (default: DHCP_MAC, else a random locally administered MAC)',
    }),
    clientId: z.string().min(1).max(255).optional().meta({
      description: 'option 61: colon-separated hex bytes (type byte first, e.g. 01:02:00:00:aa:bb:cc) or text sent with type 0; default 01 + chaddr',
    }),
    hostname: z.string().min(1).max(255).optional().meta({ description: 'option 12' }),
    vendorClass: z.string().min(1).max(255).optional().meta({ description: 'option 60' }),
    requestedOptions: z
      .array(z.int().min(1).max(254))
      .min(1)
      .max(254)
      .optional()
      .meta({ description: `option 55 (default ${DEFAULT_REQUESTED_OPTIONS.join(', ')})` }),
    extraOptions: z
      .array(
        z.object({
          code: z.int().min(1).max(254),
          hex: z.string().max(2048).regex(HEX_PATTERN, 'must be an even number of hex digits'),
        }),
      )
      .max(32)
      .optional()
      .meta({ description: 'more options to send (they replace a built-in option of the same code)' }),
    timeoutMs: z.int().min(100).max(30_000).default(DEFAULT_TIMEOUT_MS).meta({ description: 'window in which offers are collected; also the wait for ACK/NAK' }),
    request: z.boolean().default(false).meta({ description: 'run the full DORA with the first (or preferServer) offer' }),
    preferServer: ipv4().optional().meta({ description: 'with request: the server id whose offer to request' }),
    release: z.boolean().default(true).meta({ description: 'with request: send DHCPRELEASE after the ACK so no lease is left behind' }),
    expectedServers: z.array(ipv4()).max(64).optional().meta({ description: 'server ids that are allowed; offers from others are reported in unexpectedServers' }),
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
  .meta({ id: 'DhcpDiscoverRequest', example: { interface: 'lo', timeoutMs: 5000, expectedServers: ['127.0.0.1'] } });

/** A route of option 121 (destination as CIDR) or option 33 (destination as an address). */
const RouteSchema = z.object({ destination: z.string(), router: z.string() }).meta({ id: 'DhcpClasslessRoute' });
const RelayAgentInformationSchema = z
  .object({
    circuitId: z.string().optional().meta({ description: 'Sub-option 1, as text when printable, else hex' }),
    remoteId: z.string().optional().meta({ description: 'Sub-option 2, as text when printable, else hex' }),
    subOptions: z.array(z.object({ code: z.int(), hex: z.string() })),
  })
  .meta({ id: 'DhcpRelayAgentInformation' });

/** What each kind of option decodes to: the codec's value types are inferred from these. */
const KIND_SCHEMAS = {
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
  hex: z.string().meta({ description: 'hex bytes' }),
  u8s: z.array(z.int()),
  messageType: z.string().meta({ description: `${Object.values(MESSAGE_TYPES).join(', ')}, or UNKNOWN(<code>)` }),
  clientId: z.object({
    type: z.int().meta({ description: 'The hardware type byte (1 = Ethernet), 0 for a free-form identifier, 255 for an RFC 4361 IAID/DUID' }),
    value: z.string().meta({ description: 'MAC address when type is 1 and six bytes follow, otherwise the bytes after the type as hex' }),
  }),
  userClass: z.array(z.string()),
  clientFqdn: z.object({ flags: z.int(), rcode1: z.int(), rcode2: z.int(), domainName: z.string() }),
  relayAgent: RelayAgentInformationSchema,
  domainSearch: z.array(z.string()),
  classlessRoutes: z.array(RouteSchema),
  staticRoutes: z.array(RouteSchema),
};

export type OptionKind = keyof typeof KIND_SCHEMAS;
export type KindValues = { [K in OptionKind]: z.output<(typeof KIND_SCHEMAS)[K]> };
export type DhcpRoute = z.output<typeof RouteSchema>;

/** A description on a field, unless its schema is a named component (the document refers to it instead). */
function described(field: z.ZodOptional<z.ZodType>, description: string): z.ZodType {
  return z.globalRegistry.get(field.unwrap())?.id === undefined ? field.meta({ description }) : field;
}

/** Built from the codec's option table, so the document and the decoder cannot drift apart. */
export const DhcpOptionsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(OPTION_TABLE).map(([code, spec]) => [
        spec.name,
        described(KIND_SCHEMAS[spec.kind].optional(), `option ${code}`),
      ]),
    ),
  )
  .meta({ id: 'DhcpOptions', description: 'Decoded options; every option, named or not, is also in rawOptions' }) as unknown as z.ZodType<DhcpOptions>;

const RawOptionSchema = z
  .object({
    code: z.int(),
    name: z.string(),
    hex: z.string(),
    error: z.string().optional().meta({ description: 'why a named option could not be decoded' }),
  })
  .meta({ id: 'DhcpRawOption' });

export const DhcpReplySchema = z
  .object({
    messageType: z.string().nullable(),
    serverId: z.string().nullable().meta({ description: 'option 54' }),
    sourceAddress: z.string().meta({ description: 'IP source address of the reply' }),
    yiaddr: z.string(),
    siaddr: z.string(),
    giaddr: z.string(),
    sname: z.string(),
    file: z.string(),
    latencyMs: z.number().meta({ description: 'from sending DISCOVER (offers) or REQUEST (ACK/NAK) to this reply' }),
    options: DhcpOptionsSchema,
    rawOptions: z.array(RawOptionSchema),
  })
  .meta({ id: 'DhcpOffer' });

export const DhcpDiscoverResultSchema = z
  .object({
    mode: z.enum(['broadcast', 'relay']),
    xid: z.string().meta({ description: 'transaction id, 8 hex digits' }),
    mac: z.string(),
    interface: z.string().optional(),
    server: z.string().optional(),
    relayAddress: z.string().optional(),
    timeoutMs: z.int(),
    offers: z.array(DhcpReplySchema),
    servers: z.array(z.string()).meta({ description: 'distinct server ids that offered' }),
    unexpectedServers: z.array(z.string()).meta({ description: 'servers not in expectedServers (empty when none were given)' }),
    malformedReplies: z.int().meta({ description: 'replies for this transaction that could not be decoded and were dropped' }),
    requested: z.object({ serverId: z.string(), address: z.string() }).optional(),
    ack: DhcpReplySchema.optional(),
    nak: DhcpReplySchema.optional(),
    requestTimedOut: z.boolean().optional(),
    released: z.boolean().optional().meta({ description: 'a DHCPRELEASE was sent for the acknowledged lease' }),
    durationMs: z.number(),
  })
  .meta({ id: 'DhcpDiscoverResult' });


export type DhcpDiscoverInput = z.output<typeof DhcpDiscoverRequestSchema>;
export type DhcpReply = z.output<typeof DhcpReplySchema>;
export type DhcpDiscoverResult = z.output<typeof DhcpDiscoverResultSchema>;
