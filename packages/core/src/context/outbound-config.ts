// The vendor SDKs (HubSpot's, jsforce, google-ads-api, openai) send requests through their own
// HTTP stacks, not ctx.http: what they reach is the URLs in the plugin's config. Every http(s) URL
// a person wrote in a plugin's config entry is checked against the outbound policy before the
// plugin is used (a check, a sync, an action, a workflow's model calls); a refused one stops the
// use with the config path of the URL. The connectors' own defaults (their vendors' public https
// hosts) are not resolved here: what reaches them through ctx.http is checked at the call. The
// verdict is kept for a minute per instance.
import { checkOutboundLiteral, checkOutboundUrl, outboundPolicyOf, type LookupAll } from './outbound.js';

interface Instance {
  name: string;
  definition: { kind: string };
}

/** the part of a runtime read here: the loaded config's entries */
interface RuntimeLike {
  loaded: { config: { connectors?: Record<string, unknown>; plugins?: Record<string, unknown> } };
  /** the runtime's name resolution (a test hook: RuntimeOptions.outbound), else the system's */
  outboundLookup?: LookupAll;
}

const VERDICT_MS = 60_000;
const verdicts = new WeakMap<object, { until: number; done: Promise<void> }>();

/** every string in the config that is an http(s) URL, with its path (depth-limited) */
export function configuredUrls(config: unknown, path: string[] = [], depth = 0): { path: string; url: string }[] {
  if (depth > 6 || config === null || typeof config !== 'object') return [];
  const out: { path: string; url: string }[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (typeof value === 'string' && /^https?:\/\//i.test(value.trim())) out.push({ path: [...path, key].join('.'), url: value.trim() });
    else if (value && typeof value === 'object') out.push(...configuredUrls(value, [...path, key], depth + 1));
  }
  return out;
}

function section(kind: string): 'connectors' | 'plugins' {
  return kind === 'connector' ? 'connectors' : 'plugins';
}

/** the config entry a person wrote for the instance (without `plugin`) */
export function configEntryOf(runtime: RuntimeLike, instance: Instance): Record<string, unknown> {
  const { plugin: _plugin, ...entry } = ((runtime.loaded.config[section(instance.definition.kind)] ?? {})[instance.name] ?? {}) as Record<string, unknown>;
  return entry;
}

/** refuses (RevloopError OUTBOUND_REFUSED / OUTBOUND_UNRESOLVED) when a URL in the instance's config breaks the policy */
export function assertConfiguredUrls(runtime: RuntimeLike, instance: Instance, options: { lookup?: LookupAll; nowMs?: () => number } = {}): Promise<void> {
  // monotonic process time on purpose: a DNS verdict ages in real time, whatever a simulated clock says
  const now = (options.nowMs ?? (() => performance.now()))();
  const key = instance as object;
  const known = verdicts.get(key);
  if (known && known.until > now) return known.done;
  const sectionName = section(instance.definition.kind);
  const entry = configEntryOf(runtime, instance);
  const policy = { ...outboundPolicyOf(entry), lookup: options.lookup ?? runtime.outboundLookup };
  const done = (async () => {
    for (const { path, url } of configuredUrls(entry)) await checkOutboundUrl(url, policy, `${sectionName}.${instance.name}.${path}`);
  })();
  verdicts.set(key, { until: now + VERDICT_MS, done });
  // a failure is not remembered: the next use checks again (the config or DNS may be fixed)
  done.catch(() => {
    if (verdicts.get(key)?.done === done) verdicts.delete(key);
  });
  return done;
}

/**
 * At config load, what needs no DNS: every URL in the connector and plugin entries whose scheme,
 * metadata name or address literal the policy refuses (`http://169.254.169.254/…`, `https://10.0.0.5`
 * without allowPrivateNetwork). Throws OUTBOUND_REFUSED (bad input: exit 2) naming the config path.
 */
export function assertConfigAddresses(config: RuntimeLike['loaded']['config']): void {
  for (const sectionName of ['connectors', 'plugins'] as const) {
    for (const [name, raw] of Object.entries(config[sectionName] ?? {})) {
      const { plugin: _plugin, ...entry } = (raw ?? {}) as Record<string, unknown>;
      const policy = outboundPolicyOf(entry);
      for (const { path, url } of configuredUrls(entry)) checkOutboundLiteral(url, policy, `${sectionName}.${name}.${path}`);
    }
  }
}
