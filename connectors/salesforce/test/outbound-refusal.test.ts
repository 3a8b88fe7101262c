// The outbound policy refusing Salesforce's token URL (loginUrl) or instance URL must come out as
// OUTBOUND_REFUSED at once: one refusal, no retry, nothing sent there. jsforce rewraps a failed
// refresh as a plain Error ("Unable to refresh session due to: …") that has lost the code; a
// private address's message ("…private network address…") then passed for a dropped connection and
// was retried up to maxRetries, each attempt refused again. Names are resolved by the runtime's
// test hook (RuntimeOptions.outbound.lookup), which counts the lookups: one per connection attempt.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, parseConfig, type LookupAll, type Runtime } from '@revloop/core';
import { salesforceConnector } from '../src/index.js';
import { clientFor } from '../src/client.js';
import { refusalMemory } from '../src/refusals.js';
import type { SalesforceConfig } from '../src/config.js';

let server: Server | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
});

/** a loopback Salesforce whose API answers 401 until a refreshed token is used; the token endpoint hands out `instanceUrl` */
async function loopbackOrg(instanceUrl?: string) {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url!.startsWith('/services/oauth2/token')) return json(200, { access_token: 'fresh-token-0123456789', instance_url: instanceUrl ?? base, id: 'https://login.salesforce.com/id/00D000000000001/005000000000001' });
    if (req.headers.authorization !== 'Bearer fresh-token-0123456789') return json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    json(200, { totalSize: 0, done: true, records: [] });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen };
}

/** a client over a runtime whose outbound policy resolves every name to `address`, counting the lookups */
async function client(config: { instanceUrl: string; loginUrl: string }, address: string) {
  const asked: string[] = [];
  const lookup: LookupAll = async (host) => (asked.push(host), [address]);
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: ':memory:' }, log: { level: 'silent' }, connectors: { sf: { plugin: salesforceConnector, ...config, clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh-token', accessToken: 'old-token-0123456789', maxRetries: 3 } } },
    { env: {} },
  );
  runtime = await createRuntime(loaded, { outbound: { lookup }, clock: { now: () => 0, sleep: async () => {} } });
  return { sf: clientFor(runtime.contextFor<SalesforceConfig>(runtime.connector('sf'))), asked };
}

describe('salesforce under the outbound policy: a refused token or instance URL', () => {
  for (const [kind, address] of [
    ['metadata', '169.254.169.254'],
    ['private', '10.0.0.8'],
  ] as const) {
    it(`a token URL resolving to a ${kind} address: OUTBOUND_REFUSED from the refresh, one refusal, no retry`, async () => {
      const org = await loopbackOrg();
      const { sf, asked } = await client({ instanceUrl: org.base, loginUrl: 'https://login.vendor.example' }, address);
      await expect(sf.request({ method: 'GET', url: '/query?q=SELECT+Id+FROM+Account' }, 'read accounts')).rejects.toMatchObject({
        code: 'OUTBOUND_REFUSED',
        where: 'connectors.sf (read accounts)',
        message: expect.stringContaining(`login.vendor.example resolves to ${address}`),
      });
      expect(asked).toEqual(['login.vendor.example']); // one token request attempted, refused before it connected
      expect(sf.sent).toBe(1); // the client did not try again
      expect(org.seen).toEqual(['GET /services/data/v62.0/query?q=SELECT+Id+FROM+Account']); // the 401 that asked for the refresh
    });
  }

  it('an instance URL resolving to 169.254.169.254: refused at the first call, nothing sent, no retry', async () => {
    const { sf, asked } = await client({ instanceUrl: 'https://org.vendor.example', loginUrl: 'https://login.vendor.example' }, '169.254.169.254');
    await expect(sf.request({ method: 'GET', url: '/query?q=x' }, 'read accounts')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringContaining('org.vendor.example resolves to 169.254.169.254') });
    expect(asked).toEqual(['org.vendor.example']);
    expect(sf.sent).toBe(1);
  });

  it('an instance_url from the token endpoint at 169.254.169.254: the replay after the refresh is refused, nothing sent there, no retry', async () => {
    const org = await loopbackOrg('http://169.254.169.254');
    const { sf } = await client({ instanceUrl: org.base, loginUrl: org.base }, '127.0.0.1');
    // the refresh succeeds and moves the connection to the instance_url the token endpoint named;
    // the replay goes there (session-guard.ts; jsforce alone replayed to the old instance) and is refused
    await expect(sf.request({ method: 'GET', url: '/query?q=x' }, 'first')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.sf (first)', message: expect.stringMatching(/169\.254\.169\.254 is a metadata address/) });
    expect(sf.sent).toBe(2); // the 401 and the refused replay
    const before = sf.sent;
    await expect(sf.request({ method: 'GET', url: '/query?q=y' }, 'second')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.sf (second)', message: expect.stringMatching(/169\.254\.169\.254 is a metadata address/) });
    expect(sf.sent - before).toBe(1);
    expect(org.seen).toEqual(['GET /services/data/v62.0/query?q=x', 'POST /services/oauth2/token']);
  });

  it('only a refusal the transport noted is recognised inside jsforce\'s refresh wrapper', () => {
    const memory = refusalMemory();
    const fetchError = (code: string, reason: string) => Object.assign(new Error(`request to https://login.vendor.example/services/oauth2/token failed, reason: ${reason}`), { name: 'FetchError', code });
    const refused = fetchError('OUTBOUND_REFUSED', 'https://login.vendor.example is a private network address (login.vendor.example resolves to 10.0.0.8)');
    const dropped = fetchError('ECONNRESET', 'socket hang up');
    const wrapped = (e: Error) => new Error(`Unable to refresh session due to: ${e.message}`);
    expect(memory.behind(wrapped(refused), 'w')).toBeUndefined(); // not noted yet: nothing to go by
    memory.note(refused);
    memory.note(dropped);
    expect(memory.behind(wrapped(refused), 'w')).toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'w' });
    expect(memory.behind(wrapped(dropped), 'w')).toBeUndefined(); // a dropped connection stays retriable
  });
});
