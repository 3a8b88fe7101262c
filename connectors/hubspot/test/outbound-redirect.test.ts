// The HubSpot SDK follows redirects itself (node-fetch): a portal URL answering 302 →
// http://169.254.169.254/… must not send the call (and its bearer token) there. revloop's agent
// refuses the address by its outbound policy before a connection is attempted — the tests'
// network guard, which fails any test that tries to connect off loopback, stays on and quiet.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitRuntime } from '@revloop/plugin-kit';
import type { Runtime } from '@revloop/core';
import { hubspotConnector } from '../src/index.js';
import { hubspotFor } from '../src/client.js';
import type { HubSpotConfig } from '../src/config.js';

let server: Server;
let base: string;
let dir: string;
let runtime: Runtime | undefined;
const seen: string[] = [];

beforeEach(async () => {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'revloop-hs-redirect-'));
});
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function api() {
  runtime = await kitRuntime({
    connector: hubspotConnector,
    name: 'hs',
    dir,
    config: { accessToken: 'pat-na1-redirect-test', baseUrl: base, retry: { attempts: 3, serverErrorBackoffMs: 1, rateLimitBackoffMs: 1 } },
  });
  return hubspotFor(runtime.contextFor<HubSpotConfig>(runtime.connector('hs')));
}

describe('HubSpot SDK under the outbound policy', () => {
  it('a generated API call redirected to the metadata service is refused, not retried', async () => {
    const hs = await api();
    await expect(hs.call('read contacts', (sdk) => sdk.crm.contacts.basicApi.getPage(1))).rejects.toMatchObject({
      code: 'OUTBOUND_REFUSED',
      where: 'connectors.hs (read contacts)',
      message: expect.stringMatching(/169\.254\.169\.254.*metadata/),
    });
    expect(seen).toEqual(['GET /crm/v3/objects/contacts?limit=1']);
  });

  it('a write redirected there is refused too (not an unknown outcome to look up)', async () => {
    const hs = await api();
    await expect(hs.call('create task', (sdk) => sdk.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'x' }, associations: [] }), { write: true })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(seen).toHaveLength(1);
  });

  it('apiRequest (which ignores the SDK httpAgent option) goes through the same check', async () => {
    const hs = await api();
    await expect(hs.request('legacy lists', { path: '/contacts/v1/lists', qs: { count: '1' } })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    await expect(hs.call('daily limit', (sdk) => sdk.apiRequest({ path: '/crm/v3/objects/contacts' }))).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(seen).toEqual(['GET /contacts/v1/lists?count=1', 'GET /crm/v3/objects/contacts']);
  });
});
