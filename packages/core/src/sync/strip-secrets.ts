// A connector's secret config values never reach the store, whatever its map() does: every
// mapped record's fields, attributes and raw payload are searched for them (as written, escaped
// in a JSON string, percent-encoded) and each occurrence is replaced by [REDACTED], also inside a
// longer token (unlike log redaction: any copy of the key in stored data is a leak). A vendor
// echoing the request's key in its payload, or a connector copying it into raw, would otherwise
// put a credential into SQLite, its backups and every export of raw.
import type { z } from 'zod';
import type { UnifiedRecord } from '@revloop/store';
import { secretValues } from '../contract/secret.js';
import { MIN_SECRET_LENGTH, REDACTED } from '../context/redact.js';

export type SecretStripper = (record: UnifiedRecord) => UnifiedRecord;

const MAX_DEPTH = 32;

/** undefined when there is nothing to strip (no secret of a redactable length) */
export function secretStripper(secrets: string[]): SecretStripper | undefined {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (!values.length) return undefined;
  // the longest form first, so that a secret containing another is replaced whole
  const forms = [...new Set(values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
  // a record without any secret is returned as it is, uncopied
  const holds = (s: string) => forms.some((f) => s.includes(f));
  const redact = (s: string) => forms.reduce((t, f) => t.replaceAll(f, REDACTED), s);
  const strip = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return holds(v) ? redact(v) : v;
    if (!v || typeof v !== 'object' || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      v.forEach((x, i) => {
        const y = strip(x, depth + 1);
        if (y !== x) (out ??= v.slice())[i] = y;
      });
      return out ?? v;
    }
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = strip(x, depth + 1);
      const key = holds(k) ? redact(k) : k;
      if (y !== x || key !== k) {
        out ??= { ...(v as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = y;
      }
    }
    return out ?? v;
  };
  return (record) => {
    const fields = strip(record.fields, 0) as UnifiedRecord['fields'];
    const attributes = strip(record.attributes, 0) as UnifiedRecord['attributes'];
    const raw = strip(record.raw, 0);
    return fields === record.fields && attributes === record.attributes && raw === record.raw ? record : { ...record, fields, attributes, raw };
  };
}

const perInstance = new WeakMap<object, SecretStripper | null>();

/** the stripper of a connector instance's secret() config values (computed once per instance) */
export function secretStripperFor(instance: { definition: { config: unknown }; config: unknown }): SecretStripper | undefined {
  let strip = perInstance.get(instance);
  if (strip === undefined) perInstance.set(instance, (strip = secretStripper(secretValues(instance.definition.config as z.ZodType, instance.config)) ?? null));
  return strip ?? undefined;
}
