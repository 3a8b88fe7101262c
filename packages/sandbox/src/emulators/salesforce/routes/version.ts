import type { Context } from 'hono';
import { parseVersion } from '../context.js';

/** The API version of a /services/data/vXX.X/… request (already validated by the middleware). */
export function versionOf(c: Context): string {
  return parseVersion(c.req.path.split('/')[3]) ?? '62.0';
}
