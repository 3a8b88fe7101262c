// Caps what one webhook event may store: a signed sender (or a vendor bug) must not put megabytes
// into one signal row. An event's `raw` or `attributes` whose JSON is over the cap is REPLACED by
// the marker { truncated: true, bytes: N } (N = its JSON size): cutting JSON text would store
// something that is not JSON, and a half object would look complete. The typed columns (type,
// topic, occurred_at…) are kept as mapped.
import type { UnifiedRecord } from '@revloop/store';

export interface TruncatedMarker {
  truncated: true;
  bytes: number;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** the record with oversized raw / attributes replaced by markers, and how many were replaced */
export function capStoredPayload(record: UnifiedRecord, maxBytes: number): { record: UnifiedRecord; truncated: number } {
  let out = record;
  let truncated = 0;
  if (record.raw !== undefined) {
    const bytes = jsonBytes(record.raw);
    if (bytes > maxBytes) {
      out = { ...out, raw: { truncated: true, bytes } satisfies TruncatedMarker };
      truncated++;
    }
  }
  if (record.attributes) {
    const bytes = jsonBytes(record.attributes);
    if (bytes > maxBytes) {
      out = { ...out, attributes: { truncated: true, bytes } satisfies TruncatedMarker };
      truncated++;
    }
  }
  return { record: out, truncated };
}
