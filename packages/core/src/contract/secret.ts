// secret(): a config field that holds a credential. Marking it is enough: when a config is loaded,
// the value of every field marked secret is given to the runtime's redactor, so it never reaches
// a log line, an error, a check message or a stored run (whether it came from env() or was
// written in the file). secretValues() finds them in any config a schema parsed.
import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../context/redact.js';

/** the registry secret() marks schemas in (exported for tools that list a connector's secrets) */
export const secretRegistry = z.registry<{ secret: true }>();

export type Secret = string & z.$brand<'revloop.secret'>;

/**
 * A secret config field: a string of at least MIN_SECRET_LENGTH characters (shorter values would
 * be redacted wherever the same letters appear, and are refused at load with their path).
 * Pass a schema to constrain it further, e.g. secret(z.string().startsWith('pat-')).
 */
export function secret(schema: z.ZodString = z.string()) {
  const marked = schema.min(MIN_SECRET_LENGTH, `a secret needs at least ${MIN_SECRET_LENGTH} characters (pass the real credential, e.g. { $env: 'VENDOR_API_KEY' })`).brand<'revloop.secret'>();
  marked.register(secretRegistry, { secret: true });
  return marked;
}

export function isSecretSchema(schema: z.ZodType): boolean {
  return secretRegistry.has(schema);
}

type AnyDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; options?: z.ZodType[]; element?: z.ZodType; valueType?: z.ZodType; shape?: Record<string, z.ZodType>; left?: z.ZodType; right?: z.ZodType; getter?: () => z.ZodType };

/** the values of every secret() field of `value`, which `schema` parsed */
export function secretValues(schema: z.ZodType, value: unknown, depth = 0): string[] {
  if (depth > 32 || value === undefined || value === null) return [];
  if (isSecretSchema(schema)) return typeof value === 'string' ? [value] : [];
  const def = (schema as unknown as { def: AnyDef }).def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return secretValues(def.innerType!, value, depth + 1);
    case 'pipe':
      return [...secretValues(def.in!, value, depth + 1), ...secretValues(def.out!, value, depth + 1)];
    case 'lazy':
      return secretValues(def.getter!(), value, depth + 1);
    case 'union':
      return def.options!.flatMap((o) => secretValues(o, value, depth + 1));
    case 'intersection':
      return [...secretValues(def.left!, value, depth + 1), ...secretValues(def.right!, value, depth + 1)];
    case 'array':
      return Array.isArray(value) ? value.flatMap((v) => secretValues(def.element!, v, depth + 1)) : [];
    case 'record':
      return typeof value === 'object' ? Object.values(value as object).flatMap((v) => secretValues(def.valueType!, v, depth + 1)) : [];
    case 'object':
      return typeof value === 'object' ? Object.entries(def.shape!).flatMap(([k, s]) => secretValues(s, (value as Record<string, unknown>)[k], depth + 1)) : [];
    default:
      return [];
  }
}
