// The market's hidden truth, for benchmarks and reports ONLY (never hand it to revloop's runtime):
// true propensities, the oracle's best action per account, each channel's tally, drift events, and
// a label oracle for classification benchmarks.
import { copyAccountState, Funnel, FUNNEL_STATES, type AccountState, type FunnelState } from './account-state.js';
import { stepAccountDay } from './account-step.js';
import type { AppliedDrift, ChannelTally, SimMarket } from './market.js';
import { deriveSeed, Rng, Stream } from './random.js';
import { bestChannelIndex, personaIndex, responseProbability, segmentOf } from './response-model.js';
import { CHANNELS, PERSONAS, SIGNAL_TYPES, SIZES } from './scenario-schema.js';
import { responseValue } from './response-value.js';
import { copyAccountOutcomes, type AccountOutcomes } from './account-outcomes.js';
import type { CompanySize, Persona, TreatmentChannel } from './types.js';

export interface BestAction {
  accountId: string;
  contactId: string;
  persona: Persona;
  channel: TreatmentChannel;
  topic: string;
  sendHour: number;
  /** probability the account responds */
  probability: number;
  cost: number;
  /** hidden value of a response: expected revenue it adds (one-step approximation) */
  responseValue: number;
  /** probability × responseValue − cost */
  expectedValue: number;
}

/**
 * How good the choices of the treatments to a contact were, as the mean of each choice's share of
 * the best one for the same account (1 = always the best): the channel's lift against the best
 * channel's for that persona, the send hour's factor, the topic's against the best topic's, and the
 * contact's best answer chance against the best contact's of the buying group. All 0 with none.
 */
export interface ChoiceQuality {
  treatments: number;
  channel: number;
  hour: number;
  topic: number;
  contact: number;
}

/**
 * What a policy did and won per company size: where its treatments went, their mean hidden answer
 * chance, and the opportunities, closed-won deals and revenue of accounts of that size. Why per
 * size: a few large deals decide a run's revenue, and they come from the few enterprise accounts.
 */
export interface SizeBreakdown {
  accounts: number;
  treatments: number;
  /** mean hidden answer chance of those treatments (0 with none) */
  answerChance: number;
  opportunities: number;
  closedWon: number;
  revenue: number;
}

/**
 * Where a policy's treatments went by the treated account's funnel state at that moment: how
 * many, their mean hidden answer chance, and how many per company size. Why: the value of an
 * answer depends most on the funnel state (an answer from an open deal moves its win rate now; one
 * from an account outside the funnel has to get there first), so this says whether a policy
 * spends its budget where answers are worth most.
 */
export interface FunnelBreakdown {
  treatments: number;
  /** mean hidden answer chance of those treatments (0 with none) */
  answerChance: number;
  bySize: Record<CompanySize, number>;
}

export interface IntentLabel {
  label: 'high' | 'low';
  /** 0 (obvious) .. 1 (on the threshold) */
  difficulty: number;
}

/** the signature the OpenAI emulator consumes */
export type LabelOracle = (itemId: string) => { label: string; difficulty: number } | undefined;

export interface GroundTruth {
  readonly day: number;
  intent(accountId: string): number | undefined;
  /** P(closed-won by the scenario's last day), by Monte Carlo rollouts of the hidden dynamics from today's state (future drift events unknown) */
  propensity(accountId: string, rollouts?: number): number | undefined;
  propensities(rollouts?: number): Map<string, number>;
  bestAction(accountId: string): BestAction | undefined;
  bestChannel(industry: string, size: CompanySize, persona: Persona): TreatmentChannel;
  channelContribution(): Record<TreatmentChannel, ChannelTally>;
  choiceQuality(): ChoiceQuality;
  bySize(): Record<CompanySize, SizeBreakdown>;
  byFunnel(): Record<FunnelState, FunnelBreakdown>;
  driftEvents(): AppliedDrift[];
  /** per account: treatments, answer chances, expected value, responses, pipeline and revenue (a copy) */
  byAccount(): AccountOutcomes;
  labelOracle: LabelOracle;
}

