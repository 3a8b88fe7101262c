// Generated markets: `generateScenario(seed, ranges?)` draws a whole scenario from a seed — which
// channel each persona answers best (often not email), best send hours across the day (edges
// included), send-hour widths, topic affinities, intent sparsity, fatigue, sales-cycle length and
// 0–2 drift events — so that a policy can be judged on markets nobody tuned it on. Same seed and
// ranges → the same scenario. `gen:<seed>` is its spec wherever a scenario file is accepted.
import { deriveSeed, Rng, Stream } from './random.js';
import { resolveRanges, type GeneratorRanges, type Range } from './generator-ranges.js';
import { formatPath, ScenarioError } from './scenario-error.js';
import { CHANNELS, PERSONAS, scenarioSchema, SIZES, type Scenario, type ScenarioInput } from './scenario-schema.js';

export const GEN_PREFIX = 'gen:';
const MAX_SEED = 0xffffffff;

type DriftInput = NonNullable<ScenarioInput['drift']>[number];
type OverrideInput = NonNullable<NonNullable<ScenarioInput['response']>['overrides']>[number];

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

class Draw {
  constructor(readonly rng: Rng) {}
  num(r: Range): number {
    return this.rng.range(r.min, r.max);
  }
  int(r: Range): number {
    return r.min + this.rng.int(r.max - r.min + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.rng.int(items.length)];
  }
}

/** the four channels' lifts for one persona: `best` gets the best lift, the others a lower draw */
function channelLifts(draw: Draw, ranges: GeneratorRanges, best: number, bestLift: number): OverrideInput['channelLift'] {
  return Object.fromEntries(CHANNELS.map((c, k) => [c, k === best ? round(bestLift) : round(draw.num(ranges.otherLift))]));
}

function topicAffinities(draw: Draw, topics: readonly string[]): Record<string, number> {
  const favourite = draw.rng.int(topics.length);
  return Object.fromEntries(topics.map((t, k) => [t, k === favourite ? 1 : round(draw.rng.range(0.3, 0.9))]));
}

function driftEvent(draw: Draw, ranges: GeneratorRanges, days: number, industries: readonly string[], topics: readonly string[]): DriftInput {
  const day = Math.max(1, Math.floor(days / 4)) + draw.rng.int(Math.max(1, days - Math.max(1, Math.floor(days / 4))));
  const persona = draw.pick(PERSONAS);
  switch (draw.rng.int(6)) {
    case 0:
      return { day, kind: 'persona_channel_shift', persona, to: draw.pick(CHANNELS) };
    case 1:
      return { day, kind: 'industry_intent_drop', industry: draw.pick(industries), factor: round(draw.rng.range(0.4, 0.8)) };
    case 2:
      return { day, kind: 'channel_lift_change', persona, channel: draw.pick(CHANNELS), lift: round(draw.num(ranges.bestLift)) };
    case 3:
      return { day, kind: 'best_hour_shift', persona, to: draw.int(ranges.bestHour) };
    case 4:
      return { day, kind: 'topic_affinity_change', persona, topic: draw.pick(topics), affinity: round(draw.rng.range(0.3, 1)) };
    default:
      return { day, kind: 'in_market_share_change', share: round(draw.num(ranges.inMarketShare)) };
  }
}

/** the scenario (input form) of a generated market */
function draft(seed: number, ranges: GeneratorRanges): ScenarioInput {
  const draw = new Draw(new Rng(deriveSeed(seed, Stream.generator)));
  const defaults = scenarioSchema.parse({});
  const days = draw.int(ranges.days);
  const accounts = draw.int(ranges.accounts);
  const pool = [...defaults.industries];
  const industries = Array.from({ length: Math.min(pool.length, draw.int(ranges.industries)) }, () => pool.splice(draw.rng.int(pool.length), 1)[0]);
  const names = industries.map((i) => i.name);
  const topics = defaults.topics;
  const favoured = draw.rng.int(CHANNELS.length);
  const favouredShare = draw.num(ranges.favouredShare);
  const bestLift = draw.num(ranges.bestLift);
  const overrides: OverrideInput[] = PERSONAS.map((persona) => {
    const best = draw.rng.next() < favouredShare ? favoured : draw.rng.int(CHANNELS.length);
    return {
      persona,
      channelLift: channelLifts(draw, ranges, best, bestLift),
      bestHour: draw.int(ranges.bestHour),
      hourWidth: round(draw.num(ranges.hourWidth), 2),
      topicAffinity: topicAffinities(draw, topics),
    };
  });
  // half the markets: one industry answers one persona on another channel
  if (draw.rng.next() < 0.5) {
    overrides.push({ industry: draw.pick(names), persona: draw.pick(PERSONAS), channelLift: channelLifts(draw, ranges, draw.rng.int(CHANNELS.length), bestLift) });
  }
  const cycle = draw.num(ranges.cycleScale);
  const base = defaults.funnel.cycleMultiplier;
  const drift = Array.from({ length: draw.int(ranges.driftEvents) }, () => driftEvent(draw, ranges, days, names, topics)).sort((a, b) => (a.day ?? 0) - (b.day ?? 0));
  return {
    seed,
    days,
    accounts: { count: accounts },
    industries,
    topics,
    intent: { inMarketShare: round(draw.num(ranges.inMarketShare)) },
    response: {
      bestLift: round(bestLift),
      fatigueK: round(draw.num(ranges.fatigueK)),
      fatigueHalfLifeDays: round(draw.num(ranges.fatigueHalfLifeDays), 1),
      overrides,
    },
    funnel: { cycleMultiplier: Object.fromEntries(SIZES.map((s) => [s, round(base[s] * cycle)])) as Record<(typeof SIZES)[number], number> },
    drift,
  };
}

/**
 * A market drawn from `seed` within `ranges` (each range replaces its default; docs/scenario.md,
 * "Generated markets"). Throws a ScenarioError naming the path and allowed range of a bad range.
 */
export function generateScenario(seed: number, ranges: Partial<GeneratorRanges> = {}): Scenario {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ScenarioError([{ path: 'seed', message: `expected a whole number in [0, ${MAX_SEED}], got ${JSON.stringify(seed) ?? String(seed)}` }]);
  }
  const result = scenarioSchema.safeParse(draft(seed, resolveRanges(ranges)));
  if (!result.success) {
    // the generator drew a scenario its own schema refuses: a bug here, named by path
    throw new ScenarioError(result.error.issues.map((i) => ({ path: `generated(${seed}).${formatPath(i.path)}`, message: i.message })));
  }
  return result.data;
}

/** `gen:<seed>` → generateScenario(seed); anything else after `gen:` is a ScenarioError at `spec` */
export function generatedFromSpec(spec: string): Scenario {
  const m = /^gen:(\d{1,10})$/.exec(spec);
  const seed = m ? Number(m[1]) : NaN;
  if (!m || seed > MAX_SEED) {
    throw new ScenarioError([{ path: 'spec', message: `"${spec}" is not a generated market: expected gen:<seed> with a whole-number seed in [0, ${MAX_SEED}], e.g. gen:12` }]);
  }
  return generateScenario(seed);
}
