import { DhcpDiscoverRequestSchema, DhcpDiscoverResultSchema } from '../../dhcp/schemas.ts';
import { defineRoute, jsonContent, problemResponses } from '../../http/openapi.ts';

export const discover = defineRoute('read', {
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
