// The URL a vendor signed. Behind a TLS-terminating proxy the server sees
// http://127.0.0.1:8787/webhooks/… while the vendor signed https://hooks.example.com/webhooks/…;
// signatures that cover the URL (HubSpot v3) only verify over the public one. It is rebuilt on
// `server.publicBaseUrl` (path and query of the request kept, after the base's own path prefix),
// or, only when `server.trustForwardedHeaders` is true, from X-Forwarded-Proto / X-Forwarded-Host.
// Otherwise the request's own URL is used.

export interface PublicUrlOptions {
  publicBaseUrl?: string;
  trustForwardedHeaders?: boolean;
}

/** a host[:port] as a proxy may forward it: no path, user info or spaces */
const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

function firstValue(value: string | null): string | undefined {
  const first = value?.split(',')[0]?.trim();
  return first ? first : undefined;
}

/** a Headers, or anything that reads a header by lower-case name the same way */
export interface HeaderReader {
  get(name: string): string | null;
}

export function publicUrlOf(requestUrl: string, headers: HeaderReader, options: PublicUrlOptions): string {
  const internal = new URL(requestUrl);
  const pathAndQuery = `${internal.pathname}${internal.search}`;
  if (options.publicBaseUrl) {
    const base = new URL(options.publicBaseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    return `${base.protocol}//${base.host}${prefix}${pathAndQuery}`;
  }
  if (options.trustForwardedHeaders) {
    const proto = firstValue(headers.get('x-forwarded-proto'))?.toLowerCase();
    const host = firstValue(headers.get('x-forwarded-host'));
    const scheme = proto === 'https' || proto === 'http' ? proto : internal.protocol.replace(/:$/, '');
    const authority = host && hostPattern.test(host) ? host : internal.host;
    return `${scheme}://${authority}${pathAndQuery}`;
  }
  return requestUrl;
}
