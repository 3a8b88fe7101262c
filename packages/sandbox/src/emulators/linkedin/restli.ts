// Rest.li 2.0 query-parameter syntax: `List(a,b)`, records `(k:v,k2:(x:1))`, scalars percent-encoded.
// Parsed from the RAW query string: decoding first would turn `urn%3Ali%3A...` into colons that
// the grammar treats as key separators, which is exactly the bug real clients hit.

export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

export class RestliSyntaxError extends Error {
  constructor(readonly param: string, detail: string) {
    super(`Parameter '${param}' is invalid: ${detail}`);
  }
}

const RESERVED = new Set(['(', ')', ',', ':']);

/** Parses one Rest.li 2.0 encoded value (the raw, still percent-encoded text). */
export function parseRestliValue(raw: string, param = 'value'): RestliValue {
  let pos = 0;
  const fail = (detail: string): never => {
    throw new RestliSyntaxError(param, `${detail} at position ${pos}`);
  };
  const scalar = (): string => {
    const start = pos;
    while (pos < raw.length && !RESERVED.has(raw[pos])) pos++;
    const text = raw.slice(start, pos);
    if (text === "''") return '';
    try {
      return decodeURIComponent(text);
    } catch {
      return fail('bad percent-encoding');
    }
  };
  const value = (): RestliValue => {
    if (raw.startsWith('List(', pos)) {
      pos += 5;
      const items: RestliValue[] = [];
      if (raw[pos] === ')') {
        pos++;
        return items;
      }
      for (;;) {
        items.push(value());
        if (raw[pos] === ',') pos++;
        else if (raw[pos] === ')') {
          pos++;
          return items;
        } else fail("expected ',' or ')' in List");
      }
    }
    if (raw[pos] === '(') {
      pos++;
      const record: Record<string, RestliValue> = {};
      if (raw[pos] === ')') {
        pos++;
        return record;
      }
      for (;;) {
        const key = scalar();
        if (!key) fail('empty field name');
        if (raw[pos] !== ':') fail("expected ':' after field name");
        pos++;
        record[key] = value();
        if (raw[pos] === ',') pos++;
        else if (raw[pos] === ')') {
          pos++;
          return record;
        } else fail("expected ',' or ')' in record");
      }
    }
    const text = scalar();
    if (text === '' && raw.slice(pos - 2, pos) !== "''") fail('empty value');
    return text;
  };
  const result = value();
  if (pos !== raw.length) fail('unexpected trailing characters');
  return result;
}

/** Splits a raw query string into raw (undecoded) values; `+` stays as is (Rest.li encodes spaces as %20). */
export function rawQueryParams(url: string): Map<string, string> {
  const q = url.indexOf('?');
  const params = new Map<string, string>();
  if (q < 0) return params;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    params.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return params;
}

export function asList(v: RestliValue, param: string): RestliValue[] {
  if (!Array.isArray(v)) throw new RestliSyntaxError(param, 'expected List(...)');
  return v;
}

export function asRecord(v: RestliValue | undefined, param: string): Record<string, RestliValue> {
  if (v === undefined || typeof v === 'string' || Array.isArray(v)) throw new RestliSyntaxError(param, 'expected a record (...)');
  return v;
}

export function asInt(v: RestliValue | undefined, param: string): number {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new RestliSyntaxError(param, 'expected an integer');
  return Number(v);
}
