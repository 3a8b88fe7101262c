// Reads a JSON body; answers LinkedIn's 400 instead of throwing on bad JSON or a failed schema.
import type { Context } from 'hono';
import type { z } from 'zod';
import { errors } from './errors.js';

export async function readJson<S extends z.ZodTypeAny>(c: Context, schema: S): Promise<{ ok: true; value: z.infer<S> } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return { ok: false, response: errors.badRequest('Unable to parse request body as JSON') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length ? `/${issue.path.join('/')}` : '/';
    return { ok: false, response: errors.badRequest(`Invalid request body at ${path}: ${issue.message}`) };
  }
  return { ok: true, value: parsed.data };
}

export const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
