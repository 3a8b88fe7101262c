// The hidden response function: how likely a treatment is to move an account, by segment
// (industry × size) × persona × channel × topic × send hour. Generated from the seed; each
// segment/persona pair has exactly one best channel; the scenario's `response.overrides` then
// replace any of the drawn parameters (response-overrides.ts). Never exposed to revloop's runtime.
import { CHANNELS, PERSONAS, SIZES, type Scenario } from './scenario-schema.js';
import type { Persona, TreatmentChannel } from './types.js';
import { Rng } from './random.js';
import { applyResponseOverrides } from './response-overrides.js';

const P = PERSONAS.length;
const C = CHANNELS.length;

// Realistic priors for which channel works best per persona (email, linkedin, google, sales_task).
const BEST_CHANNEL_PRIOR: Record<Persona, readonly number[]> = {
  economic_buyer: [1, 3, 0.5, 3],
  champion: [3, 3, 1, 1],
  technical_evaluator: [3, 1, 3, 0.5],
  end_user: [3, 1, 2, 0.2],
};

export interface ResponseModel {
  readonly segments: number;
  readonly topics: number;
  /** [segment][persona][channel] base response probability */
  readonly lift: Float64Array;
  /** [segment][persona] best send hour */
  readonly bestHour: Uint8Array;
  /** [segment][persona][topic] topic affinity in (0, 1] */
  readonly topicAffinity: Float64Array;
  /** [segment][persona] sd (hours) of the send-hour bell curve */
  readonly hourWidth: Float64Array;
  /** [segment][persona] fatigue's weight: probability / (1 + fatigueK × fatigue) */
  readonly fatigueK: Float64Array;
}

export const personaIndex = (p: Persona): number => PERSONAS.indexOf(p);
export const channelIndex = (c: TreatmentChannel): number => CHANNELS.indexOf(c);
export const segmentOf = (industry: number, size: number): number => industry * SIZES.length + size;

export function createResponseModel(scenario: Scenario, rng: Rng): ResponseModel {
  const segments = scenario.industries.length * SIZES.length;
  const T = scenario.topics.length;
  const r = scenario.response;
  const lift = new Float64Array(segments * P * C);
  const bestHour = new Uint8Array(segments * P);
  const topicAffinity = new Float64Array(segments * P * T);
  for (let s = 0; s < segments; s++) {
    for (let p = 0; p < P; p++) {
      const prior = BEST_CHANNEL_PRIOR[PERSONAS[p]];
      const best = rng.pickCumulative(prior.map((_, k) => prior.slice(0, k + 1).reduce((a, b) => a + b, 0)));
      for (let c = 0; c < C; c++) {
        lift[(s * P + p) * C + c] = c === best ? r.bestLift : rng.range(r.otherLift.min, r.otherLift.max);
      }
      bestHour[s * P + p] = r.bestHour.earliest + rng.int(r.bestHour.latest - r.bestHour.earliest + 1);
      const favourite = rng.int(T);
      for (let t = 0; t < T; t++) topicAffinity[(s * P + p) * T + t] = t === favourite ? 1 : rng.range(0.6, 0.9);
    }
  }
  const hourWidth = new Float64Array(segments * P).fill(r.hourWidth);
  const fatigueK = new Float64Array(segments * P).fill(r.fatigueK);
  const model = { segments, topics: T, lift, bestHour, topicAffinity, hourWidth, fatigueK };
  applyResponseOverrides(model, scenario);
  return model;
}

export function bestChannelIndex(model: ResponseModel, segment: number, persona: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (model.lift[(segment * P + persona) * C + c] > model.lift[(segment * P + persona) * C + best]) best = c;
  return best;
}

/** the send hour's factor: 1 at the best hour, a bell curve of sd `width` (hours) around it, never below the floor */
export function hourMultiplier(scenario: Scenario, bestHour: number, hour: number, width = scenario.response.hourWidth): number {
  const r = scenario.response;
  if (hour < 0) return r.hourFloor;
  const raw = Math.abs(hour - bestHour);
  const d = Math.min(raw, 24 - raw);
  return r.hourFloor + (1 - r.hourFloor) * Math.exp(-(d * d) / (2 * width * width));
}

