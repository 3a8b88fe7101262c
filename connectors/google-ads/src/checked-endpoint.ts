// Where the gRPC channel connects (issue #25 item 3). grpc-js resolves a host name with its own
// resolver and takes no agent or lookup, so a name that answers a public address to revloop's
// check and 169.254.169.254 to grpc-js (DNS rebinding) would be connected. Here the name is
// resolved once by the outbound policy (ctx.http.resolveChecked) and grpc-js gets the checked
// addresses as literals (`ipv4:`/`ipv6:` target: nothing left for it to resolve), while the TLS
// server name, the certificate check and the :authority header stay the configured host name.
import { isIP } from 'node:net';
import { isRevloopError } from '@revloop/core';

/** the host's addresses, each allowed by the outbound policy (throws OUTBOUND_REFUSED / _UNRESOLVED) */
export type ResolveChecked = (host: string, port?: number) => Promise<string[]>;

export interface GrpcTarget {
  /** google-gax builds the channel target as `${servicePath}:${port}` */
  servicePath: string;
  /** channel options (`grpc.*`): the name TLS verifies and the :authority, for a name resolved here */
  options: Record<string, string>;
  /** the checked addresses the target holds (empty: a loopback emulator, not resolved) */
  addresses: string[];
}

const bracketed = (ip: string) => (isIP(ip) === 6 ? `[${ip}]` : ip);

/**
 * The target for a TLS endpoint: its addresses resolved and judged now. A literal address is
 * judged too (a private one needs allowPrivateNetwork) and used as it is. A name becomes the list
 * of its checked addresses of the first one's family (grpc-js tries them in order; one target
 * scheme holds one family). Through an HTTP CONNECT proxy (`proxied`) the name is still judged,
 * but handed to grpc-js as it is: the proxy resolves it (a CONNECT to an address literal is refused
 * by proxies that filter on names, and a list of addresses would make grpc-js skip the proxy).
 */
export async function checkedTarget(host: string, port: number, resolve: ResolveChecked, proxied = false): Promise<GrpcTarget> {
  const addresses = await resolve(host, port);
  if (isIP(host)) return { servicePath: bracketed(host), options: {}, addresses };
  if (proxied) return { servicePath: host, options: {}, addresses };
  const family = isIP(addresses[0] ?? '');
  const same = addresses.filter((a) => isIP(a) === family);
  return {
    // gax appends `:${port}` to the last one
    servicePath: `${family === 6 ? 'ipv6' : 'ipv4'}:${same.map(bracketed).join(`:${port},`)}`,
    options: {
      'grpc.ssl_target_name_override': host, // SNI + certificate checked for the name, not the address
      'grpc.default_authority': `${host}:${port}`, // what grpc-js sends for a `host:port` target
    },
    addresses: same,
  };
}

/** the target of a loopback emulator (insecure: true): as configured, grpc-js connects it itself */
export function emulatorTarget(host: string): GrpcTarget {
  return { servicePath: host, options: {}, addresses: [] };
}

/** a resolution is trusted this long (monotonic ms); after it the next call resolves again */
export const RESOLVE_EVERY_MS = 5 * 60_000;

export interface CurrentTarget {
  target: GrpcTarget;
  /** changes when the target's addresses change: clients built for an older one are replaced */
  generation: number;
}

export interface TargetKeeper {
  /** the target to build clients for: resolved again when older than RESOLVE_EVERY_MS or marked stale */
  current(resolve: ResolveChecked): Promise<CurrentTarget>;
  /** the next current() resolves again (the channel reported UNAVAILABLE: the vendor's addresses may have moved) */
  markStale(): void;
}

export function createTargetKeeper(host: string, port: number, options: { insecure: boolean; proxied?: boolean; now?: () => number }): TargetKeeper {
  const now = options.now ?? (() => performance.now()); // real time: a DNS answer ages whatever a simulated clock says
  let known: CurrentTarget | undefined = options.insecure ? { target: emulatorTarget(host), generation: 0 } : undefined;
  let resolvedAt = -Infinity;
  let pending: Promise<CurrentTarget> | undefined;

  async function refresh(resolve: ResolveChecked): Promise<CurrentTarget> {
    let next: GrpcTarget;
    try {
      next = await checkedTarget(host, port, resolve, options.proxied);
    } catch (e) {
      // a name that stops resolving for a moment keeps its last checked addresses; a refused one never does
      if (known && isRevloopError(e) && e.code === 'OUTBOUND_UNRESOLVED') return known;
      throw e;
    }
    resolvedAt = now();
    if (!known || next.servicePath !== known.target.servicePath) known = { target: next, generation: (known?.generation ?? 0) + 1 };
    return known;
  }

  return {
    current(resolve) {
      if (options.insecure) return Promise.resolve(known!);
      if (known && now() - resolvedAt < RESOLVE_EVERY_MS) return Promise.resolve(known);
      // one resolution at a time: concurrent calls share it
      pending ??= refresh(resolve).finally(() => (pending = undefined));
      return pending;
    },
    markStale() {
      resolvedAt = -Infinity;
    },
  };
}
