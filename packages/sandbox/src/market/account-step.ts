// One simulated day of one account: intent dynamics, how many signals of each type it emits, lead
// scoring and the funnel. Pure over (state, params, rng) so that ground-truth rollouts reuse it.
import { Funnel, type AccountState } from './account-state.js';
import { deriveSeed, Stream, type Rng } from './random.js';
import { winRate, type StepParams } from './step-params.js';

/** bit flags of what happened to the account today */
export const Transition = {
  mql: 1,
  sql: 2,
  opportunity: 4,
  stage: 8,
  won: 16,
  lost: 32,
  recycled: 64,
  /** with won or lost: the deal reached its final win draw (was not dropped at a stage) */
  decided: 128,
} as const;

export function stepIntent(s: AccountState, p: StepParams, rng: Rng): void {
  const i = p.scenario.intent;
  const target = s.baseIntent * p.industryFactor[s.industry];
  let x = s.intent + i.decay * (target - s.intent) + i.dailyDrift * rng.normal();
  if (rng.next() < (s.inMarket ? i.surgeRate : i.surgeRate * p.outOfMarketFactor)) {
    x += i.surgeSize * (1 - x);
    // a new buying cycle often comes with a new research topic
    s.interestTopic = rng.int(p.scenario.topics.length);
  }
  s.intent = x < 0 ? 0 : x > 1 ? 1 : x;
}

/** fills `counts` (one per signal type) and returns their lead-score points */
export function drawSignalCounts(s: AccountState, p: StepParams, rng: Rng, counts: Int32Array): number {
  let points = 0;
  for (let t = 0; t < counts.length; t++) {
    const n = rng.poisson(p.signalBase[t] + p.signalPerIntent[t] * s.intent);
    counts[t] = n;
    points += n * p.signalPoints[t];
  }
  return points;
}

/**
 * The draws that decide a funnel episode (does the SQL convert, how long each stage lasts, is the
 * deal dropped or won at a stage's exit) are keyed by (account, episode, slot), not by day: a
 * treatment that moves a stage forward by a few days then meets the same luck at the stage's
 * exit, and a better-treated account is better off draw for draw (common random numbers).
 */
function episodeDraws(s: AccountState, rng: Rng, seed: number, slot: number): Rng {
  rng.reseed(deriveSeed(seed, s.index, s.episode * 8 + slot, Stream.episode));
  return rng;
}

function stageDuration(s: AccountState, p: StepParams, rng: Rng): number {
  return Math.max(1, Math.round(p.stageDays[s.stage] * p.segmentCycle[s.segment] * (0.5 + rng.next())));
}

export function stepFunnel(s: AccountState, p: StepParams, day: number, rng: Rng, seed: number): number {
  const f = p.scenario.funnel;
  switch (s.funnel) {
    case Funnel.none:
      if (s.score >= f.mqlThreshold) {
        s.funnel = Funnel.mql;
        return Transition.mql;
      }
      return 0;
    case Funnel.mql:
      if (s.salesAccepted || (s.intent >= f.sql.intentThreshold && rng.next() < f.sql.dailyProbability)) {
        s.salesAccepted = false;
        s.episode++;
        episodeDraws(s, rng, seed, 0);
        if (rng.next() < f.opportunity.probability) {
          s.funnel = Funnel.sql;
          s.funnelUntil = day + Math.max(1, Math.round(-f.opportunity.meanDays * Math.log(1 - rng.next())));
        } else {
          s.funnel = Funnel.cooldown;
          s.funnelUntil = day + f.recycleDays;
        }
        return Transition.sql;
      }
      return 0;
    case Funnel.sql:
      if (day < s.funnelUntil) return 0;
      s.funnel = Funnel.opportunity;
      s.stage = 0;
      s.amount = s.dealAmount;
      s.funnelUntil = day + stageDuration(s, p, episodeDraws(s, rng, seed, 1));
      return Transition.opportunity;
    case Funnel.opportunity: {
      if (day < s.funnelUntil) return 0;
      episodeDraws(s, rng, seed, 2 + s.stage);
      if (rng.next() < f.stageDropRate * (1 - s.intent)) {
        s.funnel = Funnel.cooldown;
        s.funnelUntil = day + f.recycleDays;
        return Transition.lost;
      }
      if (s.stage === 3) {
        if (rng.next() < winRate(p, s.intent)) {
          s.funnel = Funnel.won;
          return Transition.won | Transition.decided;
        }
        s.funnel = Funnel.cooldown;
        s.funnelUntil = day + f.recycleDays;
        return Transition.lost | Transition.decided;
      }
      s.stage++;
      s.funnelUntil = day + stageDuration(s, p, rng);
      return Transition.stage;
    }
    case Funnel.cooldown:
      if (day < s.funnelUntil) return 0;
      s.funnel = Funnel.none;
      s.score = 0;
      return Transition.recycled;
    default:
      return 0; // won: a customer stays a customer
  }
}

/**
 * The whole day; `counts` receives the signal counts for the caller to materialise. Each part
 * draws from its own re-seeded stream so that a change in intent (a treatment) shifts no other
 * random draw: a better-treated account is better off draw for draw.
 */
export function stepAccountDay(s: AccountState, p: StepParams, day: number, rng: Rng, counts: Int32Array, seed: number): number {
  rng.reseed(deriveSeed(seed, s.index, day, Stream.accountDay));
  stepIntent(s, p, rng);
  rng.reseed(deriveSeed(seed, s.index, day, Stream.signals));
  const points = drawSignalCounts(s, p, rng, counts);
  s.score = s.score * p.scenario.funnel.scoreDecay + points;
  s.fatigue *= p.segmentFatigueDecay[s.segment];
  rng.reseed(deriveSeed(seed, s.index, day, Stream.funnel));
  return stepFunnel(s, p, day, rng, seed);
}
