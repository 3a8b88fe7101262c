// The ranges generateScenario draws markets from: their defaults (docs/scenario.md, "Generated
// markets") and the bounds a caller's range must stay within. A range out of its bounds is refused
// with a ScenarioError naming its path (`ranges.bestHour.max`) and the allowed range.
import { z } from 'zod';
import { formatPath, ScenarioError, type ScenarioIssue } from './scenario-error.js';

export interface Range {
  min: number;
  max: number;
}

export interface GeneratorRanges {
  /** number of accounts */
  accounts: Range;
  /** simulated days */
  days: Range;
  /** how many of the six default industries the market has */
  industries: Range;
  /** each persona's best channel's lift (on-topic, best hour) */
  bestLift: Range;
  /** the other channels' lifts */
  otherLift: Range;
  /** share of personas whose best channel is the market's favoured channel (drawn uniformly from the four) */
  favouredShare: Range;
  /** each persona's best send hour (whole hours) */
  bestHour: Range;
  /** each persona's send-hour bell width (sd, hours) */
  hourWidth: Range;
  /** intent.inMarketShare */
  inMarketShare: Range;
  /** response.fatigueK */
  fatigueK: Range;
  /** response.fatigueHalfLifeDays */
  fatigueHalfLifeDays: Range;
  /** scales funnel.cycleMultiplier of every size (> 1: longer sales cycles) */
  cycleScale: Range;
  /** number of drift events (whole) */
  driftEvents: Range;
}

export type RangeKey = keyof GeneratorRanges;

export const DEFAULT_RANGES: Readonly<GeneratorRanges> = Object.freeze({
  accounts: { min: 200, max: 600 },
  days: { min: 60, max: 120 },
  industries: { min: 2, max: 6 },
  bestLift: { min: 0.2, max: 0.45 },
  otherLift: { min: 0.02, max: 0.1 },
  favouredShare: { min: 0.5, max: 1 },
  bestHour: { min: 5, max: 22 },
  hourWidth: { min: 1, max: 3.5 },
  inMarketShare: { min: 0.05, max: 0.6 },
  fatigueK: { min: 0.3, max: 2 },
  fatigueHalfLifeDays: { min: 3, max: 21 },
  cycleScale: { min: 0.8, max: 3 },
  driftEvents: { min: 0, max: 2 },
});

/** what a caller's range may span: [lo, hi], whole numbers when `int` */
export const RANGE_BOUNDS: Readonly<Record<RangeKey, { lo: number; hi: number; int?: boolean }>> = Object.freeze({
  accounts: { lo: 1, hi: 20000, int: true },
  days: { lo: 5, hi: 365, int: true },
  industries: { lo: 1, hi: 6, int: true },
  bestLift: { lo: 0, hi: 1 },
  otherLift: { lo: 0, hi: 1 },
  favouredShare: { lo: 0, hi: 1 },
  bestHour: { lo: 0, hi: 23, int: true },
  hourWidth: { lo: 0.25, hi: 12 },
  inMarketShare: { lo: 0.01, hi: 1 },
  fatigueK: { lo: 0, hi: 10 },
  fatigueHalfLifeDays: { lo: 0.5, hi: 365 },
  cycleScale: { lo: 0.1, hi: 10 },
  driftEvents: { lo: 0, hi: 5, int: true },
});

function bound(key: RangeKey): z.ZodNumber {
  const { lo, hi, int } = RANGE_BOUNDS[key];
  const message = `expected ${int ? 'a whole number' : 'a number'} in [${lo}, ${hi}] (the allowed range of ranges.${key})`;
  const n = z.number({ error: message }).min(lo, { error: message }).max(hi, { error: message });
  return int ? n.int({ error: message }) : n;
}

const rangesSchema = z
  .object(
    Object.fromEntries(
      (Object.keys(RANGE_BOUNDS) as RangeKey[]).map((key) => [
        key,
        z
          .object({ min: bound(key), max: bound(key) })
          .strict()
          .refine((r) => r.min <= r.max, { error: 'expected min <= max' }),
      ]),
    ) as unknown as Record<RangeKey, z.ZodType<Range>>,
  )
  .partial()
  .strict();

function valueAt(root: unknown, path: readonly PropertyKey[]): string {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return '';
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return `, got ${JSON.stringify(cur) ?? String(cur)}`;
}

/** the default ranges with the caller's replacements, or a ScenarioError naming each bad range */
export function resolveRanges(ranges: Partial<GeneratorRanges> = {}): GeneratorRanges {
  const result = rangesSchema.safeParse(ranges);
  if (!result.success) {
    const issues = result.error.issues.map((issue): ScenarioIssue => {
      if (issue.code === 'unrecognized_keys')
        return { path: formatPath(['ranges', ...issue.path, issue.keys[0]]), message: `unknown range (known: ${Object.keys(RANGE_BOUNDS).join(', ')})` };
      return { path: formatPath(['ranges', ...issue.path]), message: `${issue.message}${valueAt(ranges, issue.path)}` };
    });
    throw new ScenarioError(issues);
  }
  return { ...DEFAULT_RANGES, ...(result.data as Partial<GeneratorRanges>) };
}