/**
 * Probability that one treatment moves the account. `topic`/`hour` = -1 when the treatment did not
 * say; `fatigue` is the account's decayed count of earlier treatments (diminishing returns).
 */
export function responseProbability(
  model: ResponseModel,
  scenario: Scenario,
  segment: number,
  persona: number,
  channel: number,
  topic: number,
  interestTopic: number,
  hour: number,
  fatigue: number,
): number {
  const sp = segment * P + persona;
  const base = model.lift[sp * C + channel];
  const p = (base * topicMultiplier(model, scenario, sp, topic, interestTopic) * hourMultiplier(scenario, model.bestHour[sp], hour, model.hourWidth[sp])) / (1 + model.fatigueK[sp] * fatigue);
  return p > 1 ? 1 : p;
}

/** the topic's factor for one segment × persona (`sp`): on or off the interest topic × the persona's affinity */
function topicMultiplier(model: ResponseModel, scenario: Scenario, sp: number, topic: number, interestTopic: number): number {
  const r = scenario.response;
  if (topic < 0) return r.topicMismatch * 0.75;
  return (topic === interestTopic ? r.topicMatch : r.topicMismatch) * model.topicAffinity[sp * model.topics + topic];
}

/** the best channel's lift for one segment × persona (`sp`) */
function maxLift(model: ResponseModel, sp: number): number {
  let lift = 0;
  for (let c = 0; c < C; c++) lift = Math.max(lift, model.lift[sp * C + c]);
  return lift;
}

/** the best topic's factor for one segment × persona (`sp`) */
function maxTopic(model: ResponseModel, scenario: Scenario, sp: number, interestTopic: number): number {
  let topic = 0;
  for (let t = 0; t < model.topics; t++) topic = Math.max(topic, topicMultiplier(model, scenario, sp, t, interestTopic));
  return topic;
}

/**
 * What each choice of a treatment to one contact cost against the best choice for the same account
 * (1 = the best). Their product × the best answer chance the account could give (best contact,
 * channel, topic and hour, same fatigue) is the treatment's answer chance. `personas` = the
 * account's live buying group.
 */
export interface ChoiceFactors {
  channel: number;
  hour: number;
  topic: number;
  contact: number;
}

export function choiceFactors(model: ResponseModel, scenario: Scenario, segment: number, persona: number, channel: number, topic: number, interestTopic: number, hour: number, personas: readonly number[]): ChoiceFactors {
  const sp = segment * P + persona;
  const lift = maxLift(model, sp);
  const bestTopic = maxTopic(model, scenario, sp, interestTopic);
  // the best chance (best hour, before fatigue) of the persona addressed and of the buying group's best
  let group = 0;
  for (const q of personas) group = Math.max(group, maxLift(model, segment * P + q) * maxTopic(model, scenario, segment * P + q, interestTopic));
  return {
    channel: model.lift[sp * C + channel] / lift,
    hour: hourMultiplier(scenario, model.bestHour[sp], hour, model.hourWidth[sp]),
    topic: topicMultiplier(model, scenario, sp, topic, interestTopic) / bestTopic,
    contact: group > 0 ? (lift * bestTopic) / group : 1,
  };
}

/** Drift: the persona's best channel becomes `to` (in one industry's segments, or all). */
export function shiftPersonaChannel(model: ResponseModel, persona: number, to: number, industry: number): void {
  for (let s = 0; s < model.segments; s++) {
    if (industry >= 0 && Math.floor(s / SIZES.length) !== industry) continue;
    const from = bestChannelIndex(model, s, persona);
    if (from === to) continue;
    const base = (s * P + persona) * C;
    const old = model.lift[base + from];
    model.lift[base + from] = model.lift[base + to];
    model.lift[base + to] = old;
  }
}

export const PERSONA_COUNT = P;
export const CHANNEL_COUNT = C;
