// SOQL text helpers. Datetime literals are unquoted (a quoted datetime is INVALID_FIELD), strings
// are single-quoted with backslash escapes, and AND/OR mixed without parentheses is MALFORMED_QUERY.

/** A SOQL datetime literal in UTC, whole seconds (Salesforce stores no milliseconds). */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

export function soqlIn(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** Records strictly after (stamp, id) in (SystemModstamp, Id) order. The parentheses are required. */
export function afterKeyset(stamp: number, id: string): string {
  const s = soqlDateTime(stamp);
  return `(SystemModstamp > ${s} OR (SystemModstamp = ${s} AND Id > ${soqlString(id)}))`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
