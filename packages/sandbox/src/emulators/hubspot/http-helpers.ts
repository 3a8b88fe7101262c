// Request parsing shared by the routes: JSON bodies with HubSpot's "Invalid input JSON" errors.
import type { Context } from 'hono';
import type { z } from 'zod';
import { validation } from './errors.js';
import { parseObjectType, type ObjectType } from './object-types.js';

function position(text: string, message: string): { line: number; column: number } {
  const at = /position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    const { line, column } = position(text, (e as Error).message);
    throw validation(`Invalid input JSON on line ${line}, column ${column}: ${(e as Error).message}`);
  }
}

/** Parses a JSON body with a zod schema; `model` names HubSpot's input class in the message. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, model: string): Promise<z.infer<S>> {
  const json = await readJson(c);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw validation(`Invalid input JSON on line 1, column 1: Cannot build ${model}, some of required attributes are not set or invalid [${paths}]`);
  }
  return parsed.data;
}

export function objectTypeParam(c: Context, name = 'type'): ObjectType {
  const raw = c.req.param(name) ?? '';
  const type = parseObjectType(raw);
  if (!type) throw validation(`Unable to infer object type from: ${raw}`);
  return type;
}

export function boolParam(v: string | undefined): boolean {
  return v === 'true';
}
