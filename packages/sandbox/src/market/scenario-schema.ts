// The scenario file: every parameter of the simulated market, each with a default, so `{}` is the
// default market. Objects are strict so that a misspelt key is an error, not a silent default.
import { z } from 'zod';
import { faultSpecSchema } from '../emulators/faults.js';
import { identityNoiseSchema } from './identity-noise.js';

export const PERSONAS = ['economic_buyer', 'champion', 'technical_evaluator', 'end_user'] as const;
export const SIZES = ['smb', 'mid', 'enterprise'] as const;
export const CHANNELS = ['email', 'linkedin', 'google', 'sales_task'] as const;
export const SIGNAL_TYPES = [
  'page_view',
  'pricing_visit',
  'demo_visit',
  'content_download',
  'email_open',
  'email_click',
  'ad_impression',
  'ad_click',
  'form_fill',
] as const;

// Field builders whose messages read well after the path: "accounts.count: expected a positive integer".
// The `…N` forms have no default (optional override fields); the others default to `d`.
const posInt = (d: number) =>
  z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .positive({ error: 'expected a positive integer' })
    .default(d);
const nonNegInt = (d: number) =>
  z
    .number({ error: 'expected an integer >= 0' })
    .int({ error: 'expected an integer >= 0' })
    .min(0, { error: 'expected an integer >= 0' })
    .default(d);
const nonNegN = () => z.number({ error: 'expected a number >= 0' }).min(0, { error: 'expected a number >= 0' });
const nonNeg = (d: number) => nonNegN().default(d);
const positiveN = () => z.number({ error: 'expected a number > 0' }).positive({ error: 'expected a number > 0' });
const positive = (d: number) => positiveN().default(d);
const probN = () =>
  z
    .number({ error: 'expected a probability in [0, 1]' })
    .min(0, { error: 'expected a probability in [0, 1]' })
    .max(1, { error: 'expected a probability in [0, 1]' });
const prob = (d: number) => probN().default(d);
const hourN = () =>
  z
    .number({ error: 'expected an hour 0..23' })
    .int({ error: 'expected an hour 0..23' })
    .min(0, { error: 'expected an hour 0..23' })
    .max(23, { error: 'expected an hour 0..23' });
const hour = (d: number) => hourN().default(d);
/** a topic affinity: the share of the persona's favourite topic's response a topic gets */
const affinityN = () =>
  z
    .number({ error: 'expected an affinity in (0, 1]' })
    .gt(0, { error: 'expected an affinity in (0, 1]' })
    .max(1, { error: 'expected an affinity in (0, 1]' });
/** A strict object whose absence means "all defaults". */
const section = <T extends z.ZodRawShape>(shape: T) => // `{} as never`: every field has a default, which TypeScript cannot see through the generic
  z.object(shape).strict().prefault({} as never);
const intRange = (min: number, max: number) =>
  section({ min: nonNegInt(min), max: nonNegInt(max) }).refine((r) => r.min <= r.max, {
    error: 'expected min <= max',
  });

const industrySchema = z
  .object({
    name: z.string({ error: 'expected an industry name' }).regex(/^[a-z0-9_]+$/, { error: 'expected a lowercase name (a-z, 0-9, _)' }),
    weight: nonNeg(1),
    /** regulated industries: revloop's approval policies gate decisions about them */
    regulated: z.boolean({ error: 'expected true or false' }).default(false),
  })
  .strict();

const personaCounts = (d: [number, number, number, number]) =>
  section({
    economic_buyer: nonNegInt(d[0]),
    champion: nonNegInt(d[1]),
    technical_evaluator: nonNegInt(d[2]),
    end_user: nonNegInt(d[3]),
  });

/** expected signals per account per day = base + perIntent * intent; `points` feed lead scoring */
const signalRate = (base: number, perIntent: number, points: number) =>
  section({ base: nonNeg(base), perIntent: nonNeg(perIntent), points: nonNeg(points) });

const dealSize = (median: number, spread: number) => section({ median: positive(median), spread: nonNeg(spread) });

