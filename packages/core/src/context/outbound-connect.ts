// The outbound policy enforced where a connection is opened (issue #25, DNS rebinding). Checking a
// URL and then letting fetch (or an SDK) resolve the name again on its own is not enough: a host
// can answer a public address to the check and 169.254.169.254 to the connect. Here the name is
// resolved once, at connect time, every address it resolves to is judged by the policy, and the
// socket is opened to a checked address literal (TLS still verifies the certificate against the
// name). Two forms: an undici dispatcher for fetch (ctx.http) and node http(s) agents for vendor
// SDKs built on node's http (node-fetch, axios). A redirect opens a new connection, so it is
// checked here too, whoever follows it.
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Agent as UndiciAgent, buildConnector, type Dispatcher } from 'undici';
import { isRevloopError, RevloopError } from '../errors.js';
import { checkOutboundUrl, type OutboundPolicy } from './outbound.js';

/**
 * The addresses a connection to protocol//host:port may use, resolved now (policy.lookup or DNS):
 * throws OUTBOUND_REFUSED / OUTBOUND_UNRESOLVED unless every one is allowed.
 */
export async function connectAddresses(protocol: string, host: string, port: number | string | undefined, policy: OutboundPolicy, where: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const shown = isIP(bare) === 6 ? `[${bare}]` : bare;
  const { addresses } = await checkOutboundUrl(`${protocol}//${shown}${port ? `:${port}` : ''}/`, policy, where);
  return addresses;
}

/** tries the checked addresses in order (a dual-stack name whose first address is unreachable) */
function firstReachable<S>(addresses: string[], open: (address: string, done: (err: Error | null, socket?: S) => void) => void, done: (err: Error | null, socket?: S) => void): void {
  const attempt = (i: number) =>
    open(addresses[i]!, (err, socket) => {
      if (err && i + 1 < addresses.length) attempt(i + 1);
      else done(err, socket);
    });
  attempt(0);
}

/** an undici dispatcher whose every connection goes only to an address the policy allows */
export function createOutboundDispatcher(policy: OutboundPolicy, where: string): Dispatcher {
  const connect = buildConnector({});
  return new UndiciAgent({
    connect(options, callback) {
      connectAddresses(options.protocol, options.hostname, options.port, policy, where).then(
        // `host` (name:port) stays: the TLS server name and certificate check use the name
        (addresses) =>
          firstReachable<Socket>(
            addresses,
            (address, done) => connect({ ...options, hostname: address }, (err, socket) => done(err, socket ?? undefined)),
            (err, socket) => (err ? callback(err, null) : callback(null, socket!)),
          ),
        (e: Error) => callback(e, null),
      );
    },
  });
}

type CreateConnection = (options: Record<string, unknown>, oncreate: (err: Error | null, socket?: Duplex) => void) => Duplex | undefined;

/** node's Agent subclass whose createConnection resolves and checks first, then connects to the address */
function guardedAgent<A extends typeof http.Agent>(Base: A, protocol: 'http:' | 'https:', policy: OutboundPolicy, where: string): InstanceType<A> {
  // keep-alive, as node's global agent that vendor SDKs used before: a connection is checked once
  // when it opens and then reused for the same host (without it, every SDK request opened its
  // own connection and was checked again: 10,000+ per first HubSpot sync of the sandbox)
  const agent = new Base({ keepAlive: true }) as InstanceType<A>;
  const original = (Base.prototype as unknown as { createConnection: CreateConnection }).createConnection;
  (agent as unknown as { createConnection: CreateConnection }).createConnection = function (options, oncreate) {
    const host = String(options.host ?? options.hostname ?? 'localhost');
    connectAddresses(protocol, host, options.port as number | undefined, policy, where).then(
      (addresses) =>
        firstReachable<Duplex>(
          addresses,
          (address, done) => {
            let socket: Duplex | undefined;
            try {
              // servername was set from the host name by node's Agent before this call (https)
              socket = original.call(agent, { ...options, host: address }, () => {});
            } catch (e) {
              return done(e as Error);
            }
            // the next address only when this one could not be reached: not once it is in use
            const failed = (e: Error) => done(e);
            socket!.once('error', failed);
            socket!.once(protocol === 'https:' ? 'secureConnect' : 'connect', () => {
              socket!.off('error', failed);
              done(null, socket);
            });
          },
          (err, socket) => (err ? oncreate(err) : oncreate(null, socket)),
        ),
      (e: Error) => oncreate(e),
    );
    return undefined; // node's Agent waits for oncreate
  };
  return agent;
}

export interface OutboundAgents {
  http: http.Agent;
  https: https.Agent;
  /** the agent for a URL's scheme (node-fetch accepts this function as its `agent`) */
  forUrl(url: UrlLike): http.Agent;
}

/** a URL, its text, or what node's legacy url.parse returns (node-fetch 2 hands its agent that) */
export type UrlLike = URL | string | { protocol?: string | null };

export function protocolOf(url: UrlLike): string {
  return typeof url === 'object' ? String(url.protocol ?? '') : new URL(url).protocol;
}

/** node http(s) agents whose every connection goes only to an address the policy allows */
export function createOutboundAgents(policy: OutboundPolicy, where: string): OutboundAgents {
  const agents = { http: guardedAgent(http.Agent, 'http:', policy, where), https: guardedAgent(https.Agent, 'https:', policy, where) };
  return { ...agents, forUrl: (url) => (protocolOf(url) === 'https:' ? agents.https : agents.http) };
}

const refusalCodes = new Set(['OUTBOUND_REFUSED', 'OUTBOUND_UNRESOLVED']);

/**
 * The policy's refusal inside an error an HTTP stack wrapped it in (fetch's `cause`, node-fetch's
 * FetchError, which keeps only the code and the message), or undefined: what a connector throws
 * instead of treating it as a dropped connection worth retrying.
 */
export function outboundRefusal(e: unknown, where: string): RevloopError | undefined {
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if (isRevloopError(x) && refusalCodes.has(x.code)) return x;
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && refusalCodes.has(code)) {
      return new RevloopError(code, (x as Error).message, { where, fix: "use the vendor's public https address; for a system inside your own network, set allowPrivateNetwork: true in this connector's config", cause: x });
    }
  }
  return undefined;
}
