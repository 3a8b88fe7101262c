// A small checker for the OpenAPI 3.0 schema subset HubSpot's specs use for these responses:
// type, required, properties, items, additionalProperties, enum, format date-time / int32 / int64.
// Unlike OpenAPI's default it also reports properties a schema does not declare: an emulator must
// not invent fields the vendor never sends.
export type Schema =
  | { type: 'string'; format?: 'date-time' | 'uuid'; enum?: readonly string[] }
  | { type: 'integer'; format?: 'int32' | 'int64' }
  | { type: 'boolean' }
  | { type: 'null' }
  | { type: 'array'; items: Schema }
  | { type: 'object'; required?: readonly string[]; properties?: Record<string, Schema>; additionalProperties?: Schema }
  | { anyOf: readonly Schema[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** every way `value` breaks `schema`, as "path: what" lines (empty: it conforms) */
export function violations(schema: Schema, value: unknown, path = '$'): string[] {
  if ('anyOf' in schema) {
    const each = schema.anyOf.map((s) => violations(s, value, path));
    return each.some((e) => e.length === 0) ? [] : [`${path}: matches none of ${schema.anyOf.length} alternatives (${each.map((e) => e[0]).join(' | ')})`];
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
      if (schema.format === 'date-time' && !ISO.test(value)) return [`${path}: not an ISO 8601 date-time: ${value}`];
      if (schema.format === 'uuid' && !UUID.test(value)) return [`${path}: not a uuid: ${value}`];
      if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${value} is not one of ${schema.enum.join(', ')}`];
      return [];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      if (schema.format === 'int32' && Math.abs(value) > 2 ** 31) return [`${path}: outside int32: ${value}`];
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'null':
      return value === null ? [] : [`${path}: expected null, got ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array, got ${JSON.stringify(value)}`];
      return value.flatMap((v, i) => violations(schema.items, v, `${path}[${i}]`));
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object, got ${JSON.stringify(value)}`];
      const obj = value as Record<string, unknown>;
      const out: string[] = [];
      for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${path}: required property ${r} is missing`);
      for (const [k, v] of Object.entries(obj)) {
        const declared = schema.properties?.[k];
        if (declared) out.push(...violations(declared, v, `${path}.${k}`));
        else if (schema.additionalProperties) out.push(...violations(schema.additionalProperties, v, `${path}.${k}`));
        else if (schema.properties) out.push(`${path}: property ${k} is not in the schema`);
      }
      return out;
    }
  }
}