const personaEnum = z.enum(PERSONAS, { error: `expected one of ${PERSONAS.join(', ')}` });
const channelEnum = z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` });

const sizeEnum = z.enum(SIZES, { error: `expected one of ${SIZES.join(', ')}` });

/** which segments × personas an override or a drift event changes: every one it does not narrow */
const targetShape = {
  /** only this industry's segments */
  industry: z.string({ error: 'expected an industry name' }).optional(),
  /** only this company size's segments */
  size: sizeEnum.optional(),
  /** only this persona */
  persona: personaEnum.optional(),
};

/**
 * `response.overrides[k]`: replaces what the response model drew for the matching segments ×
 * personas; later overrides win. Per-account fields (fatigue half-life, cycle scale) take no persona.
 */
const responseOverrideSchema = z
  .object({
    ...targetShape,
    /** response probability per channel (on-topic, best hour), replacing the drawn lifts */
    channelLift: z
      .object({ email: probN().optional(), linkedin: probN().optional(), google: probN().optional(), sales_task: probN().optional() })
      .strict()
      .optional(),
    bestHour: hourN().optional(),
    /** sd (hours) of the send-hour bell curve */
    hourWidth: positiveN().optional(),
    /** topic → affinity in (0, 1] */
    topicAffinity: z.record(z.string(), affinityN()).optional(),
    fatigueK: nonNegN().optional(),
    /** per account: needs no persona */
    fatigueHalfLifeDays: positiveN().optional(),
    /** per account: stage durations × this (on top of funnel.cycleMultiplier); needs no persona */
    cycleScale: positiveN().optional(),
  })
  .strict();

export const DRIFT_KINDS = [
  'persona_channel_shift',
  'industry_intent_drop',
  'channel_lift_change',
  'best_hour_shift',
  'topic_affinity_change',
  'in_market_share_change',
] as const;

const driftEventSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        day: nonNegInt(0),
        kind: z.literal('persona_channel_shift'),
        persona: personaEnum,
        to: channelEnum,
        /** only this industry's segments; all when absent */
        industry: z.string().optional(),
      })
      .strict(),
    z
      .object({
        day: nonNegInt(0),
        kind: z.literal('industry_intent_drop'),
        industry: z.string({ error: 'expected an industry name' }),
        /** multiplies the industry's intent (current and baseline); < 1 is a drop */
        factor: positive(0.6),
      })
      .strict(),
    /** the channel's lift becomes `lift` in the matching segments × personas */
    z.object({ day: nonNegInt(0), kind: z.literal('channel_lift_change'), ...targetShape, channel: channelEnum, lift: probN() }).strict(),
    /** the best send hour becomes `to` in the matching segments × personas */
    z.object({ day: nonNegInt(0), kind: z.literal('best_hour_shift'), ...targetShape, to: hourN() }).strict(),
    /** the topic's affinity becomes `affinity` in the matching segments × personas */
    z
      .object({ day: nonNegInt(0), kind: z.literal('topic_affinity_change'), ...targetShape, topic: z.string({ error: 'expected a topic name' }), affinity: affinityN() })
      .strict(),
    /** the share of accounts in market becomes `share` */
    z.object({ day: nonNegInt(0), kind: z.literal('in_market_share_change'), share: probN() }).strict(),
  ],
  { error: `expected kind ${DRIFT_KINDS.join(', ')}` },
);

export const scenarioSchema = z
  .object({
    seed: nonNegInt(42),
    startDate: z
      .string({ error: 'expected a date YYYY-MM-DD' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
      .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { error: 'expected a real calendar date' })
      .default('2025-01-06'),
    days: posInt(90),
    accounts: section({
      count: posInt(2000),
      sizeMix: section({ smb: nonNeg(0.6), mid: nonNeg(0.3), enterprise: nonNeg(0.1) }),
      regionMix: z.record(z.string(), nonNeg(1)).default({ NA: 0.5, EMEA: 0.3, APAC: 0.2 }),
      employees: section({
        smb: intRange(10, 200),
        mid: intRange(200, 2000),
        enterprise: intRange(2000, 50000),
      }),
    }),
    industries: z
      .array(industrySchema)
      .min(1, { error: 'expected at least one industry' })
      .default([
        { name: 'saas', weight: 3, regulated: false },
        { name: 'fintech', weight: 2, regulated: true },
        { name: 'healthcare', weight: 1.5, regulated: true },
        { name: 'manufacturing', weight: 1.5, regulated: false },
        { name: 'retail', weight: 1, regulated: false },
        { name: 'education', weight: 1, regulated: false },
      ]),
    buyingGroup: section({
      smb: personaCounts([1, 1, 0, 1]),
      mid: personaCounts([1, 1, 1, 2]),
      enterprise: personaCounts([1, 2, 2, 3]),
    }),
    topics: z
      .array(z.string().regex(/^[a-z0-9_]+$/, { error: 'expected a lowercase topic name' }))
      .min(1, { error: 'expected at least one topic' })
      .default(['pipeline_analytics', 'data_privacy', 'marketing_automation', 'integrations', 'pricing_roi']),
    intent: section({
      /** each account's baseline intent ~ Beta(alpha, beta) */
      base: section({ alpha: positive(1.5), beta: positive(8) }),
      /** sd of the daily random walk */
      dailyDrift: nonNeg(0.02),
      /** share of the gap to the baseline closed each day */
      decay: prob(0.05),
      /** daily probability that an account enters a buying cycle */
      surgeRate: prob(0.004),
      /** a surge moves intent this share of the way to 1 */
      surgeSize: prob(0.5),
      /** share of an account's topical signals on its current interest topic */
      topicFocus: prob(0.7),
      /** label threshold for the classification oracle ('high' at or above) */
      highIntentThreshold: prob(0.45),
      /**
       * share of accounts in market (each account's membership is a fixed seeded draw); the others'
       * intent and baseline are × outOfMarketFactor and they surge that much less. Absent: all in market.
       */
      inMarketShare: probN().optional(),
      /** absent: 0.2 */
      outOfMarketFactor: z
        .number({ error: 'expected a factor in (0, 1]' })
        .gt(0, { error: 'expected a factor in (0, 1]' })
        .max(1, { error: 'expected a factor in (0, 1]' })
        .optional(),
    }),
    signals: section({
      page_view: signalRate(0.05, 0.6, 1),
      pricing_visit: signalRate(0.002, 0.08, 10),
      demo_visit: signalRate(0.001, 0.05, 15),
      content_download: signalRate(0.005, 0.06, 8),
      email_open: signalRate(0.05, 0.2, 1),
      email_click: signalRate(0.005, 0.04, 3),
      ad_impression: signalRate(0.3, 0.5, 0),
      ad_click: signalRate(0.004, 0.03, 3),
      form_fill: signalRate(0.0005, 0.02, 25),
      /** share of ad signals on LinkedIn (rest: Google) */
      linkedinShare: prob(0.5),
    }),
    channels: section({
      email: section({ costPerSend: nonNeg(0.001) }),
      /** a LinkedIn treatment buys impressions at the CPM; a response is a click at the CPC */
      linkedin: section({ cpm: nonNeg(35), cpc: nonNeg(8), impressionsPerTreatment: nonNeg(40) }),
      /** Google charges only clicks (a response) */
      google: section({ cpc: nonNeg(5) }),
      /** loaded cost of a sales rep's task */
      sales_task: section({ cost: nonNeg(15) }),
    }),
    campaigns: section({
      linkedin: section({
        count: nonNegInt(2),
        dailyBudget: nonNeg(300),
        ctr: prob(0.005),
        conversionRate: prob(0.03),
      }),
      google: section({
        count: nonNegInt(3),
        dailyBudget: nonNeg(200),
        ctr: prob(0.04),
        conversionRate: prob(0.05),
        /** clicks per campaign-day from searchers outside the account universe */
        anonymousClicks: nonNeg(20),
      }),
    }),
    response: section({
      /** response probability of each persona's best channel, at its best hour, on-topic */
      bestLift: prob(0.35),
      /** other channels draw their lift uniformly from this range */
      otherLift: section({ min: prob(0.02), max: prob(0.08) }),
      topicMatch: nonNeg(1),
      topicMismatch: nonNeg(0.45),
      /** best send hours are drawn from [earliest, latest] per segment × persona */
      bestHour: section({ earliest: hour(7), latest: hour(17) }),
      /** width (sd, hours) of the send-hour bell curve, and its floor far from the best hour */
      hourWidth: positive(2.5),
      hourFloor: prob(0.3),
      /** diminishing returns: probability / (1 + k * fatigue); fatigue = decayed treatment count */
      fatigueK: nonNeg(0.8),
      fatigueHalfLifeDays: positive(7),
      /** a response moves intent this share of the way to 1 and adds lead-score points */
      intentBoost: prob(0.3),
      /** share of that boost that also lifts the account's baseline (nurturing persists) */
      persistence: prob(0.5),
      scoreBoost: nonNeg(15),
      /** a response during an opportunity shortens its current stage by this many days */
      stageAcceleration: nonNegInt(3),
      /** per segment × persona replacements of the drawn parameters (docs/scenario.md) */
      overrides: z.array(responseOverrideSchema).optional(),
    }),
    funnel: section({
      /** lead score decays by this factor each day */
      scoreDecay: prob(0.95),
      mqlThreshold: positive(40),
      sql: section({ intentThreshold: prob(0.35), dailyProbability: prob(0.1) }),
      opportunity: section({ probability: prob(0.6), meanDays: positive(7) }),
      stageDays: section({
        qualification: positive(7),
        discovery: positive(14),
        proposal: positive(14),
        negotiation: positive(10),
      }),
      cycleMultiplier: section({ smb: positive(0.7), mid: positive(1), enterprise: positive(1.6) }),
      /** at each stage exit, an opportunity is lost with probability stageDropRate * (1 - intent) */
      stageDropRate: prob(0.1),
      winRate: section({ atZeroIntent: prob(0.1), atFullIntent: prob(0.7) }),
      dealSize: section({ smb: dealSize(12000, 0.4), mid: dealSize(45000, 0.4), enterprise: dealSize(150000, 0.5) }),
      /** a lost or non-converting account re-enters the funnel after this many days */
      recycleDays: positive(30),
    }),
    hygiene: section({
      /** share of contacts that also exist as a duplicate record, merged later */
      duplicateRate: prob(0.03),
      mergeAfterDays: intRange(3, 20),
      deletion: section({ contactDaily: prob(0.0002), accountDaily: prob(0.00001), opportunityDaily: prob(0.0003) }),
    }),
    lateMetrics: section({
      /** share of ad conversions reported late */
      share: prob(0.3),
      maxDelayDays: posInt(7),
    }),
    drift: z.array(driftEventSchema).default([]),
    /** how the same company or person differs between HubSpot and Salesforce (docs/scenario.md) */
    identityNoise: identityNoiseSchema,
    /** fault injection per emulator (5xx rate, latency, 429 storms, token expiry, dropped connections) */
    faults: z
      .object({
        hubspot: faultSpecSchema.partial().optional(),
        salesforce: faultSpecSchema.partial().optional(),
        linkedin: faultSpecSchema.partial().optional(),
        googleAds: faultSpecSchema.partial().optional(),
        openai: faultSpecSchema.partial().optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = new Set(s.industries.map((i) => i.name));
    s.industries.forEach((ind, k) => {
      if (s.industries.findIndex((o) => o.name === ind.name) !== k)
        ctx.addIssue({ code: 'custom', path: ['industries', k, 'name'], message: `duplicate industry "${ind.name}"` });
    });
    if (!s.industries.some((i) => i.weight > 0))
      ctx.addIssue({ code: 'custom', path: ['industries'], message: 'expected at least one industry with weight > 0' });
    if (!SIZES.some((k) => s.accounts.sizeMix[k] > 0))
      ctx.addIssue({ code: 'custom', path: ['accounts', 'sizeMix'], message: 'expected at least one weight > 0' });
    if (!Object.values(s.accounts.regionMix).some((w) => w > 0))
      ctx.addIssue({ code: 'custom', path: ['accounts', 'regionMix'], message: 'expected at least one weight > 0' });
    for (const size of SIZES) {
      const g = s.buyingGroup[size];
      if (g.economic_buyer + g.champion + g.technical_evaluator + g.end_user === 0)
        ctx.addIssue({ code: 'custom', path: ['buyingGroup', size], message: 'expected at least one contact' });
    }
    if (s.response.otherLift.min > s.response.otherLift.max)
      ctx.addIssue({ code: 'custom', path: ['response', 'otherLift'], message: 'expected min <= max' });
    if (s.response.bestHour.earliest > s.response.bestHour.latest)
      ctx.addIssue({ code: 'custom', path: ['response', 'bestHour'], message: 'expected earliest <= latest' });
    const topics = new Set(s.topics);
    const checkIndustry = (industry: string | undefined, path: (string | number)[]): void => {
      if (industry !== undefined && !names.has(industry))
        ctx.addIssue({ code: 'custom', path, message: `unknown industry "${industry}" (known: ${[...names].join(', ')})` });
    };
    const checkTopic = (topic: string, path: (string | number)[]): void => {
      if (!topics.has(topic)) ctx.addIssue({ code: 'custom', path, message: `unknown topic "${topic}" (known: ${s.topics.join(', ')})` });
    };
    s.response.overrides?.forEach((o, k) => {
      const at = ['response', 'overrides', k];
      checkIndustry(o.industry, [...at, 'industry']);
      for (const t of Object.keys(o.topicAffinity ?? {})) checkTopic(t, [...at, 'topicAffinity', t]);
      for (const field of ['fatigueHalfLifeDays', 'cycleScale'] as const) {
        if (o[field] !== undefined && o.persona !== undefined)
          ctx.addIssue({ code: 'custom', path: [...at, field], message: `applies per account (industry × size), not per persona: move it to an override without persona` });
      }
    });
    s.drift.forEach((d, k) => {
      if ('industry' in d) checkIndustry(d.industry, ['drift', k, 'industry']);
      if (d.kind === 'topic_affinity_change') checkTopic(d.topic, ['drift', k, 'topic']);
      if (d.day >= s.days)
        ctx.addIssue({ code: 'custom', path: ['drift', k, 'day'], message: `expected a day < days (${s.days})` });
    });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type DriftEvent = Scenario['drift'][number];
export type ResponseOverride = NonNullable<Scenario['response']['overrides']>[number];
/** the segments × personas an override or drift event narrows to (absent: all) */
export interface SegmentTarget {
  industry?: string;
  size?: (typeof SIZES)[number];
  persona?: (typeof PERSONAS)[number];
}
