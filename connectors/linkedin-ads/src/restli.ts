// Rest.li 2.0 query values, built by hand: URLSearchParams would percent-encode the protocol's
// own `(`, `)`, `,` and `:`, and LinkedIn answers 400 "Parameter 'x' is invalid". Inside a
// value, every scalar (a URN above all: its colons would read as key separators) IS encoded.
import { createHash } from 'node:crypto';

/** one scalar, percent-encoded including the reserved characters */
export const scalar = (value: string | number) => encodeURIComponent(String(value));

/** List(a,b) of encoded scalars */
export const list = (values: (string | number)[]) => `List(${values.map(scalar).join(',')})`;

/** (start:(year:2024,month:1,day:2),end:(...)) from YYYY-MM-DD dates */
export function dateRange(from: string, to?: string): string {
  const ymd = (d: string) => `(year:${Number(d.slice(0, 4))},month:${Number(d.slice(5, 7))},day:${Number(d.slice(8, 10))})`;
  return to ? `(start:${ymd(from)},end:${ymd(to)})` : `(start:${ymd(from)})`;
}

/** a query string from already-encoded Rest.li values (plain values are encoded) */
export function query(params: Record<string, string | number | { restli: string } | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    parts.push(`${k}=${typeof v === 'object' ? v.restli : scalar(v)}`);
  }
  return parts.join('&');
}

export const restli = (encoded: string) => ({ restli: encoded });

export const ACCOUNT_URN = 'urn:li:sponsoredAccount:';
export const CAMPAIGN_URN = 'urn:li:sponsoredCampaign:';

/** "urn:li:sponsoredCampaign:123" → "123" */
export function idOfUrn(urn: string, prefix: string): string {
  if (!urn.startsWith(prefix) || !/^\d+$/.test(urn.slice(prefix.length))) throw new Error(`"${urn}" is not a ${prefix}N URN`);
  return urn.slice(prefix.length);
}

/** the audience key LinkedIn matches: SHA-256 hex of the trimmed, lower-cased email */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function sha256Email(email: string): string {
  return createHash('sha256').update(normaliseEmail(email)).digest('hex');
}
