// The keys a zod object schema allows at a path of the value it validates (for "did you mean").
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** wrappers whose value is validated by an inner schema */
const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'success']);

/**
 * The keys of the object schema(s) that validate the value at `path` under `schema` (a union gives
 * the keys of all its options); none when the path leads to no object schema.
 */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[], depth = 0): Set<string> {
  const keys = new Set<string>();
  if (depth > 64) return keys;
  const def = defOf(schema);
  const next = (s: z.ZodType | undefined, rest: readonly PropertyKey[]) => {
    if (s) for (const k of allowedKeysAt(s, rest, depth + 1)) keys.add(k);
  };
  if (wrappers.has(def.type)) next(def.innerType, path);
  else if (def.type === 'pipe') next(def.in, path);
  else if (def.type === 'lazy') next(def.getter?.(), path);
  else if (def.type === 'union') for (const option of def.options ?? []) next(option, path);
  else if (def.type === 'intersection') {
    next(def.left, path);
    next(def.right, path);
  } else if (def.type === 'object') {
    if (path.length === 0) for (const k of Object.keys(def.shape ?? {})) keys.add(k);
    else next(def.shape?.[String(path[0])], path.slice(1));
  } else if (path.length > 0 && def.type === 'record') next(def.valueType, path.slice(1));
  else if (path.length > 0 && def.type === 'array') next(def.element, path.slice(1));
  return keys;
}
