// jsforce sends its requests with node-fetch over node's http, without an agent revloop could give
// it (its only hook is `httpProxy`, which it also takes from the http(s)_proxy variables), and it
// follows redirects itself, sending the same headers — the session's Authorization too — wherever
// the Location points. This transport replaces its HTTP layer (the Connection's and the OAuth2
// token client's `_transport`): the same node-fetch, with revloop's checking agent
// (ctx.http.agentFor: every connection goes only to an address the outbound policy allows,
// resolved and checked when it opens), and redirects followed here through that agent, dropping
// Authorization and Cookie when they leave the origin. jsforce's stream plumbing (request/response
// streams, 'response' and 'complete' events) is its own (request-helper), so the rest of jsforce
// sees what it always saw. jsforce's in-transport retries are not kept: revloop's client retries.
import { createRequire } from 'node:module';
import type { Agent } from 'node:http';
import type { Duplex, PassThrough, Readable } from 'node:stream';

type AgentOf = (url: { protocol?: string | null }) => Agent;

interface HttpRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
}
interface HttpRequestOptions {
  followRedirect?: unknown;
  timeout?: number;
}
interface FetchResponse {
  status: number;
  headers: { forEach(fn: (value: string, name: string) => void): void };
  body: Readable;
}
interface TransportClass {
  new (): { httpRequest(req: HttpRequest, options?: HttpRequestOptions): unknown; getRequestStreamCreator(): (req: HttpRequest, options: HttpRequestOptions) => Duplex };
}

// jsforce's own modules and its node-fetch, loaded from jsforce's install
const jsforceRequire = createRequire(createRequire(import.meta.url).resolve('jsforce'));
const { Transport } = jsforceRequire('./lib/transport') as { Transport: TransportClass };
const { createHttpRequestHandlerStreams } = jsforceRequire('./lib/request-helper') as {
  createHttpRequestHandlerStreams(req: HttpRequest, options: HttpRequestOptions): { input: PassThrough; output: PassThrough; stream: Duplex };
};
const nodeFetch = jsforceRequire('node-fetch') as (url: string, init: Record<string, unknown>) => Promise<FetchResponse>;

const MAX_REDIRECTS = 10; // jsforce's own limit
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** jsforce's default: 30 minutes without an answer (HTTP_TIMEOUT overrides it, as in jsforce) */
const DEFAULT_TIMEOUT_MS = 1_800_000;

function withoutCredentials(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name)));
}

async function send(req: HttpRequest, input: PassThrough | undefined, output: PassThrough, emitter: Duplex, options: HttpRequestOptions, agent: AgentOf, hops: number): Promise<void> {
  const { url, body: _body, ...rest } = req;
  const res = await nodeFetch(url, {
    ...rest,
    ...(input && /^(post|put|patch)$/i.test(req.method) ? { body: input } : {}),
    redirect: 'manual',
    agent,
    timeout: options.timeout ?? (process.env.HTTP_TIMEOUT ? parseInt(process.env.HTTP_TIMEOUT, 10) : DEFAULT_TIMEOUT_MS),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  // jsforce's default (request.js setDefaults) is to follow
  if ((options.followRedirect ?? true) && redirectStatuses.has(res.status) && headers.location) {
    res.body.resume();
    if (hops >= MAX_REDIRECTS) throw new Error('Reached to maximum redirect count');
    const next = new URL(headers.location, url);
    const sameOrigin = next.origin === new URL(url).origin;
    // as jsforce does: the redirect is a GET with the request's headers, but none of its credentials to another origin
    return send({ method: 'GET', url: next.toString(), headers: sameOrigin ? req.headers : withoutCredentials(req.headers) }, undefined, output, emitter, options, agent, hops + 1);
  }
  emitter.emit('response', { statusCode: res.status, headers });
  res.body.pipe(output);
}

/**
 * a jsforce Transport whose requests (and redirects) connect only through the checking agent;
 * `onError` sees each failure before jsforce does (jsforce may rewrap it and lose its code)
 */
export function guardedTransport(agent: AgentOf, onError: (e: unknown) => void = () => {}): InstanceType<TransportClass> {
  class GuardedTransport extends Transport {
    override getRequestStreamCreator() {
      return (req: HttpRequest, options: HttpRequestOptions) => {
        const { input, output, stream } = createHttpRequestHandlerStreams(req, options);
        send(req, input, output, stream, options, agent, 0).catch((e: unknown) => {
          onError(e);
          stream.emit('error', e);
        });
        return stream;
      };
    }
  }
  return new GuardedTransport();
}
