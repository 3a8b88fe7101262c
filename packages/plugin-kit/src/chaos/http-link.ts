// The default chaos link: the kit's HTTP fault proxy in front of an emulator, faulting writes only.
import { startFaultProxy, type FaultRequest } from '../fault-proxy.js';
import { seededRandom } from './random.js';
import type { ChaosEndpoint, ChaosLink, ChaosLinkOptions } from './types.js';

/** long enough for the parent's poll (every few ms) to kill the child before the answer leaves */
const HOLD_MS = 400;

const defaultIsWrite = (method: string) => method !== 'GET' && method !== 'HEAD';

export async function startHttpLink(endpoint: ChaosEndpoint, options: ChaosLinkOptions): Promise<ChaosLink> {
  const isWrite = endpoint.isWrite ?? defaultIsWrite;
  const random = seededRandom(options.seed);
  let writes = 0;
  const proxy = await startFaultProxy({
    target: endpoint.url,
    delayMs: HOLD_MS,
    // decided here (not through the proxy's rates) so that reads draw nothing and the first write is always faulted
    schedule: (request: FaultRequest) => {
      if (!isWrite(request.method, request.path)) return 'pass';
      const n = ++writes;
      if (options.hold?.()) return 'delay';
      if (options.fault === 'pass') return 'pass';
      return n === 1 || random() < options.rate ? options.fault : 'pass';
    },
  });
  return {
    url: proxy.url,
    writes: () => writes,
    canHold: true,
    // the proxy counts a delay once the emulator answered, before it holds the answer
    held: () => proxy.counts.delayed,
    faults: () => proxy.counts.errorAfter + proxy.counts.dropAfter,
    close: () => proxy.close(),
  };
}

export function startLink(endpoint: ChaosEndpoint, options: ChaosLinkOptions): Promise<ChaosLink> {
  return endpoint.link ? endpoint.link(options) : startHttpLink(endpoint, options);
}

/** a link in front of every endpoint: their addresses by name, and the links' summed counts */
export async function startLinks(endpoints: Record<string, ChaosEndpoint>, options: ChaosLinkOptions) {
  const links: Record<string, ChaosLink> = {};
  let i = 0;
  for (const [name, endpoint] of Object.entries(endpoints)) links[name] = await startLink(endpoint, { ...options, seed: options.seed + 7919 * i++ });
  const all = Object.values(links);
  const sum = (f: (l: ChaosLink) => number) => all.reduce((n, l) => n + f(l), 0);
  return {
    urls: Object.fromEntries(Object.entries(links).map(([name, l]) => [name, l.url])),
    writes: () => sum((l) => l.writes()),
    canHold: all.every((l) => l.canHold),
    held: () => sum((l) => l.held()),
    faults: () => sum((l) => l.faults()),
    close: async () => {
      for (const l of all) await l.close();
    },
  };
}
export type ChaosLinks = Awaited<ReturnType<typeof startLinks>>;
