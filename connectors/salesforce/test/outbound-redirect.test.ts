// jsforce follows redirects itself with the session's Authorization header: an instance URL
// answering 302 → http://169.254.169.254/… must not send the call there. revloop's transport
// refuses the address by its outbound policy before a connection is attempted (the tests' network
// guard, which fails any test that tries to connect off loopback, stays on and quiet); a redirect
// within the origin is still followed, and one to another origin loses the credentials.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitRuntime } from '@revloop/plugin-kit';
import type { Runtime } from '@revloop/core';
import { salesforceConnector } from '../src/index.js';
import { clientFor } from '../src/client.js';
import type { SalesforceConfig } from '../src/config.js';

let server: Server;
let port: number;
let dir: string;
let runtime: Runtime | undefined;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

beforeEach(async () => {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push({ path: req.url!, headers: req.headers });
    const path = req.url!.replace(/^\/services\/data\/v\d+\.0/, '');
    if (path.startsWith('/to-metadata')) res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }).end();
    else if (path.startsWith('/same-origin')) res.writeHead(302, { location: '/services/data/v62.0/answer' }).end();
    else if (path.startsWith('/other-origin')) res.writeHead(307, { location: `http://localhost:${port}/services/data/v62.0/answer` }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ totalSize: 0, done: true, records: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'revloop-sf-redirect-'));
});
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function client() {
  const base = `http://127.0.0.1:${port}`;
  runtime = await kitRuntime({
    connector: salesforceConnector,
    name: 'sf',
    dir,
    config: { instanceUrl: base, loginUrl: base, clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh-token', accessToken: 'session-token-0123456789', maxRetries: 2 },
  });
  return clientFor(runtime.contextFor<SalesforceConfig>(runtime.connector('sf')));
}

describe('jsforce under the outbound policy', () => {
  it('a request redirected to the metadata service is refused before connecting, and not retried', async () => {
    const sf = await client();
    await expect(sf.request({ method: 'GET', url: '/to-metadata' }, 'read accounts')).rejects.toMatchObject({
      code: 'OUTBOUND_REFUSED',
      where: 'connectors.sf (read accounts)',
      message: expect.stringMatching(/169\.254\.169\.254.*metadata/),
    });
    expect(seen.map((s) => s.path)).toEqual(['/services/data/v62.0/to-metadata']);
  });

  it('follows a redirect within the origin with the session, and one to another origin without it', async () => {
    const sf = await client();
    await expect(sf.request({ method: 'GET', url: '/same-origin' }, 'same')).resolves.toMatchObject({ done: true });
    expect(seen.map((s) => [s.path, s.headers.authorization])).toEqual([
      ['/services/data/v62.0/same-origin', 'Bearer session-token-0123456789'],
      ['/services/data/v62.0/answer', 'Bearer session-token-0123456789'],
    ]);
    seen.length = 0;
    await sf.request({ method: 'GET', url: '/other-origin' }, 'other').catch(() => undefined);
    expect(seen.map((s) => [s.path, s.headers.host, s.headers.authorization])).toEqual([
      ['/services/data/v62.0/other-origin', `127.0.0.1:${port}`, 'Bearer session-token-0123456789'],
      ['/services/data/v62.0/answer', `localhost:${port}`, undefined],
    ]);
  });
});