export function createGroundTruth(market: SimMarket): GroundTruth {
  const { population: pop, scenario, model, params } = market;
  const day = market.day;
  const horizon = scenario.days - 1;
  const scratch = { ...pop.states[0] } as AccountState;
  const rng = new Rng();
  const counts = new Int32Array(SIGNAL_TYPES.length);
  const cache = new Map<number, number>();
  const rolloutSeed = deriveSeed(scenario.seed, Stream.rollout);

  const stateOf = (accountId: string): AccountState | undefined => {
    const i = pop.accountIndex.get(accountId);
    return i === undefined ? undefined : pop.states[i];
  };

  const propensityOf = (s: AccountState, rollouts: number): number => {
    if (s.funnel === Funnel.won) return 1;
    if (s.deleted) return 0;
    const key = s.index * 1024 + rollouts;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    let wins = 0;
    for (let r = 0; r < rollouts; r++) {
      copyAccountState(s, scratch);
      for (let d = day + 1; d <= horizon && scratch.funnel !== Funnel.won; d++) {
        stepAccountDay(scratch, params, d, rng, counts, rolloutSeed + r);
      }
      if (scratch.funnel === Funnel.won) wins++;
    }
    const p = wins / rollouts;
    cache.set(key, p);
    return p;
  };

  const costOf = (channel: TreatmentChannel, probability: number): number => {
    const ch = scenario.channels;
    if (channel === 'email') return ch.email.costPerSend;
    if (channel === 'linkedin') return (ch.linkedin.impressionsPerTreatment * ch.linkedin.cpm) / 1000 + probability * ch.linkedin.cpc;
    if (channel === 'google') return probability * ch.google.cpc;
    return ch.sales_task.cost;
  };

  const responseValueOf = (s: AccountState): number => responseValue(params, scenario, s, day);

  const bestAction = (accountId: string): BestAction | undefined => {
    const s = stateOf(accountId);
    if (!s || s.deleted) return undefined;
    const value = responseValueOf(s);
    let best: BestAction | undefined;
    for (let c = s.contactFirst; c < s.contactFirst + s.contactCount; c++) {
      if (pop.contactDeleted[c]) continue;
      const persona = pop.contactPersona[c];
      const sp = s.segment * PERSONAS.length + persona;
      const hour = model.bestHour[sp];
      for (let ch = 0; ch < CHANNELS.length; ch++) {
        for (let t = 0; t < model.topics; t++) {
          const probability = responseProbability(model, scenario, s.segment, persona, ch, t, s.interestTopic, hour, s.fatigue);
          const cost = costOf(CHANNELS[ch], probability);
          const ev = probability * value - cost;
          if (!best || ev > best.expectedValue) {
            best = {
              accountId,
              contactId: pop.contacts[c].id,
              persona: PERSONAS[persona],
              channel: CHANNELS[ch],
              topic: scenario.topics[t],
              sendHour: hour,
              probability,
              cost,
              responseValue: value,
              expectedValue: ev,
            };
          }
        }
      }
    }
    return best;
  };

  const threshold = scenario.intent.highIntentThreshold;
  const labelOracle: LabelOracle = (itemId) => {
    const s = stateOf(itemId);
    if (!s) return undefined;
    const distance = Math.abs(s.intent - threshold);
    return { label: s.intent >= threshold ? 'high' : 'low', difficulty: Math.exp(-distance / 0.1) };
  };

  return {
    day,
    intent: (id) => stateOf(id)?.intent,
    propensity: (id, rollouts = 32) => {
      const s = stateOf(id);
      return s ? propensityOf(s, rollouts) : undefined;
    },
    propensities: (rollouts = 32) => new Map(pop.states.map((s) => [pop.accounts[s.index].id, propensityOf(s, rollouts)])),
    bestAction,
    bestChannel: (industry, size, persona) => {
      const ind = scenario.industries.findIndex((x) => x.name === industry);
      if (ind < 0) throw new Error(`unknown industry ${industry}`);
      return CHANNELS[bestChannelIndex(model, segmentOf(ind, SIZES.indexOf(size)), personaIndex(persona))];
    },
    channelContribution: () =>
      Object.fromEntries(CHANNELS.map((c) => [c, { ...market.channelTally[c] }])) as Record<TreatmentChannel, ChannelTally>,
    choiceQuality: () => {
      const c = market.choiceTally;
      const mean = (x: number): number => (c.treatments ? x / c.treatments : 0);
      return { treatments: c.treatments, channel: mean(c.channel), hour: mean(c.hour), topic: mean(c.topic), contact: mean(c.contact) };
    },
    bySize: () => {
      const out = Object.fromEntries(
        SIZES.map((size, k) => {
          const t = market.sizeTally[k];
          return [size, { accounts: 0, treatments: t.treatments, answerChance: t.treatments ? t.expectedResponses / t.treatments : 0, opportunities: 0, closedWon: 0, revenue: 0 }];
        }),
      ) as Record<CompanySize, SizeBreakdown>;
      for (const s of pop.states) if (!s.deleted) out[SIZES[s.size]].accounts++;
      for (const o of market.opportunities) {
        const s = stateOf(o.accountId);
        if (!s) continue;
        const row = out[SIZES[s.size]];
        row.opportunities++;
        if (o.isWon) {
          row.closedWon++;
          row.revenue += o.amount;
        }
      }
      return out;
    },
    byFunnel: () =>
      Object.fromEntries(
        FUNNEL_STATES.map((state, f) => {
          const rows = market.funnelTally[f];
          const treatments = rows.reduce((a, r) => a + r.treatments, 0);
          const expected = rows.reduce((a, r) => a + r.expectedResponses, 0);
          return [state, { treatments, answerChance: treatments ? expected / treatments : 0, bySize: Object.fromEntries(SIZES.map((size, k) => [size, rows[k].treatments])) }];
        }),
      ) as Record<FunnelState, FunnelBreakdown>,
    driftEvents: () => market.drifts.map((d) => ({ ...d })),
    byAccount: () => copyAccountOutcomes(market.accountTally, pop.accounts.map((a) => a.id)),
    labelOracle,
  };
}

/** a label oracle bound to a market; it reads the live hidden intent at call time */
export function labelOracleFor(market: { groundTruth(): GroundTruth }): LabelOracle {
  return market.groundTruth().labelOracle;
}

