import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { defaultConfig } from '../../src/config.ts';
import type { DhcpClient } from '../../src/dhcp/client.ts';
import type { DhcpDiscoverInput, DhcpDiscoverResult } from '../../src/dhcp/schemas.ts';
import { AdapterError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { depsFor } from '../helpers/deps.ts';

const RESULT: DhcpDiscoverResult = {
  mode: 'broadcast',
  xid: '0000abcd',
  mac: '02:00:00:00:00:01',
  interface: 'eth9',
  timeoutMs: 3000,
  offers: [
    {
      messageType: 'OFFER',
      serverId: '10.0.0.1',
      sourceAddress: '10.0.0.1',
      yiaddr: '10.0.0.100',
      siaddr: '0.0.0.0',
      giaddr: '0.0.0.0',
      sname: '',
      file: '',
      latencyMs: 1.5,
      options: { messageType: 'OFFER', serverId: '10.0.0.1', leaseTime: 600, router: ['10.0.0.1'] },
      rawOptions: [{ code: 53, name: 'messageType', hex: '02' }],
    },
  ],
  servers: ['10.0.0.1'],
  unexpectedServers: [],
  malformedReplies: 0,
  durationMs: 3001,
};

function appWith(dhcp: DhcpClient, dhcpConfig: { interface?: string } = {}) {
  const deps = depsFor(defaultConfig({ dhcp: dhcpConfig }), createLogger('silent'));
  deps.dhcp = dhcp;
  return createApp(deps);
}

function recordingClient(result: DhcpDiscoverResult | Error = RESULT) {
  const calls: DhcpDiscoverInput[] = [];
  const client: DhcpClient = {
    async discover(input) {
      calls.push(input);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { client, calls };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const post = (app: ReturnType<typeof appWith>, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/dhcp/discover', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /dhcp/discover', () => {
  it('passes the validated body with defaults to the adapter and answers 200', async () => {
    const { client, calls } = recordingClient();
    const res = await post(appWith(client), { interface: 'eth9' });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(RESULT);
    expect(calls[0]).toMatchObject({ mode: 'broadcast', interface: 'eth9', timeoutMs: 5000, request: false, release: true });
  });

  it('answers 200 with an empty offer list', async () => {
    const { client } = recordingClient({ ...RESULT, offers: [], servers: [] });
    const res = await post(appWith(client), {});
    expect(res.status).toBe(200);
    expect((await json(res)).offers).toEqual([]);
  });

  it.each([
    [{ mac: 'not-a-mac' }, 'body.mac'],
    [{ mode: 'relay' }, 'body.server'],
    [{ mode: 'broadcast', server: '10.0.0.1' }, 'body.server'],
    [{ timeoutMs: 10 }, 'body.timeoutMs'],
    [{ extraOptions: [{ code: 255, hex: '00' }] }, 'body.extraOptions.0.code'],
    [{ extraOptions: [{ code: 200, hex: 'abc' }] }, 'body.extraOptions.0.hex'],
    [{ expectedServers: ['not-an-ip'] }, 'body.expectedServers.0'],
    [{ surprise: true }, 'body'],
  ])('rejects %j with 400 naming %s', async (body, path) => {
    const { client, calls } = recordingClient();
    const res = await post(appWith(client), body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(calls).toHaveLength(0);
  });

  it('refuses a body sent without a JSON content-type before the adapter runs', async () => {
    const { client, calls } = recordingClient();
    const res = await post(appWith(client), { interface: 'eth9' }, {});
    expect(res.status).toBe(415);
    expect(calls).toHaveLength(0);
  });

  it('maps UNAVAILABLE to 503 problem+json', async () => {
    const error = new AdapterError('UNAVAILABLE', 'dhcp', 'UDP port 68 on eth9 is already in use by another DHCP client');
    const { client } = recordingClient(error);
    const res = await post(appWith(client), { interface: 'eth9' });
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ type: '/problems/dhcp-unavailable', detail: error.message });
  });

  it('answers 400 listing the interfaces for an unknown interface (real client; fails before any socket)', async () => {
    const deps = depsFor(defaultConfig(), createLogger('silent'));
    const res = await post(createApp(deps), { interface: 'nosuch0' });
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.detail).toContain('no interface named nosuch0');
    expect(problem.interfaces).toContain('lo');
  });

  it('answers 400 when no interface is given and none is configured (real client)', async () => {
    const deps = depsFor(defaultConfig(), createLogger('silent'));
    const res = await post(createApp(deps), {});
    expect(res.status).toBe(400);
    expect((await json(res)).detail).toContain('DHCP_INTERFACE');
  });

  it('documents the route and its components', async () => {
    const { client } = recordingClient();
    const doc = await json(await appWith(client).request('/openapi.json'));
    expect(doc.paths['/dhcp/discover'].post.responses).toHaveProperty('503');
    for (const name of ['DhcpDiscoverRequest', 'DhcpDiscoverResult', 'DhcpOffer', 'DhcpOptions', 'DhcpRawOption']) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
    expect(doc.components.schemas.DhcpOptions.properties).toHaveProperty('classlessStaticRoutes');
  });
});
