// Query parameters shared by the signal routes (email events, web events), with HubSpot's 400s.
import { validation } from '../errors.js';

/** a 400 VALIDATION_ERROR naming the query parameter at fault (HubSpot's `errors[].in`) */
export const badParam = (name: string, message: string) => validation(message, { errors: [{ message, in: name }] });

export function intParam(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badParam(name, `${name} must be a non-negative integer but was ${raw}`);
  return n;
}

export function timeParam(raw: string | undefined, name: string): number | undefined {
  if (!raw) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (Number.isNaN(n)) throw badParam(name, `Invalid timestamp for ${name}: ${raw}`);
  return n;
}
