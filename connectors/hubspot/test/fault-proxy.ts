// A loopback HTTP proxy in front of an emulator that fails AFTER the vendor applied a write: the
// request is forwarded and answered by the emulator (the write happened), then the proxy either
// answers a 5xx instead of the real answer or destroys the client's socket. Decided per write with
// a seeded PRNG, so a run is reproducible. Shared by the connectors' tests (relative import).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom as seeded } from '@revloop/core';

export type FaultMode = '5xx' | 'drop' | 'mix';

export interface FaultProxyOptions {
  /** the emulator's base url (http://127.0.0.1:PORT) */
  target: string;
  /** share of writes that fail after being applied, 0..1 */
  rate: number;
  seed?: number;
  mode?: FaultMode;
  /** which requests count as writes (default: any method but GET/HEAD) */
  isWrite?: (method: string, path: string) => boolean;
  /** answer a request here instead of forwarding it (e.g. a search index that has not caught up) */
  intercept?: (method: string, path: string, body: string) => { status: number; body: string } | undefined;
  /** the body of a 5xx answer (the vendor's own error shape) */
  serverError?: { status: number; body: string; contentType?: string };
}

export interface FaultProxy {
  url: string;
  /** the fault rate may change between calls (0 to switch faults off) */
  rate: number;
  /** writes forwarded, and writes whose answer was replaced by a 5xx / a dropped socket */
  readonly counts: { writes: number; serverErrors: number; drops: number };
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seeded(options.seed ?? 27);
  const mode = options.mode ?? 'mix';
  const isWrite = options.isWrite ?? ((method: string) => method !== 'GET' && method !== 'HEAD');
  const serverError = options.serverError ?? { status: 503, body: JSON.stringify({ status: 'error', message: 'Service Unavailable' }), contentType: 'application/json' };
  const counts = { writes: 0, serverErrors: 0, drops: 0 };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const answer = options.intercept?.(method, path, Buffer.concat(chunks).toString('utf8'));
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
        return;
      }
      const write = isWrite(method, path);
      // the fate is drawn before forwarding, so the sequence depends only on the order of writes
      let fault: 'none' | '5xx' | 'drop' = 'none';
      if (write) {
        counts.writes++;
        if (random() < proxy.rate) fault = mode === 'mix' ? (random() < 0.5 ? '5xx' : 'drop') : mode;
      }
      const headers = { ...req.headers, host: target.host };
      const upstream = httpRequest({ host: target.hostname, port: target.port, method, path, headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          // the emulator has applied the request by now
          if (fault === 'drop') {
            counts.drops++;
            req.socket.destroy();
            return;
          }
          if (fault === '5xx') {
            counts.serverErrors++;
            res.writeHead(serverError.status, { 'content-type': serverError.contentType ?? 'application/json', connection: 'close' });
            res.end(serverError.body);
            return;
          }
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
          res.writeHead(up.statusCode ?? 502, out);
          res.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    rate: options.rate,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
