// Whole-number options (--seed, --actions-per-day…): a bad value exits 2 naming the allowed range.
import { RevloopError } from '@revloop/core';

/** the largest market seed (the simulator's generator takes 32-bit seeds) */
export const MAX_SEED = 0xffffffff;

/**
 * `value` as a whole number in [min, max] (max: none when undefined), or a BAD_ARGUMENT error (exit 2)
 * that says the range. Undefined stays undefined (the option was not given).
 */
export function wholeNumberOption(flag: string, value: unknown, range: { min: number; max?: number; example: number }): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  const { min, max, example } = range;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    const allowed = max === undefined ? `a whole number of ${min} or more` : `a whole number from ${min} to ${max}`;
    throw new RevloopError('BAD_ARGUMENT', `${flag} must be ${allowed}, not "${String(value)}"`, { where: flag, fix: `pass ${flag} ${example}`, kind: 'bad_input' });
  }
  return n;
}
