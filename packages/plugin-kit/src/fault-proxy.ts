// A fault-injecting HTTP proxy for tests of exactly-once execution: it stands on 127.0.0.1 in front
// of a vendor emulator and, per a seeded schedule or seeded probabilities, does what real networks
// do to a write whose outcome then is unknown — answers 5xx AFTER forwarding the request (the
// emulator applied the write), drops the connection after forwarding, or delays the answer. It
// counts what it did, so a test can say "3 writes landed behind an error" and check the vendor
// holds each exactly once. Point a connector's base URL at `proxy.url` instead of the emulator's.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RevloopError } from '@revloop/core';
import { seededRandom as seeded } from '@revloop/core';

/** what the proxy does with one request */
export type Fault = 'pass' | 'error-after' | 'drop-after' | 'delay';

export interface FaultRequest {
  /** 0-based number of the request among those the proxy received */
  n: number;
  method: string;
  /** path and query as the client sent them */
  path: string;
}

export interface FaultProxyOptions {
  /** the emulator's base URL (http on a loopback address) */
  target: string;
  /** seeds the probabilities (default 1): the same seed and requests give the same faults */
  seed?: number;
  /** per-request probabilities of each fault (the rest pass) */
  rates?: { errorAfter?: number; dropAfter?: number; delay?: number };
  /**
   * an explicit schedule, ahead of the rates: the fault of request n (an array: index n; a
   * function: its answer, undefined to fall back on the rates)
   */
  schedule?: Fault[] | ((request: FaultRequest) => Fault | undefined);
  /** only these requests can get a fault (default: all; e.g. writes only: method !== 'GET') */
  faultable?: (request: FaultRequest) => boolean;
  /** how long a 'delay' holds the answer, ms (default 200) */
  delayMs?: number;
  /** the status of an 'error-after' answer (default 503) */
  errorStatus?: number;
}

export interface FaultProxyCounts {
  requests: number;
  /** requests that reached the emulator (every fault here forwards first) */
  forwarded: number;
  passed: number;
  errorAfter: number;
  dropAfter: number;
  delayed: number;
}

export interface FaultProxy {
  /** the proxy's base URL (http://127.0.0.1:<port> plus the target's path) */
  url: string;
  counts: FaultProxyCounts;
  /** every request and what was done with it, in order */
  log: (FaultRequest & { fault: Fault; status?: number })[];
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Forwarded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Forwarded> {
  // the proxy's URL carries the target's path: the client's path already holds it
  const headers = { ...req.headers, host: target.host };
  delete headers.connection;
  return new Promise((resolve, reject) => {
    const out = httpRequest({ hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, method: req.method, path: req.url ?? '/', headers }, (res) => {
      readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

function relay(res: ServerResponse, answer: Forwarded): void {
  const headers = { ...answer.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:' || !loopback.has(target.hostname)) {
    throw new RevloopError('FAULT_PROXY_TARGET', `the fault proxy forwards to http on a loopback address only, not ${options.target}`, {
      where: 'startFaultProxy({ target })',
      fix: "pass the emulator's base URL, e.g. http://127.0.0.1:<port>",
      kind: 'bad_input',
    });
  }
  const random = seeded(options.seed ?? 1);
  const rates = options.rates ?? {};
  const delayMs = options.delayMs ?? 200;
  const errorStatus = options.errorStatus ?? 503;
  const counts: FaultProxyCounts = { requests: 0, forwarded: 0, passed: 0, errorAfter: 0, dropAfter: 0, delayed: 0 };
  const log: FaultProxy['log'] = [];

  const choose = (request: FaultRequest): Fault => {
    // one draw per request whatever happens, so a schedule entry does not shift later draws
    const draw = random();
    if (options.faultable && !options.faultable(request)) return 'pass';
    const scheduled = Array.isArray(options.schedule) ? options.schedule[request.n] : options.schedule?.(request);
    if (scheduled) return scheduled;
    let edge = rates.errorAfter ?? 0;
    if (draw < edge) return 'error-after';
    edge += rates.dropAfter ?? 0;
    if (draw < edge) return 'drop-after';
    edge += rates.delay ?? 0;
    if (draw < edge) return 'delay';
    return 'pass';
  };

  const server = createServer((req, res) => {
    const request: FaultRequest = { n: counts.requests++, method: req.method ?? 'GET', path: req.url ?? '/' };
    const fault = choose(request);
    const entry: FaultProxy['log'][number] = { ...request, fault };
    log.push(entry);
    void (async () => {
      const body = await readBody(req);
      let answer: Forwarded;
      try {
        answer = await forward(target, req, body);
      } catch (e) {
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `fault proxy: the emulator did not answer: ${(e as Error).message}` }));
        return;
      }
      counts.forwarded++;
      if (fault === 'error-after') {
        counts.errorAfter++;
        entry.status = errorStatus;
        const text = JSON.stringify({ error: 'injected fault: the request reached the vendor, the answer is an error' });
        res.writeHead(errorStatus, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
      } else if (fault === 'drop-after') {
        counts.dropAfter++;
        res.socket?.destroy();
      } else {
        if (fault === 'delay') {
          counts.delayed++;
          await new Promise((r) => setTimeout(r, delayMs));
        } else counts.passed++;
        entry.status = answer.status;
        relay(res, answer);
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String((e as Error)?.message ?? e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    counts,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
