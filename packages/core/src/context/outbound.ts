// The outbound address policy of every call revloop makes to a vendor (issue #25): a connector's
// credentials go only to a public address over https. Refused: cloud metadata services, link-local,
// unspecified and reserved addresses, always; private networks (10/8, 172.16/12, 192.168/16,
// 100.64/10, fc00::/7) and plain http unless the connector's config says `allowPrivateNetwork:
// true` (an on-premises system). Loopback stays allowed, over http too: the sandbox's emulators.
// The host is checked after DNS resolution, every address it resolves to: a public name that
// resolves to 169.254.169.254 is refused like the address itself.
import dns from 'node:dns';
import { isIP } from 'node:net';
import { RevloopError } from '../errors.js';
import { classifyAddress, type AddressClass } from './outbound-ranges.js';

/** every address of a host name (dns.lookup with `all`: what the operating system would connect to) */
export type LookupAll = (hostname: string) => Promise<string[]>;

export interface OutboundPolicy {
  /** private networks (and plain http to them) allowed: the connector's config said so */
  allowPrivateNetwork?: boolean;
  /** name resolution (tests inject one); default dns.lookup with all addresses */
  lookup?: LookupAll;
}

/** names of metadata services, refused before they are resolved */
const metadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const alwaysRefused: ReadonlySet<AddressClass> = new Set(['metadata', 'link-local', 'unspecified', 'reserved']);

export const lookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) => {
    // dns.lookup read at call time (not destructured): the tests' network guard wraps it
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });

/** the policy a plugin's config asks for: `allowPrivateNetwork: true` among its settings */
export function outboundPolicyOf(config: unknown): OutboundPolicy {
  return { allowPrivateNetwork: !!config && typeof config === 'object' && (config as { allowPrivateNetwork?: unknown }).allowPrivateNetwork === true };
}

function refuse(message: string, where: string, fix: string): RevloopError {
  return new RevloopError('OUTBOUND_REFUSED', message, { where, fix, kind: 'bad_input' });
}

const PRIVATE_FIX = "use the vendor's public https address; for a system inside your own network, set allowPrivateNetwork: true in this connector's config";

interface Target {
  parsed: URL;
  /** scheme://host:port, for messages */
  shown: string;
  /** the host, lower-case, without brackets or a final dot */
  host: string;
}

function target(url: string | URL, where: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse(`"${String(url)}" is not a URL`, where, 'write an absolute https:// URL');
  }
  const shown = `${parsed.protocol}//${parsed.host}`;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw refuse(`${shown}: only https (and http to this machine) is allowed, not ${parsed.protocol}`, where, 'write an https:// URL');
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (metadataNames.has(host)) throw refuse(`${shown} is a cloud metadata service: credentials sent there can be read by anyone on the machine's network`, where, "use the vendor's public https address");
  return { parsed, shown, host };
}

/** throws unless every address the host resolves to is allowed (and http goes to loopback or an allowed private network) */
function judge(t: Target, addresses: string[], policy: OutboundPolicy, where: string): void {
  const classes = addresses.map((a) => ({ address: a, cls: classifyAddress(a) }));
  const via = (a: string) => (isIP(t.host) ? '' : ` (${t.host} resolves to ${a})`);
  for (const { address, cls } of classes) {
    if (alwaysRefused.has(cls)) throw refuse(`${t.shown} is a ${cls} address${via(address)}: revloop sends no request there`, where, "use the vendor's public https address");
    if (cls === 'private' && !policy.allowPrivateNetwork) throw refuse(`${t.shown} is a private network address${via(address)}`, where, PRIVATE_FIX);
  }
  if (t.parsed.protocol === 'http:') {
    const clear = classes.find(({ cls }) => !(cls === 'loopback' || (cls === 'private' && policy.allowPrivateNetwork)));
    if (clear) throw refuse(`${t.shown} is plain http to ${clear.cls === 'public' ? 'a public' : `a ${clear.cls}`} address${via(clear.address)}: credentials would travel unencrypted`, where, `use https://${t.parsed.host}`);
  }
}

/**
 * What can be refused without DNS (config load): a scheme other than http(s), a metadata service's
 * name, an address literal the policy refuses. A host name is left to checkOutboundUrl.
 */
export function checkOutboundLiteral(url: string | URL, policy: OutboundPolicy = {}, where = 'outbound call'): void {
  const t = target(url, where);
  if (isIP(t.host)) judge(t, [t.host], policy, where);
}

/**
 * Resolves the URL's host and refuses it (RevloopError OUTBOUND_REFUSED, or OUTBOUND_UNRESOLVED
 * when the name does not resolve) unless every address it resolves to is allowed by the policy.
 * `where` names the setting the URL came from (e.g. `connectors.hubspot.baseUrl`).
 */
export async function checkOutboundUrl(url: string | URL, policy: OutboundPolicy = {}, where = 'outbound call'): Promise<{ addresses: string[] }> {
  const t = target(url, where);
  const { host, shown } = t;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else {
    try {
      addresses = await (policy.lookup ?? lookupAll)(host);
    } catch (e) {
      throw new RevloopError('OUTBOUND_UNRESOLVED', `the host ${host} (${shown}) could not be resolved: ${(e as { code?: string }).code ?? (e as Error).message}`, {
        where,
        fix: 'check the host name for a typo, and that this machine has DNS and network access to it',
        cause: e,
      });
    }
    if (!addresses.length) throw new RevloopError('OUTBOUND_UNRESOLVED', `the host ${host} (${shown}) resolved to no address`, { where, fix: 'check the host name and the DNS records' });
  }
  judge(t, addresses, policy, where);
  return { addresses };
}
